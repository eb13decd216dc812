/**
 * SLA timers on Step Functions (statemachine/sla.asl.json): one execution per running SLA clock, named
 * `sla-<threadId>-v<slaVersion>-<target>`. It waits until the warning time, runs the step (warning), waits
 * until the due time, runs the step (breach). Like the lifecycle timers, a step acts only while the
 * thread's metrics still carry the same slaVersion and the clock is still running; any newer change
 * (an answer, a close, a new policy at the next change) supersedes it, and the dispatcher stops it.
 */
import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import type { Thread } from '../model.ts';
import {
  breachEvent,
  type MetricsEvent,
  type MetricsSettings,
  type SlaClock,
  type SlaTarget,
  slaClock,
  type ThreadMetricsState,
} from './metrics.ts';
import { type RollupDelta, rollupDeltas } from './rollup.ts';

const TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;

/** The input of one SLA execution; the step gets it with its `phase`. */
export const slaTimerInputSchema = z.object({
  action: z.literal('slaTimer'),
  workspaceId: z.string().check(z.minLength(1)),
  threadId: z.string().check(z.minLength(1)),
  slaVersion: z.int().check(z.minimum(1)),
  target: z.enum(TARGETS),
  warnAt: z.string().check(z.minLength(1)),
  dueAt: z.string().check(z.minLength(1)),
});
export type SlaTimerInput = z.infer<typeof slaTimerInputSchema>;

export const slaStepSchema = z.object({ phase: z.enum(['warning', 'breach']), input: slaTimerInputSchema });

export const slaExecutionName = (threadId: string, slaVersion: number, target: SlaTarget) =>
  `sla-${threadId}-v${slaVersion}-${target}`;

/** What a change of a thread's metrics does to its SLA executions: which to start and which to stop. */
export function slaTimerChanges(
  workspaceId: string,
  threadId: string,
  prior: ThreadMetricsState | null,
  next: ThreadMetricsState,
): { start: Array<{ name: string; input: SlaTimerInput }>; stop: string[] } {
  if (prior && prior.slaVersion === next.slaVersion) return { start: [], stop: [] };
  const running = (s: ThreadMetricsState | null) =>
    s ? (Object.entries(s.sla) as Array<[SlaTarget, SlaClock | undefined]>).filter(([, c]) => c && !c.outcome) : [];
  const start = running(next).map(([target, c]) => ({
    name: slaExecutionName(threadId, next.slaVersion, target),
    input: {
      action: 'slaTimer' as const,
      workspaceId,
      threadId,
      slaVersion: next.slaVersion,
      target,
      warnAt: (c as SlaClock).warnAt,
      dueAt: (c as SlaClock).dueAt,
    },
  }));
  const stop = running(prior).map(([target]) =>
    slaExecutionName(threadId, (prior as ThreadMetricsState).slaVersion, target),
  );
  return { start, stop };
}

/**
 * A thread's SLA clocks under the workspace's current policy and hours (a change of `sla` or
 * `businessHours`): each running clock is recomputed from its start, a target the policy dropped stops,
 * a target it added starts (first or next response while a customer waits, resolution from the cycle's
 * start). Settled clocks (met, breached) stay as they were: the past is not rewritten. Null when nothing
 * changes (or the thread is resolved or merged: no clock runs); else the state with a new `slaVersion`,
 * which supersedes the executions of the old one.
 */
export function rearmedState(state: ThreadMetricsState, settings: MetricsSettings): ThreadMetricsState | null {
  if (state.resolvedAt) return null;
  const waiting = state.awaitingSince;
  const startOf: Record<SlaTarget, string | undefined> = {
    firstResponse: waiting && !state.firstResponseAt ? waiting : undefined,
    nextResponse: waiting && state.firstResponseAt ? waiting : undefined,
    resolution: state.cycleStartedAt,
  };
  const sla = { ...state.sla };
  let changed = false;
  for (const target of TARGETS) {
    const old = sla[target];
    if (old?.outcome) continue;
    const from = old?.startedAt ?? startOf[target];
    const clock = from ? slaClock(settings, target, from) : undefined;
    if (!clock) {
      if (old) {
        delete sla[target];
        changed = true;
      }
      continue;
    }
    if (old && old.dueAt === clock.dueAt && old.warnAt === clock.warnAt) continue;
    sla[target] = clock;
    changed = true;
  }
  return changed ? { ...state, sla, slaVersion: state.slaVersion + 1 } : null;
}

/** An SLA warning or breach, for the people who must act on it. */
export interface SlaAlert {
  kind: 'sla.warning' | 'sla.breached';
  workspaceId: string;
  threadId: string;
  target: SlaTarget;
  dueAt: string;
  /** When the step was due to run (the warning's or the due time): the same for a retried step. */
  firesAt: string;
  /** The assignee, or absent: every agent of the workspace. */
  assignee?: string;
  /** The same for the same execution step: a retried step sends nothing twice. */
  idempotencyKey: string;
}

/** The ports of the SLA step. */
export interface SlaStepDeps {
  metrics: {
    getState(workspaceId: string, threadId: string): Promise<ThreadMetricsState | null>;
    /**
     * Marks the clock as warned or breached, only if the state still has `slaVersion` and the clock has no
     * outcome; false when it does not (superseded) or the mark is already there (a retry: true again).
     */
    markSla(
      workspaceId: string,
      threadId: string,
      slaVersion: number,
      target: SlaTarget,
      phase: 'warning' | 'breach',
      at: string,
      /** The thread's statusVersion as the step read it: a status change committed since supersedes the mark. */
      statusVersion?: number,
      /**
       * A breach's event and rollups, written with the mark: met % counts an unanswered breach once; and the
       * thread as read, whose card the mark lists in the Late view.
       */
      count?: { event: MetricsEvent; rollups: RollupDelta[]; thread?: Thread },
    ): Promise<boolean>;
    /** True when an agent sent a message on the thread after `since` (the feed, the source of truth). */
    agentRepliedSince(workspaceId: string, threadId: string, since: string): Promise<boolean>;
  };
  /** The thread itself: the stream may not have brought its latest change to the metrics yet. */
  threads: { getThread(workspaceId: string, threadId: string): Promise<Thread | null> };
  /** The workspace's current SLA policy and hours: a clock of an older policy ends quietly. */
  directory: { getSettings(workspaceId: string): Promise<MetricsSettings> };
  /** Tells the assignee (or every agent): adapters/sla-notifier.ts, the one place to rewire. */
  notify(alert: SlaAlert): Promise<void>;
  clock: { now(): Date };
}

export interface SlaStepResult {
  outcome: 'warned' | 'breached' | 'superseded';
  reason?: string;
}

/** The step of an SLA execution, at its warning or its due time. */
export async function runSlaStep(deps: SlaStepDeps, raw: unknown): Promise<SlaStepResult> {
  const parsed = slaStepSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('invalid SLA step input', parsed.error.issues);
  const { phase, input } = parsed.data;
  const state = await deps.metrics.getState(input.workspaceId, input.threadId);
  if (!state || state.slaVersion !== input.slaVersion) return { outcome: 'superseded', reason: 'the thread changed' };
  const clock = state.sla[input.target];
  if (!clock || clock.outcome) return { outcome: 'superseded', reason: 'the clock stopped' };
  // The policy (or the hours) changed since the clock started: its due time is no longer the rule's.
  const settings = await deps.directory.getSettings(input.workspaceId);
  const current = slaClock(settings, input.target, clock.startedAt);
  if (!current || current.dueAt !== clock.dueAt || current.warnAt !== clock.warnAt)
    return { outcome: 'superseded', reason: 'the SLA policy changed' };
  // The metrics follow the stream, which may lag: the thread and its feed say whether it moved on.
  const thread = await deps.threads.getThread(input.workspaceId, input.threadId);
  if (!thread || thread.status === 'closed' || thread.mergedInto)
    return { outcome: 'superseded', reason: 'the thread is closed' };
  if (
    input.target !== 'resolution' &&
    thread.lastMessageAt &&
    thread.lastMessageAt > clock.startedAt &&
    (await deps.metrics.agentRepliedSince(input.workspaceId, input.threadId, clock.startedAt))
  )
    return { outcome: 'superseded', reason: 'an agent answered' };
  const at = deps.clock.now().toISOString();
  const event = phase === 'breach' ? breachEvent(state, input.target, input.slaVersion) : null;
  const marked = await deps.metrics.markSla(
    input.workspaceId,
    input.threadId,
    input.slaVersion,
    input.target,
    phase,
    at,
    thread.statusVersion,
    event ? { event, rollups: rollupDeltas([event], settings.businessHours?.timeZone), thread } : undefined,
  );
  if (!marked) return { outcome: 'superseded', reason: 'the thread changed' };
  await deps.notify({
    kind: phase === 'warning' ? 'sla.warning' : 'sla.breached',
    workspaceId: input.workspaceId,
    threadId: input.threadId,
    target: input.target,
    dueAt: clock.dueAt,
    firesAt: phase === 'warning' ? clock.warnAt : clock.dueAt,
    ...(state.assignee ? { assignee: state.assignee } : {}),
    idempotencyKey: `${slaExecutionName(input.threadId, input.slaVersion, input.target)}-${phase}`,
  });
  return { outcome: phase === 'warning' ? 'warned' : 'breached' };
}
