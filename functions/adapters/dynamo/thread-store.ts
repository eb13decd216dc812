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
import { ConcurrentUpdateError, ConflictError, DuplicateMessageError, ThreadMergedError } from '#core/errors.ts';
import type { FeedItem, MessageItem, Thread, ThreadCard } from '#core/model.ts';
import type { MergeChange, MessageIdEntry, Page, ThreadChange, ThreadLookup, ThreadStore } from '#core/ports.ts';
import { contactCardOf } from './contact-card.ts';
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

/**
 * A list entry's budget: under 1 KB, each entry write costs 1 write unit (and 1 on the index), not 2.
 * Measured as JSON bytes, which exceeds DynamoDB's item size (names and values, no quotes or commas),
 * with room for the keys, which are at most 4 × ~100 bytes (ids are ULIDs; facets are bounded).
 */
export const LIST_ENTRY_CARD_BYTES = 1024 - 400;

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

/** `text` cut on a character boundary, with an ellipsis, to drop at least `excess` bytes (or to nothing). */
function shorten(text: string, excess: number): string {
  const chars = [...text];
  let dropped = 0;
  let n = chars.length;
  while (n > 0 && dropped < excess + 3) dropped += Buffer.byteLength(chars[--n], 'utf8'); // + 3: the ellipsis
  return n === 0 ? '' : `${chars.slice(0, n).join('')}…`;
}

/**
 * The card as a list entry carries it: every field the list shows (cardOf), within LIST_ENTRY_CARD_BYTES.
 * A card over it (long multibyte subjects and snippets, long attachment names) gives up the snippet's
 * tail first, then attachment names beyond the first, then the subject's tail: the thread keeps them all.
 */
export function listCardOf(t: Thread): ReturnType<typeof cardOf> {
  const card = cardOf(t);
  let excess = bytes(card) - LIST_ENTRY_CARD_BYTES;
  if (excess <= 0) return card;
  const snippet = shorten(card.snippet, excess);
  excess -= bytes(card.snippet) - bytes(snippet);
  card.snippet = snippet;
  while (excess > 0 && card.attachmentNames.length > 1) {
    excess -= bytes(card.attachmentNames.at(-1)) + 1;
    card.attachmentNames = card.attachmentNames.slice(0, -1);
  }
  if (excess > 0) card.subject = shorten(card.subject, excess);
  return card;
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

  async lookup(
    workspaceId: string,
    input: { messageIds: string[]; threadIds: string[]; senderEmail?: string },
  ): Promise<ThreadLookup> {
    // Bounded by the callers (50 header ids + 1; threads named by them; the sender's email item);
    // BatchGet takes 100 keys a call.
    const mids = [...new Set(input.messageIds.map(normalizeMessageId))].filter(Boolean);
    const threadIds = [...new Set(input.threadIds)].filter(Boolean);
    const emailKey = input.senderEmail ? keys.contactEmail(workspaceId, input.senderEmail) : null;
    if (mids.length + threadIds.length === 0 && !emailKey) return { entries: [], threads: [] };
    const found = await batchGetItems(
      this.db,
      this.tableName,
      [
        ...mids.map((id) => keys.messageId(workspaceId, id)),
        ...threadIds.map((t) => keys.thread(workspaceId, t)),
        ...(emailKey ? [emailKey] : []),
      ],
      { consistentRead: true },
    );
    const entries: MessageIdEntry[] = [];
    const threads: Thread[] = [];
    let emailItem: Record<string, unknown> | undefined;
    for (const item of found) {
      if (item.entity === 'thread') threads.push(fromItem<Thread>(item));
      else if (item.entity === 'contactEmail') emailItem = item;
      else entries.push(fromItem<MessageIdEntry>(item));
    }
    if (!emailKey) return { entries, threads };
    // No email item: nobody's address. An item from before the card: the caller reads the contact.
    if (!emailItem) return { entries, threads, sender: null };
    const card = contactCardOf(emailItem);
    return card ? { entries, threads, sender: card } : { entries, threads };
  }

  async copyFeed(workspaceId: string, fromThreadId: string, toThreadId: string): Promise<FeedItem[]> {
    const partition = keys.threadPartition(workspaceId, fromThreadId);
    const copied: FeedItem[] = [];
    const puts: Array<{ PutRequest: { Item: Record<string, unknown> } }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const raw of out.Items ?? []) {
        const sk = String(raw.SK);
        if (sk.startsWith(keys.feedPrefix())) {
          const item = { ...fromItem<FeedItem>(raw), threadId: toThreadId, mergedFrom: fromThreadId };
          // The merge's own update item stays in the merged thread's feed; the survivor has its twin.
          if (item.type === 'update' && item.field === 'merge') continue;
          copied.push(item);
          puts.push({
            PutRequest: {
              Item: { ...keys.feedItem(workspaceId, toThreadId, item.at, item.itemId), entity: 'feed', ...item },
            },
          });
        } else if (sk.startsWith('ATT#')) {
          const att = fromItem<{ attachmentId: string }>(raw);
          puts.push({
            PutRequest: {
              Item: { ...keys.attachment(workspaceId, toThreadId, att.attachmentId), entity: 'attachment', ...att },
            },
          });
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
    await batchWriteItems(this.db, this.tableName, puts);
    return copied;
  }

  async commitMerge(change: MergeChange): Promise<void> {
    const { survivorBefore, mergedBefore } = change;
    const survivor: Thread = { ...change.survivorAfter, rev: survivorBefore.rev + 1 };
    const merged: Thread = { ...change.mergedAfter, rev: mergedBefore.rev + 1 };
    const ws = survivor.workspaceId;
    const T = this.tableName;
    const tx: TransactItem[] = [survivorBefore, mergedBefore].map((before, i) => ({
      Put: {
        TableName: T,
        Item: { ...keys.thread(ws, before.threadId), entity: 'thread', ...(i === 0 ? survivor : merged) },
        ConditionExpression: '#rev = :rev AND attribute_not_exists(mergedInto)',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: { ':rev': before.rev },
      },
    }));
    for (const item of change.items)
      tx.push({
        Put: {
          TableName: T,
          Item: { ...keys.feedItem(ws, item.threadId, item.at, item.itemId), entity: 'feed', ...item },
        },
      });
    tx.push(...this.listEntryWrites(survivorBefore, survivor));
    // The merged thread leaves every list: its card lives on in the survivor's.
    for (const facet of threadFacets(mergedBefore))
      tx.push({ Delete: { TableName: T, Key: keys.listEntryKey(ws, mergedBefore.threadId, facet) } });
    // Two threads with many tags and customers: their lists would not fit one transaction. Refused (409),
    // and nothing is changed; removing tags or customers from one of them makes it fit.
    if (tx.length > MAX_TRANSACTION_ITEMS)
      throw new ConflictError('these threads have too many tags and customers together to be merged', {
        transactionItems: tx.length,
        max: MAX_TRANSACTION_ITEMS,
      });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: tx }));
    } catch (e) {
      if (e instanceof TransactionCanceledException)
        throw new ConcurrentUpdateError(`thread ${survivor.threadId} or ${merged.threadId} changed concurrently`);
      throw e;
    }
  }

  /**
   * Puts of the thread's list entries (the card under each facet), and deletes of the facets it left. An
   * entry that would be written exactly as it is (same card, same facet) is not written again.
   */
  private listEntryWrites(before: Thread | null, after: Thread): TransactItem[] {
    const T = this.tableName;
    const ws = after.workspaceId;
    const card = listCardOf(after);
    const newFacets = threadFacets(after);
    const oldFacets = before ? threadFacets(before) : [];
    const same = before !== null && JSON.stringify(listCardOf(before)) === JSON.stringify(card);
    const out: TransactItem[] = newFacets
      .filter((facet) => !(same && oldFacets.includes(facet)))
      .map((facet) => ({
        Put: {
          TableName: T,
          Item: { ...keys.listEntry(ws, after.threadId, facet, after.updatedAt), entity: 'listEntry', ...card },
        },
      }));
    for (const facet of oldFacets)
      if (!newFacets.includes(facet))
        out.push({ Delete: { TableName: T, Key: keys.listEntryKey(ws, after.threadId, facet) } });
    return out;
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
    // A merged thread is a forwarding address only: nothing is ever added to it again.
    if (before?.mergedInto)
      throw new ThreadMergedError(`thread ${before.threadId} was merged into ${before.mergedInto}`, {
        mergedInto: before.mergedInto,
      });
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
    const placeholders: TransactItem[] = [];
    for (const { dedupe, replacesPlaceholderOf, ...m } of change.messageIds ?? []) {
      if (dedupe) dedupeAt.set(tx.length, m.messageId);
      const Item = {
        ...keys.messageId(ws, m.messageId),
        entity: 'messageId',
        ...m,
        messageId: normalizeMessageId(m.messageId),
      };
      if (!m.placeholder) delete (Item as { placeholder?: boolean }).placeholder;
      (m.placeholder ? placeholders : tx).push({
        Put: {
          TableName: T,
          Item,
          ...(dedupe && replacesPlaceholderOf
            ? {
                // The mail that a placeholder was waiting for: it takes the placeholder's place, and only
                // if the placeholder still is what was read (else a twin delivery or a race won).
                ConditionExpression: 'attribute_not_exists(PK) OR (placeholder = :yes AND threadId = :ph)',
                ExpressionAttributeValues: { ':yes': true, ':ph': replacesPlaceholderOf },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
              }
            : dedupe || m.placeholder
              ? {
                  // A placeholder is written only where nothing is yet: two mails naming the same unknown
                  // parent at once cannot both claim it, so the loser re-reads and joins the winner.
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
    tx.push(...this.listEntryWrites(before, after));
    // Placeholders only help later mails find this thread: they take the room that is left, nearest first.
    tx.push(...placeholders.slice(0, Math.max(0, MAX_TRANSACTION_ITEMS - tx.length)));
    // Attachment items are plain idempotent puts: they join the transaction while it has room.
    const attachmentPuts = (change.attachments ?? []).map((a) => ({
      PutRequest: { Item: { ...keys.attachment(ws, after.threadId, a.attachmentId), entity: 'attachment', ...a } },
    }));
    const room = MAX_TRANSACTION_ITEMS - tx.length;
    for (const put of attachmentPuts.splice(0, Math.max(0, room)))
      tx.push({ Put: { TableName: T, Item: put.PutRequest.Item } });
    // Keywords right after the transaction, in one BatchWrite: an item of a transaction costs twice the
    // write units of a plain put (docs/scale.md), and a keyword needs no condition. A retry that finds
    // its message already committed writes them again (ingest's repeat path), so none is lost.
    const keywordPuts = [...new Set(change.keywords ?? [])].map((token) => ({
      PutRequest: { Item: { ...keys.keyword(ws, token, after.threadId), entity: 'keyword', threadId: after.threadId } },
    }));
    if (tx.length > MAX_TRANSACTION_ITEMS) throw new Error(`thread change too large: ${tx.length} items`);

    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: tx }));
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        const reasons = e.CancellationReasons ?? [];
        for (const [index] of dedupeAt) {
          if (reasons[index]?.Code === 'ConditionalCheckFailed') {
            const old = reasons[index]?.Item as Record<string, { S?: string; BOOL?: boolean }> | undefined;
            // A placeholder that moved on (another mail claimed it first): a race to re-read, not a twin.
            if (old?.placeholder?.BOOL)
              throw new ConcurrentUpdateError(`Message-ID ${dedupeAt.get(index)} was claimed`);
            const existing = old?.threadId?.S
              ? {
                  threadId: old.threadId.S,
                  itemId: old.itemId?.S ?? '',
                  ...(old.direction?.S === 'inbound' || old.direction?.S === 'outbound'
                    ? { direction: old.direction.S as 'inbound' | 'outbound' }
                    : {}),
                  ...(old.contentHash?.S ? { contentHash: old.contentHash.S } : {}),
                  ...(old.inert?.BOOL ? { inert: true } : {}),
                }
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
    await batchWriteItems(this.db, this.tableName, [...attachmentPuts, ...keywordPuts]);
  }

  private async existingMessage(workspaceId: string, messageId: string) {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.messageId(workspaceId, messageId), ConsistentRead: true }),
    );
    // A placeholder is not the mail: the writer lost a race to re-read, it is no duplicate.
    if (!out.Item || out.Item.placeholder) throw new ConcurrentUpdateError(`Message-ID ${messageId} was claimed`);
    return {
      threadId: String(out.Item.threadId ?? ''),
      itemId: String(out.Item.itemId ?? ''),
      ...(out.Item.direction === 'inbound' || out.Item.direction === 'outbound'
        ? { direction: out.Item.direction as 'inbound' | 'outbound' }
        : {}),
      ...(typeof out.Item.contentHash === 'string' ? { contentHash: out.Item.contentHash } : {}),
      ...(out.Item.inert === true ? { inert: true } : {}),
    };
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
