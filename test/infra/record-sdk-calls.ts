/**
 * `npm run iam:record`: runs the suites that drive the functions as deployed (the deployed bundles, and the
 * local stack end to end) with the SDK call recorder on (functions/adapters/sdk-call-recorder.ts), and
 * writes every distinct {function, action, resource} they called to test/infra/fixtures/sdk-calls.json,
 * sorted, so the file changes only when the calls do. test/infra/iam.test.ts evaluates that list against
 * the synthesized roles; test/integration/sdk-calls.test.ts re-records a path live and checks it is listed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SDK_CALL_LOG_ENV, type SdkCallRecord } from '#adapters/sdk-call-recorder.ts';
import { repoPath } from '#lib/paths.ts';

/** The suites recorded: every function of the stack runs in them, as deployed or on the local stack. */
export const RECORDED_SUITES = [
  ['integration', 'test/integration/deployed-bundles.test.ts'],
  ['e2e', 'test/e2e/pipeline.test.ts'],
  ['e2e', 'test/e2e/live.test.ts'],
  ['e2e', 'test/e2e/notifications.test.ts'],
] as const;

export const FIXTURE = repoPath('test', 'infra', 'fixtures', 'sdk-calls.json');

export interface SdkCallFixture {
  note: string;
  suites: string[];
  calls: SdkCallRecord[];
}

/**
 * Distinct records, sorted. Mail is sent from workspace addresses on the deployment's mail domain, which
 * the tests choose freely, so an SES identity is written as `{mailDomain}`.
 */
export function normalise(records: SdkCallRecord[]): SdkCallRecord[] {
  const seen = new Map<string, SdkCallRecord>();
  for (const r of records) {
    const resource = r.action.startsWith('ses:')
      ? r.resource.replace(/identity\/[^/]+$/, 'identity/{mailDomain}')
      : r.resource;
    const rec = { function: r.function, action: r.action, resource };
    seen.set(JSON.stringify(rec), rec);
  }
  return [...seen.values()].sort((a, b) =>
    `${a.function} ${a.action} ${a.resource}`.localeCompare(`${b.function} ${b.action} ${b.resource}`),
  );
}

export const readRecords = (file: string): SdkCallRecord[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as SdkCallRecord)
    : [];

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'gochat-sdk-calls-'));
  const log = join(dir, 'calls.jsonl');
  try {
    for (const [project, file] of RECORDED_SUITES) {
      const run = spawnSync('npx', ['vitest', 'run', '--project', project, file], {
        cwd: repoPath(),
        stdio: 'inherit',
        env: { ...process.env, [SDK_CALL_LOG_ENV]: log },
      });
      if (run.status !== 0) throw new Error(`${file} failed: the recording is incomplete, nothing written`);
    }
    const fixture: SdkCallFixture = {
      note: 'Written by `npm run iam:record` (test/infra/record-sdk-calls.ts); do not edit by hand.',
      suites: RECORDED_SUITES.map(([, f]) => f),
      calls: normalise(readRecords(log)),
    };
    writeFileSync(FIXTURE, `${JSON.stringify(fixture, null, 2)}\n`);
    // In the repository's own format, so `npm run lint` passes on a fresh recording.
    spawnSync('npx', ['biome', 'format', '--write', FIXTURE], { cwd: repoPath(), stdio: 'inherit' });
    console.log(`${fixture.calls.length} distinct calls written to ${FIXTURE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main();
