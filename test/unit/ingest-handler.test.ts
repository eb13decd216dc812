import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Context, SESEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { composeMail } from '../support/mail.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const eventBridge = mockClient(EventBridgeClient);

const context = {
  functionName: 'gochat-ingest',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:gochat-ingest',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

function sesEvent(messageId: string, recipients: string[], verdicts: Partial<Record<string, string>> = {}): SESEvent {
  const status = (k: string) => ({ status: verdicts[k] ?? 'PASS' });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: '2026-11-23T10:00:00.000Z',
            source: 'ann@client.example',
            messageId,
            destination: recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: { returnPath: 'ann@client.example', date: '', messageId: '' },
          },
          receipt: {
            recipients,
            timestamp: '2026-11-23T10:00:00.000Z',
            processingTimeMillis: 10,
            spamVerdict: status('spam'),
            virusVerdict: status('virus'),
            spfVerdict: status('spf'),
            dkimVerdict: status('dkim'),
            dmarcVerdict: status('dmarc'),
            action: { type: 'Lambda', invocationType: 'Event', functionArn: 'arn:aws:lambda:x' },
          },
        },
      },
    ],
  } as SESEvent;
}

async function loadHandler(env: Record<string, string>) {
  vi.resetModules();
  for (const [k, v] of Object.entries({
    TABLE_NAME: 'tbl',
    MAIL_BUCKET: 'mail',
    AWS_REGION: 'eu-west-1',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...env,
  }))
    vi.stubEnv(k, v);
  return (await import('#functions/ingest.ts')).handler;
}

beforeEach(() => {
  ddb.reset();
  s3.reset();
  secrets.reset();
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  ddb.on(GetCommand).resolves({});
  ddb.on(GetCommand, { Key: keys.inboundAddress('support@acme.example') }).resolves({ Item: { workspaceId: 'W1' } });
  ddb.on(BatchGetCommand).resolves({ Responses: { tbl: [] } });
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(UpdateCommand).resolves({ Attributes: { value: 7 } });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const withRaw = async (raw: Buffer) =>
  s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => new Uint8Array(raw) } as never });

describe('ingest handler', () => {
  it('reads the raw mail from inbound/<messageId> and commits a new thread in one transaction', async () => {
    const handler = await loadHandler({ REPLY_TOKEN_SECRET: 'local-secret-0123456789' });
    await withRaw(await composeMail({ from: 'Ann <ann@client.example>', to: 'support@acme.example', subject: 'Hi' }));
    const out = await handler(sesEvent('abc123', ['Support+sales@acme.example']), context);

    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'mail', Key: 'inbound/abc123' });
    expect(out.results[0].workspaces).toEqual([expect.objectContaining({ workspaceId: 'W1', outcome: 'created' })]);
    const transactions = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    // The contact (with its auto-created customer), then the thread change.
    expect(transactions).toHaveLength(2);
    const commit = transactions[1];
    const mid = commit.find((t) => String(t.Put?.Item?.PK).includes('#MID#'));
    expect(mid?.Put?.ConditionExpression).toBe('attribute_not_exists(PK)');
    expect(commit[0].Put?.Item).toMatchObject({ entity: 'thread', ref: '7', status: 'open', messageCount: 1 });
    // The keywords follow the transaction in one BatchWrite (a transaction's item costs twice the units).
    expect(commit.filter((t) => String(t.Put?.Item?.PK).includes('#KW#'))).toEqual([]);
    const batches = ddb
      .commandCalls(BatchWriteCommand)
      .map((c) => Object.values(c.args[0].input.RequestItems ?? {}).flat());
    expect(batches).toHaveLength(1);
    expect(batches[0].length).toBeGreaterThan(0);
    expect(batches[0].every((r) => String(r.PutRequest?.Item?.PK).includes('#KW#'))).toBe(true);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('publishes thread.created and message.received on the bus when one is configured', async () => {
    const handler = await loadHandler({ REPLY_TOKEN_SECRET: 'local-secret-0123456789', EVENT_BUS_NAME: 'bus' });
    await withRaw(await composeMail({ from: 'ann@client.example', to: 'support@acme.example' }));
    await handler(sesEvent('e1', ['support@acme.example']), context);
    const entries = eventBridge.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    expect(entries.map((e) => [e.EventBusName, e.Source, e.DetailType])).toEqual([
      ['bus', 'gochat', 'thread.created'],
      ['bus', 'gochat', 'message.received'],
    ]);
  });

  it('records unroutable mail and succeeds', async () => {
    const handler = await loadHandler({ REPLY_TOKEN_SECRET: 'local-secret-0123456789' });
    const out = await handler(sesEvent('zzz', ['nobody@unknown.example']), context);
    expect(out.results[0].unroutable).toBe(true);
    expect(ddb.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({
      SK: 'zzz',
      rawKey: 'inbound/zzz',
      recipients: ['nobody@unknown.example'],
    });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('reads the reply-token secret from Secrets Manager once per container', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'secret-from-secrets-manager' });
    const handler = await loadHandler({ REPLY_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:0:secret:tok' });
    await handler(sesEvent('a1', ['nobody@unknown.example']), context);
    await handler(sesEvent('a2', ['nobody@unknown.example']), context);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secrets.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: 'arn:aws:secretsmanager:eu-west-1:0:secret:tok',
    });
  });

  it('passes the SES verdicts on: a virus verdict quarantines the message', async () => {
    const handler = await loadHandler({ REPLY_TOKEN_SECRET: 'local-secret-0123456789' });
    await withRaw(await composeMail({ from: 'ann@client.example', to: 'support@acme.example' }));
    await handler(sesEvent('v1', ['support@acme.example'], { virus: 'FAIL', dmarc: 'FAIL' }), context);
    const commit = ddb.commandCalls(TransactWriteCommand).at(-1)!.args[0].input.TransactItems ?? [];
    const message = commit.find((t) => t.Put?.Item?.entity === 'feed')?.Put?.Item;
    expect(message).toMatchObject({ flags: { quarantined: true, authFailures: ['dmarc'] }, rawKey: 'inbound/v1' });
  });

  it('rejects an event that is not an SES receipt, so that nothing is half-done', async () => {
    const handler = await loadHandler({ REPLY_TOKEN_SECRET: 'local-secret-0123456789' });
    await expect(handler({ Records: [{}] } as never, context)).rejects.toThrow(/no mail or receipt/);
  });

  it('fails fast at cold start without the reply-token secret', async () => {
    await expect(loadHandler({})).rejects.toThrow(/REPLY_TOKEN_SECRET/);
  });
});
