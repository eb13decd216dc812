/**
 * The AWS clients that every path needs, created once per container and shared by the adapters. The
 * clients of rare paths (SES in ses-sender.ts, Step Functions in sfn-starter.ts) live with their adapter,
 * so that a function reads their code only when it first uses them (first-use.ts). Locally the SDK's
 * `AWS_ENDPOINT_URL_<SERVICE>` variables point the same clients at local endpoints; s3rver also needs
 * path-style URLs and no streamed checksums (TOOLCHAIN.md), which `s3Endpoint` switches on.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
  const client = new DynamoDBClient({
    region: opts.region,
    ...(endpoint ? { endpoint } : {}),
    ...localCredentials(endpoint),
    maxAttempts: 5,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function s3Client(opts: ClientOptions): S3Client {
  const endpoint = opts.endpoints?.s3;
  const local = opts.s3Local || Boolean(endpoint);
  return new S3Client({
    region: opts.region,
    ...(endpoint ? { endpoint } : {}),
    ...localCredentials(endpoint),
    ...(local ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const } : {}),
  });
}

export const eventBridgeClient = (opts: ClientOptions) =>
  new EventBridgeClient({
    region: opts.region,
    ...(opts.endpoints?.eventbridge ? { endpoint: opts.endpoints.eventbridge } : {}),
    ...localCredentials(opts.endpoints?.eventbridge),
  });
