import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

/**
 * `Idempotency-Key` on the three POSTs that create things: a retry, sequential or concurrent, returns
 * the first result and creates nothing twice; the key with another request is refused.
 */
let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
let customerId: string;
const ann = `ann-${ulid().toLowerCase()}@example.com`;

const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);
const withKey = (key: string, extra: Record<string, string> = {}) => ({ 'Idempotency-Key': key, ...extra });
const newKey = () => `k-${ulid()}`;

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Idem', `support-${ulid().toLowerCase()}@idem.example`);
  customerId = (await call('POST', '/v1/customers', { body: { name: 'Acme' } })).body.customerId;
  const contact = await call('POST', '/v1/contacts', { body: { email: ann, name: 'Ann' } });
  expect((await call('PUT', `/v1/customers/${customerId}/contacts/${contact.body.contactId}`)).status).toBe(204);
});

const startBody = (subject: string) => ({ customerIds: [customerId], to: [ann], subject, text: `About ${subject}` });

async function threadsOfSubject(subject: string): Promise<string[]> {
  const res = await call('GET', '/v1/threads', { query: { customer: customerId, limit: '100' } });
  return res.body.items
    .filter((t: { subject: string }) => t.subject === subject)
    .map((t: { threadId: string }) => t.threadId);
}

async function feed(threadId: string) {
  const res = await call('GET', `/v1/threads/${threadId}/feed`, { query: { limit: '100' } });
  expect(res.status).toBe(200);
  return res.body.items as Array<{ type: string; itemId: string }>;
}

async function newThread(): Promise<string> {
  const res = await call('POST', '/v1/threads', { body: startBody(`Base ${ulid()}`) });
  expect(res.status).toBe(201);
  return res.body.thread.threadId;
}

describe('Idempotency-Key: POST /v1/threads', () => {
  it('a sequential retry returns the same thread and message, and creates and sends nothing more', async () => {
    const key = newKey();
    const subject = `Seq ${ulid()}`;
    const sentBefore = api.sender.sent.length;
    const first = await call('POST', '/v1/threads', { body: startBody(subject), headers: withKey(key) });
    expect(first.status).toBe(201);
    expect(first.headers['Idempotent-Replayed']).toBeUndefined();
    const again = await call('POST', '/v1/threads', { body: startBody(subject), headers: withKey(key) });
    expect(again.status).toBe(201);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await threadsOfSubject(subject)).toEqual([first.body.thread.threadId]);
    expect(api.sender.sent.length).toBe(sentBefore + 1);
    expect((await feed(first.body.thread.threadId)).filter((i) => i.type === 'message')).toHaveLength(1);
  });

  it('two concurrent requests with one key make one thread and one mail', async () => {
    const key = newKey();
    const subject = `Conc ${ulid()}`;
    const sentBefore = api.sender.sent.length;
    const [a, b] = await Promise.all(
      [0, 1].map(() => call('POST', '/v1/threads', { body: startBody(subject), headers: withKey(key) })),
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.thread.threadId).toBe(a.body.thread.threadId);
    expect(b.body.message.itemId).toBe(a.body.message.itemId);
    expect([a.headers['Idempotent-Replayed'], b.headers['Idempotent-Replayed']].filter(Boolean)).toEqual(['true']);
    expect(await threadsOfSubject(subject)).toEqual([a.body.thread.threadId]);
    expect(api.sender.sent.length).toBe(sentBefore + 1);
    const thread = await call('GET', `/v1/threads/${a.body.thread.threadId}`);
    expect(thread.body.messageCount).toBe(1);
  });

  it('a retry after a failure between the thread and its mail reuses the same thread', async () => {
    const key = newKey();
    const subject = `Crash ${ulid()}`;
    const send = api.deps.sendMessage;
    api.deps.sendMessage = async () => {
      throw new Error('SES is down');
    };
    try {
      const failed = await call('POST', '/v1/threads', { body: startBody(subject), headers: withKey(key) });
      expect(failed.status).toBe(500);
    } finally {
      api.deps.sendMessage = send;
    }
    const created = await threadsOfSubject(subject);
    expect(created).toHaveLength(1); // the thread got in, its message did not
    const retry = await call('POST', '/v1/threads', { body: startBody(subject), headers: withKey(key) });
    expect(retry.status).toBe(201);
    expect(retry.headers['Idempotent-Replayed']).toBeUndefined();
    expect(retry.body.thread.threadId).toBe(created[0]);
    expect(retry.body.thread.messageCount).toBe(1);
    expect(await threadsOfSubject(subject)).toEqual(created);
    api.errors.length = 0;
  });
});

describe('Idempotency-Key: POST /v1/threads/{id}/messages', () => {
  it('a sequential retry (header or body key) returns the same message and sends once', async () => {
    const threadId = await newThread();
    const key = newKey();
    const sentBefore = api.sender.sent.length;
    const body = { to: [ann], text: 'Here is the form', status: 'keep' };
    const first = await call('POST', `/v1/threads/${threadId}/messages`, { body, headers: withKey(key) });
    expect(first.status).toBe(201);
    const again = await call('POST', `/v1/threads/${threadId}/messages`, { body: { ...body, idempotencyKey: key } });
    expect(again.status).toBe(201);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(api.sender.sent.length).toBe(sentBefore + 1);
    expect((await feed(threadId)).filter((i) => i.type === 'message')).toHaveLength(2);
  });

  it('two concurrent requests with one key send one message', async () => {
    const threadId = await newThread();
    const key = newKey();
    const sentBefore = api.sender.sent.length;
    const before = (await call('GET', `/v1/threads/${threadId}`)).body;
    const [a, b] = await Promise.all(
      [0, 1].map(() =>
        call('POST', `/v1/threads/${threadId}/messages`, {
          body: { to: [ann], text: 'Concurrent hello', status: 'waiting' },
          headers: withKey(key, { 'X-Agent-Id': 'agent-7' }),
        }),
      ),
    );
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(api.sender.sent.length).toBe(sentBefore + 1);
    const items = await feed(threadId);
    expect(items.filter((i) => i.type === 'message').map((i) => i.itemId)).toContain(a.body.itemId);
    expect(items.filter((i) => i.type === 'message')).toHaveLength(2);
    const after = (await call('GET', `/v1/threads/${threadId}`)).body;
    expect(after.messageCount).toBe(before.messageCount + 1);
    expect(after.itemCount).toBe(before.itemCount + 2); // the message and its status update
    expect(after.status).toBe('waiting');
  });

  it('refuses the key with another body, another thread or another actor (422), and disagreeing keys (400)', async () => {
    const threadId = await newThread();
    const other = await newThread();
    const key = newKey();
    const path = `/v1/threads/${threadId}/messages`;
    expect((await call('POST', path, { body: { to: [ann], text: 'One' }, headers: withKey(key) })).status).toBe(201);
    for (const res of [
      await call('POST', path, { body: { to: [ann], text: 'Two' }, headers: withKey(key) }),
      await call('POST', `/v1/threads/${other}/messages`, { body: { to: [ann], text: 'One' }, headers: withKey(key) }),
      await call('POST', path, {
        body: { to: [ann], text: 'One' },
        headers: withKey(key, { 'X-Agent-Id': 'someone-else' }),
      }),
      await call('POST', `/v1/threads/${threadId}/comments`, { body: { body: 'One' }, headers: withKey(key) }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('idempotency_key_reused');
      expect(res.body.error.details).toEqual({ idempotencyKey: key });
    }
    const clash = await call('POST', path, {
      body: { to: [ann], text: 'One', idempotencyKey: 'other' },
      headers: withKey(key),
    });
    expect(clash.status).toBe(400);
    const bad = await call('POST', path, { body: { to: [ann], text: 'One' }, headers: withKey('no spaces allowed') });
    expect(bad.status).toBe(400);
    expect((await feed(threadId)).filter((i) => i.type === 'message')).toHaveLength(2);
  });

  it('a refused send records nothing: the same request with the same key runs again', async () => {
    const threadId = await newThread();
    const key = newKey();
    const body = { text: 'To a stranger', to: ['stranger@example.net'] };
    const path = `/v1/threads/${threadId}/messages`;
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', path, { body, headers: withKey(key) });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('recipient_not_allowed');
    }
  });
});

describe('Idempotency-Key: POST /v1/threads/{id}/comments', () => {
  it('a sequential retry returns the same comment and adds one', async () => {
    const threadId = await newThread();
    const key = newKey();
    const path = `/v1/threads/${threadId}/comments`;
    const first = await call('POST', path, { body: { body: 'Checked the KYC file' }, headers: withKey(key) });
    expect(first.status).toBe(201);
    const again = await call('POST', path, { body: { body: 'Checked the KYC file' }, headers: withKey(key) });
    expect(again.status).toBe(201);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await feed(threadId)).filter((i) => i.type === 'comment').map((i) => i.itemId)).toEqual([
      first.body.itemId,
    ]);
  });

  it('concurrent requests with one key add one comment and count it once', async () => {
    const threadId = await newThread();
    const key = newKey();
    const before = (await call('GET', `/v1/threads/${threadId}`)).body;
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        call('POST', `/v1/threads/${threadId}/comments`, { body: { body: 'Once only' }, headers: withKey(key) }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.itemId)).size).toBe(1);
    expect(results.filter((r) => r.headers['Idempotent-Replayed'])).toHaveLength(2);
    expect((await feed(threadId)).filter((i) => i.type === 'comment')).toHaveLength(1);
    const after = (await call('GET', `/v1/threads/${threadId}`)).body;
    expect(after.itemCount).toBe(before.itemCount + 1);
  });

  it('keys are per workspace: another workspace with the same key gets its own thread', async () => {
    const key = newKey();
    const mine = await call('POST', '/v1/threads', { body: startBody(`Mine ${ulid()}`), headers: withKey(key) });
    expect(mine.status).toBe(201);
    const other = await api.cliWorkspace('Other', `support-${ulid().toLowerCase()}@other.example`);
    const as = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
      api.call(other.apiKey, method, path, opts);
    const bob = `bob-${ulid().toLowerCase()}@example.org`;
    const customer = (await as('POST', '/v1/customers', { body: { name: 'Other Co' } })).body.customerId;
    const contact = (await as('POST', '/v1/contacts', { body: { email: bob } })).body.contactId;
    expect((await as('PUT', `/v1/customers/${customer}/contacts/${contact}`)).status).toBe(204);
    const theirs = await as('POST', '/v1/threads', {
      body: { customerIds: [customer], to: [bob], subject: 'Theirs', text: 'Hello' },
      headers: withKey(key),
    });
    expect(theirs.status).toBe(201);
    expect(theirs.headers['Idempotent-Replayed']).toBeUndefined();
    expect(theirs.body.thread.threadId).not.toBe(mine.body.thread.threadId);
  });

  it('a request that finds the first one still running waits, then answers 409 idempotency_in_progress', async () => {
    const threadId = await newThread();
    const key = newKey();
    const path = `/v1/threads/${threadId}/messages`;
    const send = api.deps.sendMessage;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    api.deps.sendMessage = async (input) => {
      await gate;
      return send(input);
    };
    api.deps.idempotencyWaitMs = 300;
    try {
      const first = call('POST', path, { body: { to: [ann], text: 'Slow' }, headers: withKey(key) });
      await new Promise((r) => setTimeout(r, 200));
      const busy = await call('POST', path, { body: { to: [ann], text: 'Slow' }, headers: withKey(key) });
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('idempotency_in_progress');
      release();
      const done = await first;
      expect(done.status).toBe(201);
      const replay = await call('POST', path, { body: { to: [ann], text: 'Slow' }, headers: withKey(key) });
      expect(replay.body).toEqual(done.body);
    } finally {
      api.deps.sendMessage = send;
      delete api.deps.idempotencyWaitMs;
    }
  });

  it('stores the key in the workspace partition space, with a TTL', async () => {
    const threadId = await newThread();
    const key = newKey();
    await call('POST', `/v1/threads/${threadId}/comments`, { body: { body: 'TTL' }, headers: withKey(key) });
    const record = await api.admin.getIdempotencyRecord(ws.workspaceId, key);
    expect(record).toMatchObject({ key, state: 'done', result: { threadId } });
    expect(record!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
    expect(keys.idempotency(ws.workspaceId, key)).toEqual({ PK: `WS#${ws.workspaceId}#IDEM#${key}`, SK: 'META' });
  });
});
