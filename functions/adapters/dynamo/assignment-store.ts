/**
 * The round-robin of assignment on arrival in the table (functions/core/assignment.ts): a counter per
 * workspace (the next slot of the rotation) and a claim per thread, so that each thread takes exactly one
 * slot, once, however many Lambdas race and however often the stream delivers its insertion.
 *
 * 1. The claim is created first (`attribute_not_exists`): of several deliveries of one thread, one wins.
 * 2. Only the winner takes a slot: an atomic `ADD` on the counter (no read-modify-write, so concurrent
 *    arrivals of other threads never retry each other), and records slot and agent on its claim.
 * 3. A delivery that lost step 1 reads the claim until the winner has recorded its agent. A claim left
 *    without a slot by a crash (older than a Lambda could run) is taken over, conditioned on its time.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AssignmentClaim, AssignmentStore } from '#core/assignment.ts';
import { keys } from './keys.ts';

/** A claim outlives the stream's retries (24 hours) by far, then expires (the table's TTL). */
const CLAIM_TTL_SECONDS = 14 * 86_400;
/** A claim still without a slot after this long was left by a crashed run (the dispatcher times out sooner). */
const TAKEOVER_AFTER_MS = 5 * 60_000;
/** How long a repeated delivery waits for the winner to record its agent before the stream retries it. */
const WAIT_FOR_WINNER_MS = 5_000;

interface ClaimItem {
  state: 'claiming' | 'claimed' | 'done';
  claimedAt: number;
  slot?: number;
  agentId?: string;
}

export class DynamoAssignmentStore implements AssignmentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  private async read(workspaceId: string, threadId: string): Promise<ClaimItem | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.assignClaim(workspaceId, threadId), ConsistentRead: true }),
    );
    return (out.Item as ClaimItem | undefined) ?? null;
  }

  private static settled(c: ClaimItem | null): AssignmentClaim | null {
    if (!c || c.state === 'claiming' || c.slot === undefined || c.agentId === undefined) return null;
    return { slot: c.slot, agentId: c.agentId, state: c.state };
  }

  async claim(workspaceId: string, threadId: string, pick: (slot: number) => string): Promise<AssignmentClaim> {
    const key = keys.assignClaim(workspaceId, threadId);
    const claimedAt = this.nowMs();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...key,
            entity: 'assignClaim',
            workspaceId,
            threadId,
            state: 'claiming',
            claimedAt,
            expiresAt: Math.floor(claimedAt / 1000) + CLAIM_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return await this.takeSlot(workspaceId, threadId, claimedAt, pick);
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
    // Another delivery of this thread claimed it: wait for its agent (or take over a claim left by a crash).
    const deadline = this.nowMs() + WAIT_FOR_WINNER_MS;
    for (;;) {
      const found = await this.read(workspaceId, threadId);
      const settled = DynamoAssignmentStore.settled(found);
      if (settled) return settled;
      if (found && this.nowMs() - found.claimedAt > TAKEOVER_AFTER_MS) {
        const mine = this.nowMs();
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'SET claimedAt = :mine',
              ConditionExpression: '#state = :claiming AND claimedAt = :theirs',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':mine': mine, ':theirs': found.claimedAt, ':claiming': 'claiming' },
            }),
          );
          return await this.takeSlot(workspaceId, threadId, mine, pick);
        } catch (e) {
          if (!(e instanceof ConditionalCheckFailedException)) throw e;
          continue;
        }
      }
      if (this.nowMs() > deadline) throw new Error(`assignment of thread ${threadId} is being claimed by another run`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The claim's owner takes the next slot (atomic ADD: never contended) and records it with its agent. */
  private async takeSlot(
    workspaceId: string,
    threadId: string,
    claimedAt: number,
    pick: (slot: number) => string,
  ): Promise<AssignmentClaim> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.assignCursor(workspaceId),
        UpdateExpression: 'ADD #next :one SET entity = :entity, workspaceId = :ws',
        ExpressionAttributeNames: { '#next': 'next' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'assignCursor', ':ws': workspaceId },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const slot = (out.Attributes?.next as number) - 1;
    const agentId = pick(slot);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.assignClaim(workspaceId, threadId),
          UpdateExpression: 'SET #state = :claimed, slot = :slot, agentId = :agent',
          ConditionExpression: '#state = :claiming AND claimedAt = :at',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':claiming': 'claiming',
            ':slot': slot,
            ':agent': agentId,
            ':at': claimedAt,
          },
        }),
      );
      return { slot, agentId, state: 'claimed' };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
      // Taken over meanwhile (this run was presumed dead): the other run's slot is the thread's.
      const settled = DynamoAssignmentStore.settled(await this.read(workspaceId, threadId));
      if (settled) return settled;
      throw new Error(`assignment of thread ${threadId} was taken over`);
    }
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
