/**
 * The status lifecycle policy: which timer follows a status, and what each timer does when it fires.
 *
 *   open -> reminder(1) -(delay 1: send reminder 1)-> reminder(2) -(delay 2: send reminder 2)-> waiting
 *        -(waiting delay)-> open | closed
 *
 * Pure: the workflow (functions/core/timers.ts), the dispatcher and outbound mail all ask this module.
 */
// zod/mini: the same validation, a fraction of the bundle (this module is in every Lambda).
import * as z from 'zod/mini';
import { ValidationError } from './errors.ts';
import type { StatusPolicy, ThreadStatus } from './model.ts';
import type { StatusTarget } from './thread-state.ts';

/** One year: the longest a Standard execution may run, so the longest delay a Wait state can hold. */
export const MAX_DELAY_SECONDS = 365 * 86_400 - 3_600;

const delay = z.int().check(z.minimum(1), z.maximum(MAX_DELAY_SECONDS));

export const statusPolicySchema = z
  .strictObject({
    reminders: z.int().check(z.minimum(0), z.maximum(20)),
    reminderDelaysSeconds: z.array(delay).check(z.maxLength(20)),
    waitingDelaySeconds: delay,
    afterWaiting: z.enum(['open', 'closed']),
    reminderTemplateId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    chatFallbackMinutes: z.optional(z.int().check(z.minimum(1), z.maximum(7 * 24 * 60))),
  })
  .check(
    z.refine((p) => p.reminders === 0 || p.reminderDelaysSeconds.length > 0, {
      message: 'reminderDelaysSeconds needs at least one delay when reminders > 0',
      path: ['reminderDelaysSeconds'],
    }),
  );

/** Validates a policy given by a caller; a broken one is a ValidationError (400) with zod's issues. */
export function parseStatusPolicy(input: unknown): StatusPolicy {
  const out = statusPolicySchema.safeParse(input);
  if (!out.success)
    throw new ValidationError(
      'invalid status policy',
      out.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return out.data;
}

export type TimerAction = 'sendReminder' | 'endWaiting' | 'endSnooze';

export interface Timer {
  delaySeconds: number;
  action: TimerAction;
}

/** Delay before reminder `n` (1-based): `reminderDelaysSeconds[n-1]`, the last value repeating. */
export function reminderDelaySeconds(policy: StatusPolicy, n: number): number {
  const delays = policy.reminderDelaysSeconds;
  if (delays.length === 0) throw new ValidationError('policy has no reminder delays');
  return delays[Math.min(Math.max(n, 1), delays.length) - 1];
}

/**
 * The timer that a status starts, or null (open and closed wait for a person, not a clock). A snooze's
 * timer waits until its time (`now` is when the timer starts).
 */
export function timerFor(
  policy: StatusPolicy,
  status: { status: ThreadStatus; reminderIndex?: number; snoozedUntil?: string },
  now: Date = new Date(),
): Timer | null {
  switch (status.status) {
    case 'snoozed': {
      const until = status.snoozedUntil ? Date.parse(status.snoozedUntil) : Number.NaN;
      if (Number.isNaN(until)) return null;
      const seconds = Math.ceil((until - now.getTime()) / 1000);
      return { delaySeconds: Math.min(Math.max(seconds, 0), MAX_DELAY_SECONDS), action: 'endSnooze' };
    }
    case 'reminder':
      return { delaySeconds: reminderDelaySeconds(policy, status.reminderIndex ?? 1), action: 'sendReminder' };
    case 'waiting':
      return { delaySeconds: policy.waitingDelaySeconds, action: 'endWaiting' };
    default:
      return null;
  }
}

/** The status that follows reminder `n` once it is sent: the next reminder, or waiting after the last. */
export function statusAfterReminder(policy: StatusPolicy, n: number): StatusTarget {
  return n < policy.reminders ? { status: 'reminder', reminderIndex: n + 1 } : { status: 'waiting' };
}

/** The status once waiting ends: reopen (back to the agents) or close, per policy. */
export function statusAfterWaiting(policy: StatusPolicy): StatusTarget {
  return { status: policy.afterWaiting };
}

/** The default status after an agent's message: reminder(1), or waiting when the policy has no reminders. */
export function statusAfterAgentMessage(policy: StatusPolicy): StatusTarget {
  return policy.reminders > 0 ? { status: 'reminder', reminderIndex: 1 } : { status: 'waiting' };
}

/** The Step Functions execution of one status change: unique per (thread, statusVersion), so starts are idempotent. */
export function executionName(threadId: string, statusVersion: number): string {
  return `${threadId}-v${statusVersion}`;
}

/** Total simulated time of one full cycle without a reply (the product's "9 days" for the default). */
export function cycleSeconds(policy: StatusPolicy): number {
  let total = policy.waitingDelaySeconds;
  for (let n = 1; n <= policy.reminders; n++) total += reminderDelaySeconds(policy, n);
  return total;
}
