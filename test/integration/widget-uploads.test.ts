/**
 * End users attach files in the widget (issue 14): a presigned POST to the mail bucket (s3rver here),
 * the file posted with fetch + FormData as the frame does, then the message names the upload.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3MailStore, s3Client } from '#adapters/s3-mail-store.ts';
import { CHAT_LIMITS } from '#core/chat.ts';
import { type S3Local, startS3Local } from '#lib/local/s3-local.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, hostKeys } from '../support/chat.ts';

const BUCKET = 'gochat-mail-uploads';
const ORIGIN = 'https://shop.example.com';
let s3Local: S3Local;
let api: TestApi;
let ws: { workspaceId: string; apiKey: string };
let host: Awaited<ReturnType<typeof hostKeys>>;
let acme: Awaited<ReturnType<typeof customerWithContact>>;

const asUser = (token: string, method: string, path: string, body?: unknown) =>
  api.call(undefined, method, path, { headers: { 'X-Widget-Token': token }, ...(body ? { body } : {}) });

async function session(workspace: typeof ws, customerId: string, sub = `u-${ulid()}`) {
  const token = await host.sign(workspace.workspaceId, {
    sub,
    email: `${sub.toLowerCase()}@acme.example`,
    customerIds: [customerId],
  });
  const res = await api.call(undefined, 'POST', '/v1/widget/session', {
    body: { workspaceId: workspace.workspaceId, token },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.widgetToken as string;
}

/** Posts `content` to the presigned POST, as the browser does (the fields first, the file last). */
async function postFile(upload: { url: string; fields: Record<string, string> }, content: Buffer, type: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(content)], { type }), 'file');
  const res = await fetch(upload.url, { method: 'POST', body: form, headers: { Origin: ORIGIN } });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res;
}

async function widgetWorkspace(name: string) {
  const w = await api.cliWorkspace(name, `support-${ulid().toLowerCase()}@uploads.example`);
  const put = await api.call(w.apiKey, 'PUT', '/v1/settings/widget', {
    body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [ORIGIN] },
  });
  expect(put.status).toBe(200);
  return w;
}

beforeAll(async () => {
  s3Local = await startS3Local({ bucket: BUCKET, corsOrigins: [ORIGIN] });
  const s3 = s3Client({ region: 'local', endpoints: { s3: s3Local.endpoint } });
  api = await createTestApi({ mail: new S3MailStore(s3, BUCKET) });
  enableChat(api);
  host = await hostKeys('ES256', () => api.clock.at);
  ws = await widgetWorkspace('Uploads');
  acme = await customerWithContact(api, ws.apiKey, 'Acme');
});

afterAll(async () => {
  await s3Local?.stop();
});

describe('widget uploads', () => {
  it('requests an upload, posts the file to S3, replies with it; agents see and download it', async () => {
    const token = await session(ws, acme.customerId);
    const started = await asUser(token, 'POST', '/v1/widget/threads', { text: 'Hello', clientMessageId: 'c1' });
    expect(started.status).toBe(201);
    const threadId = started.body.thread.threadId as string;
    const content = Buffer.from('%PDF-1.4 a tiny invoice\n');
    const up = await asUser(token, 'POST', '/v1/widget/uploads', {
      filename: 'facture é.pdf',
      contentType: 'application/pdf',
      size: content.length,
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.url).toContain(s3Local.endpoint);
    expect(up.body.fields.key).toMatch(new RegExp(`^uploads/${ws.workspaceId}/`));
    expect(up.body.fields['Content-Type']).toBe('application/pdf');
    const policy = JSON.parse(Buffer.from(up.body.fields.Policy, 'base64').toString('utf8'));
    expect(policy.conditions).toContainEqual(['content-length-range', 1, CHAT_LIMITS.uploadBytes]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);

    // The browser's preflight from the widget's origin is allowed by the bucket's CORS rule.
    const preflight = await fetch(up.body.url, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(200);
    const posted = await postFile(up.body, content, 'application/pdf');
    expect(posted.headers.get('access-control-allow-origin')).toBeTruthy();

    const reply = await asUser(token, 'POST', `/v1/widget/threads/${threadId}/messages`, {
      text: 'The invoice',
      clientMessageId: 'c2',
      attachments: [{ uploadId: up.body.uploadId }],
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const shown = { attachmentId: up.body.uploadId.split('.')[0], filename: 'facture é.pdf', size: content.length };
    expect(reply.body.message.attachments).toEqual([shown]);

    const mine = await asUser(token, 'GET', `/v1/widget/threads/${threadId}/messages`);
    expect(mine.body.items.at(-1).attachments).toEqual([shown]);

    const feed = await api.call(ws.apiKey, 'GET', `/v1/threads/${threadId}/feed`);
    const message = feed.body.items.find((i: any) => i.itemId === reply.body.message.itemId);
    expect(message.attachments).toHaveLength(1);
    const att = message.attachments[0];
    expect(att).toMatchObject({ filename: 'facture é.pdf', contentType: 'application/pdf', size: content.length });
    const dl = await api.call(ws.apiKey, 'GET', `/v1/threads/${threadId}/attachments/${att.attachmentId}`);
    expect(dl.status, JSON.stringify(dl.body)).toBe(200);
    const file = await fetch(dl.body.url);
    expect(Buffer.from(await file.arrayBuffer()).equals(content)).toBe(true);
  });

  it('starts a thread with an attachment', async () => {
    const token = await session(ws, acme.customerId);
    const content = Buffer.from('a,b\n1,2\n');
    const up = await asUser(token, 'POST', '/v1/widget/uploads', {
      filename: 'data.csv',
      contentType: 'text/csv',
      size: content.length,
    });
    expect(up.status).toBe(201);
    await postFile(up.body, content, 'text/csv');
    const started = await asUser(token, 'POST', '/v1/widget/threads', {
      text: 'See the data',
      clientMessageId: 'n1',
      attachments: [{ uploadId: up.body.uploadId }],
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.message.attachments).toEqual([
      { attachmentId: up.body.uploadId.split('.')[0], filename: 'data.csv', size: content.length },
    ]);
  });

  it('refuses a type off the allow-list and a size over the cap (400)', async () => {
    const token = await session(ws, acme.customerId);
    for (const body of [
      { filename: 'run.exe', contentType: 'application/x-msdownload', size: 10 },
      { filename: 'page.html', contentType: 'text/html', size: 10 },
      { filename: 'big.pdf', contentType: 'application/pdf', size: CHAT_LIMITS.uploadBytes + 1 },
      { filename: 'empty.pdf', contentType: 'application/pdf', size: 0 },
      { filename: 'a/b.pdf', contentType: 'application/pdf', size: 10 },
    ]) {
      const res = await asUser(token, 'POST', '/v1/widget/uploads', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses an object that grew over the cap after the request (checked again on send)', async () => {
    const token = await session(ws, acme.customerId);
    const up = await asUser(token, 'POST', '/v1/widget/uploads', {
      filename: 'big.png',
      contentType: 'image/png',
      size: 10,
    });
    expect(up.status).toBe(201);
    // s3rver does not enforce the POST policy (S3 does): the server's HeadObject check catches it.
    await postFile(up.body, Buffer.alloc(CHAT_LIMITS.uploadBytes + 1, 1), 'image/png');
    const res = await asUser(token, 'POST', '/v1/widget/threads', {
      text: 'big',
      clientMessageId: 'big1',
      attachments: [{ uploadId: up.body.uploadId }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
  });

  it('refuses an upload never posted, and one of another end user or workspace (404)', async () => {
    const alice = await session(ws, acme.customerId);
    const bob = await session(ws, acme.customerId);
    const other = await widgetWorkspace('Other uploads');
    const otherAcme = await customerWithContact(api, other.apiKey, 'Acme');
    const stranger = await session(other, otherAcme.customerId);

    const never = await asUser(alice, 'POST', '/v1/widget/uploads', {
      filename: 'n.txt',
      contentType: 'text/plain',
      size: 3,
    });
    const alices = await asUser(alice, 'POST', '/v1/widget/uploads', {
      filename: 'a.txt',
      contentType: 'text/plain',
      size: 3,
    });
    await postFile(alices.body, Buffer.from('abc'), 'text/plain');

    const send = (token: string, uploadId: string, id: string) =>
      asUser(token, 'POST', '/v1/widget/threads', { text: 'x', clientMessageId: id, attachments: [{ uploadId }] });
    expect((await send(alice, never.body.uploadId, 'never')).status).toBe(404);
    expect((await send(bob, alices.body.uploadId, 'bob')).status).toBe(404);
    expect((await send(stranger, alices.body.uploadId, 'stranger')).status).toBe(404);
    const forged = await send(alice, '../../x', 'forged');
    expect(forged.status).toBe(400);
    // Alice's own upload still goes through.
    expect((await send(alice, alices.body.uploadId, 'alice')).status).toBe(201);
  });
});
