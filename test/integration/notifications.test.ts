/**
 * Notifications end to end on one machine: the API on DynamoDB Local, the table's stream polled into
 * the real dispatch handler with notifications, THE state machine on a fast clock running the mail
 * runs in the real workflow-step handler, and the real SES adapter on aws-ses-v2-local.
 */
import PostalMime from 'postal-mime';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { createWorkflowStepHandler } from '#adapters/lifecycle-handlers.ts';
import { SesMailSender, sesClient } from '#adapters/ses-sender.ts';
import type { Thread } from '#core/model.ts';
import { withMessage } from '#core/thread-state.ts';
import { type LocalLifecycle, startLocalLifecycle } from '#lib/local/lifecycle-runtime.ts';
import { callAs, createTestApi, type TestApi } from '../support/api.ts';
import { dispatchWithNotifications, errorsInto } from '../support/stream.ts';
import { CUSTOMER, inboundMessage, customerThread as newCustomerThread, putAgents } from '../support/threads.ts';
import { RecordingSender, startLocalSes } from './lifecycle-harness.ts';

/** Simulated seconds per real second: the 60 s gathering delay is 2 s, the 5-minute window 10 s. */
const SCALE = 30;

let api: TestApi;
let life: LocalLifecycle;
let sender: RecordingSender;
let ws: { workspaceId: string; apiKey: string; keyId: string };
const ANA = 'ana-sub';
const REA = 'rea-sub';
const streamErrors: unknown[] = [];

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Acme', `support-${ulid().toLowerCase()}@acme.example`);
  const ses = await startLocalSes();
  sender = new RecordingSender(
    new SesMailSender(sesClient({ region: 'eu-west-1', endpoints: { ses: ses.endpoint } }), 'eu-west-1'),
  );
  const notifications = new DynamoNotificationStore(api.db, api.tableName);
  const stepDeps = () => ({
    notifications,
    agents: api.agents,
    threads: api.threads,
    readMarkers: api.agents.readMarkers.bind(api.agents),
    sender,
    clock: { now: () => new Date() },
    from: 'Go!Chat <no-reply@acme.example>',
    inboxUrl: 'https://inbox.acme.example',
  });
  life = await startLocalLifecycle({
    ddbEndpoint: api.endpoint,
    tableName: api.tableName,
    timeScale: SCALE,
    // Only the notification mails run on this machine's executions (no status here has a timer).
    workflowStep: createWorkflowStepHandler(async () => ({ notifyMail: stepDeps() }) as never) as never,
    dispatch: ({ starter }) => dispatchWithNotifications(api, notifications, starter, errorsInto(streamErrors)),
    stream: { intervalMs: 15, onError: (e) => streamErrors.push(e) },
  });
  await putAgents(api.agents, ws.workspaceId, [
    [ANA, 'Ana'],
    [REA, 'Rea'],
  ]);
}, 60_000);

afterAll(async () => {
  await life?.close();
  expect(streamErrors).toEqual([]);
});

const call = (agent: string | undefined, method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  callAs(api, ws.apiKey, agent, method, path, opts);

/** A customer's thread (as ingest commits it), assigned to `assignee`. */
const customerThread = (assignee?: string) =>
  newCustomerThread(api.threads, {
    workspaceId: ws.workspaceId,
    subject: 'My invoice',
    messageSubject: 'Re: My invoice',
    text: 'Hello, my invoice is wrong.',
    assignee,
  });

/** The customer answers: one message committed on the thread. */
async function customerAnswers(threadId: string, text: string) {
  for (;;) {
    const before = (await api.threads.getThread(ws.workspaceId, threadId)) as Thread;
    const message = inboundMessage({ workspaceId: ws.workspaceId, threadId, subject: 'Re: My invoice', text });
    try {
      await api.threads.commit({ before, after: withMessage(before, message), items: [message] });
      return;
    } catch {
      // a concurrent write: read again
    }
  }
}

const mailsTo = (address: string, threadId: string) =>
  sender.sent.filter((m) => m.destinations.includes(address) && m.raw.toString('utf8').includes(threadId));

describe('notifications', () => {
  it('three answers in a row on a thread assigned to Ana: one mail to Ana, with a link, three in her bell', async () => {
    const thread = await customerThread(ANA);
    for (const text of ['First answer', 'Second answer', 'Third answer']) await customerAnswers(thread.threadId, text);
    await life.settle(30_000);
    const mails = mailsTo('ana@acme.example', thread.threadId);
    expect(mails).toHaveLength(1);
    const raw = mails[0].raw.toString('utf8');
    expect(raw).toMatch(/^From: "?Go!Chat"? <no-reply@acme\.example>/m);
    expect(raw).toMatch(/multipart\/alternative/);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated/m);
    const parsed = await PostalMime.parse(mails[0].raw);
    const link = `https://inbox.acme.example/inbox/${thread.threadId}`;
    expect(parsed.subject).toBe(`[Go!Chat] 3 updates: My invoice [#${thread.ref}]`);
    expect(parsed.text).toContain(`Open the thread: ${link}`);
    expect(parsed.text).toContain('- The customer answered: “Third answer”');
    expect(parsed.html).toContain(`<a href="${link}">Open the thread in the Inbox</a>`);
    expect(parsed.replyTo ?? []).toEqual([]);
    // Nothing went to the customer, and the thread's feed has no new message.
    expect(sender.sent.filter((m) => m.destinations.includes(CUSTOMER))).toEqual([]);
    const feed = await api.threads.listFeed(ws.workspaceId, thread.threadId, { limit: 100 });
    expect(feed.items.filter((i) => i.type === 'message' && i.direction === 'outbound')).toEqual([]);
    const bell = await call(ANA, 'GET', '/v1/notifications', { query: { unread: 'true' } });
    expect(bell.status).toBe(200);
    const mine = bell.body.items.filter((n: { threadId: string }) => n.threadId === thread.threadId);
    expect(mine.map((n: { event: string }) => n.event)).toEqual(['answered', 'answered', 'answered']);
    expect(mine.map((n: { excerpt: string }) => n.excerpt)).toEqual(['Third answer', 'Second answer', 'First answer']);
    // Read in the bell: no longer unread.
    const read = await call(ANA, 'POST', '/v1/notifications/read', {
      body: { notificationIds: mine.map((n: { notificationId: string }) => n.notificationId) },
    });
    expect(read.body).toEqual({ marked: 3 });
    const after = await call(ANA, 'GET', '/v1/notifications', { query: { unread: 'true' } });
    expect(after.body.items.filter((n: { threadId: string }) => n.threadId === thread.threadId)).toEqual([]);
  });

  it('a comment mentioning Rea: one mail to Rea, none to the customer nor to the author; Rea follows the thread', async () => {
    const thread = await customerThread(ANA);
    await life.settle(30_000);
    const before = sender.sent.length;
    const res = await call(ANA, 'POST', `/v1/threads/${thread.threadId}/comments`, {
      body: { body: '@Rea could you check the VAT?', mentions: [REA] },
    });
    expect(res.status).toBe(201);
    expect(res.body.mentions).toEqual([REA]);
    await life.settle(30_000);
    const fresh = sender.sent.slice(before);
    expect(fresh.map((m) => m.destinations)).toEqual([['rea@acme.example']]);
    expect(fresh[0].raw.toString('utf8')).toContain('could you check the VAT');
    const notifications = new DynamoNotificationStore(api.db, api.tableName);
    expect(await notifications.followers(ws.workspaceId, thread.threadId)).toEqual([REA]);
  });

  it('a mention of someone who is not an agent of the workspace is a 400', async () => {
    const thread = await customerThread();
    const res = await call(ANA, 'POST', `/v1/threads/${thread.threadId}/comments`, {
      body: { body: 'hello', mentions: ['nobody-here'] },
    });
    expect(res.status).toBe(400);
  });

  it('a thread Ana opens in the app before the mail goes: no mail, the notification is still in the bell', async () => {
    const thread = await customerThread(ANA);
    await life.settle(30_000);
    const before = mailsTo('ana@acme.example', thread.threadId).length;
    await customerAnswers(thread.threadId, 'Any news?');
    // She opens it at once (well inside the 60 s, 0.5 s here, that a first mail waits).
    await new Promise((r) => setTimeout(r, 100));
    expect((await call(ANA, 'GET', `/v1/threads/${thread.threadId}`)).status).toBe(200);
    await life.settle(30_000);
    expect(mailsTo('ana@acme.example', thread.threadId).length).toBe(before);
    const bell = await call(ANA, 'GET', '/v1/notifications');
    expect(
      bell.body.items.some(
        (n: { threadId: string; event: string }) => n.threadId === thread.threadId && n.event === 'answered',
      ),
    ).toBe(true);
  });

  it('assigning a thread tells the new assignee, not the agent who assigned it', async () => {
    const thread = await customerThread();
    await life.settle(30_000);
    const res = await call(ANA, 'PATCH', `/v1/threads/${thread.threadId}`, {
      body: { version: thread.rev, assignee: REA },
    });
    expect(res.status).toBe(200);
    await life.settle(30_000);
    const rea = await call(REA, 'GET', '/v1/notifications');
    expect(
      rea.body.items
        .filter((n: { threadId: string }) => n.threadId === thread.threadId)
        .map((n: { event: string; actor: unknown }) => [n.event, n.actor]),
    ).toEqual([['assigned', { kind: 'agent', id: ANA }]]);
    const ana = await call(ANA, 'GET', '/v1/notifications');
    expect(ana.body.items.filter((n: { threadId: string }) => n.threadId === thread.threadId)).toEqual([]);
  });

  it('preferences: Ana turns answered mail off; answers reach her bell but no mail', async () => {
    const prefs = await call(ANA, 'PATCH', '/v1/notifications/preferences', {
      body: { rules: { answered: { email: false } } },
    });
    expect(prefs.status).toBe(200);
    expect(prefs.body.rules.answered).toEqual({ app: true, browser: true, email: false });
    expect(prefs.body.rules.mentioned).toEqual({ app: true, browser: true, email: true });
    const thread = await customerThread(ANA);
    await customerAnswers(thread.threadId, 'Hello again');
    await life.settle(30_000);
    expect(mailsTo('ana@acme.example', thread.threadId)).toEqual([]);
    const bell = await call(ANA, 'GET', '/v1/notifications');
    expect(bell.body.items.filter((n: { threadId: string }) => n.threadId === thread.threadId).length).toBe(1);
    await call(ANA, 'PATCH', '/v1/notifications/preferences', { body: { rules: { answered: { email: true } } } });
  });

  it('workspace defaults: admins set them, a bad body is a 400', async () => {
    const got = await call(undefined, 'GET', '/v1/settings/notifications');
    expect(got.status).toBe(200);
    expect(got.body.rules.newThread).toEqual({ app: false, browser: false, email: false });
    const bad = await call(undefined, 'PATCH', '/v1/settings/notifications', { body: { rules: { nonsense: {} } } });
    expect(bad.status).toBe(400);
    const set = await call(undefined, 'PATCH', '/v1/settings/notifications', {
      body: { rules: { newThread: { app: true } } },
    });
    expect(set.body.rules.newThread).toEqual({ app: true, browser: false, email: false });
    const rea = await call(REA, 'GET', '/v1/notifications/preferences');
    expect(rea.body.rules.newThread.app).toBe(true);
    await call(undefined, 'PATCH', '/v1/settings/notifications', { body: { rules: { newThread: { app: false } } } });
  });
});

describe('bulk work over the API', () => {
  it('one request, a result per thread: done, conflict on a stale version, notFound; each change in its own feed', async () => {
    const a = await customerThread();
    const b = await customerThread();
    const res = await call(ANA, 'POST', '/v1/threads/bulk', {
      body: {
        threads: [
          { threadId: a.threadId, version: a.rev },
          { threadId: b.threadId, version: b.rev - 1 },
          { threadId: ulid() },
        ],
        assignee: REA,
        addTags: ['VIP'],
        status: 'closed',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { threadId: a.threadId, result: 'done', version: a.rev + 1, changed: true },
      { threadId: b.threadId, result: 'conflict', currentVersion: b.rev },
      { threadId: expect.any(String), result: 'notFound' },
    ]);
    const feed = await api.threads.listFeed(ws.workspaceId, a.threadId, { limit: 100 });
    expect(
      feed.items
        .filter((i) => i.type === 'update')
        .map((u) => [(u as { field: string }).field, (u as { to: unknown }).to]),
    ).toEqual(
      expect.arrayContaining([
        ['assignee', REA],
        ['tags', ['vip']],
        ['status', 'closed'],
      ]),
    );
    const tooMany = await call(ANA, 'POST', '/v1/threads/bulk', {
      body: { threads: Array.from({ length: 101 }, () => ({ threadId: ulid() })), status: 'closed' },
    });
    expect(tooMany.status).toBe(400);
    const nothing = await call(ANA, 'POST', '/v1/threads/bulk', { body: { threads: [{ threadId: a.threadId }] } });
    expect(nothing.status).toBe(400);
  });
});

describe('views', () => {
  it('Mine, Unassigned, All and Mentions count their threads; an assignment moves a thread between them', async () => {
    const counts = async (agent: string) => {
      const res = await call(agent, 'GET', '/v1/views');
      expect(res.status).toBe(200);
      return Object.fromEntries(res.body.items.map((v: { id: string; count: number }) => [v.id, v.count]));
    };
    const before = await counts(REA);
    const thread = await customerThread();
    const added = await counts(REA);
    expect(added.unassigned).toBe(before.unassigned + 1);
    expect(added.all).toBe(before.all + 1);
    await call(ANA, 'PATCH', `/v1/threads/${thread.threadId}`, { body: { version: thread.rev, assignee: REA } });
    const moved = await counts(REA);
    expect(moved.unassigned).toBe(before.unassigned);
    expect(moved.mine).toBe(before.mine + 1);
    expect(moved.all).toBe(before.all + 1);
    // The Unassigned view's list is the same facet as its count.
    const list = await call(REA, 'GET', '/v1/threads', { query: { status: 'open', assignee: 'none' } });
    expect(list.body.items.map((c: { threadId: string }) => c.threadId)).not.toContain(thread.threadId);
  });
});
