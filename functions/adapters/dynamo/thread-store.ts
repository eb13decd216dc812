/**
 * ThreadStore on DynamoDB: threads, their feed, the Message-ID index, list entries and keywords.
 * Every thread write is one TransactWriteItems, conditioned on the thread's `rev`, so concurrent
 * writers serialise and counters stay exact; the list entries change in the same transaction.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, DuplicateMessageError } from '../../core/errors.ts';
import type { FeedItem, MessageItem, Thread, ThreadCard } from '../../core/model.ts';
import type { MessageIdEntry, Page, ThreadChange, ThreadStore } from '../../core/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { batchGetItems, batchWriteItems, fromItem } from './items.ts';
import { keys, normalizeMessageId, threadFacets } from './keys.ts';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** The card fields copied onto each list entry, so a list page is one Query. */
export function cardOf(t: Thread): ThreadCard & Pick<Thread, 'threadId' | 'ref' | 'customerIds' | 'updatedAt'> {
  return {
    threadId: t.threadId,
    ref: t.ref,
    customerIds: t.customerIds,
    updatedAt: t.updatedAt,
    status: t.status,
    ...(t.reminderIndex ? { reminderIndex: t.reminderIndex } : {}),
    subject: t.subject,
    snippet: t.snippet,
    ...(t.assignee ? { assignee: t.assignee } : {}),
    tags: t.tags,
    hasAttachments: t.hasAttachments,
    attachmentNames: t.attachmentNames,
    messageCount: t.messageCount,
    itemCount: t.itemCount,
    ...(t.lastMessageAt ? { lastMessageAt: t.lastMessageAt } : {}),
    ...(t.latestContact ? { latestContact: t.latestContact } : {}),
  };
}

export class DynamoThreadStore implements ThreadStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getThread(workspaceId: string, threadId: string): Promise<Thread | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.thread(workspaceId, threadId), ConsistentRead: true }),
    );
    return fromItem<Thread>(out.Item) ?? null;
  }

  async findThreadIdByRef(workspaceId: string, ref: string): Promise<string | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.threadRef(workspaceId, ref) }),
    );
    return (out.Item?.threadId as string | undefined) ?? null;
  }

  async findMessageIds(workspaceId: string, messageIds: string[]): Promise<MessageIdEntry[]> {
    const unique = [...new Set(messageIds.map(normalizeMessageId))].filter(Boolean).slice(0, 100);
    if (unique.length === 0) return [];
    const found = await batchGetItems(
      this.db,
      this.tableName,
      unique.map((id) => keys.messageId(workspaceId, id)),
      { consistentRead: true },
    );
    return found.map((item) => fromItem<MessageIdEntry>(item));
  }

  async nextThreadRef(workspaceId: string): Promise<string> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.threadRefCounter(workspaceId),
        UpdateExpression: 'ADD #n :one',
        ExpressionAttributeNames: { '#n': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return String(out.Attributes?.value);
  }

  async commit(change: ThreadChange): Promise<void> {
    const { before } = change;
    const after: Thread = { ...change.after, rev: (before?.rev ?? 0) + 1 };
    const ws = after.workspaceId;
    const T = this.tableName;
    const tx: TransactItem[] = [
      {
        Put: {
          TableName: T,
          Item: { ...keys.thread(ws, after.threadId), entity: 'thread', ...after },
          ...(before
            ? {
                ConditionExpression: '#rev = :rev',
                ExpressionAttributeNames: { '#rev': 'rev' },
                ExpressionAttributeValues: { ':rev': before.rev },
              }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
    ];
    const dedupeAt = new Map<number, string>();
    for (const m of change.messageIds ?? []) {
      if (m.dedupe) dedupeAt.set(tx.length, m.messageId);
      tx.push({
        Put: {
          TableName: T,
          Item: {
            ...keys.messageId(ws, m.messageId),
            entity: 'messageId',
            ...m,
            messageId: normalizeMessageId(m.messageId),
          },
          ...(m.dedupe
            ? {
                ConditionExpression: 'attribute_not_exists(PK)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              }
            : {}),
        },
      });
    }
    for (const item of change.items) {
      tx.push({
        Put: {
          TableName: T,
          Item: { ...keys.feedItem(ws, after.threadId, item.at, item.itemId), entity: 'feed', ...item },
        },
      });
    }
    if (!before) {
      tx.push({
        Put: {
          TableName: T,
          Item: { ...keys.threadRef(ws, after.ref), entity: 'threadRef', threadId: after.threadId },
        },
      });
    }
    const card = cardOf(after);
    const newFacets = threadFacets(after);
    for (const facet of newFacets) {
      tx.push({
        Put: {
          TableName: T,
          Item: { ...keys.listEntry(ws, after.threadId, facet, after.updatedAt), entity: 'listEntry', facet, ...card },
        },
      });
    }
    for (const facet of before ? threadFacets(before) : []) {
      if (!newFacets.includes(facet))
        tx.push({ Delete: { TableName: T, Key: keys.listEntryKey(ws, after.threadId, facet) } });
    }
    // Attachment items are plain idempotent puts: they join the transaction while it has room.
    const attachmentPuts = (change.attachments ?? []).map((a) => ({
      PutRequest: { Item: { ...keys.attachment(ws, after.threadId, a.attachmentId), entity: 'attachment', ...a } },
    }));
    const room = MAX_TRANSACTION_ITEMS - tx.length;
    for (const put of attachmentPuts.splice(0, Math.max(0, room)))
      tx.push({ Put: { TableName: T, Item: put.PutRequest.Item } });
    if (tx.length > MAX_TRANSACTION_ITEMS) throw new Error(`thread change too large: ${tx.length} items`);

    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: tx }));
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const reasons = e.CancellationReasons ?? [];
        for (const [index] of dedupeAt) {
          if (reasons[index]?.Code === 'ConditionalCheckFailed') {
            const old = reasons[index]?.Item as Record<string, { S?: string }> | undefined;
            const existing = old?.threadId?.S
              ? { threadId: old.threadId.S, itemId: old.itemId?.S ?? '' }
              : await this.existingMessage(ws, dedupeAt.get(index)!);
            throw new DuplicateMessageError(existing);
          }
        }
        // A stale rev, or a conflict with a concurrent transaction on the same items: re-read and retry.
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')) {
          throw new ConcurrentUpdateError(`thread ${after.threadId} changed concurrently`);
        }
      }
      throw e;
    }
    await batchWriteItems(this.db, this.tableName, attachmentPuts);
  }

  private async existingMessage(workspaceId: string, messageId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.messageId(workspaceId, messageId), ConsistentRead: true }),
    );
    return { threadId: String(out.Item?.threadId ?? ''), itemId: String(out.Item?.itemId ?? '') };
  }

  async indexKeywords(workspaceId: string, threadId: string, tokens: string[]): Promise<void> {
    const unique = [...new Set(tokens)];
    await batchWriteItems(
      this.db,
      this.tableName,
      unique.map((token) => ({
        PutRequest: { Item: { ...keys.keyword(workspaceId, token, threadId), entity: 'keyword', threadId } },
      })),
    );
  }

  async listFeed(
    workspaceId: string,
    threadId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<FeedItem>> {
    const after = decodeCursor(page.cursor, ['sk'], (c) => c.sk.startsWith(keys.feedPrefix()));
    const partition = keys.threadPartition(workspaceId, threadId);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': keys.feedPrefix() },
        Limit: page.limit,
        ...(after ? { ExclusiveStartKey: { PK: partition, SK: after.sk } } : {}),
      }),
    );
    const items = (out.Items ?? []).map((i) => fromItem<FeedItem>(i));
    const last = out.LastEvaluatedKey;
    return { items, ...(last ? { cursor: encodeCursor({ sk: String(last.SK) }) } : {}) };
  }

  async getMessage(workspaceId: string, threadId: string, at: string, itemId: string): Promise<MessageItem | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.feedItem(workspaceId, threadId, at, itemId),
        ConsistentRead: true,
      }),
    );
    return fromItem<MessageItem>(out.Item) ?? null;
  }

  async setDelivery(
    workspaceId: string,
    threadId: string,
    at: string,
    itemId: string,
    delivery: NonNullable<MessageItem['delivery']>,
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.feedItem(workspaceId, threadId, at, itemId),
          UpdateExpression: 'SET delivery = :d',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':d': delivery },
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw new Error(`message ${itemId} not found`);
      throw e;
    }
  }
}
