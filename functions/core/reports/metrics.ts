/**
 * The metrics of one thread, as its changes come from the table's stream: an event log (created, customer
 * message, first response, each agent reply, status changes, resolved, reopened, merged) and the state
 * that each event moves. Pure: the adapter reads the state, calls `applyChange`, and writes the events,
 * the new state and the rollup deltas in one conditional transaction keyed by the event ids, so that a
 * record delivered twice counts once.
 *
 * Rules (docs/reports.md):
 * - a **cycle** starts when the thread is created, and again when it is reopened from closed;
 * - a **response** is a message sent by an agent (not the integration, not the workflow's reminders, not an
 *   email copy of a chat message); it answers the oldest customer message not yet answered in the cycle;
 *   the first of a cycle is its **first response**, the later ones are **next responses**;
 * - **resolved** is a move to closed (a merge is counted as merged, not resolved); resolution time runs
 *   from the start of the cycle;
 * - each time is stored in calendar and in business seconds, with the business hours in force when the
 *   event is processed.
 */
import { addBusinessSeconds, type BusinessHours, businessSecondsBetween } from '../business-time/business-time.ts';
import type { SlaPolicy } from '../business-time/policy.ts';
import type { MessageChannel, ThreadStatus } from '../model.ts';

/** What the metrics need of a thread item (a stream image). */
export interface ThreadImage {
  workspaceId: string;
  threadId: string;
  status: ThreadStatus;
  statusVersion: number;
  assignee?: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  mergedInto?: string;
  mailbox?: string;
}

/** What the metrics need of a message feed item. */
export interface MessageImage {
  workspaceId: string;
  threadId: string;
  itemId: string;
  at: string;
  direction: 'inbound' | 'outbound';
  /** The agent who sent it (outbound); absent for the integration and the workflow. */
  agentId?: string;
  /** A customer's real message: ordinary, verified sender, not quarantined. */
  fromCustomer: boolean;
  /** Reminders and other automated mail. */
  automated: boolean;
  /** An email copy of a chat message (the fallback): not a message of its own. */
  copy: boolean;
  channel: MessageChannel;
}

export type MetricsChange =
  | { kind: 'thread'; before?: ThreadImage; after: ThreadImage; firstChannel?: MessageChannel }
  | { kind: 'message'; message: MessageImage };

export type SlaTarget = 'firstResponse' | 'nextResponse' | 'resolution';
export type SlaOutcome = 'met' | 'breached';

export interface SlaClock {
  /** When the clock started (the customer message, the cycle's start). */
  startedAt: string;
  dueAt: string;
  /** When the warning is due (warningPercent of the target, in business time). */
  warnAt: string;
  /** Set once the target is reached (met) or missed at that moment (breached). */
  outcome?: SlaOutcome;
  /** Set by the breach timer when it fired: the breach is counted then, never again at the late answer. */
  breachedAt?: string;
  warnedAt?: string;
}

/** The metrics state of one thread (one item next to the thread). */
export interface ThreadMetricsState {
  cycle: number;
  cycleStartedAt: string;
  /** The oldest customer message of the cycle not answered yet. */
  awaitingSince?: string;
  firstResponseAt?: string;
  firstResponseSeconds?: number;
  firstResponseBusinessSeconds?: number;
  resolvedAt?: string;
  status?: ThreadStatus;
  assignee?: string;
  tags: string[];
  channel?: MessageChannel;
  mailbox?: string;
  /** The SLA clocks of the cycle; each is set while its target applies. */
  sla: Partial<Record<SlaTarget, SlaClock>>;
  /** Bumped by every change of the SLA clocks: an SLA timer acts only while it still matches. */
  slaVersion: number;
  /** Counts the writes of the state (the store's condition): absent before the first write. */
  rev?: number;
}

export type MetricsEventType =
  | 'created'
  | 'customerMessage'
  | 'firstResponse'
  | 'reply'
  | 'statusChanged'
  | 'resolved'
  | 'reopened'
  | 'merged'
  /** The breach timer fired on a clock still running (an unanswered thread): counted in met % then. */
  | 'slaBreached';

export interface MetricsEvent {
  /** Unique within the thread and the same for the same stream record: the idempotency key. */
  eventId: string;
  type: MetricsEventType;
  at: string;
  cycle: number;
  /** The dimensions the event is counted under. */
  agent?: string;
  tags: string[];
  channel: MessageChannel;
  mailbox?: string;
  /** A response or a resolution: its time, in calendar and in business seconds. */
  seconds?: number;
  businessSeconds?: number;
  /**
   * A response or a resolution under an SLA target: whether it came in time. `countedAtDue`: the breach was
   * counted when its timer fired (the `slaBreached` event), so this late answer does not count it again.
   */
  sla?: { target: SlaTarget; outcome: SlaOutcome; countedAtDue?: true };
  from?: ThreadStatus;
  to?: ThreadStatus;
}

export interface MetricsSettings {
  businessHours?: BusinessHours;
  sla?: SlaPolicy;
}

/** The warning's share of an SLA target when the policy does not say. */
export const DEFAULT_WARNING_PERCENT = 80;

/** Tags counted in the rollups per event (a thread may carry 50; the rollups keep their cost bounded). */
export const ROLLUP_TAGS = 10;

const TARGET_MINUTES: Record<SlaTarget, keyof SlaPolicy> = {
  firstResponse: 'firstResponseMinutes',
  nextResponse: 'nextResponseMinutes',
  resolution: 'resolutionMinutes',
};

/** The SLA clock of `target` started at `from`, or undefined when the policy has no such target. */
export function slaClock(settings: MetricsSettings, target: SlaTarget, from: string): SlaClock | undefined {
  const minutes = settings.sla?.[TARGET_MINUTES[target]];
  if (!minutes) return undefined;
  const seconds = minutes * 60;
  const percent = settings.sla?.warningPercent ?? DEFAULT_WARNING_PERCENT;
  const start = new Date(from);
  const due = addBusinessSeconds(settings.businessHours, start, seconds);
  const warn = addBusinessSeconds(settings.businessHours, start, Math.floor((seconds * percent) / 100));
  if (!due || !warn) return undefined; // a schedule with no hours: no SLA can be met or missed
  return { startedAt: from, dueAt: due.toISOString(), warnAt: warn.toISOString() };
}

const elapsed = (settings: MetricsSettings, from: string, to: string) => ({
  seconds: businessSecondsBetween(undefined, new Date(from), new Date(to)),
  businessSeconds: businessSecondsBetween(settings.businessHours, new Date(from), new Date(to)),
});

/** The state of a thread that the metrics have not seen yet. */
export function initialState(at: string): ThreadMetricsState {
  return { cycle: 1, cycleStartedAt: at, tags: [], sla: {}, slaVersion: 0 };
}

/** The clocks that have an outcome (met or breached). */
function settledOnly(sla: ThreadMetricsState['sla']): ThreadMetricsState['sla'] {
  return Object.fromEntries(Object.entries(sla).filter(([, c]) => c?.outcome)) as ThreadMetricsState['sla'];
}

export type SlaState = 'pending' | 'warning' | SlaOutcome;

/** What a thread's SLA clocks say at `now`: met or breached once settled, else by the time. */
export function slaStatesAt(
  sla: ThreadMetricsState['sla'],
  now: Date,
): Partial<Record<SlaTarget, SlaClock & { state: SlaState }>> {
  const t = now.toISOString();
  const out: Partial<Record<SlaTarget, SlaClock & { state: SlaState }>> = {};
  for (const [target, c] of Object.entries(sla) as Array<[SlaTarget, SlaClock | undefined]>) {
    if (!c) continue;
    const state: SlaState = c.outcome ?? (t >= c.dueAt ? 'breached' : t >= c.warnAt ? 'warning' : 'pending');
    out[target] = { ...c, state };
  }
  return out;
}

/** Closes an SLA clock with the outcome at `at` (and nothing when it has none). */
function settle(clock: SlaClock | undefined, at: string): SlaOutcome | undefined {
  if (!clock) return undefined;
  return clock.outcome ?? (at <= clock.dueAt ? 'met' : 'breached');
}

/** The SLA mark of a response or resolution event on `clock`; a breach its timer already counted counts no more. */
function slaMark(target: SlaTarget, clock: SlaClock | undefined, outcome: SlaOutcome | undefined) {
  if (!outcome) return {};
  const countedAtDue = outcome === 'breached' && clock?.breachedAt !== undefined;
  return { sla: { target, outcome, ...(countedAtDue ? { countedAtDue: true as const } : {}) } };
}

/**
 * The event of a breach timer's firing on a running clock (docs/reports.md): counted on the due time's day,
 * for the assignee at that time, so met % counts a thread still unanswered. Its id names the clock's
 * version: a retried step writes it once.
 */
export function breachEvent(state: ThreadMetricsState, target: SlaTarget, slaVersion: number): MetricsEvent | null {
  const clock = state.sla[target];
  if (!clock || clock.outcome) return null;
  return {
    eventId: `sla#${target}#v${slaVersion}`,
    type: 'slaBreached',
    at: clock.dueAt,
    cycle: state.cycle,
    sla: { target, outcome: 'breached' },
    ...dims(state, state.assignee),
  };
}

/**
 * The events that one change makes and the state after them. `state` is null for a thread seen for the
 * first time.
 */
export function applyChange(
  state: ThreadMetricsState | null,
  change: MetricsChange,
  settings: MetricsSettings,
): { state: ThreadMetricsState; events: MetricsEvent[] } {
  return change.kind === 'thread'
    ? applyThread(state, change.before, change.after, change.firstChannel, settings)
    : applyMessage(state, change.message, settings);
}

function dims(s: ThreadMetricsState, agent: string | undefined, channel?: MessageChannel) {
  return {
    ...(agent ? { agent } : {}),
    tags: s.tags.slice(0, ROLLUP_TAGS),
    channel: channel ?? s.channel ?? 'email',
    ...(s.mailbox ? { mailbox: s.mailbox } : {}),
  };
}

function applyThread(
  prior: ThreadMetricsState | null,
  before: ThreadImage | undefined,
  after: ThreadImage,
  firstChannel: MessageChannel | undefined,
  settings: MetricsSettings,
): { state: ThreadMetricsState; events: MetricsEvent[] } {
  let s: ThreadMetricsState = {
    ...(prior ?? initialState(after.createdAt)),
    status: after.status,
    tags: after.tags,
    ...(firstChannel && !prior?.channel ? { channel: firstChannel } : {}),
  };
  s = { ...s, ...(after.assignee ? { assignee: after.assignee } : { assignee: undefined }) };
  if (after.mailbox) s.mailbox = after.mailbox;
  const events: MetricsEvent[] = [];
  const at = after.updatedAt;

  if (!before) {
    const resolution = s.sla.resolution ?? slaClock(settings, 'resolution', s.cycleStartedAt);
    s = { ...s, sla: { ...s.sla, ...(resolution ? { resolution } : {}) }, slaVersion: s.slaVersion + 1 };
    events.push({ eventId: 'created', type: 'created', at: after.createdAt, cycle: 1, ...dims(s, after.assignee) });
    return { state: s, events };
  }
  if (before.status === after.status || after.statusVersion <= before.statusVersion) return { state: s, events };

  const v = `v${after.statusVersion}`;
  events.push({
    eventId: `status#${v}`,
    type: 'statusChanged',
    at,
    cycle: s.cycle,
    from: before.status,
    to: after.status,
    ...dims(s, after.assignee),
  });
  if (after.mergedInto && !before.mergedInto) {
    events.push({ eventId: `merged#${v}`, type: 'merged', at, cycle: s.cycle, ...dims(s, after.assignee) });
    s = { ...s, resolvedAt: at, awaitingSince: undefined, sla: {}, slaVersion: s.slaVersion + 1 };
  } else if (after.status === 'closed' && !s.resolvedAt) {
    const outcome = settle(s.sla.resolution, at);
    events.push({
      eventId: `resolved#${v}`,
      type: 'resolved',
      at,
      cycle: s.cycle,
      ...elapsed(settings, s.cycleStartedAt, at),
      ...slaMark('resolution', s.sla.resolution, outcome),
      ...dims(s, after.assignee),
    });
    // A reply committed with the close may come after it on the stream: the awaiting message stays, so
    // that reply still counts as its response. Clocks still running stop; those settled stay to be seen.
    const sla = settledOnly(s.sla);
    if (s.sla.resolution && outcome) sla.resolution = { ...s.sla.resolution, outcome };
    s = { ...s, resolvedAt: at, sla, slaVersion: s.slaVersion + 1 };
  } else if (before.status === 'closed' && after.status !== 'closed' && !after.mergedInto) {
    const cycle = s.cycle + 1;
    events.push({ eventId: `reopened#${v}`, type: 'reopened', at, cycle, ...dims(s, after.assignee) });
    // Reopened to open, the thread waits for an agent again: the new cycle's first response counts from now.
    const awaiting = after.status === 'open' ? at : undefined;
    const firstResponse = awaiting ? slaClock(settings, 'firstResponse', awaiting) : undefined;
    const resolution = slaClock(settings, 'resolution', at);
    s = {
      ...s,
      cycle,
      cycleStartedAt: at,
      awaitingSince: awaiting,
      firstResponseAt: undefined,
      firstResponseSeconds: undefined,
      firstResponseBusinessSeconds: undefined,
      resolvedAt: undefined,
      sla: { ...(firstResponse ? { firstResponse } : {}), ...(resolution ? { resolution } : {}) },
      slaVersion: s.slaVersion + 1,
    };
  }
  return { state: s, events };
}

function applyMessage(
  prior: ThreadMetricsState | null,
  m: MessageImage,
  settings: MetricsSettings,
): { state: ThreadMetricsState; events: MetricsEvent[] } {
  let s = prior ?? initialState(m.at);
  if (!s.channel && !m.copy) s = { ...s, channel: m.channel };
  const eventId = `msg#${m.itemId}`;
  if (m.copy) return { state: s, events: [] };

  if (m.direction === 'inbound') {
    if (!m.fromCustomer || s.resolvedAt) return { state: s, events: [] };
    const events: MetricsEvent[] = [
      { eventId, type: 'customerMessage', at: m.at, cycle: s.cycle, ...dims(s, undefined, m.channel) },
    ];
    if (s.awaitingSince) return { state: s, events };
    const target: SlaTarget = s.firstResponseAt ? 'nextResponse' : 'firstResponse';
    const clock = slaClock(settings, target, m.at);
    const sla = { ...s.sla };
    delete sla.nextResponse;
    if (clock) sla[target] = clock;
    return { state: { ...s, awaitingSince: m.at, sla, slaVersion: s.slaVersion + 1 }, events };
  }

  if (!m.agentId || m.automated) return { state: s, events: [] };
  const awaiting = s.awaitingSince;
  if (!awaiting)
    return {
      state: s,
      events: [{ eventId, type: 'reply', at: m.at, cycle: s.cycle, ...dims(s, m.agentId, m.channel) }],
    };
  const first = !s.firstResponseAt;
  const target: SlaTarget = first ? 'firstResponse' : 'nextResponse';
  const outcome = settle(s.sla[target], m.at);
  const times = elapsed(settings, awaiting, m.at);
  const event: MetricsEvent = {
    eventId,
    type: first ? 'firstResponse' : 'reply',
    at: m.at,
    cycle: s.cycle,
    ...times,
    ...slaMark(target, s.sla[target], outcome),
    ...dims(s, m.agentId, m.channel),
  };
  const sla = { ...s.sla };
  const clock = s.sla[target];
  if (clock && outcome) sla[target] = { ...clock, outcome };
  const next: ThreadMetricsState = {
    ...s,
    awaitingSince: undefined,
    sla,
    slaVersion: s.slaVersion + 1,
    ...(first
      ? {
          firstResponseAt: m.at,
          firstResponseSeconds: times.seconds,
          firstResponseBusinessSeconds: times.businessSeconds,
        }
      : {}),
  };
  return { state: next, events: [event] };
}
