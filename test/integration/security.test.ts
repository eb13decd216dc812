/**
 * Security, round two (docs/security.md): one case per finding of the review, each failing on the code
 * before its fix. Against DynamoDB Local, through the API handler (every response checked against the
 * OpenAPI document).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoConnectionStore } from '#adapters/dynamo/connection-store.ts';
import { WIDGET_SETTINGS_CACHE_MS } from '#auth/end-user.ts';
import type { LiveConnection } from '#core/live.ts';
import { apiEvent, createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, hostKeys } from '../support/chat.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
let threadId: string;
const ana = `ana-${ulid().toLowerCase()}`;
const bo = `bo-${ulid().toLowerCase()}`;

const as = (key: string, method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(key, method, path, opts);
/** A key with exactly `scopes`, made by the workspace's first key (which holds them all). */
async function keyWith(scopes: string[]) {
  const res = await as(ws.apiKey, 'POST', '/v1/api-keys', { body: { name: scopes.join(' '), scopes } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { apiKey: res.body.apiKey as string, keyId: res.body.keyId as string };
}
const actingAs = (agentId: string) => ({ headers: { 'X-Agent-Id': agentId } });

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Secure', `support-${ulid().toLowerCase()}@secure.example`);
  const c = await customerWithContact(api, ws.apiKey, 'Senders');
  const start = await as(ws.apiKey, 'POST', '/v1/threads', {
    body: { customerIds: [c.customerId], to: [c.email], subject: 'Your documents', text: 'Please send them.' },
  });
  expect(start.status).toBe(201);
  threadId = start.body.thread.threadId;
  const at = new Date().toISOString();
  for (const [agentId, name] of [
    [ana, 'Ana'],
    [bo, 'Bo'],
  ])
    await api.agents.putAgent({
      workspaceId: ws.workspaceId,
      agentId,
      email: `${agentId}@secure.example`,
      name,
      role: 'agent',
      createdAt: at,
    });
});

describe('acting as an agent (findings 5 and 6)', () => {
  it('X-Agent-Id needs agents:act: a threads:read or threads:write key never reaches an agent’s draft', async () => {
    const draft = await as(ws.apiKey, 'POST', `/v1/threads/${threadId}/drafts`, {
      ...actingAs(ana),
      body: { text: 'private thoughts' },
    });
    expect(draft.status).toBe(201);
    const path = `/v1/threads/${threadId}/drafts/${draft.body.draftId}`;
    const reader = await keyWith(['threads:read']);
    const writer = await keyWith(['threads:read', 'threads:write']);
    const read = await as(reader.apiKey, 'GET', path, actingAs(ana));
    expect(read.status).toBe(403);
    expect(JSON.stringify(read.body)).not.toContain('private thoughts');
    expect((await as(writer.apiKey, 'PATCH', path, { ...actingAs(ana), body: { text: 'x' } })).status).toBe(403);
    expect((await as(writer.apiKey, 'POST', `${path}/send`, actingAs(ana))).status).toBe(403);
    expect((await as(writer.apiKey, 'DELETE', path, actingAs(ana))).status).toBe(403);
    expect(
      (
        await as(reader.apiKey, 'PUT', `/v1/threads/${threadId}/presence`, {
          ...actingAs(ana),
          body: { state: 'viewing' },
        })
      ).status,
    ).toBe(403);
    expect((await as(reader.apiKey, 'DELETE', `/v1/threads/${threadId}/read`, actingAs(ana))).status).toBe(403);
    // The scope of its own does it, and the key without X-Agent-Id keeps working as itself.
    const actor = await keyWith(['threads:read', 'agents:act']);
    expect((await as(actor.apiKey, 'GET', path, actingAs(ana))).body.text).toBe('private thoughts');
    expect((await as(reader.apiKey, 'GET', `/v1/threads/${threadId}`)).status).toBe(200);
  });

  it('a caller grants only a role whose scopes it holds: agents:manage alone cannot make an admin', async () => {
    const manager = await keyWith(['agents:manage']);
    const promote = await as(manager.apiKey, 'PATCH', `/v1/agents/${bo}`, { body: { role: 'admin' } });
    expect(promote.status).toBe(403);
    expect((await api.agents.getAgent(ws.workspaceId, bo))?.role).toBe('agent');
    expect((await as(manager.apiKey, 'PATCH', `/v1/agents/${bo}`, { body: { name: 'Bo C.' } })).status).toBe(200);
    // The workspace's first key holds every scope: it may.
    expect((await as(ws.apiKey, 'PATCH', `/v1/agents/${bo}`, { body: { role: 'admin' } })).status).toBe(200);
    // And taking admin away needs admin's scopes too.
    expect((await as(manager.apiKey, 'PATCH', `/v1/agents/${bo}`, { body: { role: 'agent' } })).status).toBe(403);
  });
});

describe('internal idempotency records (finding 4)', () => {
  it('a colleague’s write with the key draft-<draftId> does not make the draft unsendable', async () => {
    const draft = await as(ws.apiKey, 'POST', `/v1/threads/${threadId}/drafts`, {
      ...actingAs(ana),
      body: { text: 'The draft that must go out.' },
    });
    expect(draft.status).toBe(201);
    const squat = await as(ws.apiKey, 'POST', `/v1/threads/${threadId}/messages`, {
      ...actingAs(bo),
      headers: { 'X-Agent-Id': bo, 'Idempotency-Key': `draft-${draft.body.draftId}` },
      body: { text: 'Something else entirely.' },
    });
    expect(squat.status).toBe(201);
    const sent = await as(
      ws.apiKey,
      'POST',
      `/v1/threads/${threadId}/drafts/${draft.body.draftId}/send`,
      actingAs(ana),
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.newText ?? sent.body.text).toContain('The draft that must go out.');
    expect(sent.body.itemId).not.toBe(squat.body.itemId);
  });
});

describe('live connections end with their access (finding 7)', () => {
  it('revoking a key or changing an agent’s role closes their connections, and only theirs', async () => {
    const connections = new DynamoConnectionStore(api.db, api.tableName);
    const closed: string[] = [];
    api.deps.live = { connections, closer: { close: async (id) => void closed.push(id) } };
    const doomedKey = await keyWith(['threads:read']);
    const conn = (id: string, extra: Partial<LiveConnection>): LiveConnection => ({
      connectionId: id,
      workspaceId: ws.workspaceId,
      actor: { kind: 'integration', keyId: ws.keyId },
      connectedAt: new Date().toISOString(),
      threadIds: [],
      ...extra,
    });
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const ids = { key: `k${ulid()}`, agent: `a${ulid()}`, other: `o${ulid()}` };
    await connections.saveConnection(
      conn(ids.key, { actor: { kind: 'integration', keyId: doomedKey.keyId }, keyId: doomedKey.keyId }),
      exp,
    );
    await connections.saveConnection(conn(ids.agent, { actor: { kind: 'agent', id: bo } }), exp);
    await connections.saveConnection(conn(ids.other, {}), exp);

    expect((await as(ws.apiKey, 'DELETE', `/v1/api-keys/${doomedKey.keyId}`)).status).toBe(204);
    expect(closed).toEqual([ids.key]);
    expect((await as(ws.apiKey, 'PATCH', `/v1/agents/${bo}`, { body: { role: 'readonly' } })).status).toBe(200);
    expect(closed).toEqual([ids.key, ids.agent]);
    const left = (await connections.connectionsOf(ws.workspaceId)).map((c) => c.connectionId);
    expect(left).toEqual([ids.other]);
  });
});

/** A session request as API Gateway hands it over, from `sourceIp`. */
async function sessionFrom(t: TestApi, sourceIp: string, workspaceId: string, token: string) {
  const event = apiEvent({ method: 'POST', path: '/v1/widget/session', body: { workspaceId, token } });
  const res = await t.handler({ ...event, requestContext: { identity: { sourceIp } } as typeof event.requestContext });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe('the widget (findings 2, 3 and 8)', () => {
  let w: { workspaceId: string; apiKey: string };
  let host: Awaited<ReturnType<typeof hostKeys>>;
  let customerId: string;
  const signFor = (sub: string) =>
    host.sign(w.workspaceId, { sub, email: `${sub}-${ulid().toLowerCase()}@shop.example`, customerIds: [customerId] });

  /** Room for the cases after the first (the clock moves a second a reading, so minutes pass quickly). */
  const roomy = () => {
    api.deps.chat!.rateLimits = {
      perEndUser: 1000,
      perWorkspace: 1000,
      sessionsPerSourceAddress: 1000,
      uploadsPerEndUserPerDay: 2,
    };
  };

  beforeAll(async () => {
    w = await api.cliWorkspace('Widget', `support-${ulid().toLowerCase()}@widget.example`);
    enableChat(api, { perEndUser: 1000, perWorkspace: 3, sessionsPerSourceAddress: 3, uploadsPerEndUserPerDay: 2 });
    host = await hostKeys('ES256', () => api.clock.at);
    const put = await as(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [] },
    });
    expect(put.status).toBe(200);
    customerId = (await customerWithContact(api, w.apiKey, 'Shop')).customerId;
  });

  it('junk session attempts count against their source address, not the workspace; one message for every refusal', async () => {
    const junk = [];
    for (let i = 0; i < 5; i++) junk.push(await sessionFrom(api, '203.0.113.9', w.workspaceId, `junk.${i}.token`));
    expect(junk.map((r) => r.status)).toEqual([401, 401, 401, 429, 429]);
    const real = await sessionFrom(api, '198.51.100.7', w.workspaceId, await signFor('real'));
    expect(real.status, JSON.stringify(real.body)).toBe(201);
    expect(new Set(junk.slice(0, 3).map((r) => r.body.error.message))).toEqual(new Set(['end-user token refused']));
  });

  it('writes no counter for a workspace that does not exist', async () => {
    roomy();
    const ghost = ulid();
    expect((await sessionFrom(api, '192.0.2.44', ghost, 'junk.token.here')).status).toBe(401);
    const items = await api.db.send(
      new ScanCommand({
        TableName: api.tableName,
        FilterExpression: 'begins_with(PK, :p)',
        ExpressionAttributeValues: { ':p': `WS#${ghost}` },
      }),
    );
    expect(items.Items ?? []).toEqual([]);
  });

  it('a widget token dies within 60 s of the widget being turned off or its host keys changing', async () => {
    const open = async () =>
      (await sessionFrom(api, `192.0.2.${Math.floor(Math.random() * 200)}`, w.workspaceId, await signFor('u3'))).body
        .widgetToken as string;
    const threads = (token: string) =>
      api.call(undefined, 'GET', '/v1/widget/threads', { headers: { 'X-Widget-Token': token } });
    roomy();
    const before = await open();
    expect((await threads(before)).status).toBe(200);
    const other = await hostKeys('ES256', () => api.clock.at);
    await as(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [other.jwk] }, allowedOrigins: [] },
    });
    api.clock.at += 61_000;
    expect((await threads(before)).status).toBe(401);

    await as(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [] },
    });
    api.clock.at += 61_000;
    const again = await open();
    expect((await threads(again)).status).toBe(200);
    await as(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: false, jwks: { keys: [host.jwk] }, allowedOrigins: [] },
    });
    api.clock.at += 61_000;
    expect((await threads(again)).status).toBe(401);
    await as(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [] },
    });
    api.clock.at += 61_000;
    expect(WIDGET_SETTINGS_CACHE_MS).toBeLessThanOrEqual(60_000);
  });

  it('caps upload slots per end user a day, and an attached upload leaves uploads/ (which expires)', async () => {
    roomy();
    // The host's keys, whatever the case before left (the same settings: the same key set).
    await as(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [] },
    });
    const token = (await sessionFrom(api, '192.0.2.250', w.workspaceId, await signFor('uploader'))).body.widgetToken;
    const upload = () =>
      api.call(undefined, 'POST', '/v1/widget/uploads', {
        headers: { 'X-Widget-Token': token },
        body: { filename: 'a.png', contentType: 'image/png', size: 10 },
      });
    const first = await upload();
    expect(first.status).toBe(201);
    expect((await upload()).status).toBe(201);
    const third = await upload();
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('rate_limited');

    await api.mail.putObject(first.body.fields.key, Buffer.alloc(10, 1), 'image/png');
    const posted = await api.call(undefined, 'POST', '/v1/widget/threads', {
      headers: { 'X-Widget-Token': token },
      body: { text: 'a file', clientMessageId: `m-${ulid()}`, attachments: [{ uploadId: first.body.uploadId }] },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const feed = await api.threads.listFeed(w.workspaceId, posted.body.thread.threadId, { limit: 10 });
    const message = feed.items.find((i) => i.type === 'message');
    expect(message?.type === 'message' && message.attachments.map((a) => a.key)).toEqual([
      `attachments/chat/${w.workspaceId}/${first.body.fields.key.split('/')[2]}/${first.body.uploadId}`,
    ]);
  });
});
