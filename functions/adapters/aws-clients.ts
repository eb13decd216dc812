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
      maxAttempts: 5,
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
