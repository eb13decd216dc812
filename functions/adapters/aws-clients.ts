/**
 * The AWS clients of the table and the event bus, created once per container and shared by the
 * adapters. The other clients live with their adapter (S3 in s3-mail-store.ts, SES in ses-sender.ts,
 * Step Functions in sfn-starter.ts), so that a function whose common path does not use them reads
 * their code only on first use (first-use.ts). Locally the SDK's
 * `AWS_ENDPOINT_URL_<SERVICE>` variables point the same clients at local endpoints.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recordSdkCalls } from './sdk-call-recorder.ts';

export interface ClientOptions {
  region: string;
  /** Only for local endpoints given explicitly (tests); otherwise the SDK reads AWS_ENDPOINT_URL_*. */
  endpoints?: { dynamodb?: string; s3?: string; ses?: string; sfn?: string; eventbridge?: string };
  s3Local?: boolean;
}

/**
 * Attempts per call (the SDK's standard retry: exponential backoff with full jitter, 100 ms doubling up to
 * 20 s, on throttles, 5xx and timeouts). The services throttle with their own errors
 * (ProvisionedThroughputExceededException, ThrottlingException, SES `Throttling`), all retried. The
 * dispatcher's StartExecution and the timers' SendRawEmail get more attempts: a burst (10,000 threads
 * closed at once) is smoothed here before the stream's retry (batchItemFailures) or the state
 * machine's Retry takes over. A throttled call was never applied, so its retry duplicates nothing.
 * test/integration/throttling.test.ts refuses a share of the calls on the local endpoints.
 */
export const MAX_ATTEMPTS = { dynamodb: 8, sfn: 8, ses: 6 } as const;

/** Fixed credentials for an endpoint given explicitly (local only). */
export const localCredentials = (endpoint?: string) =>
  endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};

export function documentClient(opts: ClientOptions): DynamoDBDocumentClient {
  const endpoint = opts.endpoints?.dynamodb;
  const client = recordSdkCalls(
    new DynamoDBClient({
      region: opts.region,
      ...(endpoint ? { endpoint } : {}),
      ...localCredentials(endpoint),
      maxAttempts: MAX_ATTEMPTS.dynamodb,
    }),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export const eventBridgeClient = (opts: ClientOptions) =>
  recordSdkCalls(
    new EventBridgeClient({
      region: opts.region,
      ...(opts.endpoints?.eventbridge ? { endpoint: opts.endpoints.eventbridge } : {}),
      ...localCredentials(opts.endpoints?.eventbridge),
    }),
  );
