/**
 * The table's stream → assignment on arrival (functions/core/assignment.ts). It rides on the dispatcher's
 * event source mapping (functions/dispatch.ts), like notifications: a thread inserted by ingest (mail or
 * chat) is assigned AFTER its commit, so ingest's write plan and the API stay as they are, and the
 * assignment is an ordinary versioned change that the feed, the timers and notifications see as any other.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type AssignmentDeps, assignOnArrival } from '#core/assignment.ts';
import type { HandlerLog } from './lifecycle-handlers.ts';
import { streamChangeOf } from './notification-stream.ts';

type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/**
 * Runs `inner` (timers, metrics, notifications), then assigns the threads the batch inserted, in order. A
 * failure reports the earliest failed record (ReportBatchItemFailures): the retry runs everything again
 * from there, which changes nothing already done (each step is idempotent).
 */
export function withAssignmentOnArrival(inner: StreamHandler, deps: AssignmentDeps, log?: HandlerLog): StreamHandler {
  return async (event) => {
    const handled = await inner(event);
    const failedAt = handled.batchItemFailures[0]?.itemIdentifier;
    for (const record of event.Records) {
      const id = record.dynamodb?.SequenceNumber ?? record.eventID ?? '';
      if (failedAt !== undefined && id === failedAt) break;
      const change = streamChangeOf(record);
      if (change?.kind !== 'threadInserted') continue;
      try {
        const out = await assignOnArrival(deps, change.thread);
        if (out.outcome === 'assigned')
          log?.info('assigned on arrival', { threadId: change.thread.threadId, agentId: out.agentId, slot: out.slot });
      } catch (e) {
        log?.error('assignment on arrival failed', { eventID: record.eventID, error: (e as Error).message });
        return { batchItemFailures: [{ itemIdentifier: id }] };
      }
    }
    return handled;
  };
}
