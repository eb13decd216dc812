/**
 * The Inbox's typed client (web/src/api/schema.d.ts) is generated from openapi/openapi.yaml: this fails
 * when the committed file no longer matches the contract (run `npm run gen:api -w web`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#lib/paths.ts';

const run = promisify(execFile);
const script = join(REPO_ROOT, 'web', 'scripts', 'api-types.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'gochat-api-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function check(spec?: string): Promise<{ code: number; out: string }> {
  try {
    const r = await run('node', [script, 'check', ...(spec ? ['--spec', spec] : [])], { cwd: join(REPO_ROOT, 'web') });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('the Inbox API types', () => {
  it('match openapi/openapi.yaml', async () => {
    const r = await check();
    expect(r.out).toContain('matches openapi/openapi.yaml');
    expect(r.code).toBe(0);
  });

  it('are reported stale when the contract changes', async () => {
    const changed = readFileSync(join(REPO_ROOT, 'openapi', 'openapi.yaml'), 'utf8');
    const spec = join(scratch, 'openapi.yaml');
    writeFileSync(
      spec,
      changed.replace(/description: The start of the last message's new text\./, 'description: Changed.'),
    );
    const r = await check(spec);
    expect(r.code).toBe(1);
    expect(r.out).toContain('is stale');
  });
});
