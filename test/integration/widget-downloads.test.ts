/**
 * End users download attachments from the widget: a short-lived presigned GET (s3rver here), as agents
 * get from `GET /v1/threads/{threadId}/attachments/{attachmentId}`, but only for a file on a message that
 * the end user is shown, on a thread of their own customers. Everything else is a 404.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3MailStore, s3Client } from '#adapters/s3-mail-store.ts';
import type { AttachmentMeta, MessageFlags, MessageItem } from '#core/model.ts';
import { type S3Local, startS3Local } from '#lib/local/s3-local.ts';
import { agentVerifier, signedInAgent, type TestAgent } from '../support/agents.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, hostKeys } from '../support/chat.ts';

const BUCKET = 'gochat-mail-downloads';
const ORIGIN = 'https://shop.example.com';
let s3Local: S3Local;
let api: TestApi;
let ws: { workspaceId: string; apiKey: string };
let host: Awaited<ReturnType<typeof hostKeys>>;
let acme: Awaited<ReturnType<typeof customerWithContact>>;
let globex: Awaited<ReturnType<typeof customerWithContact>>;
let agent: TestAgent;

const asUser = (token: string, method: string, path: string, body?: unknown) =>
  api.call(undefined, method, path, { headers: { 'X-Widget-Token': token }, ...(body ? { body } : {}) });
const download = (token: string, threadId: string, attachmentId: string) =>
  asUser(token, 'GET', `/v1/widget/threads/${threadId}/attachments/${attachmentId}`);

async function session(workspace: typeof ws, customerId: string, sub = `u-${ulid()}`) {
  const token = await host.sign(workspace.workspaceId, {
    sub,
    email: `${sub.toLowerCase()}@end-users.example`,
    customerIds: [customerId],
  });
  const res = await api.call(undefined, 'POST', '/v1/widget/session', {
    body: { workspaceId: workspace.workspaceId, token },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { token: res.body.widgetToken as string, email: res.body.endUser.email as string };
}

async function widgetWorkspace(name: string) {
  const w = await api.cliWorkspace(name, `support-${ulid().toLowerCase()}@downloads.example`);
  const put = await api.call(w.apiKey, 'PUT', '/v1/settings/widget', {
    body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [ORIGIN] },
  });
  expect(put.status).toBe(200);
  return w;
}

/** An upload of the end user's, posted to the bucket as the frame does, then named in a reply. */
async function replyWithFile(token: string, threadId: string, filename: string, content: Buffer, type: string) {
  const up = await asUser(token, 'POST', '/v1/widget/uploads', { filename, contentType: type, size: content.length });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  const form = new FormData();
  for (const [k, v] of Object.entries(up.body.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(content)], { type }), 'file');
  expect((await fetch(up.body.url, { method: 'POST', body: form, headers: { Origin: ORIGIN } })).status).toBeLessThan(
    300,
  );
  const reply = await asUser(token, 'POST', `/v1/widget/threads/${threadId}/messages`, {
    text: `Here is ${filename}`,
    clientMessageId: `r${ulid()}`,
    attachments: [{ uploadId: up.body.uploadId }],
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.message;
}

/** An agent's mail on the thread, with a file (POST /v1/threads/{threadId}/messages). */
async function agentSendsFile(threadId: string, to: string, filename: string, content: Buffer, type: string) {
  const sent = await api.call(ws.apiKey, 'POST', `/v1/threads/${threadId}/messages`, {
    headers: { 'X-Agent-Id': 'ada' },
    body: {
      to: [to],
      text: `Attached: ${filename}`,
      attachments: [{ filename, contentType: type, contentBase64: content.toString('base64') }],
    },
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body.attachments[0].attachmentId as string;
}

/**
 * A mail stored on the thread as ingest stores one it does not trust (quarantined, spam, unverified
 * sender) or with an inline part: its file is in the bucket and has an attachment item, as any other.
 */
async function storedMail(threadId: string, opts: { flags?: MessageFlags; inline?: boolean; filename: string }) {
  const before = (await api.threads.getThread(ws.workspaceId, threadId))!;
  const at = new Date(api.clock.at + 500).toISOString();
  const itemId = ulid();
  const attachmentId = `att-${ulid()}`;
  const key = `attachments/${ws.workspaceId}/${threadId}/${attachmentId}`;
  const content = Buffer.from(`contents of ${opts.filename}`);
  await api.mail.putObject(key, content, 'application/pdf');
  const attachment: AttachmentMeta = {
    attachmentId,
    filename: opts.filename,
    contentType: 'application/pdf',
    size: content.length,
    key,
    inline: opts.inline ?? false,
  };
  const message: MessageItem = {
    type: 'message',
    workspaceId: ws.workspaceId,
    threadId,
    itemId,
    at,
    direction: 'inbound',
    messageId: `<${ulid()}@stranger.example>`,
    from: { address: 'stranger@stranger.example' },
    to: [],
    cc: [],
    subject: before.subject,
    newText: `mail with ${opts.filename}`,
    text: `mail with ${opts.filename}`,
    classification: 'ordinary',
    flags: opts.flags ?? {},
    attachments: [attachment],
  };
  await api.threads.commit({
    before,
    after: { ...before, updatedAt: at },
    items: [message],
    attachments: [{ ...attachment, itemId }],
  });
  return attachmentId;
}

beforeAll(async () => {
  s3Local = await startS3Local({ bucket: BUCKET, corsOrigins: [ORIGIN] });
  const s3 = s3Client({ region: 'local', endpoints: { s3: s3Local.endpoint } });
  api = await createTestApi({ mail: new S3MailStore(s3, BUCKET), verifyAgentToken: await agentVerifier() });
  enableChat(api);
  host = await hostKeys('ES256', () => api.clock.at);
  ws = await widgetWorkspace('Downloads');
  acme = await customerWithContact(api, ws.apiKey, 'Acme');
  globex = await customerWithContact(api, ws.apiKey, 'Globex');
  agent = await signedInAgent(api, ws.workspaceId, 'admin', 'Ada Admin');
});

afterAll(async () => {
  await s3Local?.stop();
});

describe('widget attachment downloads', () => {
  let alice: { token: string; email: string };
  let threadId: string;
  let agentFile: string;
  let ownFile: string;
  const agentPdf = Buffer.from('%PDF-1.4 the return label\n');
  const ownPng = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

  beforeAll(async () => {
    alice = await session(ws, acme.customerId);
    const started = await asUser(alice.token, 'POST', '/v1/widget/threads', {
      text: 'My parcel arrived broken',
      clientMessageId: 'a1',
    });
    expect(started.status).toBe(201);
    threadId = started.body.thread.threadId;
    agentFile = await agentSendsFile(threadId, alice.email, 'return label é.pdf', agentPdf, 'application/pdf');
    ownFile = (await replyWithFile(alice.token, threadId, 'photo.png', ownPng, 'image/png')).attachments[0]
      .attachmentId;
  });

  it('the messages name each file by its attachmentId', async () => {
    const messages = await asUser(alice.token, 'GET', `/v1/widget/threads/${threadId}/messages`);
    expect(messages.status).toBe(200);
    expect(messages.body.items.map((m: any) => [m.author, m.attachments])).toEqual([
      ['me', []],
      ['agent', [{ attachmentId: agentFile, filename: 'return label é.pdf', size: agentPdf.length }]],
      ['me', [{ attachmentId: ownFile, filename: 'photo.png', size: ownPng.length }]],
    ]);
  });

  it('the end user downloads an agent\u2019s file and their own upload, and gets the bytes', async () => {
    for (const [attachmentId, content, filename, type] of [
      [agentFile, agentPdf, 'return label é.pdf', 'application/pdf'],
      [ownFile, ownPng, 'photo.png', 'image/png'],
    ] as const) {
      const dl = await download(alice.token, threadId, attachmentId);
      expect(dl.status, JSON.stringify(dl.body)).toBe(200);
      expect(dl.body).toMatchObject({ attachmentId, filename, contentType: type, size: content.length });
      // Short-lived: 5 minutes, as for agents.
      expect(Date.parse(dl.body.expiresAt) - api.clock.at).toBeLessThanOrEqual(300_000);
      expect(new URL(dl.body.url).searchParams.get('X-Amz-Expires')).toBe('300');
      const file = await fetch(dl.body.url);
      expect(file.status).toBe(200);
      expect(Buffer.from(await file.arrayBuffer()).equals(content)).toBe(true);
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      expect(file.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(filename)}`);
    }
  });

  it('a colleague of the same customer downloads them too (the messages are shown to them)', async () => {
    const colleague = await session(ws, acme.customerId);
    expect((await download(colleague.token, threadId, agentFile)).status).toBe(200);
    expect((await download(colleague.token, threadId, ownFile)).status).toBe(200);
  });

  it('an end user of another customer or another workspace gets 404 for the same ids', async () => {
    const bob = await session(ws, globex.customerId);
    const other = await widgetWorkspace('Other downloads');
    const otherAcme = await customerWithContact(api, other.apiKey, 'Acme');
    const stranger = await session(other, otherAcme.customerId);
    for (const token of [bob.token, stranger.token])
      for (const id of [agentFile, ownFile]) {
        const res = await download(token, threadId, id);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBeTruthy();
        expect(JSON.stringify(res.body)).not.toContain('X-Amz');
      }
    // Bob's own thread does not open Alice's file either.
    const bobs = await asUser(bob.token, 'POST', '/v1/widget/threads', { text: 'Hi', clientMessageId: 'b1' });
    expect((await download(bob.token, bobs.body.thread.threadId, agentFile)).status).toBe(404);
  });

  it('a quarantined, spam or unverified sender\u2019s file, an inline part, another thread\u2019s file and an unknown id are 404', async () => {
    const quarantined = await storedMail(threadId, { flags: { quarantined: true }, filename: 'invoice.pdf' });
    const spam = await storedMail(threadId, { flags: { spam: true }, filename: 'prize.pdf' });
    const unverified = await storedMail(threadId, { flags: { unverifiedSender: true }, filename: 'who.pdf' });
    const inline = await storedMail(threadId, { inline: true, filename: 'logo.pdf' });
    // The ids are real: agents download every one of them.
    for (const id of [quarantined, spam, unverified, inline])
      expect((await api.call(ws.apiKey, 'GET', `/v1/threads/${threadId}/attachments/${id}`)).status).toBe(200);
    // Another thread of Alice's own: its file is not one of this thread's.
    const second = await asUser(alice.token, 'POST', '/v1/widget/threads', { text: 'Another', clientMessageId: 'a2' });
    const secondId = second.body.thread.threadId;
    const elsewhere = await agentSendsFile(secondId, alice.email, 'other.pdf', Buffer.from('other'), 'application/pdf');
    expect((await download(alice.token, secondId, elsewhere)).status).toBe(200);

    for (const [name, id] of Object.entries({ quarantined, spam, unverified, inline, elsewhere, unknown: ulid() })) {
      const res = await download(alice.token, threadId, id);
      expect(res.status, name).toBe(404);
      expect(res.body.error.message, name).toMatch(/not found/);
    }
    const messages = await asUser(alice.token, 'GET', `/v1/widget/threads/${threadId}/messages`);
    const shown = messages.body.items.flatMap((m: any) => m.attachments.map((a: any) => a.filename));
    expect(shown).toEqual(['return label é.pdf', 'photo.png']);
    // An unknown thread, and a malformed id, are refused without a 5xx.
    expect((await download(alice.token, ulid(), agentFile)).status).toBe(404);
    expect((await download(alice.token, threadId, 'not%20an%20id')).status).toBeLessThan(500);
  });

  it('refuses an API key and an agent\u2019s token, which open the agents\u2019 route (401)', async () => {
    const path = `/v1/widget/threads/${threadId}/attachments/${agentFile}`;
    expect((await api.call(agent.idToken, 'GET', `/v1/threads/${threadId}/attachments/${agentFile}`)).status).toBe(200);
    expect((await api.call(ws.apiKey, 'GET', `/v1/threads/${threadId}/attachments/${agentFile}`)).status).toBe(200);
    for (const [name, res] of Object.entries({
      'API key': await api.call(ws.apiKey, 'GET', path),
      'agent ID token': await api.call(agent.idToken, 'GET', path),
      'agent access token': await api.call(agent.accessToken, 'GET', path),
      'API key as widget token': await asUser(ws.apiKey, 'GET', path),
      'agent token as widget token': await asUser(agent.idToken, 'GET', path),
      none: await api.call(undefined, 'GET', path),
    })) {
      expect(res.status, name).toBe(401);
      expect(JSON.stringify(res.body), name).not.toContain('X-Amz');
    }
  });
});
