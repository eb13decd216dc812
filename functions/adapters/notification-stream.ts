/**
 * The table's stream → notices (functions/core/notifications). It rides on the dispatcher's event source
 * mapping (functions/dispatch.ts): the same records, after the timers are dispatched, so that
 * notifications are decoupled from ingest and the API, and a third reader of the stream is not needed.
 */
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { FeedItem, Thread } from '#core/model.ts';
import { ensureMailRun, type NotifyDeps, notify } from '#core/notifications/notify.ts';
import { noticesOf, type StreamChange } from '#core/notifications/triggers.ts';
import type { WorkflowStarter } from '#core/ports.ts';
import type { HandlerLog } from './lifecycle-handlers.ts';

/** A stream image as plain data (the document client's shapes): S, N, BOOL, NULL, L, M, SS, NS. */
export function plainOf(value: AttributeValue | undefined): unknown {
  if (!value) return undefined;
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL) return null;
  if (value.L) return value.L.map((v) => plainOf(v as AttributeValue));
  if (value.M) return imageOf(value.M as Record<string, AttributeValue>);
  if (value.SS) return [...value.SS];
  if (value.NS) return value.NS.map(Number);
  return undefined;
}

export function imageOf(image: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  if (!image) return undefined;
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, plainOf(v)]));
}

/**
 * A mail queue with news and no run scheduled (a run ended while more arrived): the next run is due.
 * Written by the mail run itself; scheduling it here keeps the workflow step free of the starter.
 */
export function mailQueueDueOf(
  record: DynamoDBRecord,
): { workspaceId: string; agentId: string; threadId: string } | null {
  if (record.eventName === 'REMOVE') return null;
  const image = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  if (image?.entity !== 'mailQueue' || image.runAt !== undefined) return null;
  if (!Array.isArray(image.pending) || image.pending.length === 0) return null;
  const { workspaceId, agentId, threadId } = image;
  if (typeof workspaceId !== 'string' || typeof agentId !== 'string' || typeof threadId !== 'string') return null;
  return { workspaceId, agentId, threadId };
}

/** The change a record carries for notifications: a feed item or a thread inserted, else null. */
export function streamChangeOf(record: DynamoDBRecord): StreamChange | null {
  if (record.eventName !== 'INSERT') return null;
  const image = imageOf(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  if (!image || typeof image.workspaceId !== 'string' || typeof image.threadId !== 'string') return null;
  if (image.entity === 'feed' && typeof image.type === 'string' && typeof image.at === 'string')
    return { kind: 'feedInserted', item: image as unknown as FeedItem };
  if (image.entity === 'thread' && typeof image.createdAt === 'string')
    return { kind: 'threadInserted', thread: image as unknown as Thread };
  return null;
}

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * The dispatcher with notifications: records are dispatched first (timers), then notified in order. A
 * failed notice reports its record (ReportBatchItemFailures): the retry dispatches and notifies again
 * from there, which changes nothing that was done (both are idempotent).
 */
export function withNotifications(
  dispatch: StreamHandler,
  deps: NotifyDeps & { starter: WorkflowStarter },
  log?: HandlerLog,
): StreamHandler {
  return async (event) => {
    const dispatched = await dispatch(event);
    const failedAt = dispatched.batchItemFailures[0]?.itemIdentifier;
    for (const record of event.Records) {
      const id = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
      // Records from the dispatcher's first failure on come again with the retry.
      if (failedAt !== undefined && id === failedAt) break;
      try {
        const due = mailQueueDueOf(record);
        if (due) {
          const queue = await deps.notifications.getMailQueue(due.workspaceId, due.agentId, due.threadId);
          if (queue) await ensureMailRun(deps, due.workspaceId, due.agentId, due.threadId, queue);
          continue;
        }
        const change = streamChangeOf(record);
        if (!change) continue;
        for (const notice of noticesOf(change)) {
          const out = await notify(deps, notice);
          if (out.notified.length)
            log?.info('notified', { event: notice.event, threadId: notice.threadId, notified: out.notified.length });
        }
      } catch (e) {
        log?.error('notify failed', { eventID: record.eventID, error: (e as Error).message });
        return { batchItemFailures: [{ itemIdentifier: id }] };
      }
    }
    return dispatched;
  };
}
