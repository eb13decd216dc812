import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '#adapters/s3-mail-store.ts';
import { type S3Local, startS3Local } from '#lib/local/s3-local.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * The ops command line end to end: `npx tsx bin/gochat.ts …` as a child process against this file's
 * DynamoDB Local table (and a local S3 for `replay`), then the API handler on the same table.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
let api: TestApi;
let s3: S3Local;
const bucket = `gochat-cli-${ulid().toLowerCase()}`;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function gochat(args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'bin/gochat.ts', ...args],
      {
        cwd: root,
        timeout: 60_000,
        env: {
          ...process.env,
          ...api.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          ...extraEnv,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** The last line of stdout as JSON (the CLI prints one JSON line per command). */
function json(run: CliRun) {
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

beforeAll(async () => {
  api = await createTestApi();
  s3 = await startS3Local({ bucket });
});

afterAll(async () => {
  await s3?.stop();
});

describe('gochat workspace', () => {
  const domain = `cli-${ulid().toLowerCase()}.example`;
  let created: { workspaceId: string; apiKey: string; keyId: string };

  it('create prints a workspace id and an API key that authenticates against the API', async () => {
    created = json(await gochat(['workspace', 'create', '--name', 'Cli Co', '--inbound', `Support@${domain}`]));
    expect(created.workspaceId).toMatch(/^[0-9A-Z]{26}$/);
    expect(created.apiKey).toMatch(new RegExp(`^gck_${created.keyId}_`));
    const settings = await api.call(created.apiKey, 'GET', '/v1/settings');
    expect(settings.status).toBe(200);
    expect(settings.body.inboundAddresses.map((a: { address: string }) => a.address ?? a)).toEqual([
      `support@${domain}`,
    ]);
    const keys = await api.call(created.apiKey, 'GET', '/v1/api-keys');
    expect(keys.body.items.map((k: { keyId: string }) => k.keyId)).toEqual([created.keyId]);
    // One character changed (never to itself: a key that already ends in '0' gets a '1').
    const tampered = `${created.apiKey.slice(0, -1)}${created.apiKey.endsWith('0') ? '1' : '0'}`;
    expect((await api.call(tampered, 'GET', '/v1/settings')).status).toBe(401);
  });

  it('list shows the workspace with its inbound addresses', async () => {
    const list = json(await gochat(['workspace', 'list']));
    expect(list).toContainEqual(
      expect.objectContaining({
        workspaceId: created.workspaceId,
        name: 'Cli Co',
        inboundAddresses: [`support@${domain}`],
      }),
    );
  });

  it('add-inbound adds an address that routes to the workspace', async () => {
    const out = json(
      await gochat(['workspace', 'add-inbound', '--workspace', created.workspaceId, '--address', `Help@${domain}`]),
    );
    expect(out).toEqual({ workspaceId: created.workspaceId, address: `help@${domain}` });
    expect(await api.admin.routeAddress(`help@${domain}`)).toBe(created.workspaceId);
    const settings = await api.call(created.apiKey, 'GET', '/v1/settings');
    expect(JSON.stringify(settings.body.inboundAddresses)).toContain(`help@${domain}`);
  });

  it('refuses an inbound address that a workspace owns, with a clear message and a non-zero exit', async () => {
    const again = await gochat(['workspace', 'create', '--name', 'Copycat', '--inbound', `support@${domain}`]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(
      `inbound address support@${domain} already belongs to workspace ${created.workspaceId}`,
    );
    expect(again.stdout).toBe('');
    const added = await gochat([
      'workspace',
      'add-inbound',
      '--workspace',
      created.workspaceId,
      '--address',
      `help@${domain}`,
    ]);
    expect(added.code).not.toBe(0);
    expect(added.stderr).toContain(
      `inbound address help@${domain} already belongs to workspace ${created.workspaceId}`,
    );
    // No half-made workspace is left behind by the refused create.
    const list = json(await gochat(['workspace', 'list']));
    expect(list.filter((w: { name: string }) => w.name === 'Copycat')).toEqual([]);
  });

  it('refuses plus-addresses, unknown workspaces and missing flags', async () => {
    const plus = await gochat(['workspace', 'create', '--name', 'Plus', '--inbound', `a+b@${domain}`]);
    expect(plus.code).not.toBe(0);
    expect(plus.stderr).toContain('no +');
    const unknown = await gochat(['workspace', 'add-inbound', '--workspace', ulid(), '--address', `x@${domain}`]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no workspace');
    const missing = await gochat(['workspace', 'create', '--inbound', `y@${domain}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--name is required');
  });
});

describe('gochat replay', () => {
  it('ingests a raw mail kept in the bucket once, however often it is replayed', async () => {
    const inbound = `support@replay-${ulid().toLowerCase()}.example`;
    const ws = await api.cliWorkspace('Replay Co', inbound);
    const sesMessageId = `replay${ulid().toLowerCase()}`;
    const subject = `Replayed ${ulid()}`;
    const raw = [
      'Return-Path: <carol@customer.example>',
      `Delivered-To: ${inbound}`,
      'From: Carol <carol@customer.example>',
      `To: ${inbound}`,
      `Subject: ${subject}`,
      `Message-ID: <${sesMessageId}@customer.example>`,
      'Date: Mon, 23 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'My card was charged twice.',
      '',
    ].join('\r\n');
    const client = s3Client({ region: 'local', endpoints: { s3: s3.endpoint } });
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `inbound/${sesMessageId}`, Body: Buffer.from(raw) }));
    client.destroy();
    const env = {
      MAIL_BUCKET: bucket,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      REPLY_TOKEN_SECRET: 'cli-test-secret-0123456789abcdef',
    };

    const first = await gochat(['replay', '--message-id', sesMessageId], env);
    expect(first.code, first.stderr).toBe(0);
    const threadsOf = async () =>
      (await api.call(ws.apiKey, 'GET', '/v1/threads', { query: { q: subject.split(' ')[1].toLowerCase() } })).body
        .items as Array<{ threadId: string; subject: string }>;
    let threads = (await api.call(ws.apiKey, 'GET', '/v1/threads')).body.items as Array<{
      threadId: string;
      subject: string;
    }>;
    threads = threads.filter((t) => t.subject === subject);
    expect(threads).toHaveLength(1);
    const feed = await api.call(ws.apiKey, 'GET', `/v1/threads/${threads[0].threadId}/feed`);
    const messages = feed.body.items.filter((i: { type: string }) => i.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ direction: 'inbound', from: { address: 'carol@customer.example' } });
    expect(messages[0].newText).toContain('My card was charged twice.');

    const second = await gochat(['replay', '--message-id', sesMessageId], env);
    expect(second.code, second.stderr).toBe(0);
    const after = (await api.call(ws.apiKey, 'GET', '/v1/threads')).body.items.filter(
      (t: { subject: string }) => t.subject === subject,
    );
    expect(after.map((t: { threadId: string }) => t.threadId)).toEqual([threads[0].threadId]);
    const feedAfter = await api.call(ws.apiKey, 'GET', `/v1/threads/${threads[0].threadId}/feed`);
    expect(feedAfter.body.items.filter((i: { type: string }) => i.type === 'message')).toHaveLength(1);
    expect(await threadsOf()).toHaveLength(1);
  });

  it('says so, with a non-zero exit, when the raw mail is not in the bucket', async () => {
    const env = { MAIL_BUCKET: bucket, AWS_ENDPOINT_URL_S3: s3.endpoint, REPLY_TOKEN_SECRET: 'x'.repeat(32) };
    const run = await gochat(['replay', '--message-id', `missing${ulid().toLowerCase()}`], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/error: /);
  });
});
