/**
 * The recorded call list (test/infra/fixtures/sdk-calls.json, `npm run iam:record`) cannot drift silently:
 * the API handler runs here, live, with the recorder on, against DynamoDB Local, and every call it makes
 * must already be in the list that test/infra/iam.test.ts checks against the synthesized roles.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { asFunction, SDK_CALL_LOG_ENV } from '#adapters/sdk-call-recorder.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { createApiKey } from '#api/use-cases/admin.ts';
import { FIXTURE, normalise, readRecords, type SdkCallFixture } from '../infra/record-sdk-calls.ts';
import { apiEvent } from '../support/api.ts';
import { freshTable } from '../support/ddb.ts';

const dir = mkdtempSync(join(tmpdir(), 'gochat-sdk-calls-'));
const log = join(dir, 'calls.jsonl');
// On before any client is made: the recorder is added when a client is created.
process.env[SDK_CALL_LOG_ENV] = log;

let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
let auth: Record<string, string>;

beforeAll(async () => {
  const table = await freshTable();
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    MAIL_BUCKET: 'gochat-sdk-calls',
    REPLY_TOKEN_SECRET: 'sdk-calls-test-secret-0123456789abcdef',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  const admin = new DynamoAdminStore(table.db, table.tableName);
  const workspaceId = ulid();
  await admin.createWorkspace({ workspaceId, name: 'Acme', createdAt: new Date().toISOString() }, [
    `support-${workspaceId.toLowerCase()}@acme.example`,
  ]);
  const key = await createApiKey({ admin, clock: systemClock, ids: ulidGenerator }, workspaceId, 'sdk calls');
  auth = { Authorization: `Bearer ${key.apiKey}` };
  handler = asFunction('gochat-api', (await import('#functions/api.ts')).handler as unknown as typeof handler);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the recorded SDK calls', () => {
  it('hold every call the API makes, live, to list and search threads', async () => {
    const queries: (Record<string, string> | undefined)[] = [undefined, { status: 'open' }, { q: 'invoice' }];
    for (const query of queries) {
      const res = await handler(apiEvent({ method: 'GET', path: '/v1/threads', headers: auth, query }), {});
      expect(res.statusCode, res.body).toBe(200);
    }
    const live = normalise(readRecords(log));
    // The path was seen: the list facets' index was queried, as the API (and only it) does.
    expect(live).toContainEqual({
      function: 'gochat-api',
      action: 'dynamodb:Query',
      resource: 'arn:{partition}:dynamodb:{region}:{account}:table/{env:TABLE_NAME}/index/GSI1',
    });
    const fixture: SdkCallFixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    const listed = new Set(fixture.calls.map((c) => JSON.stringify(c)));
    expect(
      live.filter((c) => !listed.has(JSON.stringify(c))),
      'calls missing from the fixture: run `npm run iam:record`',
    ).toEqual([]);
  });
});
