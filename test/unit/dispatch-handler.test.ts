import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';

const SM = 'arn:aws:states:eu-west-1:123456789012:stateMachine:gochat-lifecycle';
const sfn = mockClient(SFNClient);
const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: DynamoDBStreamEvent) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  Object.assign(process.env, { TABLE_NAME: 't', MAIL_BUCKET: 'b', STATE_MACHINE_ARN: SM, AWS_REGION: 'eu-west-1' });
  ({ handler } = (await import('#functions/dispatch.ts')) as never);
});
beforeEach(() => {
  sfn.reset();
  ddb.reset();
  ddb.on(GetCommand).resolves({}); // default settings
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
});

const image = (status: string, statusVersion: number, extra: Record<string, unknown> = {}) => ({
  entity: { S: 'thread' },
  workspaceId: { S: 'W1' },
  threadId: { S: 'T1' },
  status: { S: status },
  statusVersion: { N: String(statusVersion) },
  messageCount: { N: '2' },
  ...extra,
});
const record = (seq: string, oldImage: object | undefined, newImage: object) => ({
  eventID: seq,
  eventName: oldImage ? 'MODIFY' : 'INSERT',
  dynamodb: { SequenceNumber: seq, ...(oldImage ? { OldImage: oldImage } : {}), NewImage: newImage },
});

describe('dispatch handler', () => {
  it('starts <threadId>-v<statusVersion> with the timer input and stops the superseded execution', async () => {
    const out = await handler({
      Records: [record('1', image('open', 1), image('reminder', 2, { reminderIndex: { N: '1' } }))],
    } as never);
    expect(out).toEqual({ batchItemFailures: [] });
    const start = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    expect(start).toMatchObject({ stateMachineArn: SM, name: 'T1-v2' });
    expect(JSON.parse(start.input!)).toEqual({
      workspaceId: 'W1',
      threadId: 'T1',
      statusVersion: 2,
      status: 'reminder',
      reminderIndex: 1,
      delaySeconds: 3 * 86_400,
      action: 'sendReminder',
    });
    expect(sfn.commandCalls(StopExecutionCommand)[0].args[0].input).toMatchObject({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:gochat-lifecycle:T1-v1',
    });
  });

  it('ignores other items and unchanged versions; open and closed start nothing; a duplicate is a no-op', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const out = await handler({
      Records: [
        record('1', undefined, { entity: { S: 'feed' } }),
        record('2', image('open', 3), image('open', 3, { tags: { L: [] } })),
        record('3', undefined, image('open', 1)),
        record('4', image('waiting', 4), image('waiting', 5)), // duplicate start → ExecutionAlreadyExists
      ],
    } as never);
    expect(out).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['T1-v5']);
  });

  it('does not stop the execution whose own timer made the change (its Task is still finishing)', async () => {
    await handler({
      Records: [
        record(
          '1',
          image('reminder', 2, { reminderIndex: { N: '1' } }),
          image('reminder', 3, { reminderIndex: { N: '2' }, messageCount: { N: '3' } }),
        ),
      ],
    } as never);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });

  it('reports the first failed record so the stream retries from it', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(new Error('throttled'))
      .resolves({ executionArn: 'x', startDate: new Date() });
    const out = await handler({
      Records: [record('7', image('open', 1), image('waiting', 2)), record('8', image('waiting', 2), image('open', 3))],
    } as never);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
  });
});
