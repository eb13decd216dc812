/**
 * The live-updates fan-out as a factory over its ports: the table's stream → events → posts.
 * functions/live-fanout.ts binds it to AWS clients; the local stack feeds it from its stream poller.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type ConnectionPoster, type ConnectionStore, fanOut } from '#core/live.ts';
import type { HandlerLog } from './lifecycle-handlers.ts';
import { threadItemChangesOf } from './live-stream.ts';

/**
 * The fan-out: a batch of stream records → events → posts. A failure to read the connections fails
 * the batch (the event source retries it); a failed post is logged and dropped (clients catch up).
 */
export function createLiveFanoutHandler(
  deps: { connections: ConnectionStore; poster: ConnectionPoster },
  log?: HandlerLog,
) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const changes = threadItemChangesOf(event.Records);
    if (changes.length === 0) return { batchItemFailures: [] };
    const stats = await fanOut(
      {
        ...deps,
        onPostError: (connectionId, e) => log?.warn('live post failed', { connectionId, error: (e as Error).message }),
      },
      changes,
    );
    if (stats.events > 0) log?.info('live fan-out', { ...stats });
    return { batchItemFailures: [] };
  };
}
