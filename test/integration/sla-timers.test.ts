/**
 * SLA clocks on Step Functions, on one machine: the table's stream → the real dispatch handler and its
 * metrics recorder → the real SfnWorkflowStarter → a local SFN endpoint running statemachine/sla.asl.json
 * (the file the stack deploys) on a scaled clock → the real workflow-step handler → the SLA step and its
 * notifier. First response target: 60 minutes, every hour counting (no business hours), so the warning
 * comes at 48 minutes and the breach at 60: 4.8 s and 6 s of real time.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import { DynamoSlaRearmJobs } from '#adapters/dynamo/sla-rearm-jobs.ts';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { createDispatchHandler, createWorkflowStepHandler } from '#adapters/lifecycle-handlers.ts';
import { createMetricsRecorder } from '#adapters/metrics-stream.ts';
import { SfnWorkflowStarter, sfnClient } from '#adapters/sfn-starter.ts';
import { createSlaNotifier } from '#adapters/sla-notifier.ts';
import { createSlaRearm } from '#adapters/sla-rearm.ts';
import { newThread, withMessage } from '#core/thread-state.ts';
import { type SfnEndpoint, startSfnEndpoint } from '#lib/local/sfn-endpoint.ts';
import { LOCAL_WORKFLOW_STEP_ARN, LocalStepFunctions } from '#lib/local/stepfunctions-runner.ts';
import { StreamPoller } from '#lib/local/stream-poller.ts';
import { repoPath } from '#lib/paths.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { inboundMessage } from '../support/threads.ts';

const SCALE = 600; // ten minutes pass in a second
const SLA_ARN = 'arn:aws:states:local:000000000000:stateMachine:gochat-sla';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
let runner: LocalStepFunctions;
let sfn: SfnEndpoint;
let poller: StreamPoller;
let contactEmail: string;
let customer: string;
const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);
const as = (agent: string) => ({ 'X-Agent-Id': agent });

beforeAll(async () => {
  api = await createTestApi();
  api.clock.now = () => new Date(); // the Wait states run on the real (scaled) clock
  ws = await api.cliWorkspace('SLA', `support-${ulid().toLowerCase()}@sla.example`);
  const metrics = new DynamoMetricsStore(api.db, api.tableName);
  const step = createWorkflowStepHandler({
    threads: api.threads,
    directory: api.admin,
    templates: api.admin,
    mail: api.mail,
    sender: api.sender,
    sends: undefined as never, // reminders never run here: only the SLA step
    events: api.events,
    replyTokens: undefined as never,
    clock: api.clock,
    ids: api.deps.ids,
    sla: {
      metrics,
      notify: createSlaNotifier({
        events: api.events,
        sender: api.sender,
        agents: api.agents,
        inboundAddresses: (w) => api.admin.listInboundAddresses(w),
        claim: (w, t, key, at) => metrics.claimSlaAlert(w, t, key, at),
        clock: api.clock,
      }),
    },
  });
  runner = new LocalStepFunctions({
    definition: repoPath('statemachine', 'sla.asl.json'),
    stateMachineArn: SLA_ARN,
    functions: { [LOCAL_WORKFLOW_STEP_ARN]: step as never },
    timeScale: SCALE,
  });
  sfn = await startSfnEndpoint(runner);
  const slaStarter = new SfnWorkflowStarter(sfnClient({ region: 'local', endpoints: { sfn: sfn.endpoint } }), SLA_ARN);
  const recordMetrics = createMetricsRecorder({
    metrics,
    directory: api.admin,
    slaStarter,
    rearm: createSlaRearm({
      metrics,
      jobs: new DynamoSlaRearmJobs(api.db, api.tableName),
      threads: new DynamoThreadQueries(api.db, api.tableName),
      directory: api.admin,
      slaStarter,
    }),
  });
  const dispatch = createDispatchHandler({
    directory: api.admin,
    starter: { start: async () => {}, stop: async () => {} },
    recordMetrics,
  });
  poller = new StreamPoller({ endpoint: api.endpoint, tableName: api.tableName, handler: dispatch, intervalMs: 15 });
  await poller.start();

  for (const [agentId, email] of [
    ['ana', 'ana@team.example'],
    ['bob', 'bob@team.example'],
  ])
    await api.agents.putAgent({
      workspaceId: ws.workspaceId,
      agentId,
      email,
      name: agentId,
      role: 'agent',
      createdAt: new Date().toISOString(),
    });
  customer = (await call('POST', '/v1/customers', { body: { name: 'Timers' } })).body.customerId;
  contactEmail = `dan-${ulid().toLowerCase()}@example.com`;
  const contact = await call('POST', '/v1/contacts', { body: { email: contactEmail, name: 'Dan' } });
  await call('PUT', `/v1/customers/${customer}/contacts/${contact.body.contactId}`);
  await call('PUT', '/v1/settings', { body: { sla: { firstResponseMinutes: 60 } } });
});

afterAll(async () => {
  runner?.close();
  await poller?.stop();
  await sfn?.close();
});

async function customerWrites(): Promise<string> {
  const at = new Date().toISOString();
  const threadId = ulid();
  const message = inboundMessage({
    workspaceId: ws.workspaceId,
    threadId,
    at,
    messageId: `<${ulid()}@customer.example>`,
    from: { address: contactEmail, name: 'Dan' },
    subject: 'Late?',
  });
  const ref = await api.threads.nextThreadRef(ws.workspaceId);
  const thread = newThread({
    workspaceId: ws.workspaceId,
    threadId,
    ref,
    subject: 'Late?',
    customerIds: [customer],
    at,
  });
  await api.threads.commit({ before: null, after: withMessage(thread, message), items: [message], attachments: [] });
  return threadId;
}

/** Waits for the stream to be read and every SLA execution to end. */
async function settle() {
  for (let i = 0; i < 3; i++) {
    await poller.drain(30_000);
    await runner.idle(30_000);
  }
}

const alertsOf = (threadId: string) =>
  api.events.events.filter((e) => e.threadId === threadId && e.type.startsWith('sla.')).map((e) => e.type);
const executionsOf = (threadId: string) => runner.list().filter((e) => e.name.includes(threadId));

describe('SLA clocks on the SLA state machine', () => {
  it('warns at 80 % and breaches at the due time a thread nobody answers, and tells every agent', async () => {
    const sentBefore = api.sender.sent.length;
    const threadId = await customerWrites();
    await settle();
    expect(alertsOf(threadId)).toEqual(['sla.warning', 'sla.breached']);
    const [execution] = executionsOf(threadId);
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'breached' }, transitions: 4 });
    // Unassigned: both agents get each mail (two mails), never the customer.
    const mails = api.sender.sent.slice(sentBefore);
    expect(mails.map((m) => m.destinations.sort())).toEqual([
      ['ana@team.example', 'bob@team.example'],
      ['ana@team.example', 'bob@team.example'],
    ]);
    expect(mails.map((m) => m.raw.toString())).toEqual([
      expect.stringContaining('Auto-Submitted: auto-generated'),
      expect.stringContaining('SLA breached: first response'),
    ]);
    const view = await call('GET', `/v1/threads/${threadId}`);
    expect(view.body.sla.firstResponse).toMatchObject({ state: 'breached', outcome: 'breached' });
  });

  it('neither warns nor breaches a thread answered in time, and counts the response as met', async () => {
    const threadId = await customerWrites();
    await call('PATCH', `/v1/threads/${threadId}`, { headers: as('ana'), body: { version: 1, assignee: 'ana' } });
    const res = await call('POST', `/v1/threads/${threadId}/messages`, {
      headers: as('ana'),
      body: { to: [contactEmail], text: 'On it.' },
    });
    expect(res.status).toBe(201);
    await settle();
    expect(alertsOf(threadId)).toEqual([]);
    expect(executionsOf(threadId).map((e) => [e.status, e.output])).not.toContainEqual([
      'SUCCEEDED',
      { outcome: 'breached' },
    ]);
    const view = await call('GET', `/v1/threads/${threadId}`);
    expect(view.body.sla.firstResponse).toMatchObject({ state: 'met', outcome: 'met' });
  });

  it('leaves nothing stale after a change of status or of policy (seeded interleavings)', async () => {
    // Each thread is closed (or the policy changes) at a random point before, between or after the
    // warning and the due time; an alert after the change would be stale.
    const trials = 8;
    let seed = Number(process.env.RACE_SEED ?? 20261205);
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const changedAt = new Map<string, number>();
    const runs = Array.from({ length: trials }, async () => {
      const threadId = await customerWrites();
      await new Promise((r) => setTimeout(r, Math.floor(random() * 7000)));
      const close = await call('PATCH', `/v1/threads/${threadId}`, {
        headers: as('ana'),
        body: { version: 1, status: 'closed' },
      });
      expect(close.status).toBe(200);
      changedAt.set(threadId, Date.now());
      return threadId;
    });
    const threadIds = await Promise.all(runs);
    await settle();
    for (const threadId of threadIds) {
      const alerts = api.events.events.filter((e) => e.threadId === threadId && e.type.startsWith('sla.'));
      // Only what fired before the close (a warning, at most): never a breach after it.
      expect(alerts.map((e) => e.type)).not.toContain('sla.breached');
      for (const a of alerts) expect(Date.parse(a.at)).toBeLessThanOrEqual(changedAt.get(threadId) as number);
    }

    // A policy changed twice (60 → 600 → 60 minutes) while a clock runs: the clocks are re-armed at once, and
    // the thread is warned and breached once each, at the final policy's times; nothing of the 600-minute one.
    const threadId = await customerWrites();
    await poller.drain(30_000);
    await call('PUT', '/v1/settings', { body: { sla: { firstResponseMinutes: 600 } } });
    await poller.drain(30_000);
    await call('PUT', '/v1/settings', { body: { sla: { firstResponseMinutes: 60 } } });
    await settle();
    const alerts = api.events.events.filter((e) => e.threadId === threadId && e.type.startsWith('sla.'));
    expect(alerts.map((e) => e.type)).toEqual(['sla.warning', 'sla.breached']);
    const clock = (await call('GET', `/v1/threads/${threadId}`)).body.sla.firstResponse;
    expect(Date.parse(clock.dueAt) - Date.parse(clock.startedAt)).toBe(60 * 60_000);
    for (const a of alerts) expect(a.detail).toMatchObject({ dueAt: clock.dueAt });
  });

  it('re-arms open threads at a change of policy: nothing stale, a thread answered in time not breached, late ones listed (seeded interleavings)', async () => {
    // Six threads under a 60-minute first response; at a random point in the first 1.5 s (15 simulated
    // minutes) the policy becomes 30 minutes (due 3 s after each message); three threads are answered at
    // random points in the first 2 s. The unanswered must breach once, at the new due time; the answered never.
    let seed = Number(process.env.RACE_SEED ?? 20261206);
    const random = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const threadIds = await Promise.all(Array.from({ length: 6 }, () => customerWrites()));
    const answered = new Set<string>();
    const policyIn = Math.floor(random() * 1500);
    const answerIn = threadIds.map(() => Math.floor(random() * 2000));
    await Promise.all([
      (async () => {
        await sleep(policyIn);
        expect((await call('PUT', '/v1/settings', { body: { sla: { firstResponseMinutes: 30 } } })).status).toBe(200);
      })(),
      ...threadIds.map(async (threadId, i) => {
        if (i % 2 === 1) return;
        await sleep(answerIn[i]);
        const res = await call('POST', `/v1/threads/${threadId}/messages`, {
          headers: as('ana'),
          body: { to: [contactEmail], text: 'Answered.' },
        });
        expect(res.status).toBe(201);
        answered.add(threadId);
      }),
    ]);
    await settle();
    const late = await call('GET', '/v1/threads', { query: { late: 'true', limit: '100' } });
    expect(late.status).toBe(200);
    const listed = new Set(late.body.items.map((c: { threadId: string }) => c.threadId));
    for (const threadId of threadIds) {
      const alerts = api.events.events.filter((e) => e.threadId === threadId && e.type.startsWith('sla.'));
      const clock = (await call('GET', `/v1/threads/${threadId}`)).body.sla.firstResponse;
      if (answered.has(threadId)) {
        expect(
          alerts.map((e) => e.type),
          `answered ${threadId}`,
        ).not.toContain('sla.breached');
        expect(clock.outcome).toBe('met');
        expect(listed.has(threadId)).toBe(false);
        continue;
      }
      // Re-armed to the new policy, breached once at its due time: no alert of the old clock.
      expect(Date.parse(clock.dueAt) - Date.parse(clock.startedAt)).toBe(30 * 60_000);
      expect(alerts.filter((e) => e.type === 'sla.breached')).toHaveLength(1);
      for (const a of alerts) expect(a.detail).toMatchObject({ dueAt: clock.dueAt });
      expect(clock.outcome).toBe('breached');
      expect(listed.has(threadId)).toBe(true);
    }
    // The Late view counts them; a late thread closed leaves it.
    const views = await call('GET', '/v1/views');
    const lateView = views.body.items.find((v: { id: string }) => v.id === 'late');
    expect(lateView).toMatchObject({ name: 'Late', filter: { late: 'true' } });
    expect(lateView.count).toBeGreaterThanOrEqual(3);
    const closing = threadIds[1];
    const { version } = (await call('GET', `/v1/threads/${closing}`)).body;
    expect(
      (await call('PATCH', `/v1/threads/${closing}`, { headers: as('ana'), body: { version, status: 'closed' } }))
        .status,
    ).toBe(200);
    await settle();
    const after = await call('GET', '/v1/threads', { query: { late: 'true', limit: '100' } });
    expect(after.body.items.map((c: { threadId: string }) => c.threadId)).not.toContain(closing);
    expect((await call('GET', '/v1/views')).body.items.find((v: { id: string }) => v.id === 'late').count).toBe(
      lateView.count - 1,
    );
    expect((await call('GET', '/v1/threads', { query: { late: 'true', q: 'late' } })).status).toBe(400);
    await call('PUT', '/v1/settings', { body: { sla: { firstResponseMinutes: 60 } } });
    await settle();
  });
});
