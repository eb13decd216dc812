/**
 * Reports and SLA against DynamoDB Local: a scripted fortnight on a set clock, through the API and the
 * table's real stream (polled into the real dispatch handler with its metrics recorder), with every
 * figure checked against the hand computation written next to it. Business hours: Europe/Paris,
 * Monday–Friday 09:00–17:00, a holiday on Wednesday 28 October 2026, and the clocks going back on
 * Sunday 25 October (CEST, UTC+2, before; CET, UTC+1, after).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import { createDispatchHandler } from '#adapters/lifecycle-handlers.ts';
import { createMetricsRecorder, type RecordedMetrics } from '#adapters/metrics-stream.ts';
import type { FeedItem, MessageChannel, MessageItem, Thread } from '#core/model.ts';
import { bucketOf, bucketValue } from '#core/reports/histogram.ts';
import { runSlaStep, type SlaTimerInput } from '#core/reports/sla-timers.ts';
import { newThread, withMessage, withStatus } from '#core/thread-state.ts';
import { StreamPoller } from '#lib/local/stream-poller.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
let poller: StreamPoller;
let now = Date.parse('2026-10-19T06:00:00Z');
const delivered: DynamoDBRecord[] = [];
const recorded: Array<RecordedMetrics | null> = [];
let recorder: ReturnType<typeof createMetricsRecorder>;
let metrics: DynamoMetricsStore;
/** The SLA executions the recorder started (by name), and the phases already run. */
const timers = new Map<string, SlaTimerInput>();
const fired = new Set<string>();
let customer: string;
let contactEmail: string;

const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);
const as = (agent: string) => ({ 'X-Agent-Id': agent });
/** The value that the report gives for a duration: its histogram bucket's (±4.4 %). */
const approx = (seconds: number) => bucketValue(bucketOf(seconds));

beforeAll(async () => {
  api = await createTestApi();
  // A set clock: every write of a step happens at the step's time exactly.
  api.clock.now = () => new Date(now);
  ws = await api.cliWorkspace('Reports', `support-${ulid().toLowerCase()}@reports.example`);
  metrics = new DynamoMetricsStore(api.db, api.tableName);
  recorder = createMetricsRecorder({
    metrics,
    directory: api.admin,
    firstChannel: (w, t) => metrics.firstChannel(w, t),
    // The SLA state machine, played by `advance`: every execution started runs its two steps at their times.
    slaStarter: {
      start: async (name, input) => {
        timers.set(name, input as SlaTimerInput);
      },
      stop: async () => {},
    },
  });
  const dispatch = createDispatchHandler({
    directory: api.admin,
    starter: { start: async () => {}, stop: async () => {} },
    recordMetrics: async (r) => {
      delivered.push(r);
      recorded.push(await recorder(r));
    },
  });
  poller = new StreamPoller({ endpoint: api.endpoint, tableName: api.tableName, handler: dispatch, intervalMs: 20 });
  await poller.start();

  customer = (await call('POST', '/v1/customers', { body: { name: 'Fortnight' } })).body.customerId;
  contactEmail = `cleo-${ulid().toLowerCase()}@example.com`;
  const contact = await call('POST', '/v1/contacts', { body: { email: contactEmail, name: 'Cleo' } });
  await call('PUT', `/v1/customers/${customer}/contacts/${contact.body.contactId}`);
  const put = await call('PUT', '/v1/settings', {
    body: {
      businessHours: {
        timeZone: 'Europe/Paris',
        week: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
        ),
        holidays: ['2026-10-28'],
      },
      sla: { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 1440 },
    },
  });
  expect(put.status).toBe(200);
});

afterAll(async () => {
  await poller?.stop();
});

/**
 * Moves the set clock to `iso`, running on the way every SLA step (warning, breach) due strictly before it,
 * in time order, as the SLA state machine would: a step due at the very instant of the script's next action
 * runs after that action. Stopped executions run too: their step must find itself superseded.
 */
async function advance(iso: string) {
  const to = Date.parse(iso);
  for (;;) {
    await settle();
    const next = [...timers.entries()]
      .flatMap(([name, input]) => [
        { key: `${name}/warning`, phase: 'warning' as const, when: input.warnAt, input },
        { key: `${name}/breach`, phase: 'breach' as const, when: input.dueAt, input },
      ])
      .filter((s) => !fired.has(s.key) && Date.parse(s.when) < to)
      .sort((x, y) => x.when.localeCompare(y.when))[0];
    if (!next) break;
    fired.add(next.key);
    now = Date.parse(next.when);
    await runSlaStep(
      { metrics, threads: api.threads, directory: api.admin, notify: async () => {}, clock: api.clock },
      { phase: next.phase, input: next.input },
    );
  }
  now = to;
}

/** A customer's message, committed as ingest (or the chat API) commits it; a new thread when none is given. */
async function customerWrites(threadId: string | null, channel: MessageChannel = 'email'): Promise<string> {
  const iso = new Date(now).toISOString();
  const id = threadId ?? ulid();
  const message: MessageItem = {
    type: 'message',
    workspaceId: ws.workspaceId,
    threadId: id,
    itemId: ulid(),
    at: iso,
    direction: 'inbound',
    messageId: `<${ulid()}@customer.example>`,
    from: { address: contactEmail, name: 'Cleo' },
    to: [],
    cc: [],
    subject: 'Help',
    newText: 'Help please',
    text: 'Help please',
    classification: 'ordinary',
    flags: {},
    attachments: [],
    ...(channel !== 'email' ? { channel } : {}),
  };
  if (!threadId) {
    const ref = await api.threads.nextThreadRef(ws.workspaceId);
    const base = newThread({
      workspaceId: ws.workspaceId,
      threadId: id,
      ref,
      subject: 'Help',
      customerIds: [customer],
      at: iso,
    });
    await api.threads.commit({ before: null, after: withMessage(base, message), items: [message], attachments: [] });
    return id;
  }
  const before = (await api.threads.getThread(ws.workspaceId, id)) as Thread;
  let after = withMessage(before, message);
  const items: FeedItem[] = [message];
  const reopened =
    before.status === 'open'
      ? null
      : withStatus(after, { status: 'open' }, { itemId: ulid(), at: iso, actor: { kind: 'system', id: 'ingest' } });
  if (reopened) {
    after = reopened.thread;
    items.push(reopened.item);
  }
  await api.threads.commit({ before, after, items });
  return id;
}

async function patch(threadId: string, agent: string, body: Record<string, unknown>) {
  const thread = await call('GET', `/v1/threads/${threadId}`);
  const res = await call('PATCH', `/v1/threads/${threadId}`, {
    headers: as(agent),
    body: { version: thread.body.version, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function reply(threadId: string, agent: string) {
  const res = await call('POST', `/v1/threads/${threadId}/messages`, {
    headers: as(agent),
    // By mail, whatever the customer's channel (a chat thread's answer would default to chat).
    body: { to: [contactEmail], text: 'Here is your answer.', channel: 'email' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

/** Waits until the stream has been read to its end and every record handed to the recorder. */
const settle = () => poller.drain(30_000);

const ids: Record<string, string> = {};

describe('a scripted fortnight (Paris hours, a weekend, a holiday, the autumn clock change)', () => {
  it('plays the fortnight', async () => {
    // T3 and T4: Monday 19 Oct, 10:00 and 10:05 CEST; T4 is merged into T3 at 10:30; ana answers T3 at
    // 11:00 and closes it on Tuesday 20 Oct at 10:00 CEST.
    await advance('2026-10-19T08:00:00Z');
    ids.t3 = await customerWrites(null);
    await advance('2026-10-19T08:05:00Z');
    ids.t4 = await customerWrites(null);
    await advance('2026-10-19T08:20:00Z');
    await patch(ids.t3, 'ana', { assignee: 'ana' });
    await advance('2026-10-19T08:30:00Z');
    expect(
      (await call('POST', `/v1/threads/${ids.t3}/merge`, { headers: as('ana'), body: { threadId: ids.t4 } })).status,
    ).toBe(200);
    await advance('2026-10-19T09:00:00Z');
    await reply(ids.t3, 'ana');
    await advance('2026-10-20T08:00:00Z');
    await patch(ids.t3, 'ana', { status: 'closed' });

    // T1: Friday 23 Oct 16:00 CEST; ana answers on Monday 26 Oct 09:30 CET (after the clock change) and
    // closes it at 11:00 CET.
    await advance('2026-10-23T14:00:00Z');
    ids.t1 = await customerWrites(null);
    await advance('2026-10-23T14:10:00Z');
    await patch(ids.t1, 'ana', { assignee: 'ana' });
    await advance('2026-10-26T08:30:00Z');
    await reply(ids.t1, 'ana');
    await advance('2026-10-26T10:00:00Z');
    await patch(ids.t1, 'ana', { status: 'closed' });

    // T2, by chat: Tuesday 27 Oct 16:30 CET, assigned to ana; bob (not the assignee) answers on Thursday
    // 29 Oct 09:15 (Wednesday is the holiday). Cleo writes again at 10:00; ana answers at 14:00 (the next
    // response's due time exactly); ana closes on Friday 30 Oct 10:00, reopens it at 15:00, answers on
    // Monday 2 Nov 09:30 (late) and closes it at 12:00.
    await advance('2026-10-27T15:30:00Z');
    ids.t2 = await customerWrites(null, 'chat');
    await advance('2026-10-27T15:40:00Z');
    await patch(ids.t2, 'ana', { assignee: 'ana', tags: ['billing'] });
    await advance('2026-10-29T08:15:00Z');
    await reply(ids.t2, 'bob');
    await advance('2026-10-29T09:00:00Z');
    await customerWrites(ids.t2, 'chat');
    await advance('2026-10-29T13:00:00Z');
    await reply(ids.t2, 'ana');
    await advance('2026-10-30T09:00:00Z');
    await patch(ids.t2, 'ana', { status: 'closed' });
    await advance('2026-10-30T14:00:00Z');
    await patch(ids.t2, 'ana', { status: 'open' });

    // T5: Friday 30 Oct 16:00 CET, never answered.
    await advance('2026-10-30T15:00:00Z');
    ids.t5 = await customerWrites(null);

    await advance('2026-11-02T08:30:00Z');
    await reply(ids.t2, 'ana');
    await advance('2026-11-02T11:00:00Z');
    await patch(ids.t2, 'ana', { status: 'closed' });
    await settle();
    expect(recorded.some((r) => r?.events.includes('merged'))).toBe(true);
  });

  it('counts a stream record delivered twice once', async () => {
    const replyRecord = delivered.find(
      (r) =>
        r.eventName === 'INSERT' &&
        r.dynamodb?.NewImage?.entity?.S === 'feed' &&
        r.dynamodb?.NewImage?.direction?.S === 'outbound' &&
        r.dynamodb?.NewImage?.threadId?.S === ids.t1,
    );
    expect(replyRecord).toBeDefined();
    const before = await call('GET', '/v1/reports/overview', { query: { from: '2026-10-19', to: '2026-11-02' } });
    const again = await recorder(replyRecord as DynamoDBRecord);
    expect(again?.counted).toBe(false);
    const after = await call('GET', '/v1/reports/overview', { query: { from: '2026-10-19', to: '2026-11-02' } });
    expect(after.body.figures).toEqual(before.body.figures);
  });

  it('gives the hand-computed overview', async () => {
    const res = await call('GET', '/v1/reports/overview', { query: { from: '2026-10-19', to: '2026-11-02' } });
    expect(res.status).toBe(200);
    const f = res.body.figures;
    expect(res.body.timeZone).toBe('Europe/Paris');
    // Created: T1–T5. Resolved: T3, T1, T2 (cycle 1), T2 (cycle 2); T4 was merged, not resolved.
    expect({ created: f.created, resolved: f.resolved, reopened: f.reopened, merged: f.merged }).toEqual({
      created: 5,
      resolved: 4,
      reopened: 1,
      merged: 1,
    });
    expect(f.reopenRate).toBe(0.25);
    expect(f.replies).toBe(5);
    // First responses (calendar / business seconds):
    //   T3 1 h / 1 h; T1 Fri 16:00 CEST → Mon 09:30 CET = 66.5 h / 1 h + 0.5 h;
    //   T2 Tue 16:30 → Thu 09:15 = 40.75 h / 0.5 h + 0 (holiday) + 0.25 h;
    //   T2 cycle 2 Fri 15:00 → Mon 09:30 = 66.5 h / 2 h + 0.5 h.
    // Sorted calendar: 3600, 146700, 239400, 239400 → median (rank 2) 146700, p90 (rank 4) 239400.
    // Sorted business: 2700, 3600, 5400, 9000 → median 3600, p90 9000.
    expect(f.firstResponse.calendar).toEqual({ count: 4, median: approx(146_700), p90: approx(239_400) });
    expect(f.firstResponse.business).toEqual({ count: 4, median: approx(3_600), p90: approx(9_000) });
    // Resolutions: T3 Mon 10:00 → Tue 10:00 CEST = 24 h / 7 h + 1 h; T1 Fri 16:00 CEST → Mon 11:00 CET =
    //   68 h / 1 h + 2 h; T2 Tue 16:30 → Fri 10:00 = 65.5 h / 0.5 + 0 + 8 + 1 h; T2 cycle 2 Fri 15:00 →
    //   Mon 12:00 = 69 h / 2 h + 3 h.
    // Sorted calendar: 86400, 235800, 244800, 248400; business: 10800, 18000, 28800, 34200.
    expect(f.resolution.calendar).toEqual({ count: 4, median: approx(235_800), p90: approx(248_400) });
    expect(f.resolution.business).toEqual({ count: 4, median: approx(18_000), p90: approx(34_200) });
    // SLA: first responses met but T2's second cycle (reopened Fri 30 Oct 15:00 CET, due 2 business hours
    // later, Fri 17:00 CET: its breach timer fires then and counts it; the late answer on Monday counts it no
    // more) and T5's (Fri 30 Oct 16:00 CET, due Mon 2 Nov 10:00 CET, still unanswered: counted when its timer
    // fires, within the range). The next response answered at its due time exactly is met (its timer runs
    // after the answer and finds it); the four resolutions are met (T5's is due Wed 4 Nov, after the range).
    // Met 3 + 1 + 4 = 8, breached 2: 8 ÷ 10 = 80.0 %.
    expect(f.sla).toEqual({
      met: 8,
      breached: 2,
      metPercent: 80,
      byTarget: {
        firstResponse: { met: 3, breached: 2 },
        nextResponse: { met: 1, breached: 0 },
        resolution: { met: 4, breached: 0 },
      },
    });
    // The days are the workspace's (Paris) days: T1 was created on Friday 23 Oct.
    const days = Object.fromEntries(
      res.body.days.map((d: { day: string; figures: { created: number } }) => [d.day, d.figures.created]),
    );
    expect(days).toMatchObject({ '2026-10-19': 2, '2026-10-23': 1, '2026-10-27': 1, '2026-10-30': 1 });
  });

  it('counts a response for the agent who sent it, and a resolution for the assignee', async () => {
    const res = await call('GET', '/v1/reports/by/agent', { query: { from: '2026-10-19', to: '2026-11-02' } });
    const byAgent = Object.fromEntries(
      res.body.items.map((i: { value: string; figures: unknown }) => [i.value, i.figures]),
    );
    expect(byAgent.bob).toMatchObject({
      replies: 1,
      resolved: 0,
      firstResponse: { business: { count: 1, median: approx(2_700) } },
    });
    expect(byAgent.ana).toMatchObject({ replies: 4, resolved: 4, firstResponse: { business: { count: 3 } } });
    const channels = await call('GET', '/v1/reports/by/channel', { query: { from: '2026-10-19', to: '2026-11-02' } });
    const created = Object.fromEntries(
      channels.body.items.map((i: { value: string; figures: { created: number } }) => [i.value, i.figures.created]),
    );
    expect(created).toEqual({ chat: 1, email: 4 });
    const tags = await call('GET', '/v1/reports/by/tag', { query: { from: '2026-10-19', to: '2026-11-02' } });
    expect(
      tags.body.items.map((i: { value: string; figures: { resolved: number } }) => [i.value, i.figures.resolved]),
    ).toEqual([['billing', 2]]);
  });

  it('leads from a figure to its threads', async () => {
    const overview = await call('GET', '/v1/reports/overview', { query: { from: '2026-10-19', to: '2026-11-02' } });
    const link = new URL(overview.body.links.resolved, 'http://x');
    const list = await call('GET', link.pathname, { query: Object.fromEntries(link.searchParams) });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([ids.t2, ids.t2, ids.t1, ids.t3]);
    const reopened = await call('GET', '/v1/reports/threads', {
      query: { metric: 'reopened', from: '2026-10-30', to: '2026-10-30' },
    });
    expect(reopened.body.items).toEqual([expect.objectContaining({ threadId: ids.t2, cycle: 2 })]);
    const bobs = await call('GET', '/v1/reports/threads', {
      query: { metric: 'firstResponse', from: '2026-10-19', to: '2026-11-02', dimension: 'agent', value: 'bob' },
    });
    expect(bobs.body.items).toEqual([
      expect.objectContaining({ threadId: ids.t2, agent: 'bob', seconds: 146_700, businessSeconds: 2_700, sla: 'met' }),
    ]);
    // The SLA figure's breaches, counted when their timers fired: T5 (still unanswered, due Mon 2 Nov 10:00 CET)
    // and T2's second cycle (due Fri 30 Oct 17:00 CET, for its assignee ana), newest first.
    const breaches = new URL(overview.body.links.slaBreached, 'http://x');
    const breached = await call('GET', breaches.pathname, { query: Object.fromEntries(breaches.searchParams) });
    expect(breached.body.items).toEqual([
      { threadId: ids.t5, at: '2026-11-02T09:00:00.000Z', cycle: 1, sla: 'breached' },
      { threadId: ids.t2, at: '2026-10-30T16:00:00.000Z', cycle: 2, agent: 'ana', sla: 'breached' },
    ]);
  });

  it('shows the first response and the SLA clocks on the thread', async () => {
    const t1 = await call('GET', `/v1/threads/${ids.t1}`);
    expect(t1.body).toMatchObject({
      firstResponseAt: '2026-10-26T08:30:00.000Z',
      firstResponseSeconds: 239_400,
      firstResponseBusinessSeconds: 5_400,
    });
    // T1's first response was due 2 business hours after Friday 16:00 CEST: Monday 10:00 CET.
    expect(t1.body.sla.firstResponse).toMatchObject({ dueAt: '2026-10-26T09:00:00.000Z', state: 'met' });
    // T5 (Friday 16:00 CET): due Monday 10:00 CET, warned at 80 % (96 min: Friday 1 h, Monday 36 min); both
    // timers fired at those times (the script's clock passed them).
    const t5 = await call('GET', `/v1/threads/${ids.t5}`);
    expect(t5.body.sla.firstResponse).toEqual({
      startedAt: '2026-10-30T15:00:00.000Z',
      dueAt: '2026-11-02T09:00:00.000Z',
      warnAt: '2026-11-02T08:36:00.000Z',
      warnedAt: '2026-11-02T08:36:00.000Z',
      breachedAt: '2026-11-02T09:00:00.000Z',
      outcome: 'breached',
      state: 'breached',
    });
    expect(t5.body.firstResponseAt).toBeUndefined();
    // The list's cards carry the mark: T5 is late; T1 and T3 met their targets; T2's last cycle is settled
    // with a breached first response.
    const list = await call('GET', '/v1/threads', { query: { limit: '20' } });
    const late = Object.fromEntries(
      list.body.items.map((c: { threadId: string; late?: boolean }) => [c.threadId, c.late]),
    );
    expect([late[ids.t5], late[ids.t1], late[ids.t3], late[ids.t2]]).toEqual([true, false, false, true]);
  });

  it('refuses a bad range with a 400', async () => {
    for (const query of [
      { from: '2026-11-02', to: '2026-10-19' },
      { from: '2025-01-01', to: '2026-12-31' },
      { from: '2026-02-30', to: '2026-03-01' },
      { from: '2026-10-19' },
    ])
      expect((await call('GET', '/v1/reports/overview', { query: query as Record<string, string> })).status).toBe(400);
    expect(
      (await call('GET', '/v1/reports/by/planet', { query: { from: '2026-10-19', to: '2026-10-20' } })).status,
    ).toBe(404);
  });

  it('stores business hours and SLA in the settings, and clears them with null', async () => {
    const s = await call('GET', '/v1/settings');
    expect(s.body.businessHours.timeZone).toBe('Europe/Paris');
    expect(s.body.sla).toEqual({ firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 1440 });
    expect(
      (await call('PUT', '/v1/settings', { body: { businessHours: { timeZone: 'Nowhere/Land', week: {} } } })).status,
    ).toBe(400);
    expect((await call('PUT', '/v1/settings', { body: { sla: { firstResponseMinutes: 0 } } })).status).toBe(400);
    const cleared = await call('PUT', '/v1/settings', { body: { sla: null } });
    expect(cleared.body.sla).toBeUndefined();
    expect(cleared.body.businessHours.timeZone).toBe('Europe/Paris');
  });
});

describe('the threads behind a figure, by dimension', () => {
  it('fills a page when the dimension matches 1 of 10 threads (and pages on with a cursor)', async () => {
    // Ten threads created on 1 Dec 2026 (outside the fortnight): the oldest alone is tagged vip; three are
    // tagged gold (the 4th, 6th and 9th oldest). A filter after one read of `limit` events would come back
    // empty with a cursor; the page reads on until it is full or the events run out.
    const day = '2026-12-01';
    const threads = Array.from({ length: 10 }, (_, i) => ({
      threadId: ulid(),
      at: `${day}T1${i}:00:00.000Z`,
      tags: i === 0 ? ['vip'] : [3, 5, 8].includes(i) ? ['gold'] : [],
    }));
    for (const t of threads)
      await metrics.commit({
        workspaceId: ws.workspaceId,
        threadId: t.threadId,
        state: { cycle: 1, cycleStartedAt: t.at, tags: t.tags, sla: {}, slaVersion: 1 },
        events: [{ eventId: 'created', type: 'created', at: t.at, cycle: 1, tags: t.tags, channel: 'email' }],
        rollups: [],
      });
    const list = (query: Record<string, string>) =>
      call('GET', '/v1/reports/threads', { query: { metric: 'created', from: day, to: day, ...query } });
    const vip = await list({ dimension: 'tag', value: 'vip', limit: '1' });
    expect(vip.status).toBe(200);
    expect(vip.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([threads[0].threadId]);
    expect(vip.body.nextCursor).toBeUndefined();
    const gold = threads.filter((t) => t.tags.includes('gold')).map((t) => t.threadId);
    expect(gold).toHaveLength(3);
    const first = await list({ dimension: 'tag', value: 'gold', limit: '2' });
    expect(first.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([gold[2], gold[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list({ dimension: 'tag', value: 'gold', limit: '2', cursor: first.body.nextCursor });
    expect(second.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([gold[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    // Without a dimension, a page of 4 of the 10 is full and says there is more.
    const all = await list({ limit: '4' });
    expect(all.body.items).toHaveLength(4);
    expect(all.body.nextCursor).toEqual(expect.any(String));
  });
});
