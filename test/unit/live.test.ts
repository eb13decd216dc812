import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys, threadOfPartition } from '#adapters/dynamo/keys.ts';
import { createLiveFanoutHandler } from '#adapters/live-fanout-handler.ts';
import { createLiveSocketHandler, handshakeOf } from '#adapters/live-handlers.ts';
import { ApiGatewayConnectionPoster } from '#adapters/live-poster.ts';
import { threadItemChangeOf } from '#adapters/live-stream.ts';
import { UnauthorizedError } from '#core/errors.ts';
import {
  type ConnectionStore,
  eventsOf,
  framesFor,
  LIVE_LIMITS,
  type LiveConnection,
  parseClientFrame,
  type ThreadItemChange,
} from '#core/live.ts';

const conn = (connectionId: string, workspaceId: string, threadIds: string[] = []): LiveConnection => ({
  connectionId,
  workspaceId,
  actor: { kind: 'integration', keyId: 'k1' },
  connectedAt: '2026-11-30T10:00:00.000Z',
  threadIds,
});

const change = (c: Partial<ThreadItemChange> & { entity: string }): ThreadItemChange => ({
  workspaceId: 'W1',
  threadId: 'T1',
  ...c,
});

/** A stream record as Lambda delivers it, for an item written (or removed) in the table. */
function record(item: Record<string, unknown>, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'INSERT'): DynamoDBRecord {
  const image = marshall(item, { removeUndefinedValues: true }) as never;
  return {
    eventName,
    dynamodb: {
      Keys: marshall({ PK: item.PK, SK: item.SK }) as never,
      ...(eventName === 'REMOVE' ? { OldImage: image } : { NewImage: image }),
      SequenceNumber: '1',
    },
  };
}

class MemoryConnections implements ConnectionStore {
  readonly items = new Map<string, LiveConnection>();
  async saveConnection(c: LiveConnection) {
    this.items.set(c.connectionId, { ...c });
  }
  async findConnection(id: string) {
    return this.items.get(id);
  }
  async setSubscriptions(c: LiveConnection, threadIds: string[]) {
    const found = this.items.get(c.connectionId);
    if (!found) return false;
    found.threadIds = threadIds;
    return true;
  }
  async removeConnection(id: string) {
    this.items.delete(id);
  }
  async connectionsOf(ws: string) {
    return [...this.items.values()].filter((c) => c.workspaceId === ws);
  }
}

describe('live fan-out core: which events', () => {
  it('makes one event per thread, with the newest rev and updatedAt, listing each changed item once', () => {
    const events = eventsOf([
      change({ entity: 'thread', rev: 3, updatedAt: '2026-11-30T10:00:03.000Z' }),
      change({ entity: 'feed', id: 'I1' }),
      change({ entity: 'listEntry' }),
      change({ entity: 'thread', rev: 4, updatedAt: '2026-11-30T10:00:04.000Z' }),
      change({ entity: 'feed', id: 'I1' }),
      change({ entity: 'draft', id: 'ana' }),
      change({ entity: 'draft', id: 'ana', removed: true }),
      change({ workspaceId: 'W2', threadId: 'T9', entity: 'presence', id: 'bo' }),
    ]);
    expect([...events.keys()]).toEqual(['W1', 'W2']);
    expect(events.get('W1')).toEqual([
      {
        threadId: 'T1',
        rev: 4,
        updatedAt: '2026-11-30T10:00:04.000Z',
        changes: [{ entity: 'thread' }, { entity: 'feed', id: 'I1' }, { entity: 'draft', id: 'ana', removed: true }],
      },
    ]);
    expect(events.get('W2')).toEqual([{ threadId: 'T9', changes: [{ entity: 'presence', id: 'bo' }] }]);
  });

  it('says nothing of the items that only copy or index a thread', () => {
    const silent = ['listEntry', 'keyword', 'messageId', 'threadRef', 'idempotency', 'connection', 'connectionRef'];
    expect(eventsOf(silent.map((entity) => change({ entity })))).toEqual(new Map());
  });

  it('names each entity once, without ids, past the budget of changes per event', () => {
    const many = Array.from({ length: LIVE_LIMITS.maxChangesPerEvent + 1 }, (_, i) =>
      change({ entity: i % 2 ? 'feed' : 'attachment', id: `I${i}` }),
    );
    expect(eventsOf(many).get('W1')?.[0].changes).toEqual([{ entity: 'attachment' }, { entity: 'feed' }]);
  });
});

describe('live fan-out core: for which connections', () => {
  const cardChange = { threadId: 'T1', rev: 2, changes: [{ entity: 'thread' }] };
  const draftOnly = { threadId: 'T2', changes: [{ entity: 'draft', id: 'ana' }] };

  it('sends thread (card) changes to every connection, and the rest only to the thread’s viewers', () => {
    const frames = framesFor([cardChange, draftOnly], [conn('a', 'W1'), conn('b', 'W1', ['T2'])]);
    expect(frames).toEqual([
      { connectionId: 'a', frames: [{ type: 'changed', events: [cardChange] }] },
      { connectionId: 'b', frames: [{ type: 'changed', events: [cardChange, draftOnly] }] },
    ]);
  });

  it('gives a non-viewer only the card of an event whose batch also touched the thread’s items', () => {
    const both = { threadId: 'T3', rev: 4, changes: [{ entity: 'thread' }, { entity: 'draft', id: 'ana' }] };
    const frames = framesFor([both], [conn('a', 'W1'), conn('b', 'W1', ['T3'])]);
    expect(frames).toEqual([
      {
        connectionId: 'a',
        frames: [{ type: 'changed', events: [{ threadId: 'T3', rev: 4, changes: [{ entity: 'thread' }] }] }],
      },
      { connectionId: 'b', frames: [{ type: 'changed', events: [both] }] },
    ]);
  });

  const eventOf = (i: number, changes: Array<{ entity: string; id?: string }>) => ({
    threadId: `01JDX0Q6C1V6S4B5Z2R9K8M${String(i).padStart(3, '0')}`,
    rev: 99_999,
    updatedAt: '2026-11-30T10:41:07.512Z',
    changes: [{ entity: 'thread' }, ...changes],
  });
  // A connection that views every thread of the batch receives each event whole.
  const viewerOfAll = (events: Array<{ threadId: string }>) =>
    conn(
      'a',
      'W1',
      events.map((e) => e.threadId),
    );

  it('splits a big batch into frames of at most maxEventsPerFrame events', () => {
    const events = Array.from({ length: 120 }, (_, i) => eventOf(i, [{ entity: 'feed', id: `I${i}` }]));
    const [{ frames }] = framesFor(events, [viewerOfAll(events)]);
    expect(frames.map((f) => (f.type === 'changed' ? f.events.length : 0))).toEqual([50, 50, 20]);
    expect(frames.flatMap((f) => (f.type === 'changed' ? f.events : []))).toEqual(events);
  });

  it('keeps every frame within API Gateway’s 32 KB frame, even with the longest ids', () => {
    const longest = Array.from({ length: LIVE_LIMITS.maxChangesPerEvent - 1 }, (_, j) => ({
      entity: 'attachment',
      id: `${'x'.repeat(125)}${String(j).padStart(3, '0')}`,
    }));
    const events = Array.from({ length: 120 }, (_, i) => eventOf(i, longest));
    const [{ frames }] = framesFor(events, [viewerOfAll(events)]);
    expect(frames.length).toBeGreaterThan(3);
    for (const f of frames) expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThanOrEqual(LIVE_LIMITS.maxFrameBytes);
    expect(frames.flatMap((f) => (f.type === 'changed' ? f.events : []))).toEqual(events);
  });
});

describe('client frames', () => {
  it('accepts subscribe and ping', () => {
    expect(parseClientFrame('{"action":"ping"}')).toEqual({ action: 'ping' });
    expect(parseClientFrame('{"action":"subscribe","threadIds":["01J","x_y-z"]}')).toEqual({
      action: 'subscribe',
      threadIds: ['01J', 'x_y-z'],
    });
  });

  it.each([
    ['not JSON', 'hello'],
    ['an array', '[]'],
    ['null', 'null'],
    ['an unknown action', '{"action":"publish"}'],
    ['an extra field', '{"action":"ping","x":1}'],
    ['a key-breaking thread id', '{"action":"subscribe","threadIds":["WS#other#TH#1"]}'],
    [
      'too many threads',
      JSON.stringify({ action: 'subscribe', threadIds: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
    ],
    ['too big a frame', JSON.stringify({ action: 'ping', pad: 'x'.repeat(5000) })],
  ])('refuses %s with a ValidationError', (_what, raw) => {
    expect(() => parseClientFrame(raw)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});

describe('stream records → thread item changes', () => {
  it('reads the thread META item: its rev and updatedAt', () => {
    const item = {
      ...keys.thread('W1', 'T1'),
      entity: 'thread',
      workspaceId: 'W1',
      threadId: 'T1',
      rev: 7,
      updatedAt: '2026-11-30T10:00:00.000Z',
      subject: 'secret subject',
    };
    expect(threadItemChangeOf(record(item, 'MODIFY'))).toEqual({
      workspaceId: 'W1',
      threadId: 'T1',
      entity: 'thread',
      rev: 7,
      updatedAt: '2026-11-30T10:00:00.000Z',
    });
  });

  it('is generic over item types: any item of the thread partition, with its own id; removals flagged', () => {
    const feed = { ...keys.feedItem('W1', 'T1', '2026-11-30T10:00:00.000Z', 'I1'), entity: 'feed', itemId: 'I1' };
    expect(threadItemChangeOf(record(feed))).toEqual({ workspaceId: 'W1', threadId: 'T1', entity: 'feed', id: 'I1' });
    const draft = { PK: 'WS#W1#TH#T1', SK: 'DRAFT#ana', entity: 'draft', agentId: 'ana' };
    expect(threadItemChangeOf(record(draft, 'REMOVE'))).toEqual({
      workspaceId: 'W1',
      threadId: 'T1',
      entity: 'draft',
      id: 'ana',
      removed: true,
    });
  });

  it('takes an item kept outside the thread partition only for a thread of its own workspace', () => {
    const presence = { PK: 'WS#W1#PRESENCE', SK: 'T1#ana', entity: 'presence', workspaceId: 'W1', threadId: 'T1' };
    expect(threadItemChangeOf(record(presence))).toMatchObject({
      workspaceId: 'W1',
      threadId: 'T1',
      entity: 'presence',
    });
    const forged = { ...presence, workspaceId: 'W2' };
    expect(threadItemChangeOf(record(forged))).toBeNull();
  });

  it('ignores items that belong to no thread', () => {
    expect(threadItemChangeOf(record({ ...keys.settings('W1'), entity: 'settings' }))).toBeNull();
    expect(
      threadItemChangeOf(record({ ...keys.connection('W1', 'c1'), entity: 'connection', workspaceId: 'W1' })),
    ).toBeNull();
    expect(threadItemChangeOf(record({ PK: 'WS#W1#TH#T1', SK: 'X' }))).toBeNull(); // no entity
  });

  it('leaves out an id that is not an id', () => {
    const item = { PK: 'WS#W1#TH#T1', SK: 'DRAFT#x', entity: 'draft', draftId: 'a'.repeat(500) };
    expect(threadItemChangeOf(record(item))).toEqual({ workspaceId: 'W1', threadId: 'T1', entity: 'draft' });
  });

  it('parses only thread partitions', () => {
    expect(threadOfPartition(keys.threadPartition('W1', 'T1'))).toEqual({ workspaceId: 'W1', threadId: 'T1' });
    expect(threadOfPartition(keys.connectionPartition('W1'))).toBeNull();
    expect(threadOfPartition('WS#W1#TH#T1#X')).toBeNull();
  });
});

describe('the WebSocket handshake', () => {
  it('takes the token from the gochat.bearer subprotocol and answers gochat.v1', () => {
    expect(handshakeOf({ 'Sec-WebSocket-Protocol': 'gochat.v1, gochat.bearer.gck_a_b' }, null)).toEqual({
      token: 'gck_a_b',
      protocol: 'gochat.v1',
    });
  });

  it('takes the token from Authorization, and the workspace from the query', () => {
    expect(handshakeOf({ Authorization: 'Bearer tok' }, { workspaceId: 'W1' })).toEqual({
      token: 'tok',
      workspaceId: 'W1',
    });
  });

  it.each([
    ['no token', {}, null, 'UnauthorizedError'],
    ['a malformed Authorization', { authorization: 'Basic x' }, null, 'UnauthorizedError'],
    [
      'an empty bearer subprotocol',
      { 'sec-websocket-protocol': 'gochat.v1, gochat.bearer.' },
      null,
      'UnauthorizedError',
    ],
    [
      'two tokens',
      { authorization: 'Bearer a', 'sec-websocket-protocol': 'gochat.v1, gochat.bearer.b' },
      null,
      'ValidationError',
    ],
    [
      'no gochat.v1 among the subprotocols',
      { 'sec-websocket-protocol': 'chat, gochat.bearer.b' },
      null,
      'ValidationError',
    ],
    ['a workspace id that is not an id', { authorization: 'Bearer a' }, { workspaceId: 'WS#x' }, 'ValidationError'],
  ])('refuses %s', (_what, headers, query, name) => {
    expect(() => handshakeOf(headers, query)).toThrow(expect.objectContaining({ name }));
  });
});

describe('the live WebSocket handler', () => {
  const connections = new MemoryConnections();
  const handler = createLiveSocketHandler({
    connections,
    clock: { now: () => new Date('2026-11-30T10:00:00.000Z') },
    authenticate: async (token) => {
      if (token !== 'good') throw new UnauthorizedError('unknown or revoked API key');
      return { workspaceId: 'W1', actor: { kind: 'integration', keyId: 'k1' } };
    },
  });
  const ev = (routeKey: string, extra: Record<string, unknown> = {}) => ({
    requestContext: { routeKey, connectionId: 'c1' },
    ...extra,
  });

  it('connects, answers frames, and disconnects', async () => {
    const connected = await handler(
      ev('$connect', { headers: { 'Sec-WebSocket-Protocol': 'gochat.v1, gochat.bearer.good' } }),
    );
    expect(connected).toEqual({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'gochat.v1' } });
    expect(connections.items.get('c1')).toMatchObject({ workspaceId: 'W1', threadIds: [] });
    const subscribed = await handler(ev('$default', { body: '{"action":"subscribe","threadIds":["T1","T1"]}' }));
    expect(JSON.parse(subscribed.body!)).toEqual({ type: 'subscribed', threadIds: ['T1'] });
    expect(connections.items.get('c1')?.threadIds).toEqual(['T1']);
    const junk = await handler(ev('$default', { body: 'junk' }));
    expect(junk.statusCode).toBe(200);
    expect(JSON.parse(junk.body!)).toMatchObject({ type: 'error', error: { code: 'validation_error' } });
    expect((await handler(ev('$disconnect'))).statusCode).toBe(200);
    expect(connections.items.has('c1')).toBe(false);
  });

  it('refuses a bad token with 401, another workspace with 403, and keeps nothing', async () => {
    const bad = await handler(ev('$connect', { headers: { authorization: 'Bearer bad' } }));
    expect(bad.statusCode).toBe(401);
    expect(JSON.parse(bad.body!).error.code).toBe('unauthorized');
    const foreign = await handler(
      ev('$connect', { headers: { authorization: 'Bearer good' }, queryStringParameters: { workspaceId: 'W2' } }),
    );
    expect(foreign.statusCode).toBe(403);
    expect(connections.items.size).toBe(0);
  });
});

describe('the fan-out handler, with PostToConnection mocked', () => {
  const management = mockClient(ApiGatewayManagementApiClient);
  beforeEach(() => management.reset());

  it('posts one frame per connection, removes the gone ones, and logs (not retries) other failures', async () => {
    const connections = new MemoryConnections();
    await connections.saveConnection(conn('alive', 'W1'));
    await connections.saveConnection(conn('gone', 'W1'));
    await connections.saveConnection(conn('broken', 'W1'));
    await connections.saveConnection(conn('elsewhere', 'W2'));
    management
      .on(PostToConnectionCommand, { ConnectionId: 'gone' })
      .rejects(new GoneException({ message: 'Gone', $metadata: { httpStatusCode: 410 } }))
      .on(PostToConnectionCommand, { ConnectionId: 'broken' })
      .rejects(new ForbiddenException({ message: 'Forbidden', $metadata: { httpStatusCode: 403 } }))
      .on(PostToConnectionCommand, { ConnectionId: 'alive' })
      .resolves({});
    const warnings: unknown[] = [];
    const handler = createLiveFanoutHandler(
      {
        connections,
        poster: new ApiGatewayConnectionPoster(new ApiGatewayManagementApiClient({ region: 'eu-west-1' })),
      },
      { info() {}, warn: (_m, e) => warnings.push(e), error() {} },
    );
    const thread = {
      ...keys.thread('W1', 'T1'),
      entity: 'thread',
      workspaceId: 'W1',
      threadId: 'T1',
      rev: 2,
      updatedAt: 'u',
    };
    const out = await handler({ Records: [record(thread, 'MODIFY')] });
    expect(out).toEqual({ batchItemFailures: [] });
    const calls = management.commandCalls(PostToConnectionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.ConnectionId).sort()).toEqual(['alive', 'broken', 'gone']);
    expect(JSON.parse(Buffer.from(calls[0].Data as Uint8Array).toString())).toEqual({
      type: 'changed',
      events: [{ threadId: 'T1', rev: 2, updatedAt: 'u', changes: [{ entity: 'thread' }] }],
    });
    expect([...connections.items.keys()].sort()).toEqual(['alive', 'broken', 'elsewhere']);
    expect(warnings).toEqual([{ connectionId: 'broken', error: 'Forbidden' }]);
  });

  it('reads no connection when the batch has nothing for a client', async () => {
    let reads = 0;
    const connections = new MemoryConnections();
    connections.connectionsOf = async () => {
      reads++;
      return [];
    };
    const handler = createLiveFanoutHandler({
      connections,
      poster: new ApiGatewayConnectionPoster(new ApiGatewayManagementApiClient({ region: 'eu-west-1' })),
    });
    await handler({ Records: [record({ ...keys.listEntry('W1', 'T1', 'all', 'u'), entity: 'listEntry' })] });
    expect(reads).toBe(0);
    expect(management.commandCalls(PostToConnectionCommand)).toHaveLength(0);
  });
});

describe('updatedSince on keyword search (filtered in memory)', () => {
  it('keeps the threads updated at or after the time', async () => {
    const { matchesFilter } = await import('#adapters/dynamo/thread-queries.ts');
    const entry = (updatedAt: string) =>
      ({ updatedAt, status: 'open', tags: [], customerIds: [], hasAttachments: false }) as never;
    const since = '2026-11-30T10:00:00.000Z';
    expect(matchesFilter(entry('2026-11-30T09:59:59.999Z'), { updatedSince: since })).toBe(false);
    expect(matchesFilter(entry(since), { updatedSince: since })).toBe(true);
    expect(matchesFilter(entry('2026-11-30T10:00:00.001Z'), { updatedSince: since })).toBe(true);
  });
});

describe('end users on the live socket (the widget)', () => {
  const endUser = (threadIds: string[]): LiveConnection => ({
    connectionId: 'eu1',
    workspaceId: 'W1',
    actor: { kind: 'customer', contactId: 'C1' },
    connectedAt: '2026-11-30T10:00:00.000Z',
    threadIds,
    endUser: { customerIds: ['CU1'] },
    mayType: true,
  });

  it('marks a feed item public only when the widget shows it: a message, not hidden, not an email copy', () => {
    const item = (extra: Record<string, unknown>) =>
      threadItemChangeOf(
        record({
          ...keys.feedItem('W1', 'T1', '2026-11-30T10:00:00.000Z', 'I1'),
          entity: 'feed',
          itemId: 'I1',
          ...extra,
        }),
      );
    expect(item({ type: 'message', flags: {} })?.public).toBe(true);
    expect(item({ type: 'message', flags: { spam: false } })?.public).toBe(true);
    for (const hidden of [
      { type: 'comment' },
      { type: 'update' },
      { type: 'message', flags: { spam: true } },
      { type: 'message', flags: { quarantined: true } },
      { type: 'message', flags: { unverifiedSender: true } },
      { type: 'message', flags: {}, fallbackOf: 'I0' },
    ])
      expect(item(hidden)?.public, JSON.stringify(hidden)).toBeUndefined();
  });

  it('gives an end user only the shown messages and the agents’ typing of the threads it views, never an agent id', () => {
    const events = [
      ...(eventsOf([
        change({ entity: 'thread', rev: 3, updatedAt: '2026-11-30T10:00:01.000Z' }),
        change({ entity: 'feed', id: 'M1', public: true }),
        change({ entity: 'feed', id: 'N1' }),
        change({ entity: 'draft', id: 'ana' }),
        change({ entity: 'presence', id: 'ana' }),
        change({ entity: 'notification', id: 'ana' }),
        change({ entity: 'typing', id: 'agent:ana' }),
        change({ entity: 'typing', id: 'customer:C1' }),
        change({ threadId: 'T2', entity: 'feed', id: 'M2', public: true }),
      ]).get('W1') ?? []),
    ];
    const frames = framesFor(events, [endUser(['T1'])]);
    expect(frames).toEqual([
      {
        connectionId: 'eu1',
        frames: [
          {
            type: 'changed',
            events: [
              {
                threadId: 'T1',
                changes: [
                  { entity: 'feed', id: 'M1' },
                  { entity: 'typing', id: 'agent' },
                ],
              },
            ],
          },
        ],
      },
    ]);
    // Viewing no thread: nothing at all, not even the card. An agent's frames never carry `public`.
    expect(framesFor(events, [endUser([])])).toEqual([]);
    expect(JSON.stringify(framesFor(events, [conn('a1', 'W1', ['T1'])]))).not.toContain('public');
  });

  it('drops a typing signal’s expiry (its TTL removal) for everyone', () => {
    expect(eventsOf([change({ entity: 'typing', id: 'agent:ana', removed: true })]).size).toBe(0);
  });

  it('takes a widget token from the gochat.widget subprotocol, apart from bearer tokens', () => {
    expect(handshakeOf({ 'sec-websocket-protocol': 'gochat.v1, gochat.widget.p.s' }, null)).toEqual({
      token: 'p.s',
      protocol: 'gochat.v1',
      widget: true,
    });
    expect(() =>
      handshakeOf({ 'sec-websocket-protocol': 'gochat.v1, gochat.widget.p.s, gochat.bearer.gck_a' }, null),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });

  it('keeps only the end user’s own threads at subscribe, and lets them type only there; a read-only key may not type', async () => {
    const connections = new MemoryConnections();
    const signals: Array<{ threadId: string; typist: string }> = [];
    const handler = createLiveSocketHandler({
      connections,
      clock: { now: () => new Date('2026-11-30T10:00:00.000Z') },
      authenticate: async () => ({ workspaceId: 'W1', actor: { kind: 'integration', keyId: 'k1' } }),
      authenticateEndUser: async (token) => {
        if (token !== 'widget-ok') throw new UnauthorizedError('invalid widget token');
        return {
          workspaceId: 'W1',
          actor: { kind: 'customer', contactId: 'C1' },
          endUser: { customerIds: ['CU1'] },
          mayType: true,
          expiresAt: new Date('2026-11-30T10:15:00.000Z'),
        };
      },
      threadAccess: {
        threadsOfCustomers: async (_w, ids, customers) => ids.filter((id) => id === 'T1' && customers.includes('CU1')),
      },
      typing: {
        signal: async (input) => {
          signals.push({ threadId: input.threadId, typist: input.typist });
          return true;
        },
      },
    });
    const ev = (connectionId: string, routeKey: string, extra: Record<string, unknown> = {}) => ({
      requestContext: { routeKey, connectionId },
      ...extra,
    });
    const widget = (t: string) => ({ headers: { 'sec-websocket-protocol': `gochat.v1, gochat.widget.${t}` } });
    expect((await handler(ev('bad', '$connect', widget('widget-bad')))).statusCode).toBe(401);
    expect((await handler(ev('eu', '$connect', widget('widget-ok')))).statusCode).toBe(200);
    expect(connections.items.get('eu')).toMatchObject({ endUser: { customerIds: ['CU1'] }, mayType: true });
    const sub = await handler(ev('eu', '$default', { body: '{"action":"subscribe","threadIds":["T1","T2"]}' }));
    expect(JSON.parse(sub.body!)).toEqual({ type: 'subscribed', threadIds: ['T1'] });
    const ok = await handler(ev('eu', '$default', { body: '{"action":"typing","threadId":"T1"}' }));
    expect(JSON.parse(ok.body!)).toEqual({ type: 'typed', threadId: 'T1' });
    const not = await handler(ev('eu', '$default', { body: '{"action":"typing","threadId":"T2"}' }));
    expect(JSON.parse(not.body!)).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    // A key without threads:write (no mayType) may listen, not type.
    expect((await handler(ev('key', '$connect', { headers: { authorization: 'Bearer k' } }))).statusCode).toBe(200);
    const keyTyping = await handler(ev('key', '$default', { body: '{"action":"typing","threadId":"T1"}' }));
    expect(JSON.parse(keyTyping.body!)).toMatchObject({ type: 'error', error: { code: 'forbidden' } });
    expect(signals).toEqual([{ threadId: 'T1', typist: 'customer:C1' }]);
  });
});
