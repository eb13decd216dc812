import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
let handler: (e: unknown) => Promise<unknown>;

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 't',
    MAIL_BUCKET: 'b',
    AWS_REGION: 'eu-west-1',
    REPLY_TOKEN_SECRET: 'a-test-secret-of-enough-length',
  });
  ({ handler } = (await import('#functions/workflow-step.ts')) as never);
});
beforeEach(() => {
  ddb.reset();
  ses.reset();
});

const input = {
  workspaceId: 'W1',
  threadId: 'T1',
  statusVersion: 2,
  status: 'reminder',
  reminderIndex: 1,
  delaySeconds: 259200,
  action: 'sendReminder',
};
const thread = (statusVersion: number, status = 'reminder') => ({
  PK: 'WS#W1#TH#T1',
  SK: 'META',
  entity: 'thread',
  workspaceId: 'W1',
  threadId: 'T1',
  ref: '7',
  subject: 'Help',
  status,
  reminderIndex: 1,
  statusVersion,
  rev: 4,
  customerIds: ['C1'],
  references: [],
  tags: [],
  attachmentNames: [],
  latestContact: { contactId: 'K1', email: 'ann@example.com' },
});

describe('workflow-step handler', () => {
  it('a superseded timer ends quietly: no write, no mail', async () => {
    ddb.on(GetCommand).callsFake((i) => (i.Key.PK.includes('#TH#') ? { Item: thread(3, 'open') } : {}));
    await expect(handler(input)).resolves.toEqual({ outcome: 'superseded' });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('ending waiting reopens the thread with a write conditioned on its rev', async () => {
    ddb
      .on(GetCommand)
      .callsFake((i) =>
        i.Key.SK === 'META' && i.Key.PK.includes('#TH#')
          ? { Item: { ...thread(5, 'waiting'), reminderIndex: undefined } }
          : {},
      );
    ddb.on(TransactWriteCommand).resolves({});
    const out = await handler({
      ...input,
      status: 'waiting',
      statusVersion: 5,
      reminderIndex: undefined,
      action: 'endWaiting',
    });
    expect(out).toMatchObject({ outcome: 'statusChanged', status: 'open', statusVersion: 6 });
    const tx = ddb.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(tx[0].Put).toMatchObject({ ConditionExpression: '#rev = :rev', ExpressionAttributeValues: { ':rev': 4 } });
    expect(tx[0].Put?.Item).toMatchObject({ status: 'open', statusVersion: 6 });
  });

  it('returns an invalid input as an outcome (not retried)', async () => {
    await expect(handler({ threadId: 'T1' })).resolves.toMatchObject({ outcome: 'invalid' });
  });
});
