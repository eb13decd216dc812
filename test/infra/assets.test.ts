/**
 * The Lambda assets that `cdk synth` writes, opened as Lambda will open them: every function's folder
 * has its `index.mjs`, which imports (with its chunks) in a fresh Node 22 process and exports a handler;
 * no file imports a Node built-in as an ES module (lib/bundling/bundle.ts says why); and the ingest
 * asset stays within issue 11's 1 MB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '#lib/bundling/bundle.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';
import { repoPath } from '#lib/paths.ts';

let outdir: string;
/** Each function's asset folder, by its Powertools service name. */
const assets = new Map<string, string>();

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'gochat-assets-'));
  const app = new App({ outdir });
  new GoChatStack(app, 'GoChatAssets', { goChat: { mailDomain: 'support.example.com' } });
  const assembly = app.synth();
  const template = assembly.getStackByName('GoChatAssets').template as { Resources: Record<string, any> };
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const service = resource.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME;
    const key = resource.Properties.Code?.S3Key;
    if (!service || typeof key !== 'string') continue; // CDK's own helper functions
    assets.set(service, join(outdir, `asset.${key.replace(/\.zip$/, '')}`));
  }
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const files = (dir: string) => readdirSync(dir).map((name) => join(dir, name));

/** What a function needs to load; nothing is called. */
const ENV = {
  TABLE_NAME: 'assets',
  MAIL_BUCKET: 'assets',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'assets',
  AWS_SECRET_ACCESS_KEY: 'assets',
  REPLY_TOKEN_SECRET: 'assets-secret-0123456789abcdef0123',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:assets',
  LIVE_ENDPOINT: 'http://127.0.0.1:9/live', // read, never called
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

describe('the deployed Lambda assets', () => {
  it('are the six functions, each with its index.mjs', () => {
    expect([...assets.keys()].sort()).toEqual([
      'gochat-api',
      'gochat-dispatch',
      'gochat-ingest',
      'gochat-live',
      'gochat-live-fanout',
      'gochat-workflow-step',
    ]);
    for (const dir of assets.values()) expect(statSync(join(dir, 'index.mjs')).isFile()).toBe(true);
  });

  it("are each its own function's bundle, byte for byte (CDK's asset cache must not hand one to all)", async () => {
    const entries: Record<string, string> = {
      'gochat-api': 'api',
      'gochat-dispatch': 'dispatch',
      'gochat-ingest': 'ingest',
      'gochat-live': 'live',
      'gochat-live-fanout': 'live-fanout',
      'gochat-workflow-step': 'workflow-step',
    };
    expect(new Set(assets.values()).size).toBe(assets.size);
    for (const [service, dir] of assets) {
      const built = await bundleFunction(
        repoPath('functions', `${entries[service]}.ts`),
        join(outdir, 'check', service),
        {
          options: { write: false, logLevel: 'silent' },
        },
      );
      const index = built.outputFiles?.find((file) => file.path.endsWith('/index.mjs'));
      expect([service, index?.text === readFileSync(join(dir, 'index.mjs'), 'utf8')]).toEqual([service, true]);
    }
  });

  it('import in a fresh Node 22 process and export a handler', () => {
    for (const [service, dir] of assets) {
      const code = `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))}); console.log(typeof m.handler);`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
        env: { PATH: process.env.PATH ?? '', ...ENV },
        cwd: dir,
      });
      expect([service, out.toString().trim()]).toEqual([service, 'function']);
    }
  });

  it('import no Node built-in as an ES module (only node:module, for the banner that defines require)', () => {
    for (const [service, dir] of assets) {
      for (const file of files(dir).filter((f) => f.endsWith('.mjs'))) {
        const source = readFileSync(file, 'utf8');
        const imported = [...source.matchAll(/\b(?:from|import)\s*"(node:[a-z_/]+|[a-z_]+)"/g)].map((m) => m[1]);
        const builtins = [...new Set(imported)].filter((name) => name !== 'node:module');
        expect({ service, file, builtins }).toEqual({ service, file, builtins: [] });
      }
    }
  });

  it('keep the ingest asset within 1 MB (1,000,000 bytes), all its chunks counted', () => {
    const dir = assets.get('gochat-ingest')!;
    const bytes = files(dir).reduce((sum, file) => sum + statSync(file).size, 0);
    expect(bytes).toBeLessThanOrEqual(1_000_000);
  });
});
