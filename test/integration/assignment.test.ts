/**
 * Assignment on arrival on one machine: the API on DynamoDB Local, the table's stream polled into the real
 * dispatch handler (timers, notifications, then assignment), and repeated deliveries of the same insertions
 * racing it, as AWS may deliver them.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAssignmentOnArrival } from '#adapters/assignment-stream.ts';
import { DynamoAssignmentStore } from '#adapters/dynamo/assignment-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { createWorkflowStepHandler } from '#adapters/lifecycle-handlers.ts';
import { ulidGenerator } from '#adapters/system.ts';
import { type AssignmentDeps, assignOnArrival } from '#core/assignment.ts';
import type { FeedItem } from '#core/model.ts';
import { type LocalLifecycle, startLocalLifecycle } from '#lib/local/lifecycle-runtime.ts';
import { callAs, createTestApi, type TestApi } from '../support/api.ts';
import { dispatchWithNotifications, errorsInto } from '../support/stream.ts';
import { customerThread as newCustomerThread, putAgents } from '../support/threads.ts';

let api: TestApi;
let life: LocalLifecycle;
let ws: { workspaceId: string; apiKey: string; keyId: string };
let assignDeps: AssignmentDeps;
let notifications: DynamoNotificationStore;
const streamErrors: unknown[] = [];
const [ANA, BO, CY, DEE] = ['ana-sub', 'bo-sub', 'cy-sub', 'dee-sub'];

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Acme', `support-${ulid().toLowerCase()}@acme.example`);
  notifications = new DynamoNotificationStore(api.db, api.tableName);
  assignDeps = {
    assignments: new DynamoAssignmentStore(api.db, api.tableName),
    threads: api.threads,
    listAgents: (w) => api.agents.listAgents(w),
    assignsOnArrival: async (w) => (await api.admin.getSettings(w)).assignOnArrival === true,
    clock: { now: () => new Date() },
    ids: ulidGenerator,
  };
  life = await startLocalLifecycle({
    ddbEndpoint: api.endpoint,
    tableName: api.tableName,
    timeScale: 60,
    workflowStep: createWorkflowStepHandler(async () => ({}) as never) as never,
    dispatch: ({ starter }) =>
      withAssignmentOnArrival(
        dispatchWithNotifications(api, notifications, starter),
        assignDeps,
        errorsInto(streamErrors),
      ),
    stream: { intervalMs: 15, onError: (e) => streamErrors.push(e) },
  });
  await putAgents(api.agents, ws.workspaceId, [
    [ANA, 'Ana'],
    [BO, 'Bo'],
    [CY, 'Cy'],
    [DEE, 'Dee'],
  ]);
}, 60_000);

afterAll(async () => {
  await life?.close();
  expect(streamErrors).toEqual([]);
});

const call = (agent: string | undefined, method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  callAs(api, ws.apiKey, agent, method, path, opts);

/** A customer's new thread, as ingest commits it (the thread and its first message together). */
const customerThread = (subject: string) => newCustomerThread(api.threads, { workspaceId: ws.workspaceId, subject });

const feedOf = async (threadId: string) =>
  (await api.threads.listFeed(ws.workspaceId, threadId, { limit: 100 })).items as FeedItem[];

describe('agent availability', () => {
  it('an agent marks themself away and back (idempotently); an admin sets it too; a bad value is a 400', async () => {
    const away = await call(DEE, 'PUT', '/v1/me/availability', { body: { availability: 'away' } });
    expect(away.status).toBe(200);
    expect(away.body).toMatchObject({ agentId: DEE, availability: 'away' });
    const again = await call(DEE, 'PUT', '/v1/me/availability', { body: { availability: 'away' } });
    expect(again.body.availability).toBe('away');
    expect((await call(DEE, 'PUT', '/v1/me/availability', { body: { availability: 'gone' } })).status).toBe(400);
    expect((await call(undefined, 'PUT', '/v1/me/availability', { body: { availability: 'away' } })).status).toBe(400);
    const byAdmin = await call(undefined, 'PATCH', `/v1/agents/${CY}`, { body: { availability: 'away' } });
    expect(byAdmin.body).toMatchObject({ agentId: CY, availability: 'away', name: 'Cy' });
    expect((await call(CY, 'PUT', '/v1/me/availability', { body: { availability: 'available' } })).body).toMatchObject({
      availability: 'available',
      name: 'Cy',
    });
    const list = await call(undefined, 'GET', '/v1/agents');
    expect(
      Object.fromEntries(
        list.body.items.map((a: { agentId: string; availability: string }) => [a.agentId, a.availability]),
      ),
    ).toEqual({
      [ANA]: 'available',
      [BO]: 'available',
      [CY]: 'available',
      [DEE]: 'away',
    });
  });
});

describe('assignment on arrival', () => {
  it('is off by default: a new thread stays unassigned', async () => {
    expect((await call(undefined, 'GET', '/v1/settings')).body.assignOnArrival).toBe(false);
    const t = await customerThread('Nobody assigns me');
    await life.settle(30_000);
    expect((await api.threads.getThread(ws.workspaceId, t.threadId))?.assignee).toBeUndefined();
  });

  it('30 concurrent arrivals, each delivered twice at once (and once late): 10/10/10 to the available agents, none to the away one, each once', async () => {
    const on = await call(undefined, 'PUT', '/v1/settings', { body: { assignOnArrival: true } });
    expect(on.body.assignOnArrival).toBe(true);
    const threads = await Promise.all(Array.from({ length: 30 }, (_, i) => customerThread(`Arrival ${i}`)));
    // A second delivery of every insertion, all at once, racing the stream's own.
    const repeats = await Promise.all(
      [...threads].sort(() => Math.random() - 0.5).map((t) => assignOnArrival(assignDeps, t)),
    );
    await life.settle(60_000);

    const after = await Promise.all(threads.map((t) => api.threads.getThread(ws.workspaceId, t.threadId)));
    const counts: Record<string, number> = {};
    for (const t of after) counts[t?.assignee ?? 'nobody'] = (counts[t?.assignee ?? 'nobody'] ?? 0) + 1;
    expect(counts).toEqual({ [ANA]: 10, [BO]: 10, [CY]: 10 });
    // Each thread: exactly one assignment in its feed, by the system, from nobody.
    for (const t of threads) {
      const updates = (await feedOf(t.threadId)).filter((i) => i.type === 'update');
      expect(updates).toEqual([
        expect.objectContaining({ field: 'assignee', from: null, actor: { kind: 'system', id: 'assignment' } }),
      ]);
    }
    // Exactly 30 slots were taken: no delivery spent a second one.
    const cursor = await api.db.send(
      new GetCommand({ TableName: api.tableName, Key: keys.assignCursor(ws.workspaceId) }),
    );
    expect(cursor.Item?.next).toBe(30);
    expect(repeats.filter((r) => r.outcome === 'assigned').length).toBeLessThanOrEqual(30);
    // The assignee is told, exactly as for a manual assignment.
    for (const agentId of [ANA, BO, CY]) {
      const mine = after.filter((t) => t?.assignee === agentId).map((t) => t?.threadId);
      const notes = (await notifications.listNotifications(ws.workspaceId, agentId, { limit: 100 })).items;
      expect(
        notes
          .filter((n) => n.event === 'assigned')
          .map((n) => n.threadId)
          .sort(),
      ).toEqual(mine.sort());
    }
    expect((await notifications.listNotifications(ws.workspaceId, DEE, { limit: 100 })).items).toEqual([]);

    // A late repeat (the stream's retry hours later) changes nothing.
    const late = await Promise.all(threads.map((t) => assignOnArrival(assignDeps, t)));
    expect(late.every((r) => r.outcome === 'taken' || r.outcome === 'alreadyDone')).toBe(true);
    for (const t of threads) expect((await feedOf(t.threadId)).filter((i) => i.type === 'update')).toHaveLength(1);
  }, 120_000);

  it('skips a thread an agent took first, and the Mine view lists what was assigned', async () => {
    const t = await customerThread('Taken by hand');
    // Before the stream gets to it, Bo takes it.
    const res = await call(BO, 'PATCH', `/v1/threads/${t.threadId}`, { body: { version: t.rev, assignee: BO } });
    expect(res.status).toBe(200);
    await life.settle(30_000);
    expect((await api.threads.getThread(ws.workspaceId, t.threadId))?.assignee).toBe(BO);
    expect((await feedOf(t.threadId)).filter((i) => i.type === 'update')).toHaveLength(1);
    const mine = await call(ANA, 'GET', '/v1/threads', { query: { assignee: ANA, status: 'open' } });
    expect(mine.body.items.length).toBeGreaterThanOrEqual(10);
    await call(undefined, 'PUT', '/v1/settings', { body: { assignOnArrival: false } });
    expect((await call(undefined, 'GET', '/v1/settings')).body.assignOnArrival).toBe(false);
  });
});
