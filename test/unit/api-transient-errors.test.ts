/**
 * The API Lambda as deployed (middy, its timeout, the router, the one error mapper) with the table's client
 * mocked: a transient DynamoDB failure that outlives the SDK's retries, and a request about to outlive the
 * function's timeout, are answered 503 with Retry-After, never a 500 or API Gateway's 502.
 */
import { InternalServerError, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isTransientServiceError, toHttpError } from '#adapters/http-errors.ts';
import { generateApiKey } from '#core/api-keys.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const key = generateApiKey('transientkey');

const contextWith = (remainingMs: number) => {
  const deadline = Date.now() + remainingMs;
  return {
    functionName: 'gochat-api',
    awsRequestId: 'req-1',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:gochat-api',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as unknown as Context;
};

const listEvent = {
  httpMethod: 'GET',
  path: '/v1/threads',
  headers: { authorization: `Bearer ${key.apiKey}` },
  queryStringParameters: { limit: '25' },
  body: null,
  isBase64Encoded: false,
  requestContext: { identity: { sourceIp: '127.0.0.1' } },
} as unknown as APIGatewayProxyEvent;

async function loadHandler() {
  vi.resetModules();
  for (const [k, v] of Object.entries({
    TABLE_NAME: 'tbl',
    MAIL_BUCKET: 'mail',
    AWS_REGION: 'eu-west-1',
    REPLY_TOKEN_SECRET: 'a-reply-token-secret-of-enough-length',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  }))
    vi.stubEnv(k, v);
  return (await import('#functions/api.ts')).handler as unknown as (
    e: APIGatewayProxyEvent,
    c: Context,
  ) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
}

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({ Item: { workspaceId: 'W1', keyId: 'transientkey' } });
});
afterEach(() => vi.unstubAllEnvs());

describe('transient service errors in the API', () => {
  it('a DynamoDB InternalServerError after the retries is a 503 with Retry-After', async () => {
    ddb
      .on(QueryCommand)
      .rejects(
        new InternalServerError({ message: 'timed out waiting for a lock', $metadata: { httpStatusCode: 500 } }),
      );
    const handler = await loadHandler();
    const res = await handler(listEvent, contextWith(29_000));
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toBe('1');
    expect(JSON.parse(res.body).error.code).toBe('service_unavailable');
  });

  it('a request about to outlive the function is answered 503 before its timeout', async () => {
    ddb.on(QueryCommand).callsFake(() => new Promise(() => {})); // a call that never answers
    const handler = await loadHandler();
    const started = Date.now();
    const res = await handler(listEvent, contextWith(1_300));
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toBe('1');
    expect(Date.now() - started).toBeLessThan(1_300);
  });

  it('tells transient failures from the caller’s and from bugs', () => {
    const cancelled = (...codes: string[]) =>
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: codes.map((Code) => ({ Code })),
      });
    expect(isTransientServiceError(cancelled('None', 'ThrottlingError'))).toBe(true);
    expect(isTransientServiceError(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransientServiceError(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
    expect(isTransientServiceError(new Error('a bug'))).toBe(false);
    expect(toHttpError(cancelled('ConditionalCheckFailed')).statusCode).toBe(500);
  });
});
