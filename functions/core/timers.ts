/**
 * The lifecycle timers' use cases: scheduling one execution per status change (the dispatcher), and
 * acting when its Wait ends (the workflow step). A timer acts only while the thread's statusVersion
 * still equals the one it was started for; any newer change supersedes it, and it ends quietly.
 */
import * as z from 'zod/mini';
import {
  ConcurrentUpdateError,
  ContentTooLargeError,
  RecipientNotAllowedError,
  SendCapExceededError,
  ValidationError,
} from './errors.ts';
import { executionName, statusAfterReminder, statusAfterWaiting, type TimerAction, timerFor } from './lifecycle.ts';
import type { Actor, Template, Thread, ThreadStatus } from './model.ts';
import { deliverMessage, type OutboundDeps } from './outbound.ts';
import type { Clock, DirectoryStore, WorkflowStarter } from './ports.ts';
import { DEFAULT_REMINDER_TEMPLATE, renderTemplate } from './templates.ts';
import { type StatusTarget, statusLabel, updateItem, withItem, withStatus } from './thread-state.ts';

/** The input of one lifecycle execution, and of the workflow-step Lambda it invokes. */
export const timerInputSchema = z.object({
  workspaceId: z.string().check(z.minLength(1)),
  threadId: z.string().check(z.minLength(1)),
  statusVersion: z.int().check(z.minimum(1)),
  status: z.enum(['reminder', 'waiting', 'snoozed']),
  reminderIndex: z.optional(z.int().check(z.minimum(1))),
  delaySeconds: z.int().check(z.minimum(0)),
  action: z.enum(['sendReminder', 'endWaiting', 'endSnooze']),
});
export type TimerInput = z.infer<typeof timerInputSchema>;

/** What the workflow step did; the execution's output. */
export interface TimerResult {
  outcome: 'reminderSent' | 'reminderFailed' | 'reminderSkipped' | 'statusChanged' | 'superseded';
  /** The thread's status after the step, when the step moved it. */
  status?: string;
  statusVersion?: number;
  reason?: string;
}

const WORKFLOW: Actor = { kind: 'system', id: 'workflow' };

// ---------------------------------------------------------------- dispatch: one execution per change

export interface StatusChange {
  workspaceId: string;
  threadId: string;
  status: ThreadStatus;
  reminderIndex?: number;
  statusVersion: number;
  /** The version it replaced (absent for a new thread). */
  previousStatusVersion?: number;
  /** The status it replaced. */
  previous?: { status: ThreadStatus; reminderIndex?: number };
  /** Messages the same write added (a reply adds one; the end of waiting adds none). */
  messagesAdded?: number;
  /** For a snooze: when it ends. */
  snoozedUntil?: string;
}

export interface ScheduleDeps {
  directory: Pick<DirectoryStore, 'getSettings'>;
  starter: WorkflowStarter;
  /** A snooze's delay counts from now (the system clock when absent). */
  clock?: Clock;
}

/**
 * Starts the timer of the new status (if it has one) as the execution `<threadId>-v<statusVersion>`,
 * and stops the superseded one. Idempotent: a duplicate stream record starts the same name again,
 * which is a no-op.
 */
export async function scheduleTimer(deps: ScheduleDeps, change: StatusChange): Promise<TimerInput | null> {
  let started: TimerInput | null = null;
  const settings = await deps.directory.getSettings(change.workspaceId);
  const timer = timerFor(settings.policy, change, deps.clock?.now() ?? new Date());
  if (timer) {
    started = {
      workspaceId: change.workspaceId,
      threadId: change.threadId,
      statusVersion: change.statusVersion,
      status: change.status as 'reminder' | 'waiting' | 'snoozed',
      ...(change.status === 'reminder' ? { reminderIndex: change.reminderIndex ?? 1 } : {}),
      delaySeconds: timer.delaySeconds,
      action: timer.action,
    };
    await deps.starter.start(executionName(change.threadId, change.statusVersion), started);
  }
  // Only a cost saving: the stale execution would end quietly anyway (its statusVersion check fails).
  // A change that the previous timer itself made is not stopped: that execution is finishing its Task,
  // and stopping it would cancel the Task's retries (the Lambda runs on, but a failure would not retry).
  const previous = change.previousStatusVersion;
  if (previous !== undefined && previous < change.statusVersion && !madeByTimer(settings.policy, change))
    await deps.starter.stop(executionName(change.threadId, previous));
  return started;
}

/** True when `change` is the move that the previous status's timer makes when it fires. */
function madeByTimer(policy: Parameters<typeof timerFor>[0], change: StatusChange): boolean {
  const before = change.previous;
  if (!before || change.previousStatusVersion !== change.statusVersion - 1) return false;
  // waiting (or snoozed) → open is also what a customer's reply does; the reply adds a message, the timer does not.
  if ((before.status === 'waiting' || before.status === 'snoozed') && change.messagesAdded !== 0) return false;
  const expected =
    before.status === 'snoozed'
      ? ({ status: 'open' } as const)
      : before.status === 'reminder'
        ? statusAfterReminder(policy, before.reminderIndex ?? 1)
        : before.status === 'waiting'
          ? statusAfterWaiting(policy)
          : null;
  return (
    expected !== null &&
    expected.status === change.status &&
    (expected.status !== 'reminder' || expected.reminderIndex === change.reminderIndex)
  );
}

// ---------------------------------------------------------------- the workflow step

export interface TemplateSource {
  getTemplate(workspaceId: string, templateId: string): Promise<Template | null>;
}

export interface TimerDeps extends OutboundDeps {
  templates: TemplateSource;
}

/** Runs the action of a timer whose Wait has ended. */
export async function runTimer(deps: TimerDeps, raw: unknown): Promise<TimerResult> {
  const parsed = timerInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('invalid timer input', parsed.error.issues);
  const input = parsed.data;
  if (input.action === 'endSnooze') return moveStatus(deps, input, { status: 'open' }, []);
  return input.action === 'sendReminder' ? sendReminder(deps, input) : endWaiting(deps, input);
}

async function endWaiting(deps: TimerDeps, input: TimerInput): Promise<TimerResult> {
  const settings = await deps.directory.getSettings(input.workspaceId);
  return moveStatus(deps, input, statusAfterWaiting(settings.policy), []);
}

async function sendReminder(deps: TimerDeps, input: TimerInput): Promise<TimerResult> {
  const n = input.reminderIndex ?? 1;
  const thread = await deps.threads.getThread(input.workspaceId, input.threadId);
  if (!thread) return { outcome: 'superseded', reason: 'thread not found' };
  const settings = await deps.directory.getSettings(input.workspaceId);
  const policy = settings.policy;
  const next = statusAfterReminder(policy, n);
  const key = `v${input.statusVersion}-reminder`;
  const current = thread.statusVersion === input.statusVersion;
  // A retry after our own commit finds the thread moved on: the send record (same key) resumes it.
  if (current && !(thread.status === 'reminder' && (thread.reminderIndex ?? 1) === n))
    return { outcome: 'superseded', reason: 'status does not match the timer' };

  const skip = current ? skipReason(thread, n, policy.reminders) : null;
  if (skip)
    return moveStatus(deps, input, next, [{ field: 'reminder', from: null, to: { reminder: n, skipped: skip } }]);

  let rendered: { subject: string; text: string };
  try {
    rendered = await renderReminder(deps, thread, n, policy.reminderTemplateId);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    rendered = await renderReminder(deps, thread, n, undefined);
  }
  try {
    const out = await deliverMessage(
      deps,
      {
        workspaceId: input.workspaceId,
        threadId: input.threadId,
        to: thread.latestContact ? [thread.latestContact.email] : [],
        subject: rendered.subject,
        text: rendered.text,
        actor: WORKFLOW,
        automated: true,
        nextStatus: next,
        idempotencyKey: key,
      },
      {
        guardStatusVersion: input.statusVersion,
        extraUpdates: [{ field: 'reminder', from: null, to: n }],
        sentEvents: (m) => [
          {
            type: 'reminder.sent',
            workspaceId: m.workspaceId,
            threadId: m.threadId,
            at: m.at,
            detail: { reminder: n, itemId: m.itemId, wireMessageId: m.delivery?.wireMessageId },
          },
        ],
      },
    );
    if (out.kind === 'superseded') return { outcome: 'superseded' };
    const state = out.message.delivery?.state;
    return {
      outcome: state === 'sent' ? 'reminderSent' : 'reminderFailed',
      status: statusLabel(next),
      ...(out.statusVersion ? { statusVersion: out.statusVersion } : {}),
      ...(out.message.delivery?.error ? { reason: out.message.delivery.error } : {}),
    };
  } catch (e) {
    // The reminder cannot go (cap reached, contact unlinked): the cycle still moves on, with the reason.
    if (e instanceof SendCapExceededError || e instanceof RecipientNotAllowedError)
      return moveStatus(deps, input, next, [
        { field: 'reminder', from: null, to: { reminder: n, skipped: e.message } },
      ]);
    // The rendered reminder could not be stored (limits.ts): recorded as failed, and the cycle goes on,
    // so that the thread never sticks in reminder(n).
    if (e instanceof ContentTooLargeError)
      return moveStatus(deps, input, next, [{ field: 'reminder', from: null, to: { reminder: n, failed: e.message } }]);
    throw e;
  }
}

function skipReason(thread: Thread, n: number, reminders: number): string | null {
  if (n > reminders) return 'the policy no longer has this reminder';
  if (!thread.latestContact) return 'no contact to remind';
  return null;
}

async function renderReminder(
  deps: TimerDeps,
  thread: Thread,
  n: number,
  templateId: string | undefined,
): Promise<{ subject: string; text: string }> {
  const template = templateId ? await deps.templates.getTemplate(thread.workspaceId, templateId) : null;
  const source = template ?? DEFAULT_REMINDER_TEMPLATE;
  const vars = {
    contactName: thread.latestContact?.name || thread.latestContact?.email || '',
    contactEmail: thread.latestContact?.email ?? '',
    threadRef: thread.ref,
    subject: thread.subject,
    agentName: thread.assignee ?? '',
    reminderNumber: n,
  };
  const subject = renderTemplate(source.subject ?? DEFAULT_REMINDER_TEMPLATE.subject, vars).trim() || thread.subject;
  return { subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`, text: renderTemplate(source.body, vars) };
}

/** A status move by the workflow, conditioned on the thread's rev and on the timer's statusVersion. */
async function moveStatus(
  deps: TimerDeps,
  input: TimerInput,
  target: StatusTarget,
  updates: Array<{ field: 'reminder'; from: unknown; to: unknown }>,
): Promise<TimerResult> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const thread = await deps.threads.getThread(input.workspaceId, input.threadId);
    if (!thread || thread.statusVersion !== input.statusVersion) return { outcome: 'superseded' };
    const at = deps.clock.now().toISOString();
    let after = thread;
    const items = updates.map((u) => {
      after = withItem(after, at);
      return updateItem(thread, { itemId: deps.ids.newId(), at, actor: WORKFLOW, ...u });
    });
    const moved = withStatus(after, target, { itemId: deps.ids.newId(), at, actor: WORKFLOW });
    if (moved) {
      after = moved.thread;
      items.push(moved.item);
    }
    try {
      await deps.threads.commit({ before: thread, after, items });
    } catch (e) {
      if (e instanceof ConcurrentUpdateError) continue; // re-read: a newer status change wins
      throw e;
    }
    if (moved)
      await deps.events
        .publish([
          {
            type: 'status.changed',
            workspaceId: thread.workspaceId,
            threadId: thread.threadId,
            at,
            detail: {
              from: statusLabel(thread),
              to: statusLabel(after),
              statusVersion: after.statusVersion,
              actor: WORKFLOW,
            },
          },
        ])
        .catch((e) => deps.log?.warn('event publish failed', { error: String(e) }));
    return {
      outcome: updates.length ? 'reminderSkipped' : 'statusChanged',
      status: statusLabel(after),
      statusVersion: after.statusVersion,
      ...(updates.length ? { reason: reasonOf(updates[0].to) } : {}),
    };
  }
  throw new ConcurrentUpdateError(`thread ${input.threadId} kept changing`);
}

const reasonOf = (to: unknown) => {
  const { skipped, failed } = to as { skipped?: string; failed?: string };
  return String(skipped ?? failed ?? '');
};

export type { TimerAction };
