/**
 * Reports and SLA on DynamoDB: a thread's metrics state and event log, the daily rollups, and the
 * report's reads (docs/reports.md).
 *
 * One change is one TransactWriteItems: each event is put only if absent (its key holds the event id),
 * the state is put, and every rollup gets its `ADD`s. A stream record delivered twice finds its events
 * there, the transaction is cancelled, and nothing counts twice.
 */

import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MessageChannel, Thread } from '#core/model.ts';
import type { MetricsEvent, MetricsEventType, SlaTarget, ThreadMetricsState } from '#core/reports/metrics.ts';
import type { Dimension, RollupDelta, StoredRollup } from '#core/reports/rollup.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { batchGetItems, fromItem, writeIf } from './items.ts';
import { keys } from './keys.ts';
import { cardOf } from './thread-store.ts';

/** Events listed in a report's drill-down (the types a figure counts). */
export const LISTED_EVENTS: readonly MetricsEventType[] = [
  'created',
  'firstResponse',
  'resolved',
  'reopened',
  'merged',
  'slaBreached',
];

/** A drill-down by dimension reads at most this many Queries of this many events per page. */
export const DRILL_DOWN_READS = 10;
export const DRILL_DOWN_CHUNK = 200;

/** Drops undefined values: the document client refuses them, and an absent field is what they mean. */
const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v));

export interface MetricsCommit {
  workspaceId: string;
  threadId: string;
  state: ThreadMetricsState;
  events: MetricsEvent[];
  rollups: RollupDelta[];
}

export class DynamoMetricsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getState(workspaceId: string, threadId: string): Promise<ThreadMetricsState | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.threadMetrics(workspaceId, threadId),
        ConsistentRead: true,
      }),
    );
    return fromItem<ThreadMetricsState>(out.Item, 'workspaceId', 'threadId') ?? null;
  }

  /** The metrics states of a page of threads: one BatchGetItem (a list page has at most 100). */
  async getStates(workspaceId: string, threadIds: string[]): Promise<Map<string, ThreadMetricsState>> {
    const items = await batchGetItems(
      this.db,
      this.tableName,
      threadIds.map((t) => keys.threadMetrics(workspaceId, t)),
    );
    return new Map(items.map((i) => [String(i.threadId), fromItem<ThreadMetricsState>(i, 'workspaceId', 'threadId')]));
  }

  /**
   * Writes a change's events, state and rollups at once. False when its events are already there (a
   * record delivered twice): then nothing is written.
   */
  async commit(c: MetricsCommit): Promise<boolean> {
    const { workspaceId, threadId } = c;
    // `rev` counts the state's writes: a write (the SLA step's mark, a re-arm) between this record's read and
    // this put fails it, and the stream retries the record on the new state instead of overwriting it.
    const rev = c.state.rev;
    const state = {
      Put: {
        TableName: this.tableName,
        Item: clean({
          ...keys.threadMetrics(workspaceId, threadId),
          entity: 'threadMetrics',
          workspaceId,
          threadId,
          ...c.state,
          rev: (rev ?? 0) + 1,
        }),
        ConditionExpression: rev === undefined ? 'attribute_not_exists(rev)' : 'rev = :rev',
        ...(rev === undefined ? {} : { ExpressionAttributeValues: { ':rev': rev } }),
      },
    };
    if (c.events.length === 0) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [state] }));
      } catch (e) {
        if (e instanceof TransactionCanceledException) throw new MetricsChangedError(threadId);
        throw e;
      }
      return true;
    }
    const events = c.events.map((e) => this.eventPut(workspaceId, threadId, e));
    const rollups = c.rollups.map((r) => this.rollupUpdate(workspaceId, r));
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...events, state, ...rollups] }));
      return true;
    } catch (e) {
      const reasons = e instanceof TransactionCanceledException ? (e.CancellationReasons ?? []) : [];
      if (reasons.slice(0, events.length).some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      if (reasons[events.length]?.Code === 'ConditionalCheckFailed') throw new MetricsChangedError(threadId);
      throw e;
    }
  }

  private eventPut(workspaceId: string, threadId: string, e: MetricsEvent) {
    return {
      Put: {
        TableName: this.tableName,
        Item: clean({
          ...keys.metricsEvent(workspaceId, threadId, e.at, e.eventId),
          ...(LISTED_EVENTS.includes(e.type) ? keys.metricsEventListing(workspaceId, e.type, e.at, threadId) : {}),
          entity: 'metricsEvent',
          workspaceId,
          threadId,
          ...e,
        }),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  /** One rollup's `ADD`s (one UpdateItem in a transaction). */
  private rollupUpdate(workspaceId: string, r: RollupDelta) {
    const names: Record<string, string> = { '#d': 'dimension', '#v': 'value', '#day': 'day', '#e': 'entity' };
    const values: Record<string, unknown> = { ':d': r.dimension, ':v': r.value, ':day': r.day, ':e': 'rollup' };
    const adds = Object.entries(r.add).map(([name, n], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = n;
      return `#a${i} :a${i}`;
    });
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.rollup(workspaceId, r.dimension, r.value, r.day),
        UpdateExpression: `SET #d = :d, #v = :v, #day = :day, #e = :e ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /**
   * Marks an SLA clock as warned, or breached (its outcome), if the metrics still have `slaVersion` and
   * the clock no outcome. A breach writes its event (`count`) and adds it to the rollups in the same
   * transaction, so it counts once. True also for a retry that finds its own mark; false when superseded.
   */
  async markSla(
    workspaceId: string,
    threadId: string,
    slaVersion: number,
    target: SlaTarget,
    phase: 'warning' | 'breach',
    at: string,
    /** The thread's statusVersion when the step read it: a status change since (a close) supersedes the alert. */
    statusVersion?: number,
    /**
     * The breach's event and rollup additions (core/reports/metrics.ts `breachEvent`), and the thread as the
     * step read it: its card goes to the Late view's list in the same transaction.
     */
    count?: { event: MetricsEvent; rollups: RollupDelta[]; thread?: Thread },
  ): Promise<boolean> {
    const breach = phase === 'breach';
    const update = {
      TableName: this.tableName,
      Key: keys.threadMetrics(workspaceId, threadId),
      UpdateExpression: breach
        ? 'SET sla.#t.outcome = :breached, sla.#t.breachedAt = if_not_exists(sla.#t.breachedAt, :at), rev = if_not_exists(rev, :zero) + :one'
        : 'SET sla.#t.warnedAt = if_not_exists(sla.#t.warnedAt, :at), rev = if_not_exists(rev, :zero) + :one',
      ConditionExpression: 'slaVersion = :v AND attribute_exists(sla.#t) AND attribute_not_exists(sla.#t.outcome)',
      ExpressionAttributeNames: { '#t': target },
      ExpressionAttributeValues: {
        ':v': slaVersion,
        ':at': at,
        ':zero': 0,
        ':one': 1,
        ...(breach ? { ':breached': 'breached' } : {}),
      },
    };
    // The metrics follow the stream, which lags: the thread itself must still be as the step read it when the
    // alert is marked, or a close committed between that read and this write would still be alerted.
    const check =
      statusVersion === undefined
        ? []
        : [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.thread(workspaceId, threadId),
                ConditionExpression: 'statusVersion = :sv',
                ExpressionAttributeValues: { ':sv': statusVersion },
              },
            },
          ];
    const counted =
      breach && count
        ? [
            this.eventPut(workspaceId, threadId, count.event),
            ...count.rollups.map((r) => this.rollupUpdate(workspaceId, r)),
            ...(count.thread ? [{ Put: this.lateEntry(count.thread) }] : []),
          ]
        : [];
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...check, ...counted] }));
      return true;
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException || e instanceof TransactionCanceledException)) throw e;
      // A retried step finds its own mark: the same version, the clock warned (or breached by a timer).
      const state = await this.getState(workspaceId, threadId);
      const clock = state?.slaVersion === slaVersion ? state.sla[target] : undefined;
      return breach
        ? clock?.outcome === 'breached' && clock.breachedAt !== undefined
        : clock?.warnedAt !== undefined && !clock.outcome;
    }
  }

  /** The Late view's list entry of a thread: its card under the sparse `late` facet. */
  private lateEntry(thread: Thread) {
    const item = {
      ...keys.lateListEntry(thread.workspaceId, thread.threadId, thread.updatedAt),
      entity: 'listEntry',
      facet: keys.lateFacet(),
      ...cardOf(thread),
    };
    return { TableName: this.tableName, Item: clean(item) };
  }

  /**
   * Puts the thread in the Late view (with its card as given, or as read now) or takes it out. A thread
   * closed or merged is never in it. Idempotent: the entry's key is the thread's.
   */
  async setLate(workspaceId: string, threadId: string, late: boolean, thread?: Thread): Promise<void> {
    let current = thread;
    if (late && !current) {
      const out = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: keys.thread(workspaceId, threadId), ConsistentRead: true }),
      );
      current = fromItem<Thread>(out.Item);
    }
    if (late && current && current.status !== 'closed' && !current.mergedInto)
      await this.db.send(new PutCommand(this.lateEntry(current)));
    else
      await this.db.send(
        new DeleteCommand({ TableName: this.tableName, Key: keys.lateListEntryKey(workspaceId, threadId) }),
      );
  }

  /** True when an agent's message is in the thread's feed after `since`. */
  async agentRepliedSince(workspaceId: string, threadId: string, since: string): Promise<boolean> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
          FilterExpression: '#type = :m AND direction = :out AND actor.kind = :agent',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':pk': keys.threadPartition(workspaceId, threadId),
            ':a': `${keys.feedPrefix()}${since}`,
            ':b': `${keys.feedPrefix()}\uffff`,
            ':m': 'message',
            ':out': 'outbound',
            ':agent': 'agent',
          },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      if ((out.Items ?? []).length > 0) return true;
      start = out.LastEvaluatedKey;
    } while (start);
    return false;
  }

  /** Claims an SLA alert's idempotency key: false when it was sent already. */
  async claimSlaAlert(workspaceId: string, threadId: string, key: string, at: string): Promise<boolean> {
    return writeIf(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.slaAlert(workspaceId, threadId, key), entity: 'slaAlert', at },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  /** The channel of the thread's first message (absent: email). */
  async firstChannel(workspaceId: string, threadId: string): Promise<MessageChannel | undefined> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        FilterExpression: '#t = :m',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: {
          ':pk': keys.threadPartition(workspaceId, threadId),
          ':p': keys.feedPrefix(),
          ':m': 'message',
        },
        ConsistentRead: true,
        Limit: 5,
      }),
    );
    const first = out.Items?.[0];
    return first ? ((first.channel as MessageChannel | undefined) ?? 'email') : undefined;
  }

  /** A thread's event log, oldest first. */
  async listEvents(workspaceId: string, threadId: string): Promise<Array<MetricsEvent & { threadId: string }>> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: {
        ':pk': keys.threadMetrics(workspaceId, threadId).PK,
        ':p': keys.metricsEventPrefix(),
      },
    });
    return items.map((i) => fromItem<MetricsEvent & { threadId: string }>(i, 'workspaceId'));
  }

  /**
   * The rollups of one dimension for the days `from`–`to` (inclusive): one Query (paged) whatever the
   * number of threads; `value` narrows it to one agent, tag, mailbox or channel.
   */
  async rollups(workspaceId: string, dimension: Dimension, from: string, to: string, value?: string) {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :a AND :b',
      ExpressionAttributeValues: {
        ':pk': keys.rollupPartition(workspaceId, dimension),
        ':a': `${from}#`,
        ':b': `${to}#\uffff`,
      },
    });
    const rollups: StoredRollup[] = items.map((i) => {
      const { value: v, day, dimension: _d, ...counters } = fromItem<Record<string, unknown>>(i);
      return { value: String(v), day: String(day), counters: counters as Record<string, number> };
    });
    return value === undefined ? rollups : rollups.filter((r) => r.value === value);
  }

  /**
   * The events of one type between two instants, newest first, one page: the threads behind a figure.
   * `match` narrows them by dimension: a filter after the read, so the read goes on (at most
   * `DRILL_DOWN_READS` Queries of `DRILL_DOWN_CHUNK` items) until the page is full or the events run out;
   * a page cut short by that budget still carries a cursor.
   */
  async listEventsOf(
    workspaceId: string,
    type: MetricsEventType,
    range: { from: string; to: string },
    page: { limit: number; cursor?: string },
    match?: { dimension: Dimension; value: string },
  ) {
    // The cursor names the last event's keys; the partitions are rebuilt or checked against the caller's.
    const partition = keys.metricsEventListingPartition(workspaceId, type);
    const after = decodeCursor(
      page.cursor,
      ['pk', 'sk', 'gsk'],
      (c) => c.pk.startsWith(keys.threadPartition(workspaceId, '')) && c.sk.startsWith(keys.metricsEventPrefix()),
    );
    const filter = match ? filterOf(match) : undefined;
    const found: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined = after
      ? { PK: after.pk, SK: after.sk, GSI2PK: partition, GSI2SK: after.gsk }
      : undefined;
    for (let reads = 0; reads < (filter ? DRILL_DOWN_READS : 1); reads++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK BETWEEN :a AND :b',
          ScanIndexForward: false,
          ExpressionAttributeValues: {
            ':pk': partition,
            ':a': range.from,
            ':b': `${range.to}\uffff`,
            ...(filter?.values ?? {}),
          },
          ...(filter ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
          // Unfiltered, one more than the page tells whether a next page exists.
          Limit: filter ? Math.max(DRILL_DOWN_CHUNK, page.limit + 1) : page.limit + 1,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
      if (!start || found.length > page.limit) break;
    }
    const cursorOf = (i: Record<string, unknown>) =>
      encodeCursor({ pk: String(i.PK), sk: String(i.SK), gsk: String(i.GSI2SK) });
    const items = found
      .slice(0, page.limit)
      .map((i) => fromItem<MetricsEvent & { threadId: string }>(i, 'workspaceId'));
    // More found than the page: resume after its last item; else where the read stopped (budget spent).
    const cursor = found.length > page.limit ? cursorOf(found[page.limit - 1]) : start ? cursorOf(start) : undefined;
    return { items, ...(cursor ? { cursor } : {}) };
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** The thread's metrics changed between the read and the write: the stream retries the record on the new state. */
export class MetricsChangedError extends Error {
  constructor(threadId: string) {
    super(`the metrics of thread ${threadId} changed concurrently`);
    this.name = 'MetricsChangedError';
  }
}

function filterOf(match: { dimension: Dimension; value: string }) {
  const values = { ':fv': match.value };
  switch (match.dimension) {
    case 'agent':
      return { expression: '#f = :fv', names: { '#f': 'agent' }, values };
    case 'tag':
      return { expression: 'contains(#f, :fv)', names: { '#f': 'tags' }, values };
    case 'mailbox':
      return { expression: '#f = :fv', names: { '#f': 'mailbox' }, values };
    case 'channel':
      return { expression: '#f = :fv', names: { '#f': 'channel' }, values };
    default:
      return undefined;
  }
}
