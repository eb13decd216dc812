import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DynamoLiveSignals } from '#adapters/dynamo/connection-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { keySetFingerprint, type WidgetTokens } from '#core/widget-identity.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, hostKeys } from '../support/chat.ts';
import { connectLive, type LiveClient, refusedHandshake, startTestLive } from '../support/live.ts';

/**
 * Live updates against DynamoDB Local: the local `ws` server with the live handler, and the fan-out on
 * the table's stream. Isolation (tokens, workspaces), junk frames and handshakes (fuzz), subscriptions,
 * gone connections, and `updatedSince` on the thread list (contract-checked by test/support/api.ts).
 */
let api: TestApi;
let live: Awaited<ReturnType<typeof startTestLive>>;
let a: { workspaceId: string; apiKey: string; keyId: string };
let b: { workspaceId: string; apiKey: string; keyId: string };
const A: Record<string, string> = {};
const clients: LiveClient[] = [];

const asA = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(a.apiKey, method, path, opts);

async function connect(token: string, opts: Parameters<typeof connectLive>[2] = {}) {
  const client = await connectLive(live.url, token, opts);
  clients.push(client);
  return client;
}

async function connectionItems(workspaceId: string) {
  const out = await api.db.send(
    new QueryCommand({
      TableName: api.tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.connectionPartition(workspaceId) },
    }),
  );
  return out.Items ?? [];
}

async function startThread(subject: string) {
  const res = await asA('POST', '/v1/threads', {
    body: { customerIds: [A.customerId], to: [A.email], subject, text: 'Hello', status: 'keep' },
  });
  expect(res.status).toBe(201);
  return res.body.thread as { threadId: string; version: number; updatedAt: string };
}

beforeAll(async () => {
  api = await createTestApi();
  a = await api.cliWorkspace('Live A', `live-a-${ulid().toLowerCase()}@a.example`);
  b = await api.cliWorkspace('Live B', `live-b-${ulid().toLowerCase()}@b.example`);
  A.customerId = (await asA('POST', '/v1/customers', { body: { name: 'Ann' } })).body.customerId;
  A.email = `ann-${ulid().toLowerCase()}@a.example`;
  A.contactId = (await asA('POST', '/v1/contacts', { body: { email: A.email } })).body.contactId;
  await asA('PUT', `/v1/customers/${A.customerId}/contacts/${A.contactId}`);
  live = await startTestLive(api);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await live?.stop();
});

describe('live: who may connect', () => {
  it.each([
    ['no token', undefined, {}, 401],
    ['a malformed key', 'gck_nope', {}, 401],
    ['an unknown key', `gck_${ulid()}_${'ab'.repeat(32)}`, {}, 401],
    ['an agent token with no user pool configured', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln', {}, 401],
    ['a subprotocol list without gochat.v1', 'KEY', { protocols: ['chat'] }, 400],
    ['a workspaceId that is not an id', 'KEY', { workspaceId: 'WS#x' }, 400],
  ])('refuses %s (%s)', async (_what, token, opts, status) => {
    const key = token === 'KEY' ? a.apiKey : token;
    const protocols = (opts as { protocols?: string[] }).protocols;
    const refused = await refusedHandshake(live.url, key, {
      ...opts,
      ...(protocols && key ? { protocols: [...protocols, `gochat.bearer.${key}`] } : {}),
    });
    expect(refused.status).toBe(status);
    expect(Object.keys(refused.body)).toEqual(['error']);
  });

  it('refuses a key for another workspace (403), a revoked key and a key without threads:read, keeping no connection', async () => {
    const foreign = await refusedHandshake(live.url, a.apiKey, { workspaceId: b.workspaceId });
    expect(foreign).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const narrow = await asA('POST', '/v1/api-keys', { body: { name: 'templates only', scopes: ['templates:read'] } });
    expect(narrow.status).toBe(201);
    const scoped = await refusedHandshake(live.url, narrow.body.apiKey);
    expect(scoped).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', details: { scope: 'threads:read' } } },
    });

    const doomed = await asA('POST', '/v1/api-keys', { body: { name: 'doomed' } });
    expect((await asA('DELETE', `/v1/api-keys/${doomed.body.keyId}`)).status).toBe(204);
    expect((await refusedHandshake(live.url, doomed.body.apiKey)).status).toBe(401);

    // Two tokens at once: which one would count? Neither.
    const both = await refusedHandshake(live.url, a.apiKey, { headers: { authorization: `Bearer ${b.apiKey}` } });
    expect(both.status).toBe(400);
    expect(await connectionItems(a.workspaceId)).toEqual([]);
    expect(await connectionItems(b.workspaceId)).toEqual([]);
  });

  it('accepts a key by Authorization header too, for its own workspace named or not', async () => {
    const byHeader = await connect(a.apiKey, { protocols: [], headers: { authorization: `Bearer ${a.apiKey}` } });
    expect(byHeader.socket.protocol).toBe('');
    const named = await connect(a.apiKey, { workspaceId: a.workspaceId });
    expect(named.socket.protocol).toBe('gochat.v1');
    const stored = await connectionItems(a.workspaceId);
    expect(stored).toHaveLength(2);
    for (const item of stored) expect(item).toMatchObject({ entity: 'connection', workspaceId: a.workspaceId });
    await byHeader.close();
    await named.close();
    // $disconnect removes both items of each connection.
    for (let i = 0; i < 50 && (await connectionItems(a.workspaceId)).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await connectionItems(a.workspaceId)).toEqual([]);
  });
});

describe('live: each connection sees its own workspace only', () => {
  it('tells A’s client of A’s thread changes, and B’s client nothing, even subscribed to A’s thread', async () => {
    const mine = await connect(a.apiKey);
    const theirs = await connect(b.apiKey);
    const thread = await startThread(`Isolation ${ulid()}`);
    theirs.send({ action: 'subscribe', threadIds: [thread.threadId] });
    await theirs.next((f) => f.type === 'subscribed');
    mine.send({ action: 'subscribe', threadIds: [thread.threadId] });
    await mine.next((f) => f.type === 'subscribed');

    const comment = await asA('POST', `/v1/threads/${thread.threadId}/comments`, { body: { body: 'internal' } });
    expect(comment.status).toBe(201);
    await mine.next((f) => f.type === 'changed' && JSON.stringify(f).includes(comment.body.itemId));
    // An item in B's partition that names A's thread speaks for nothing.
    await api.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).PutCommand({
        TableName: api.tableName,
        Item: {
          PK: `WS#${b.workspaceId}#FORGED`,
          SK: ulid(),
          entity: 'presence',
          workspaceId: a.workspaceId,
          threadId: thread.threadId,
        },
      }),
    );
    const current = (await asA('GET', `/v1/threads/${thread.threadId}`)).body;
    const patched = await asA('PATCH', `/v1/threads/${thread.threadId}`, {
      body: { version: current.version, tags: ['x'] },
    });
    expect(patched.status).toBe(200);
    await mine.next((f) => f.type === 'changed' && f.events.some((e: any) => e.rev === patched.body.version));
    expect(mine.events().some(({ event }) => event.changes.some((c: any) => c.entity === 'presence'))).toBe(false);
    expect(theirs.events()).toEqual([]);
    expect(theirs.frames.map((f) => f.frame.type)).toEqual(['subscribed']);
  });

  it('sends item changes (a draft, a presence expiring) only to the connections that view the thread', async () => {
    const lister = await connect(a.apiKey);
    const viewer = await connect(a.apiKey);
    const thread = await startThread(`Viewers ${ulid()}`);
    viewer.send({ action: 'subscribe', threadIds: [thread.threadId] });
    await viewer.next((f) => f.type === 'subscribed');
    const { PutCommand, DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    // A kind of item this module has never heard of flows as it is: the fan-out is generic.
    const draft = {
      PK: keys.threadPartition(a.workspaceId, thread.threadId),
      SK: 'DRAFT#ana',
      entity: 'draft',
      agentId: 'ana',
    };
    await api.db.send(new PutCommand({ TableName: api.tableName, Item: draft }));
    await viewer.next((f) => f.type === 'changed' && JSON.stringify(f.events).includes('"entity":"draft","id":"ana"'));
    await api.db.send(new DeleteCommand({ TableName: api.tableName, Key: { PK: draft.PK, SK: draft.SK } }));
    await viewer.next((f) => f.type === 'changed' && JSON.stringify(f.events).includes('"removed":true'));
    // The lister saw the thread start (a card), and not the draft.
    expect(lister.events().some(({ event }) => event.threadId === thread.threadId)).toBe(true);
    expect(lister.events().some(({ event }) => event.changes.some((c: any) => c.entity === 'draft'))).toBe(false);
  });

  it('forgets a connection that API Gateway reports gone (410)', async () => {
    await live.connections.saveConnection(
      {
        connectionId: 'ghost0000000000A',
        workspaceId: a.workspaceId,
        actor: { kind: 'integration', keyId: a.keyId },
        connectedAt: new Date().toISOString(),
        threadIds: [],
      },
      Math.floor(Date.now() / 1000) + 3600,
    );
    const watcher = await connect(a.apiKey);
    const thread = await startThread(`Ghost ${ulid()}`);
    await watcher.next((f) => f.type === 'changed' && f.events.some((e: any) => e.threadId === thread.threadId));
    for (let i = 0; i < 50 && (await live.connections.findConnection('ghost0000000000A')); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await live.connections.findConnection('ghost0000000000A')).toBeUndefined();
    expect((await connectionItems(a.workspaceId)).map((i) => i.connectionId)).not.toContain('ghost0000000000A');
  });
});

describe('live: end users (the widget token), scoped to their own threads and messages', () => {
  let tokens: WidgetTokens;
  let keySet: string;
  let other: Awaited<ReturnType<typeof customerWithContact>>;
  let mineThread: string;
  let theirThread: string;

  /** A widget token on the wall clock (the live handler's), as POST /v1/widget/session issues it. */
  const widgetToken = (
    who: { contactId: string; email: string; customerIds: string[] },
    opts: { at?: Date; keySet?: string } = {},
  ) =>
    tokens.issue(
      { workspaceId: a.workspaceId, externalId: who.email, ...who, keySet: opts.keySet ?? keySet },
      opts.at ?? new Date(),
    ).token;
  const ann = () => ({ contactId: A.contactId, email: A.email, customerIds: [A.customerId] });
  const otto = () => ({ contactId: other.contactId, email: other.email, customerIds: [other.customerId] });

  beforeAll(async () => {
    const chat = enableChat(api);
    tokens = chat.tokens;
    const host = await hostKeys('ES256');
    const put = await asA('PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: ['https://shop.example.com'] },
    });
    expect(put.status).toBe(200);
    keySet = keySetFingerprint(await chat.store.getWidgetSettings(a.workspaceId));
    other = await customerWithContact(api, a.apiKey, 'Otto');
    mineThread = (await startThread(`Ann's ${ulid()}`)).threadId;
    const res = await asA('POST', '/v1/threads', {
      body: { customerIds: [other.customerId], to: [other.email], subject: 'Otto', text: 'Hi', status: 'keep' },
    });
    expect(res.status).toBe(201);
    theirThread = res.body.thread.threadId;
  });

  it('refuses an expired, altered, revoked (old host keys) or misplaced widget token, keeping no connection', async () => {
    const before = (await connectionItems(a.workspaceId)).length;
    const good = widgetToken(ann());
    const refusals = {
      expired: widgetToken(ann(), { at: new Date(Date.now() - 20 * 60_000) }),
      altered: `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`,
      'issued under host keys since replaced': widgetToken(ann(), { keySet: 'an-older-key-set-fingerprint' }),
      'an API key given as a widget token': a.apiKey,
    };
    for (const [what, token] of Object.entries(refusals))
      expect((await refusedHandshake(live.url, token, { widget: true })).status, what).toBe(401);
    // A widget token is not a bearer token (an API key or an agent's), and names its own workspace only.
    expect((await refusedHandshake(live.url, good)).status).toBe(401);
    expect((await refusedHandshake(live.url, good, { widget: true, workspaceId: b.workspaceId })).status).toBe(403);
    expect(await connectionItems(a.workspaceId)).toHaveLength(before);
  });

  it('gives an end user only their own threads’ shown messages and the agents’ typing; another end user nothing of them', async () => {
    const annSocket = await connect(widgetToken(ann()), { widget: true });
    const ottoSocket = await connect(widgetToken(otto()), { widget: true });
    const agent = await connect(a.apiKey);
    // The connection lives no longer than its token (15 minutes), not the 3 hours of an agent's.
    const stored = (await connectionItems(a.workspaceId)).find((i) => i.actor?.contactId === A.contactId);
    expect(stored?.expiresAt).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 900);

    // Each asks for both threads, and gets their own only.
    annSocket.send({ action: 'subscribe', threadIds: [mineThread, theirThread] });
    expect((await annSocket.next((f) => f.type === 'subscribed')).frame.threadIds).toEqual([mineThread]);
    ottoSocket.send({ action: 'subscribe', threadIds: [mineThread, theirThread] });
    expect((await ottoSocket.next((f) => f.type === 'subscribed')).frame.threadIds).toEqual([theirThread]);
    agent.send({ action: 'subscribe', threadIds: [mineThread] });
    await agent.next((f) => f.type === 'subscribed');

    const comment = await asA('POST', `/v1/threads/${mineThread}/comments`, { body: { body: 'internal note' } });
    expect(comment.status).toBe(201);
    const elsewhere = await asA('POST', `/v1/threads/${theirThread}/chat`, {
      body: { text: 'For Otto', status: 'keep' },
    });
    expect(elsewhere.status).toBe(201);
    const answer = await asA('POST', `/v1/threads/${mineThread}/chat`, { body: { text: 'For Ann', status: 'keep' } });
    expect(answer.status).toBe(201);
    const itemId = answer.body.itemId;
    expect(typeof itemId).toBe('string');
    await annSocket.next((f) => f.type === 'changed' && JSON.stringify(f).includes(itemId));
    // The agent (a viewer) saw the comment; by then the end users would have too.
    await agent.next((f) => f.type === 'changed' && JSON.stringify(f).includes(comment.body.itemId));

    // Typing both ways: the agent in Ann's thread; Ann in hers; Ann in Otto's is refused.
    agent.send({ action: 'typing', threadId: mineThread });
    expect((await agent.next((f) => f.type === 'typed')).frame.threadId).toBe(mineThread);
    await annSocket.next((f) => f.type === 'changed' && JSON.stringify(f).includes('"entity":"typing","id":"agent"'));
    annSocket.send({ action: 'typing', threadId: mineThread });
    await annSocket.next((f) => f.type === 'typed');
    await agent.next(
      (f) => f.type === 'changed' && JSON.stringify(f).includes(`"entity":"typing","id":"customer:${A.contactId}"`),
    );
    annSocket.send({ action: 'typing', threadId: theirThread });
    expect((await annSocket.next((f) => f.type === 'error')).frame.error.code).toBe('forbidden');

    // Everything Ann got: the answer and the agent's typing of her thread, nothing else, no agent id.
    const annChanges = annSocket
      .events()
      .flatMap(({ event }) => event.changes.map((c: any) => ({ ...c, t: event.threadId })));
    expect(annSocket.events().every(({ event }) => event.threadId === mineThread)).toBe(true);
    expect(
      annChanges.every((c) => (c.entity === 'feed' && c.id === itemId) || (c.entity === 'typing' && c.id === 'agent')),
    ).toBe(true);
    expect(JSON.stringify(annSocket.frames)).not.toContain(comment.body.itemId);
    expect(typeof elsewhere.body.itemId).toBe('string');
    expect(JSON.stringify(annSocket.frames)).not.toContain(elsewhere.body.itemId);
    // Otto got his own thread's answer, and nothing of Ann's thread (not her answer, not the typing).
    await ottoSocket.next((f) => f.type === 'changed' && JSON.stringify(f).includes(elsewhere.body.itemId));
    expect(ottoSocket.events().every(({ event }) => event.threadId === theirThread)).toBe(true);
    expect(JSON.stringify(ottoSocket.frames)).not.toContain(itemId);
    expect(live.errors).toEqual([]);
  });

  it('throttles typing: one signal per typist and thread every 3 s, kept 60 s (TTL)', async () => {
    const signals = new DynamoLiveSignals(api.db, api.tableName);
    const input = { workspaceId: a.workspaceId, threadId: mineThread, typist: `agent:throttle-${ulid()}` };
    const t0 = new Date();
    const at = (ms: number) => new Date(t0.getTime() + ms);
    expect(await signals.signal(input, t0, 3, 60)).toBe(true);
    expect(await signals.signal(input, at(1000), 3, 60)).toBe(false);
    expect(await signals.signal(input, at(2999), 3, 60)).toBe(false);
    expect(await signals.signal(input, at(3001), 3, 60)).toBe(true);
    expect(await signals.signal({ ...input, threadId: theirThread }, at(3002), 3, 60)).toBe(true);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const item = (
      await api.db.send(
        new GetCommand({ TableName: api.tableName, Key: keys.typing(a.workspaceId, mineThread, input.typist) }),
      )
    ).Item;
    expect(item).toMatchObject({ entity: 'typing', id: input.typist, at: t0.getTime() + 3001 });
    expect(item?.expiresAt).toBe(Math.floor((t0.getTime() + 3001) / 1000) + 60);
  });
});

describe('live: fuzz', () => {
  it('answers every junk frame with one error frame, and stays open', async () => {
    const client = await connect(a.apiKey);
    const junk = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ action: fc.string({ maxLength: 20 }) }).map((v) => JSON.stringify(v)),
      fc
        .record({
          action: fc.constant('subscribe'),
          threadIds: fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }),
        })
        .map((v) => JSON.stringify(v)),
      fc.constant('x'.repeat(5000)),
    );
    // Answers only: `changed` frames of earlier tests' threads may still arrive in between.
    const answers = () => client.frames.filter((f) => f.frame.type !== 'changed');
    await fc.assert(
      fc.asyncProperty(junk, async (frame) => {
        const before = answers().length;
        client.send(frame);
        await client.next(() => answers().length > before, 5000);
        const [answer, ...more] = answers().slice(before);
        expect(more).toEqual([]);
        expect(['error', 'subscribed', 'pong']).toContain(answer.frame.type);
        if (answer.frame.type === 'error') expect(answer.frame.error.code).toBe('validation_error');
      }),
      { numRuns: 60 },
    );
    // Binary frames too.
    const before = answers().length;
    client.socket.send(Buffer.from([0xff, 0x00, 0xfe]), { binary: true });
    await client.next(() => answers().length > before, 5000);
    expect(answers().at(-1)?.frame.type).toBe('error');
    client.send({ action: 'ping' });
    await client.next((f) => f.type === 'pong');
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(live.errors).toEqual([]);
  });

  it('refuses random handshakes with a 4xx, never accepts one and never fails with a 5xx', async () => {
    const token = fc.oneof(
      fc.string({ minLength: 1, maxLength: 60 }).filter((s) => /^[\x21-\x7e]+$/.test(s) && !s.includes(',')),
      fc.constant(`gck_${ulid()}_${'00'.repeat(32)}`),
      // The real key with its last digit changed (to another digit: a key may end in 0 already).
      fc.constant(`${a.apiKey.slice(0, -1)}${a.apiKey.endsWith('0') ? '1' : '0'}`),
    );
    const ids = async () => (await connectionItems(b.workspaceId)).map((i) => i.connectionId).sort();
    const before = await ids();
    await fc.assert(
      fc.asyncProperty(token, fc.option(fc.constantFrom(b.workspaceId, 'x'.repeat(65), ulid())), async (t, ws) => {
        // A subprotocol must be an RFC 7230 token (clients refuse others): anything else goes in the header.
        const asProtocol = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(t);
        const refused = await refusedHandshake(live.url, asProtocol ? t : undefined, {
          ...(ws ? { workspaceId: ws } : {}),
          ...(asProtocol ? {} : { protocols: [], headers: { authorization: `Bearer ${t}` } }),
        });
        expect([400, 401, 403]).toContain(refused.status);
        expect(Object.keys(refused.body)).toEqual(['error']);
      }),
      { numRuns: 40 },
    );
    expect(live.errors).toEqual([]);
    expect(await ids()).toEqual(before);
  });
});

describe('GET /v1/threads?updatedSince', () => {
  it('lists the threads updated at or after the time, newest first, in pages', async () => {
    const old = await startThread(`Old ${ulid()}`);
    const t1 = await startThread(`New 1 ${ulid()}`);
    const t2 = await startThread(`New 2 ${ulid()}`);
    const since = t1.updatedAt;
    const first = await asA('GET', '/v1/threads', { query: { updatedSince: since, limit: '1' } });
    expect(first.status).toBe(200);
    expect(first.body.items.map((t: any) => t.threadId)).toEqual([t2.threadId]);
    const second = await asA('GET', '/v1/threads', {
      query: { updatedSince: since, limit: '1', cursor: first.body.nextCursor },
    });
    expect(second.body.items.map((t: any) => t.threadId)).toEqual([t1.threadId]);
    expect(second.body.nextCursor).toBeUndefined();
    // With another filter, and with keywords; a time zone offset is the same instant.
    const offset = new Date(Date.parse(since)).toISOString().replace('Z', '+00:00');
    const open = await asA('GET', '/v1/threads', { query: { updatedSince: offset, status: 'open', limit: '100' } });
    expect(open.body.items.map((t: any) => t.threadId)).not.toContain(old.threadId);
    const all = await asA('GET', '/v1/threads', { query: { limit: '100' } });
    expect(all.body.items.map((t: any) => t.threadId)).toContain(old.threadId);
  });

  it.each(['yesterday', '2026-13-01T00:00:00Z', '2026-11-30T10:00:00', 'x'.repeat(41)])(
    'refuses updatedSince=%s with a 400',
    async (value) => {
      const res = await asA('GET', '/v1/threads', { query: { updatedSince: value } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    },
  );
});
