/**
 * SLA alerts and clocks, pure and with fakes: a breach counted once in met % (when its timer fires, never
 * again at the late answer); the clocks re-armed under a new policy; the alerts through the notifications
 * module (slaWarning / slaBreach, off by default, to the assignee or every agent) instead of the plain mail.
 */
import { describe, expect, it, vi } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import type { SlaRearmJob } from '#adapters/dynamo/sla-rearm-jobs.ts';
import { chooseFacet } from '#adapters/dynamo/thread-queries.ts';
import { createSlaNotifier } from '#adapters/sla-notifier.ts';
import { createSlaRearm, policyChangeOf, policyGeneration, rearmJobOf } from '#adapters/sla-rearm.ts';
import type { AgentProfile } from '#core/agents.ts';
import type { Thread } from '#core/model.ts';
import { notify } from '#core/notifications/notify.ts';
import type { Notice, PreferencesPatch } from '#core/notifications/rules.ts';
import type { MailQueue, Notification, NotificationStore } from '#core/notifications/store.ts';
import { applyChange, breachEvent, type MetricsSettings, type ThreadMetricsState } from '#core/reports/metrics.ts';
import { figuresOf, rollupDeltas } from '#core/reports/rollup.ts';
import { rearmedState, type SlaAlert } from '#core/reports/sla-timers.ts';
import { messageImage, T, threadImage, WS } from '../support/metrics.ts';

const SETTINGS: MetricsSettings = { sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } };

/** A thread awaiting its first response since 09:00 (a 60-minute target: due 10:00, warned 09:48). */
function awaiting(): ThreadMetricsState {
  const created = applyChange(
    null,
    { kind: 'thread', after: threadImage({ tags: ['vip'], assignee: 'ana' }) },
    SETTINGS,
  ).state;
  return applyChange(created, { kind: 'message', message: messageImage({ itemId: 'M1' }) }, SETTINGS).state;
}

const answerAt = (state: ThreadMetricsState, at: string) =>
  applyChange(
    state,
    {
      kind: 'message',
      message: messageImage({ itemId: `A${at}`, at, direction: 'outbound', agentId: 'bob', fromCustomer: false }),
    },
    SETTINGS,
  );

describe('a breach in met %', () => {
  it('counts an unanswered breach when its timer fires, on the due day, for the assignee', () => {
    const state = awaiting();
    const event = breachEvent(state, 'firstResponse', state.slaVersion);
    expect(event).toMatchObject({
      type: 'slaBreached',
      at: '2026-11-02T10:00:00.000Z',
      agent: 'ana',
      tags: ['vip'],
      sla: { target: 'firstResponse', outcome: 'breached' },
    });
    expect(event?.eventId).toBe(`sla#firstResponse#v${state.slaVersion}`);
    const rollups = rollupDeltas([event!]);
    expect(rollups.map((r) => [r.dimension, r.value, r.day])).toEqual([
      ['workspace', '-', '2026-11-02'],
      ['channel', 'email', '2026-11-02'],
      ['agent', 'ana', '2026-11-02'],
      ['tag', 'vip', '2026-11-02'],
    ]);
    const figures = figuresOf(
      rollups.filter((r) => r.dimension === 'workspace').map((r) => ({ ...r, counters: r.add })),
    );
    expect(figures.sla).toMatchObject({ met: 0, breached: 1, metPercent: 0 });
  });

  it('does not count it again at the late answer, and counts a late answer that no timer marked', () => {
    const state = awaiting();
    // The timer's mark (metrics-store markSla): the outcome and when it fired.
    const marked: ThreadMetricsState = {
      ...state,
      sla: {
        ...state.sla,
        firstResponse: { ...state.sla.firstResponse!, outcome: 'breached', breachedAt: '2026-11-02T10:00:00.000Z' },
      },
    };
    const late = answerAt(marked, '2026-11-02T11:00:00.000Z');
    expect(late.events[0].sla).toEqual({ target: 'firstResponse', outcome: 'breached', countedAtDue: true });
    expect(rollupDeltas(late.events).find((r) => r.dimension === 'workspace')?.add).not.toHaveProperty('slaBreached');
    // Without the timer (no SLA machine deployed), the late answer counts the breach as before.
    const unmarked = answerAt(state, '2026-11-02T11:00:00.000Z');
    expect(rollupDeltas(unmarked.events).find((r) => r.dimension === 'workspace')?.add).toMatchObject({
      slaBreached: 1,
      slaBreached_firstResponse: 1,
    });
    // A clock already settled makes no breach event.
    expect(breachEvent(marked, 'firstResponse', marked.slaVersion)).toBeNull();
  });
});

describe('rearmedState (a change of SLA policy or hours)', () => {
  it('recomputes the running clocks from their start, stops dropped targets, starts new ones', () => {
    const state = awaiting();
    const shorter = rearmedState(state, { sla: { firstResponseMinutes: 30, resolutionMinutes: 600 } });
    expect(shorter?.sla.firstResponse).toEqual({
      startedAt: '2026-11-02T09:00:00.000Z',
      dueAt: '2026-11-02T09:30:00.000Z',
      warnAt: '2026-11-02T09:24:00.000Z',
    });
    expect(shorter?.sla.resolution).toEqual(state.sla.resolution);
    expect(shorter?.slaVersion).toBe(state.slaVersion + 1);
    const dropped = rearmedState(state, { sla: { resolutionMinutes: 600 } });
    expect(dropped?.sla.firstResponse).toBeUndefined();
    // A thread created under no policy gets its clocks when one is set.
    const bare = { ...state, sla: {} };
    expect(Object.keys(rearmedState(bare, SETTINGS)?.sla ?? {}).sort()).toEqual(['firstResponse', 'resolution']);
  });

  it('changes nothing under the same policy, for a resolved thread, or for a settled clock', () => {
    const state = awaiting();
    expect(rearmedState(state, SETTINGS)).toBeNull();
    expect(rearmedState({ ...state, resolvedAt: '2026-11-02T09:30:00.000Z' }, { sla: {} })).toBeNull();
    const met = answerAt(state, '2026-11-02T09:10:00.000Z').state;
    expect(met.sla.firstResponse?.outcome).toBe('met');
    const again = rearmedState(met, { sla: { firstResponseMinutes: 5, resolutionMinutes: 600 } });
    expect(again).toBeNull();
  });

  it('reads a policy change and the job from the stream', () => {
    const settingsRecord = (oldSla: number, newSla: number) =>
      ({
        eventName: 'MODIFY',
        dynamodb: {
          OldImage: {
            PK: { S: 'WS#W1' },
            entity: { S: 'settings' },
            sla: { M: { firstResponseMinutes: { N: String(oldSla) } } },
          },
          NewImage: {
            PK: { S: 'WS#W1' },
            entity: { S: 'settings' },
            sla: { M: { firstResponseMinutes: { N: String(newSla) } } },
          },
        },
      }) as never;
    expect(policyChangeOf(settingsRecord(60, 30))).toBe('W1');
    expect(policyChangeOf(settingsRecord(60, 60))).toBeNull();
    expect(
      rearmJobOf({
        eventName: 'MODIFY',
        dynamodb: {
          NewImage: {
            entity: { S: 'slaRearmJob' },
            workspaceId: { S: 'W1' },
            generation: { S: 'g' },
            page: { N: '2' },
            statuses: { L: [{ S: 'waiting' }] },
            cursor: { S: 'c' },
          },
        },
      } as never),
    ).toEqual({ workspaceId: 'W1', generation: 'g', page: 2, statuses: ['waiting'], cursor: 'c' });
    expect(policyGeneration({ sla: { firstResponseMinutes: 1 } })).not.toBe(
      policyGeneration({ sla: { firstResponseMinutes: 2 } }),
    );
  });
});

// ------------------------------------------------------------------------------ the notifications

const agents: AgentProfile[] = [
  { workspaceId: WS, agentId: 'ana', email: 'ana@team.example', name: 'Ana', role: 'agent', createdAt: '' },
  { workspaceId: WS, agentId: 'bob', email: 'bob@team.example', name: 'Bob', role: 'admin', createdAt: '' },
];
const directory = {
  getAgent: async (_w: string, id: string) => agents.find((a) => a.agentId === id) ?? null,
  listAgents: async () => agents,
};
const thread = (assignee?: string) =>
  ({
    workspaceId: WS,
    threadId: T,
    ref: '7',
    subject: 'Contract',
    createdAt: '2026-11-02T09:00:00.000Z',
    ...(assignee ? { assignee } : {}),
  }) as Thread;

/** The notification store's part that notify() uses, in memory. */
function memoryStore(prefs: Record<string, PreferencesPatch> = {}) {
  const stored = new Map<string, Notification>();
  const queues = new Map<string, MailQueue>();
  const store = {
    getWorkspacePreferences: async () => undefined,
    getAgentPreferences: async (_w: string, agentId: string) => prefs[agentId],
    putNotification: async (n: Notification) => {
      const key = `${n.agentId}/${n.notificationId}`;
      if (stored.has(key)) return false;
      stored.set(key, n);
      return true;
    },
    enqueueMail: async (_w: string, agentId: string, threadId: string, id: string) => {
      const q = queues.get(`${agentId}/${threadId}`) ?? { pending: [] };
      if (!q.pending.includes(id)) q.pending.push(id);
      queues.set(`${agentId}/${threadId}`, q);
      return q;
    },
    scheduleMailRun: vi.fn(),
  };
  return { store: store as unknown as NotificationStore, stored, queues, scheduleMailRun: store.scheduleMailRun };
}

const ALERT: SlaAlert = {
  kind: 'sla.breached',
  workspaceId: WS,
  threadId: T,
  target: 'firstResponse',
  dueAt: '2026-11-02T10:00:00.000Z',
  firesAt: '2026-11-02T10:00:00.000Z',
  idempotencyKey: `sla-${T}-v2-firstResponse-breach`,
};

function notifier(opts: { assignee?: string; prefs?: Record<string, PreferencesPatch> } = {}) {
  const mem = memoryStore(opts.prefs);
  const claimed = new Set<string>();
  const published: unknown[] = [];
  const sent: unknown[] = [];
  const notices: Notice[] = [];
  const send = createSlaNotifier({
    events: { publish: async (e) => void published.push(...e) },
    sender: { sendRaw: async (m: unknown) => void sent.push(m) } as never,
    agents: directory,
    inboundAddresses: async () => [{ address: 'support@example.com' }],
    claim: async (_w, _t, key) => !claimed.has(key) && Boolean(claimed.add(key)),
    clock: { now: () => new Date('2026-11-02T10:00:03.000Z') },
    notifications: async (notice) => {
      notices.push(notice);
      // No starter: the SLA step only queues the mail; the stream schedules its run.
      return notify(
        {
          notifications: mem.store,
          agents: directory,
          threads: { getThread: async () => thread(opts.assignee) },
          clock: { now: () => new Date('2026-11-02T10:00:03.000Z') },
        },
        notice,
      );
    },
  });
  return { send, mem, published, sent, notices };
}

describe('SLA alerts through the notifications module', () => {
  it('raises slaBreach for every agent of an unassigned thread, and nothing is stored while the rule is off (the default)', async () => {
    const n = notifier();
    await n.send(ALERT);
    expect(n.notices).toEqual([
      expect.objectContaining({
        event: 'slaBreach',
        at: ALERT.firesAt,
        sourceId: ALERT.idempotencyKey,
        agentIds: ['ana', 'bob'],
      }),
    ]);
    expect(n.mem.stored.size).toBe(0);
    expect(n.published).toHaveLength(1);
    // The notifications' own mail channel replaces the plain mail.
    expect(n.sent).toEqual([]);
  });

  it('tells the assignee only, in the bell and by the batched mail, when the agent turned slaBreach on', async () => {
    const n = notifier({ assignee: 'ana', prefs: { ana: { rules: { slaBreach: { app: true, email: true } } } } });
    await n.send({ ...ALERT, assignee: 'ana' });
    const [stored] = [...n.mem.stored.values()];
    expect(n.mem.stored.size).toBe(1);
    expect(stored).toMatchObject({
      agentId: 'ana',
      event: 'slaBreach',
      threadId: T,
      excerpt: 'First response due 2026-11-02T10:00:00.000Z',
    });
    expect(stored.channels).toEqual(['app', 'email']);
    expect(n.mem.queues.get(`ana/${T}`)?.pending).toEqual([stored.notificationId]);
    expect(n.mem.scheduleMailRun).not.toHaveBeenCalled();
  });

  it('makes the same notification for a retried step, and publishes the event once', async () => {
    const n = notifier({ assignee: 'ana', prefs: { ana: { rules: { slaWarning: { app: true } } } } });
    const warning: SlaAlert = { ...ALERT, kind: 'sla.warning', firesAt: '2026-11-02T09:48:00.000Z', assignee: 'ana' };
    await n.send(warning);
    await n.send(warning); // the Task retried: its key is claimed, its notification id the same
    expect(n.notices).toHaveLength(2);
    expect(n.mem.stored.size).toBe(1);
    expect([...n.mem.stored.values()][0]).toMatchObject({
      event: 'slaWarning',
      at: warning.firesAt,
      channels: ['app'],
    });
    expect(n.published).toHaveLength(1);
  });

  it('mails the agents itself when the notifications module is not wired', async () => {
    const sent: Array<{ destinations: string[] }> = [];
    const send = createSlaNotifier({
      events: { publish: async () => {} },
      sender: { sendRaw: async (m: { destinations: string[] }) => void sent.push(m) } as never,
      agents: directory,
      inboundAddresses: async () => [{ address: 'support@example.com' }],
      claim: async () => true,
      clock: { now: () => new Date('2026-11-02T10:00:03.000Z') },
    });
    await send(ALERT);
    expect(sent.map((m) => m.destinations)).toEqual([['ana@team.example', 'bob@team.example']]);
  });
});

describe('the keys of the Late view and of the re-arm job', () => {
  it('lists a late thread in a sparse facet of its own, which the late filter reads', () => {
    expect(keys.lateListEntry('W1', 'T1', '2026-11-02T10:00:00.000Z')).toEqual({
      PK: 'WS#W1#TH#T1',
      SK: 'LIST#late',
      GSI1PK: 'WS#W1#LIST#late',
      GSI1SK: '2026-11-02T10:00:00.000Z#T1',
    });
    expect(keys.lateListEntryKey('W1', 'T1')).toEqual({ PK: 'WS#W1#TH#T1', SK: 'LIST#late' });
    expect(chooseFacet({ late: true, status: 'open' })).toEqual({ facet: 'late', remaining: { status: 'open' } });
    expect(keys.slaRearmJob('W1')).toEqual({ PK: 'WS#W1', SK: 'SLAREARM' });
    expect(keys.workspaceOfSettingsPartition('WS#W1')).toBe('W1');
    expect(keys.workspaceOfSettingsPartition('WS#W1#TH#T1')).toBeNull();
  });
});

describe('the re-arm job, paged over the stream (fakes)', () => {
  it('pages every status list to its end, one page per job record, and a record delivered twice moves nothing', async () => {
    // 120 open threads and 3 waiting, under a 60-minute policy; the policy becomes 30 minutes.
    const settings: MetricsSettings = { sla: { firstResponseMinutes: 30 } };
    const states = new Map<string, ThreadMetricsState>();
    const lists: Record<string, string[]> = { open: [], waiting: [], reminder: [], snoozed: [] };
    for (let i = 0; i < 123; i++) {
      const id = `T${String(i).padStart(3, '0')}`;
      (i < 120 ? lists.open : lists.waiting).push(id);
      states.set(id, { ...awaiting(), rev: 1 });
    }
    let job: SlaRearmJob | undefined;
    const records: unknown[] = [];
    const jobRecord = (j: SlaRearmJob) => ({
      eventName: 'MODIFY',
      dynamodb: {
        NewImage: {
          entity: { S: 'slaRearmJob' },
          workspaceId: { S: j.workspaceId },
          generation: { S: j.generation },
          page: { N: String(j.page) },
          statuses: { L: j.statuses.map((s) => ({ S: s })) },
          ...(j.cursor ? { cursor: { S: j.cursor } } : {}),
        },
      },
    });
    const started: string[] = [];
    const rearm = createSlaRearm({
      metrics: {
        getState: async (_w, t) => states.get(t) ?? null,
        commit: async (c) => {
          states.set(c.threadId, { ...c.state, rev: (c.state.rev ?? 0) + 1 });
          return true;
        },
      },
      jobs: {
        startRearmJob: async (j) => {
          job = j;
          records.push(jobRecord(j));
        },
        advanceRearmJob: async (_w, generation, page, next) => {
          if (!job || job.generation !== generation || job.page !== page) return false;
          job = next ? { ...job, page: page + 1, statuses: next.statuses, cursor: next.cursor } : undefined;
          if (job) records.push(jobRecord(job));
          return true;
        },
      },
      threads: {
        listThreads: async (_w, { status }, page) => {
          const from = page.cursor ? Number(page.cursor) : 0;
          const ids = lists[status].slice(from, from + page.limit);
          const next = from + page.limit;
          return {
            items: ids.map((threadId) => ({ threadId })),
            ...(next < lists[status].length ? { cursor: String(next) } : {}),
          };
        },
      },
      directory: { getSettings: async () => settings },
      slaStarter: { start: async (name) => void started.push(name), stop: async () => {} },
    });
    const change = {
      eventName: 'MODIFY',
      dynamodb: {
        OldImage: { PK: { S: 'WS#W1' }, entity: { S: 'settings' }, sla: { M: { firstResponseMinutes: { N: '60' } } } },
        NewImage: { PK: { S: 'WS#W1' }, entity: { S: 'settings' }, sla: { M: { firstResponseMinutes: { N: '30' } } } },
      },
    };
    expect(await rearm(change as never)).toBe(true);
    let handled = 0;
    while (records.length > handled) {
      const record = records[handled++];
      await rearm(record as never);
      if (handled === 2) await rearm(record as never); // the second page's record delivered twice
    }
    // Pages: open 50 + 50 + 20, waiting 3, then the end (reminder and snoozed empty): 6 job records.
    expect(handled).toBe(6);
    expect(job).toBeUndefined();
    for (const state of states.values()) {
      expect(state.sla.firstResponse?.dueAt).toBe('2026-11-02T09:30:00.000Z');
      expect(state.sla.resolution).toBeUndefined(); // the new policy has no resolution target
      expect(state.rev).toBe(2); // re-armed once, the repeated page found nothing to change
    }
    expect(started).toHaveLength(123);
  });
});
