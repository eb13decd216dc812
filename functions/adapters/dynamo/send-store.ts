/**
 * SendStore on DynamoDB: one record per logical send (`keys.send`) and per-address cap counters
 * (`keys.sendCap`, one item per address and window, expired by TTL).
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#core/errors.ts';
import { SEND_RECORD_RETENTION_SECONDS } from '#core/limits.ts';
import type { ClaimResult, SendRecord, SendStore } from '#core/outbound.ts';
import { backoff, fromItem } from './items.ts';
import { keys } from './keys.ts';
import { DynamoMailboxStore } from './mailbox-store.ts';

/** Send records outlive any retry by far; 90 days also covers an API client's idempotency keys. */
const RECORD_TTL_SECONDS = SEND_RECORD_RETENTION_SECONDS;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export class DynamoSendStore implements SendStore {
  /** Who a send goes out as: the mailboxes and signatures (mailbox-store.ts). */
  private readonly mailboxes: DynamoMailboxStore;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.mailboxes = new DynamoMailboxStore(db, tableName);
  }

  async get(workspaceId: string, sendId: string): Promise<SendRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.send(workspaceId, sendId), ConsistentRead: true }),
    );
    return fromItem<SendRecord>(out.Item, 'expiresAt') ?? null;
  }

  async claim(
    record: SendRecord,
    guard: { statusVersion: number },
    cap: { addresses: string[]; limit: number; windowSeconds: number; now: Date },
  ): Promise<ClaimResult> {
    const T = this.tableName;
    const nowSeconds = Math.floor(cap.now.getTime() / 1000);
    const windowStart = Math.floor(nowSeconds / cap.windowSeconds) * cap.windowSeconds;
    const window = new Date(windowStart * 1000).toISOString();
    const tx: TransactItem[] = [
      {
        Put: {
          TableName: T,
          Item: {
            ...keys.send(record.workspaceId, record.sendId),
            entity: 'send',
            ...record,
            expiresAt: nowSeconds + RECORD_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        // The timer's guard: the claim exists only if the thread is still at the version read.
        ConditionCheck: {
          TableName: T,
          Key: keys.thread(record.workspaceId, record.threadId),
          ConditionExpression: 'statusVersion = :v AND #s <> :closed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':v': guard.statusVersion, ':closed': 'closed' },
        },
      },
      ...[...new Set(cap.addresses)].map(
        (address): TransactItem => ({
          Update: {
            TableName: T,
            Key: keys.sendCap(record.workspaceId, address, window),
            UpdateExpression: 'ADD #c :one SET expiresAt = if_not_exists(expiresAt, :exp), entity = :e',
            ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
            ExpressionAttributeNames: { '#c': 'count' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': cap.limit,
              ':exp': windowStart + cap.windowSeconds + 3600,
              ':e': 'sendCap',
            },
          },
        }),
      ),
    ];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: tx }));
      return 'claimed';
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
      if (codes[0] === 'ConditionalCheckFailed') return 'exists';
      if (codes[1] === 'ConditionalCheckFailed') return 'stale';
      if (codes.slice(2).includes('ConditionalCheckFailed')) return 'capped';
      if (codes.includes('TransactionConflict')) return 'stale'; // re-read and try again
      throw e;
    }
  }

  async markSending(record: SendRecord, guard?: { statusVersion: number }): Promise<'ok' | 'stale' | 'not-claimed'> {
    const update = {
      TableName: this.tableName,
      Key: keys.send(record.workspaceId, record.sendId),
      UpdateExpression: 'SET #st = :sending',
      ConditionExpression: '#st = :claimed',
      ExpressionAttributeNames: { '#st': 'state' },
      ExpressionAttributeValues: { ':sending': 'sending', ':claimed': 'claimed' },
    };
    if (!guard) {
      try {
        await this.db.send(new UpdateCommand(update));
        return 'ok';
      } catch (e) {
        if (e instanceof ConditionalCheckFailedException) return 'not-claimed';
        throw e;
      }
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: update },
              {
                // Closes the window between the commit and SES: a reply committed since then cancels the mail.
                ConditionCheck: {
                  TableName: this.tableName,
                  Key: keys.thread(record.workspaceId, record.threadId),
                  ConditionExpression: 'statusVersion = :v',
                  ExpressionAttributeValues: { ':v': guard.statusVersion },
                },
              },
            ],
          }),
        );
        return 'ok';
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
        if (codes[0] === 'ConditionalCheckFailed') return 'not-claimed';
        if (codes[1] === 'ConditionalCheckFailed') return 'stale';
        if (!codes.includes('TransactionConflict')) throw e;
        await backoff(attempt);
      }
    }
    throw new ConcurrentUpdateError(`send ${record.sendId}: thread kept changing`);
  }

  async finish(
    record: SendRecord,
    patch: Pick<SendRecord, 'state'> & Partial<Pick<SendRecord, 'providerMessageId' | 'wireMessageId' | 'error'>>,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    // A send that went out stays `sent`: a racing caller's `failed` (a crash it presumed) never overwrites it.
    const guardSent = patch.state === 'failed';
    if (guardSent) {
      names['#state'] = 'state';
      values[':sent'] = 'sent';
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.send(record.workspaceId, record.sendId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ...(guardSent ? { ConditionExpression: '#state <> :sent' } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (e) {
      if (!(guardSent && e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  async senderIdentity(
    workspaceId: string,
    mailbox: string | undefined,
    agentId?: string,
    wroteTo?: readonly string[],
  ) {
    return this.mailboxes.senderIdentity(workspaceId, mailbox, agentId, wroteTo);
  }
}
