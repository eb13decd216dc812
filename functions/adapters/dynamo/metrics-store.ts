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
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { MessageChannel } from '#core/model.ts';
import type { MetricsEvent, MetricsEventType, SlaTarget, ThreadMetricsState } from '#core/reports/metrics.ts';
import type { Dimension, RollupDelta, StoredRollup } from '#core/reports/rollup.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { batchGetItems, fromItem } from './items.ts';
import { keys } from './keys.ts';

/** Events listed in a report's drill-down (the types a figure counts). */
export const LISTED_EVENTS: readonly MetricsEventType[] = [
  'created',
  'firstResponse',
  'resolved',
  'reopened',
  'merged',
];

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
    const state = {
      Put: {
        TableName: this.tableName,
        Item: clean({
          ...keys.threadMetrics(workspaceId, threadId),
          entity: 'threadMetrics',
          workspaceId,
          threadId,
          ...c.state,
        }),
      },
    };
    if (c.events.length === 0) {
      await this.db.send(new TransactWriteCommand({ TransactItems: [state] }));
      return true;
    }
    const events = c.events.map((e) => ({
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
    }));
    const rollups = c.rollups.map((r) => {
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
    });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...events, state, ...rollups] }));
      return true;
    } catch (e) {
      const reasons = e instanceof TransactionCanceledException ? (e.CancellationReasons ?? []) : [];
      if (reasons.slice(0, events.length).some((r) => r.Code === 'ConditionalCheckFailed')) return false;
      throw e;
    }
  }

  /**
   * Marks an SLA clock as warned, or breached (its outcome), if the metrics still have `slaVersion` and
   * the clock no outcome. True also for a retry that finds its own mark; false when superseded.
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
  ): Promise<boolean> {
    const breach = phase === 'breach';
    const update = {
      TableName: this.tableName,
      Key: keys.threadMetrics(workspaceId, threadId),
      UpdateExpression: breach
        ? 'SET sla.#t.outcome = :breached, sla.#t.breachedAt = if_not_exists(sla.#t.breachedAt, :at)'
        : 'SET sla.#t.warnedAt = if_not_exists(sla.#t.warnedAt, :at)',
      ConditionExpression: breach
        ? 'slaVersion = :v AND attribute_exists(sla.#t) AND (attribute_not_exists(sla.#t.outcome) OR sla.#t.outcome = :breached)'
        : 'slaVersion = :v AND attribute_exists(sla.#t) AND attribute_not_exists(sla.#t.outcome)',
      ExpressionAttributeNames: { '#t': target },
      ExpressionAttributeValues: { ':v': slaVersion, ':at': at, ...(breach ? { ':breached': 'breached' } : {}) },
    };
    try {
      if (statusVersion === undefined) await this.db.send(new UpdateCommand(update));
      // The metrics follow the stream, which lags: the thread itself must still be as the step read it when the
      // alert is marked, or a close committed between that read and this write would still be alerted.
      else
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Update: update },
              {
                ConditionCheck: {
                  TableName: this.tableName,
                  Key: keys.thread(workspaceId, threadId),
                  ConditionExpression: 'statusVersion = :sv',
                  ExpressionAttributeValues: { ':sv': statusVersion },
                },
              },
            ],
          }),
        );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || e instanceof TransactionCanceledException) return false;
      throw e;
    }
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
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.slaAlert(workspaceId, threadId, key), entity: 'slaAlert', at },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
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
   * `match` narrows them by dimension (a filter after the read: the page may come back short).
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
        Limit: page.limit,
        ...(after ? { ExclusiveStartKey: { PK: after.pk, SK: after.sk, GSI2PK: partition, GSI2SK: after.gsk } } : {}),
      }),
    );
    const items = (out.Items ?? []).map((i) => fromItem<MetricsEvent & { threadId: string }>(i, 'workspaceId'));
    const last = out.LastEvaluatedKey;
    return {
      items,
      ...(last ? { cursor: encodeCursor({ pk: String(last.PK), sk: String(last.SK), gsk: String(last.GSI2SK) }) } : {}),
    };
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
