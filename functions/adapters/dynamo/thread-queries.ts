/**
 * Thread lists and keyword search, read from the list entries that ThreadStore.commit keeps in step
 * with every thread (one copy of the card per facet; see threadFacets() in keys.ts).
 *
 * - A list page Queries ONE GSI1 partition, `listPartitions(ws, facet)`, newest updated first (a hot facet:
 *   LIST_SHARDS partitions, merged; see listThreads). With one
 *   filter (or a combination that exists as a facet) that is exactly one Query of `limit + 1` items.
 * - With more filters, the most selective facet present is queried and the rest is a FilterExpression.
 *   DynamoDB filters after reading, so the loop reads on until the page is full or the read budget is
 *   spent: the cost grows with that facet's partition, never with the table. A page cut short by the
 *   budget still carries a cursor, so the caller pages on.
 * - Keyword search reads, for each query token, the tokens that start with it (one Query on the
 *   token's 3-letter keyword partition; cost grows with the matches), intersects the threads,
 *   BatchGets their `all` list entries, and sorts and filters those in memory.
 *
 * Never a Scan. Every key is built from the caller's workspace id, and cursors carry only sort keys.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '#core/errors.ts';
import { isPrefixToken } from '#core/keywords.ts';
import type { AttachmentMeta, FeedItem, ThreadCard, ThreadStatus } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { batchGetItems, fromItem } from './items.ts';
import { keys } from './keys.ts';

/** A list entry: the thread card plus what identifies and sorts it. */
export type ThreadListEntry = ThreadCard & { threadId: string; ref: string; customerIds: string[]; updatedAt: string };

export interface ThreadFilter {
  status?: ThreadStatus;
  /** An agent id, or `none` for unassigned threads. */
  assignee?: string;
  /** Lower-case, as threadFacets() keys it. */
  tag?: string;
  customer?: string;
  hasAttachments?: boolean;
  /** The quarantine view: threads opened by quarantined mail, and only those. */
  quarantined?: boolean;
  /** The Late view: threads with a breached SLA clock, not closed (a sparse facet of its own). */
  late?: boolean;
  /**
   * Only threads updated at or after this time (ISO 8601, UTC, as `toISOString` writes it): a live
   * client catching up after a reconnect. A key condition on the list's sort key, so still one query.
   */
  updatedSince?: string;
}

export interface QueryBudget {
  /** Items read (before filtering) per page at most; the page is returned short, with a cursor, beyond. */
  maxItemsRead: number;
  /** Items read per Query call while filtering. */
  chunk: number;
  /** Keyword search: matches read per token at most (the newest threads win). */
  maxMatchesPerToken: number;
  /** Keyword search: candidate threads fetched and sorted at most. */
  maxCandidates: number;
}

export const DEFAULT_BUDGET: QueryBudget = {
  maxItemsRead: 1000,
  chunk: 200,
  maxMatchesPerToken: 5000,
  maxCandidates: 1000,
};

/** What a page cost, for the bench and the docs: DynamoDB calls and items read. */
export interface PageStats {
  facet: string;
  queries: number;
  itemsRead: number;
}

type Clause = { expression: string; names: Record<string, string>; values: Record<string, unknown> };

/**
 * The facet partition to read for a filter, and the filters left over. Most selective first: a customer's
 * threads, then a tag, then an assignee (combined with the status when one is given), then attachments,
 * unassigned, a status, and `all`.
 */
export function chooseFacet(filter: ThreadFilter): { facet: string; remaining: ThreadFilter } {
  const { status, assignee, tag, customer, hasAttachments } = filter;
  const rest = (...covered: Array<keyof ThreadFilter>) => {
    const remaining: ThreadFilter = { ...filter };
    for (const k of covered) delete remaining[k];
    for (const k of Object.keys(remaining) as Array<keyof ThreadFilter>)
      if (remaining[k] === undefined) delete remaining[k];
    return remaining;
  };
  // Quarantined threads live in one facet of their own (threadFacets): no other facet holds them.
  if (filter.quarantined) return { facet: 'quarantine', remaining: rest('quarantined') };
  // Late threads are few: their own sparse facet, the other filters applied after the read.
  if (filter.late) return { facet: keys.lateFacet(), remaining: rest('late') };
  if (customer) return { facet: `customer=${customer}`, remaining: rest('customer') };
  if (tag && status) return { facet: `status=${status}&tag=${tag}`, remaining: rest('tag', 'status') };
  if (tag) return { facet: `tag=${tag}`, remaining: rest('tag') };
  if (assignee && assignee !== 'none' && status)
    return { facet: `status=${status}&assignee=${assignee}`, remaining: rest('assignee', 'status') };
  if (assignee && assignee !== 'none') return { facet: `assignee=${assignee}`, remaining: rest('assignee') };
  // The Unassigned view: its own facet (status + nobody), the one its count reads too.
  if (assignee === 'none' && status && hasAttachments === undefined)
    return { facet: `status=${status}&assignee=none`, remaining: rest('assignee', 'status') };
  if (hasAttachments === true && status)
    return { facet: `status=${status}&attachments=true`, remaining: rest('hasAttachments', 'status') };
  if (hasAttachments === true) return { facet: 'attachments=true', remaining: rest('hasAttachments') };
  if (assignee === 'none') return { facet: 'assignee=none', remaining: rest('assignee') };
  if (status) return { facet: `status=${status}`, remaining: rest('status') };
  return { facet: 'all', remaining: rest() };
}

/** The FilterExpression for the filters that the facet does not cover. */
export function filterExpression(filter: ThreadFilter): Clause | null {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (filter.status) {
    parts.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.assignee === 'none') {
    parts.push('attribute_not_exists(#assignee)');
    names['#assignee'] = 'assignee';
  } else if (filter.assignee) {
    parts.push('#assignee = :assignee');
    names['#assignee'] = 'assignee';
    values[':assignee'] = filter.assignee;
  }
  if (filter.tag) {
    parts.push('contains(#tags, :tag)');
    names['#tags'] = 'tags';
    values[':tag'] = filter.tag;
  }
  if (filter.customer) {
    parts.push('contains(#customerIds, :customer)');
    names['#customerIds'] = 'customerIds';
    values[':customer'] = filter.customer;
  }
  if (filter.hasAttachments !== undefined) {
    parts.push('#hasAttachments = :hasAttachments');
    names['#hasAttachments'] = 'hasAttachments';
    values[':hasAttachments'] = filter.hasAttachments;
  }
  return parts.length === 0 ? null : { expression: parts.join(' AND '), names, values };
}

/** The same filters, in memory (keyword search). */
export function matchesFilter(entry: ThreadListEntry, filter: ThreadFilter): boolean {
  if (filter.status && entry.status !== filter.status) return false;
  if (filter.assignee === 'none' ? entry.assignee !== undefined : filter.assignee && entry.assignee !== filter.assignee)
    return false;
  if (filter.tag && !entry.tags.includes(filter.tag)) return false;
  if (filter.customer && !entry.customerIds.includes(filter.customer)) return false;
  if (filter.hasAttachments !== undefined && entry.hasAttachments !== filter.hasAttachments) return false;
  if (filter.updatedSince && entry.updatedAt < filter.updatedSince) return false;
  return true;
}

const LIST_CURSOR = /^\d{4}-\d{2}-\d{2}T[^#]*#[0-9A-Za-z]{1,64}$/;

/** A list entry item as the card it copies (without its facet). */
const toEntry = (item: Record<string, unknown>) => fromItem<ThreadListEntry>(item, 'facet');

const byUpdatedDesc = (a: ThreadListEntry, b: ThreadListEntry) =>
  a.updatedAt === b.updatedAt ? (a.threadId < b.threadId ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1;

export class DynamoThreadQueries {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly budget: QueryBudget = DEFAULT_BUDGET,
  ) {}

  /**
   * One page of a thread list, newest updated first. A facet is one GSI1 partition, or LIST_SHARDS of them
   * (a hot facet, keys.ts): then the page is a k-way merge of the shards by sort key, each shard read in
   * chunks only as far as the merge needs it. Sort keys (`<updatedAt>#<threadId>`) are unique and totally
   * ordered across shards, so the cursor is the last sort key returned: every shard resumes below it.
   */
  async listThreads(
    workspaceId: string,
    filter: ThreadFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<ThreadListEntry> & { stats: PageStats }> {
    const { facet, remaining } = chooseFacet(filter);
    const partitions = keys.listPartitions(workspaceId, facet);
    const after = decodeCursor(page.cursor, ['k']);
    if (after && !LIST_CURSOR.test(after.k)) throw new ValidationError('invalid cursor');
    const { updatedSince: _since, ...unkeyed } = remaining;
    const clause = filterExpression(unkeyed);
    const since = filter.updatedSince;
    const before = after?.k;
    // GSI1SK is `<updatedAt>#<threadId>`: below the cursor, and `>= <time>` for a catch-up (BETWEEN is
    // inclusive, so the cursor's own entry is dropped below).
    const keyCondition =
      since && before
        ? 'GSI1PK = :pk AND GSI1SK BETWEEN :since AND :before'
        : since
          ? 'GSI1PK = :pk AND GSI1SK >= :since'
          : before
            ? 'GSI1PK = :pk AND GSI1SK < :before'
            : 'GSI1PK = :pk';
    const bounds = { ...(since ? { ':since': since } : {}), ...(before ? { ':before': before } : {}) };
    const want = page.limit + 1; // one more than the page: it tells whether a next page exists
    const stats: PageStats = { facet, queries: 0, itemsRead: 0 };
    // Per shard: the items read and not yet merged, where its next Query starts, and whether it is done.
    const shards = partitions.map((pk) => ({
      pk,
      buffer: [] as Record<string, unknown>[],
      start: undefined as Record<string, unknown> | undefined,
      position: undefined as string | undefined,
      done: false,
    }));
    // A shard's share of the page, plus a margin: most pages need one Query per shard.
    const chunk = clause
      ? Math.max(Math.ceil(this.budget.chunk / shards.length), want)
      : shards.length === 1
        ? want
        : Math.ceil(want / shards.length) + 2;
    const fetch = async (shard: (typeof shards)[number], limit: number) => {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: keyCondition,
          ScanIndexForward: false,
          Limit: limit,
          ...(clause
            ? {
                FilterExpression: clause.expression,
                ExpressionAttributeNames: clause.names,
                ExpressionAttributeValues: { ':pk': shard.pk, ...bounds, ...clause.values },
              }
            : { ExpressionAttributeValues: { ':pk': shard.pk, ...bounds } }),
          ...(shard.start ? { ExclusiveStartKey: shard.start } : {}),
        }),
      );
      stats.queries++;
      stats.itemsRead += out.ScannedCount ?? out.Items?.length ?? 0;
      shard.buffer.push(...(out.Items ?? []).filter((i) => i.GSI1SK !== before));
      shard.start = out.LastEvaluatedKey;
      if (shard.start) shard.position = String(shard.start.GSI1SK);
      else shard.done = true;
    };
    const found: Record<string, unknown>[] = [];
    let cutAt: string | undefined; // the read budget ran out: the page ends here, and resumes below it
    while (found.length < want) {
      // Every shard that may hold the next entry needs one in hand; read those that have none.
      const empty = shards.filter((s) => !s.done && s.buffer.length === 0);
      const readLeft = this.budget.maxItemsRead - stats.itemsRead;
      if (empty.length > 0 && readLeft > 0) {
        // The shards read at once share what is left of the budget.
        const limit = Math.min(chunk, Math.max(1, Math.floor(readLeft / empty.length)));
        await Promise.all(empty.map((shard) => fetch(shard, limit)));
        continue;
      }
      // Out of budget: a shard with nothing in hand has read everything above its position only.
      const stuck = empty.map((s) => s.position!).sort();
      const floor = stuck.at(-1);
      let best: (typeof shards)[number] | undefined;
      for (const s of shards)
        if (s.buffer.length > 0 && (!best || String(s.buffer[0].GSI1SK) > String(best.buffer[0].GSI1SK))) best = s;
      if (!best || (floor !== undefined && String(best.buffer[0].GSI1SK) <= floor)) {
        cutAt = floor;
        break;
      }
      found.push(best.buffer.shift()!);
    }
    const items = found.slice(0, page.limit).map(toEntry);
    let cursor: string | undefined;
    if (found.length > page.limit) cursor = encodeCursor({ k: String(found[page.limit - 1].GSI1SK) });
    else if (cutAt) cursor = encodeCursor({ k: cutAt }); // budget spent: resume there
    return { items, ...(cursor ? { cursor } : {}), stats };
  }

  /**
   * Keyword search: threads that contain every token, newest updated first, other filters applied in
   * memory. The cursor is an offset into that ordering.
   */
  async searchThreads(
    workspaceId: string,
    tokens: string[],
    filter: ThreadFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<ThreadListEntry> & { stats: PageStats }> {
    const after = decodeCursor(page.cursor, ['o']);
    const offset = after ? Number(after.o) : 0;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new ValidationError('invalid cursor');
    const stats: PageStats = { facet: `keywords=${tokens.join('+')}`, queries: 0, itemsRead: 0 };
    if (tokens.length === 0) return { items: [], stats };

    let candidates: Set<string> | undefined;
    // Fewer matches first would be cheaper, but the counts are unknown up front: the order of the query.
    for (const token of tokens) {
      const ids = await this.keywordMatches(workspaceId, token, stats);
      candidates = candidates ? new Set(ids.filter((id) => candidates!.has(id))) : new Set(ids);
      if (candidates.size === 0) return { items: [], stats };
    }
    // Thread ids are ULIDs: when there are too many, the newest-created threads are kept.
    const ids = [...(candidates ?? [])].sort().reverse().slice(0, this.budget.maxCandidates);
    const entries = (await this.batchGetEntries(workspaceId, ids, stats)).filter((e) => matchesFilter(e, filter));
    entries.sort(byUpdatedDesc);
    const items = entries.slice(offset, offset + page.limit);
    const next = offset + page.limit;
    return { items, ...(next < entries.length ? { cursor: encodeCursor({ o: String(next) }) } : {}), stats };
  }

  async getAttachment(
    workspaceId: string,
    threadId: string,
    attachmentId: string,
  ): Promise<(AttachmentMeta & { itemId?: string }) | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.attachment(workspaceId, threadId, attachmentId) }),
    );
    return fromItem<AttachmentMeta & { itemId?: string }>(out.Item) ?? null;
  }

  /** One feed item by its key (a message or a comment that an idempotent request created before). */
  async getFeedItem(workspaceId: string, threadId: string, at: string, itemId: string): Promise<FeedItem | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.feedItem(workspaceId, threadId, at, itemId),
        ConsistentRead: true,
      }),
    );
    return fromItem<FeedItem>(out.Item) ?? null;
  }

  /** Whether any thread lists the customer (one Query of one item on its facet). */
  async customerHasThreads(workspaceId: string, customerId: string): Promise<boolean> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.listPartitions(workspaceId, `customer=${customerId}`)[0] },
        Limit: 1,
      }),
    );
    return (out.Items?.length ?? 0) > 0;
  }

  /**
   * The threads holding a token that starts with the query token (or equals it, when shorter than
   * 3 letters): one Query on the token's 3-letter partition, paged up to the budget.
   */
  private async keywordMatches(workspaceId: string, token: string, stats: PageStats): Promise<string[]> {
    const ids = new Set<string>();
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :token)',
          ExpressionAttributeValues: {
            ':pk': keys.keywordPartition(workspaceId, token),
            ':token': keys.keywordSortPrefix(token, isPrefixToken(token)),
          },
          ProjectionExpression: 'threadId',
          Limit: Math.min(1000, this.budget.maxMatchesPerToken - read),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      stats.queries++;
      stats.itemsRead += out.Items?.length ?? 0;
      read += out.Items?.length ?? 0;
      // A thread holding several tokens with this prefix (`renouvel`: renouveler, renouvellement) counts once.
      for (const item of out.Items ?? []) ids.add(String(item.threadId));
      start = out.LastEvaluatedKey;
    } while (start && read < this.budget.maxMatchesPerToken);
    return [...ids];
  }

  private async batchGetEntries(workspaceId: string, ids: string[], stats: PageStats): Promise<ThreadListEntry[]> {
    const keyList = ids.map((id) => keys.listEntryKey(workspaceId, id, 'all'));
    const found = await batchGetItems(this.db, this.tableName, keyList, {
      onResponse: (items) => {
        stats.queries++;
        stats.itemsRead += items.length;
      },
    });
    return found.map(toEntry);
  }
}
