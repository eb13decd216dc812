/**
 * The round-robin of assignment on arrival in the table (functions/core/assignment.ts): a cursor per
 * workspace and a claim per thread, written together in one transaction so that each thread takes exactly
 * one slot, once, however many Lambdas race and however often the stream delivers its insertion.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AssignmentClaim, AssignmentStore } from '#core/assignment.ts';
import { keys } from './keys.ts';

/** A claim outlives the stream's retries (24 hours) by far, then expires. */
const CLAIM_TTL_SECONDS = 14 * 86_400;
/** Racing arrivals of one workspace retry the cursor; with jitter, 30 at once settle in a few rounds. */
const CLAIM_ATTEMPTS = 60;

export class DynamoAssignmentStore implements AssignmentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  private async existingClaim(workspaceId: string, threadId: string): Promise<AssignmentClaim | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.assignClaim(workspaceId, threadId), ConsistentRead: true }),
    );
    if (!out.Item) return null;
    return {
      slot: out.Item.slot as number,
      agentId: out.Item.agentId as string,
      state: out.Item.state as 'claimed' | 'done',
    };
  }

  async claim(workspaceId: string, threadId: string, pick: (slot: number) => string): Promise<AssignmentClaim> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
      const existing = await this.existingClaim(workspaceId, threadId);
      if (existing) return existing;
      const cursor = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.assignCursor(workspaceId), ConsistentRead: true }),
      );
      const slot = typeof cursor.Item?.next === 'number' ? cursor.Item.next : 0;
      const agentId = pick(slot);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...keys.assignClaim(workspaceId, threadId),
                    entity: 'assignClaim',
                    workspaceId,
                    threadId,
                    slot,
                    agentId,
                    state: 'claimed',
                    expiresAt: this.nowSeconds() + CLAIM_TTL_SECONDS,
                  },
                  ConditionExpression: 'attribute_not_exists(PK)',
                },
              },
              {
                Update: {
                  TableName: this.tableName,
                  Key: keys.assignCursor(workspaceId),
                  UpdateExpression: 'SET #next = :after, entity = :entity',
                  // Still at the slot read: a concurrent arrival that took it makes this one read again.
                  ConditionExpression: slot === 0 ? 'attribute_not_exists(#next) OR #next = :slot' : '#next = :slot',
                  ExpressionAttributeNames: { '#next': 'next' },
                  ExpressionAttributeValues: { ':slot': slot, ':after': slot + 1, ':entity': 'assignCursor' },
                },
              },
            ],
          }),
        );
        return { slot, agentId, state: 'claimed' };
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        // Either the claim exists now (a repeated delivery raced this one: read it above) or the cursor
        // moved (another thread took the slot): both are settled by reading again.
        await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt, 5)));
      }
    }
    throw new Error(`assignment cursor of workspace ${workspaceId}: too much contention`);
  }

  async markDone(workspaceId: string, threadId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.assignClaim(workspaceId, threadId),
        UpdateExpression: 'SET #state = :done',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }
}
