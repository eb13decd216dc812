/**
 * Idempotency keys of API writes (`Idempotency-Key`): a conditional claim with a lease, its result once
 * done, and its release when an attempt fails.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem } from './items.ts';
import { keys } from './keys.ts';

/**
 * What an API write with an `Idempotency-Key` left behind (`keys.idempotency`). `reserved` holds the ids
 * that the first attempt chose, so an attempt that takes over after a crash creates the very same things.
 */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the operation, its path, the actor and the body: another request under the key is refused. */
  fingerprint: string;
  state: 'pending' | 'done';
  reserved: Record<string, string>;
  /** The ids of what the request created, once done. */
  result?: Record<string, string>;
  /** Which attempt holds the lease, and until when (epoch ms): a crashed attempt's lease runs out. */
  owner: string;
  lockedUntil: number;
  createdAt: string;
  /** TTL (epoch seconds): the key is remembered this long. */
  expiresAt: number;
}

export type IdempotencyClaim =
  /** This attempt holds the lease and runs the request (with `record.reserved`). */
  | { kind: 'claimed'; record: IdempotencyRecord }
  /** An earlier attempt finished: replay its result. */
  | { kind: 'done'; record: IdempotencyRecord }
  /** An earlier attempt is still running. */
  | { kind: 'busy'; record: IdempotencyRecord }
  /** The key was used for a different request. */
  | { kind: 'mismatch'; record: IdempotencyRecord };

export class DynamoIdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getIdempotencyRecord(workspaceId: string, key: string): Promise<IdempotencyRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(workspaceId, key), ConsistentRead: true }),
    );
    return fromItem<IdempotencyRecord>(out.Item) ?? null;
  }

  /**
   * Claims a key for `fresh` (a conditional put: of two concurrent requests, exactly one wins), or
   * takes over a pending record whose lease ran out, keeping its reserved ids. `nowMs` is wall-clock time.
   */
  async claimIdempotencyKey(workspaceId: string, fresh: IdempotencyRecord, nowMs: number): Promise<IdempotencyClaim> {
    const Key = keys.idempotency(workspaceId, fresh.key);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, entity: 'idempotency', ...fresh },
            // DynamoDB's TTL deletes lazily: an expired record counts as absent.
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
          }),
        );
        return { kind: 'claimed', record: fresh };
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
      const existing = await this.getIdempotencyRecord(workspaceId, fresh.key);
      if (!existing) continue;
      if (existing.fingerprint !== fresh.fingerprint) return { kind: 'mismatch', record: existing };
      if (existing.state === 'done') return { kind: 'done', record: existing };
      if (existing.lockedUntil > nowMs) return { kind: 'busy', record: existing };
      try {
        // The previous attempt crashed or gave up: take its lease over, only if nobody else did.
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET #owner = :owner, lockedUntil = :until',
            ConditionExpression: '#state = :pending AND #owner = :was AND lockedUntil = :wasUntil',
            ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
            ExpressionAttributeValues: {
              ':owner': fresh.owner,
              ':until': fresh.lockedUntil,
              ':pending': 'pending',
              ':was': existing.owner,
              ':wasUntil': existing.lockedUntil,
            },
          }),
        );
        return { kind: 'claimed', record: { ...existing, owner: fresh.owner, lockedUntil: fresh.lockedUntil } };
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
    }
    throw new Error(`idempotency key ${fresh.key} kept changing`);
  }

  /** Records the result: every later request with the key replays it. */
  async completeIdempotencyKey(workspaceId: string, key: string, result: Record<string, string>): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(workspaceId, key),
        UpdateExpression: 'SET #state = :done, #result = :result',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
        ExpressionAttributeValues: { ':done': 'done', ':result': result },
      }),
    );
  }

  /** Ends this attempt's lease without a result (it failed): the next request with the key runs again. */
  async releaseIdempotencyKey(workspaceId: string, key: string, owner: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.idempotency(workspaceId, key),
          UpdateExpression: 'SET lockedUntil = :zero',
          ConditionExpression: '#state = :pending AND #owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':zero': 0, ':pending': 'pending', ':owner': owner },
        }),
      );
    } catch (e) {
      // Another attempt took the lease over (or finished): it is theirs now.
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    }
  }
}
