/**
 * The lifecycle's two Lambda handlers as factories over their ports: the entry files
 * (functions/dispatch.ts, functions/workflow-step.ts) bind them to AWS clients, and the local runtime
 * and tests bind the very same functions to local endpoints.
 */
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type ChatFallbackResult, type ChatStore, runChatFallback } from '#core/chat.ts';
import { ValidationError } from '#core/errors.ts';
import type { ThreadStatus } from '#core/model.ts';
import { type NotifyMailDeps, type NotifyMailResult, runNotifyMail } from '#core/notifications/mail.ts';
import { runSlaStep, type SlaStepDeps, type SlaStepResult } from '#core/reports/sla-timers.ts';
import {
  runTimer,
  type ScheduleDeps,
  type StatusChange,
  scheduleTimer,
  type TimerDeps,
  type TimerResult,
} from '#core/timers.ts';

export interface HandlerLog {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

const silent: HandlerLog = { info() {}, warn() {}, error() {} };

/** Adapts a Powertools Logger (or any logger with the same three methods) to HandlerLog. */
export function handlerLog(logger: {
  info(message: string, ...extra: never[]): void;
  warn(message: string, ...extra: never[]): void;
  error(message: string, ...extra: never[]): void;
}): HandlerLog {
  const call = (fn: (message: string, ...extra: never[]) => void) => (m: string, e?: Record<string, unknown>) =>
    e ? fn.call(logger, m, e as never) : fn.call(logger, m);
  return { info: call(logger.info), warn: call(logger.warn), error: call(logger.error) };
}

type Image = Record<string, AttributeValue> | undefined;
const str = (img: Image, name: string) => img?.[name]?.S;
const num = (img: Image, name: string) => (img?.[name]?.N !== undefined ? Number(img[name].N) : undefined);

/**
 * The status change that a stream record carries, or null: only thread META items (entity `thread`)
 * whose statusVersion grew (or that were inserted) start a timer.
 */
export function statusChangeOf(record: DynamoDBStreamEvent['Records'][number]): StatusChange | null {
  const next = record.dynamodb?.NewImage as Image;
  const prev = record.dynamodb?.OldImage as Image;
  if (record.eventName === 'REMOVE' || str(next, 'entity') !== 'thread') return null;
  const statusVersion = num(next, 'statusVersion');
  const workspaceId = str(next, 'workspaceId');
  const threadId = str(next, 'threadId');
  const status = str(next, 'status') as ThreadStatus | undefined;
  if (statusVersion === undefined || !workspaceId || !threadId || !status) return null;
  const previous = record.eventName === 'MODIFY' ? num(prev, 'statusVersion') : undefined;
  if (previous !== undefined && previous >= statusVersion) return null;
  const reminderIndex = num(next, 'reminderIndex');
  const snoozedUntil = str(next, 'snoozedUntil');
  const previousStatus = previous !== undefined ? (str(prev, 'status') as ThreadStatus | undefined) : undefined;
  const previousIndex = num(prev, 'reminderIndex');
  const messagesAdded = (num(next, 'messageCount') ?? 0) - (num(prev, 'messageCount') ?? 0);
  return {
    workspaceId,
    threadId,
    status,
    statusVersion,
    ...(reminderIndex !== undefined ? { reminderIndex } : {}),
    ...(status === 'snoozed' && snoozedUntil ? { snoozedUntil } : {}),
    ...(previous !== undefined ? { previousStatusVersion: previous } : {}),
    ...(previousStatus
      ? {
          previous: {
            status: previousStatus,
            ...(previousIndex !== undefined ? { reminderIndex: previousIndex } : {}),
          },
          messagesAdded,
        }
      : {}),
  };
}

/** The dispatcher's ports: the timers', and the metrics recorder (adapters/metrics-stream.ts). */
export type DispatchDeps = ScheduleDeps & {
  recordMetrics?: (record: DynamoDBStreamEvent['Records'][number]) => Promise<unknown>;
};

/**
 * The dispatcher: DynamoDB Stream of the table → one execution per status change. Records are handled
 * in order; the first failure is reported (ReportBatchItemFailures) so the stream retries from it, and
 * the records after it are left for that retry (their order per thread matters).
 */
export function createDispatchHandler(deps: DispatchDeps, log: HandlerLog = silent) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        // The thread's metrics first (reports, SLA): idempotent per record, so a retry from here is safe.
        await deps.recordMetrics?.(record);
        const change = statusChangeOf(record);
        if (!change) continue;
        const started = await scheduleTimer(deps, change);
        log.info('status change dispatched', { ...change, timer: started?.action ?? null });
      } catch (e) {
        log.error('dispatch failed', { eventID: record.eventID, error: (e as Error).message });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
}

/** The workflow step's ports: the timers', the chat store for the email fallback, the SLA step's, and notification mails'. */
export type StepDeps = TimerDeps & {
  chat?: ChatStore;
  sla?: Omit<SlaStepDeps, 'clock' | 'directory' | 'threads'>;
  notifyMail?: NotifyMailDeps;
};

/**
 * The workflow step: invoked by the state machine's Task with the execution input. A ValidationError
 * (a malformed input) is returned as an outcome, not thrown, so it is not retried; other errors throw
 * and the state machine's Retry takes over (every step is idempotent).
 */
export function createWorkflowStepHandler(deps: StepDeps | (() => Promise<StepDeps>), log: HandlerLog = silent) {
  return async (
    event: unknown,
  ): Promise<
    TimerResult | ChatFallbackResult | SlaStepResult | NotifyMailResult | { outcome: 'invalid'; reason: string }
  > => {
    const resolved = typeof deps === 'function' ? await deps() : deps;
    try {
      // The SLA state machine (statemachine/sla.asl.json) invokes the same function.
      if ((event as { action?: unknown } | null)?.action === 'slaStep') {
        if (!resolved.sla) throw new ValidationError('SLA step without its ports');
        const result = await runSlaStep(
          { ...resolved.sla, clock: resolved.clock, directory: resolved.directory, threads: resolved.threads },
          event,
        );
        log.info('SLA step ran', { ...(event as Record<string, unknown>), ...result });
        return result;
      }
      // The same state machine also runs the chat email fallback (functions/core/chat.ts).
      const action = (event as { action?: unknown } | null)?.action;
      const fallback = action === 'chatFallback';
      if (fallback && !resolved.chat) throw new ValidationError('chat fallback without a chat store');
      // And the notification mails' runs (functions/core/notifications/mail.ts).
      if (action === 'notifyMail' && !resolved.notifyMail)
        throw new ValidationError('notification mail without its deps');
      const result =
        action === 'notifyMail'
          ? await runNotifyMail(resolved.notifyMail!, event)
          : fallback
            ? await runChatFallback({ ...resolved, chat: resolved.chat! }, event)
            : await runTimer(resolved, event);
      log.info('timer ran', { ...(event as Record<string, unknown>), ...result });
      return result;
    } catch (e) {
      if (e instanceof ValidationError) {
        log.error('invalid timer input', { event, error: e.message });
        return { outcome: 'invalid', reason: e.message };
      }
      throw e;
    }
  };
}
