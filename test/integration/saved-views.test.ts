/**
 * Saved searches (issue 21) over the API on DynamoDB Local: saved under a name per agent, listed after the
 * built-in views with a live count where the filter is one list partition (and `countable: false`
 * where it is not), renamed, shared, deleted; the per-agent limit; bad input is a 400. And the Mentions
 * list: GET /v1/notifications?event=mentioned.
 */
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { SAVED_VIEWS_PER_AGENT } from '#adapters/dynamo/saved-view-store.ts';
import { callAs, createTestApi, type TestApi } from '../support/api.ts';
import { putAgents } from '../support/threads.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
const ANA = 'ana-sub';
const REA = 'rea-sub';
const call = (agent: string | undefined, method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  callAs(api, ws.apiKey, agent, method, path, opts);

type ViewOut = { id: string; kind: string; name: string; countable: boolean; count?: number; mine?: boolean };
const views = async (agent: string): Promise<ViewOut[]> => {
  const res = await call(agent, 'GET', '/v1/views');
  expect(res.status).toBe(200);
  return res.body.items;
};

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Acme', `support-${ulid().toLowerCase()}@acme.example`);
  await putAgents(api.agents, ws.workspaceId, [
    [ANA, 'Ana'],
    [REA, 'Rea'],
  ]);
}, 60_000);

async function taggedThread(tag: string) {
  const customerId = (await call(undefined, 'POST', '/v1/customers', { body: { name: 'Zoé' } })).body.customerId;
  const email = `c-${ulid().toLowerCase()}@customer.example`;
  const contactId = (await call(undefined, 'POST', '/v1/contacts', { body: { email } })).body.contactId;
  await call(undefined, 'PUT', `/v1/customers/${customerId}/contacts/${contactId}`);
  const started = await call(undefined, 'POST', '/v1/threads', {
    body: { customerIds: [customerId], to: [email], subject: 'Contrat', text: 'Bonjour' },
  });
  expect(started.status).toBe(201);
  const t = started.body.thread;
  const res = await call(ANA, 'PATCH', `/v1/threads/${t.threadId}`, { body: { version: t.version, tags: [tag] } });
  expect(res.status).toBe(200);
  return res.body;
}

describe('saved searches', () => {
  it('are listed after the built-in views, counted where one list partition holds them, and not counted otherwise', async () => {
    const tag = `kyc${ulid().slice(-6).toLowerCase()}`;
    await taggedThread(tag);
    await taggedThread(tag);
    const tagged = await call(ANA, 'POST', '/v1/views', { body: { name: 'KYC', filter: { tag } } });
    expect(tagged.status).toBe(201);
    expect(tagged.body).toMatchObject({ kind: 'saved', name: 'KYC', filter: { tag }, shared: false, mine: true });
    const words = await call(ANA, 'POST', '/v1/views', { body: { name: 'Contracts', filter: { q: 'contrat' } } });
    expect(words.body.countable).toBe(false);
    const list = await views(ANA);
    // Mine, Unassigned, All, Late and Mentions, then Ana's two searches.
    expect(list.map((v) => v.kind)).toEqual(['builtin', 'builtin', 'builtin', 'builtin', 'builtin', 'saved', 'saved']);
    const kyc = list.find((v) => v.id === tagged.body.id)!;
    expect(kyc).toMatchObject({ countable: true, count: 2, countMore: false });
    const contracts = list.find((v) => v.id === words.body.id)!;
    expect(contracts.countable).toBe(false);
    expect(contracts).not.toHaveProperty('count');
    // The count is live: a third thread with the tag is counted at the next read.
    await taggedThread(tag);
    expect((await views(ANA)).find((v) => v.id === tagged.body.id)?.count).toBe(3);
    // Rea sees none of Ana's own searches.
    expect((await views(REA)).filter((v) => v.kind === 'saved')).toEqual([]);
  });

  it('are renamed and shared by their owner only; the others see a shared one but cannot change or delete it', async () => {
    const made = await call(ANA, 'POST', '/v1/views', { body: { name: 'Open', filter: { status: 'open' } } });
    const id = made.body.id;
    const renamed = await call(ANA, 'PATCH', `/v1/views/${id}`, { body: { name: 'Open threads', shared: true } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id, name: 'Open threads', shared: true });
    const seen = (await views(REA)).find((v) => v.id === id);
    expect(seen).toMatchObject({ name: 'Open threads', mine: false, countable: true });
    expect((await call(REA, 'PATCH', `/v1/views/${id}`, { body: { name: 'mine now' } })).status).toBe(404);
    expect((await call(REA, 'DELETE', `/v1/views/${id}`)).status).toBe(204);
    expect((await views(REA)).find((v) => v.id === id)?.name).toBe('Open threads');
    // Unshared, it leaves Rea's side bar.
    await call(ANA, 'PATCH', `/v1/views/${id}`, { body: { shared: false } });
    expect((await views(REA)).find((v) => v.id === id)).toBeUndefined();
    // Deleted by Ana, twice: the second is a no-op.
    expect((await call(ANA, 'DELETE', `/v1/views/${id}`)).status).toBe(204);
    expect((await call(ANA, 'DELETE', `/v1/views/${id}`)).status).toBe(204);
    expect((await views(ANA)).find((v) => v.id === id)).toBeUndefined();
    expect((await call(ANA, 'PATCH', `/v1/views/${id}`, { body: { name: 'x' } })).status).toBe(404);
  });

  it(`keep at most ${SAVED_VIEWS_PER_AGENT} per agent; a retried POST with its Idempotency-Key creates one`, async () => {
    const agent = 'max-sub';
    const headers = { 'Idempotency-Key': `k${ulid()}` };
    const first = await call(agent, 'POST', '/v1/views', { headers, body: { name: 'v0', filter: { tag: 'x' } } });
    const again = await call(agent, 'POST', '/v1/views', { headers, body: { name: 'v0', filter: { tag: 'x' } } });
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    for (let i = 1; i < SAVED_VIEWS_PER_AGENT; i++) {
      const res = await call(agent, 'POST', '/v1/views', { body: { name: `v${i}`, filter: { tag: 'x' } } });
      expect(res.status).toBe(201);
    }
    const over = await call(agent, 'POST', '/v1/views', { body: { name: 'one too many', filter: { tag: 'x' } } });
    expect(over.status).toBe(409);
    expect((await views(agent)).filter((v) => v.kind === 'saved')).toHaveLength(SAVED_VIEWS_PER_AGENT);
    // Deleting one makes room for one.
    expect((await call(agent, 'DELETE', `/v1/views/${first.body.id}`)).status).toBe(204);
    expect((await call(agent, 'POST', '/v1/views', { body: { name: 'room', filter: { tag: 'x' } } })).status).toBe(201);
    expect((await call(agent, 'POST', '/v1/views', { body: { name: 'no room', filter: { tag: 'x' } } })).status).toBe(
      409,
    );
  });

  it('refuses bad input with a 400', async () => {
    const bad = [
      { name: 'x', filter: {} },
      { name: 'x', filter: { mailbox: 'a' } },
      { name: 'x', filter: { status: 'sleeping' } },
      { name: 'x', filter: { limit: '5' } },
      { name: 'x', filter: { tag: 'a&b' } },
      { name: 'x'.repeat(81), filter: { tag: 'a' } },
      { name: '   ', filter: { tag: 'a' } },
      { name: 'x', filter: { q: 'é'.repeat(501) } },
      { name: 'x', filter: { tag: 'a' }, extra: true },
    ];
    for (const body of bad)
      expect((await call(ANA, 'POST', '/v1/views', { body })).status, JSON.stringify(body)).toBe(400);
    // A saved search belongs to an agent: an API key alone has none.
    expect((await call(undefined, 'POST', '/v1/views', { body: { name: 'x', filter: { tag: 'a' } } })).status).toBe(
      400,
    );
    expect((await call(ANA, 'PATCH', `/v1/views/${ulid()}`, { body: {} })).status).toBe(400);
  });
});

describe('the Mentions list', () => {
  it('lists only the mentions, unread or all, newest first', async () => {
    const store = new DynamoNotificationStore(api.db, api.tableName);
    const notice = (n: number, event: 'mentioned' | 'assigned', read: boolean) => ({
      workspaceId: ws.workspaceId,
      agentId: REA,
      notificationId: `2026120600000000${n}-${'0'.repeat(15)}${n}`,
      threadId: `T${n}`,
      event,
      at: `2026-12-06T00:00:0${n}.000Z`,
      sourceId: `s${n}`,
      actor: { kind: 'agent' as const, id: ANA, name: 'Ana' },
      subject: `Subject ${n}`,
      channels: ['app' as const, 'email' as const],
      ...(read ? { readAt: '2026-12-06T01:00:00.000Z' } : {}),
    });
    for (const n of [notice(1, 'mentioned', true), notice(2, 'assigned', false), notice(3, 'mentioned', false)])
      await store.putNotification(n);
    const all = await call(REA, 'GET', '/v1/notifications', { query: { event: 'mentioned' } });
    expect(all.status).toBe(200);
    expect(all.body.items.map((n: { threadId: string; read: boolean }) => [n.threadId, n.read])).toEqual([
      ['T3', false],
      ['T1', true],
    ]);
    const unread = await call(REA, 'GET', '/v1/notifications', { query: { event: 'mentioned', unread: 'true' } });
    expect(unread.body.items.map((n: { threadId: string }) => n.threadId)).toEqual(['T3']);
    expect((await call(REA, 'GET', '/v1/notifications', { query: { event: 'sleeping' } })).status).toBe(400);
  });
});
