import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NotificationEvent, PreferencesPatch } from '#core/notifications/rules.ts';
import type { MailQueue, Notification, NotificationStore } from '#core/notifications/store.ts';
import type { Page } from '#core/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { batchGetItems, conditionFailed, fromItem, writeIf } from './items.ts';
import { keys } from './keys.ts';

/** A mail queue holds at most this many pending ids: past it, the oldest still make one mail (the set is capped by the run). */
const NOTIFICATION_ID = /^\d{17}-[0-9a-f]{16}$/;

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getAgentPreferences(workspaceId: string, agentId: string) {
    return this.getPrefs(keys.agentNotificationPrefs(workspaceId, agentId));
  }

  async putAgentPreferences(workspaceId: string, agentId: string, prefs: PreferencesPatch) {
    await this.putPrefs(keys.agentNotificationPrefs(workspaceId, agentId), { agentId, ...prefs });
  }

  async getWorkspacePreferences(workspaceId: string) {
    return this.getPrefs(keys.workspaceNotificationPrefs(workspaceId));
  }

  async putWorkspacePreferences(workspaceId: string, prefs: PreferencesPatch) {
    await this.putPrefs(keys.workspaceNotificationPrefs(workspaceId), prefs);
  }

  private async getPrefs(key: Record<string, string>): Promise<PreferencesPatch | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key }));
    if (!out.Item) return undefined;
    const { rules, followedViews } = out.Item as PreferencesPatch;
    return { ...(rules ? { rules } : {}), ...(followedViews ? { followedViews } : {}) };
  }

  private async putPrefs(key: Record<string, string>, prefs: PreferencesPatch & { agentId?: string }) {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key, entity: 'notificationPrefs', ...prefs } }),
    );
  }

  async putNotification(n: Notification): Promise<boolean> {
    const unread = n.channels.includes('app') && !n.readAt;
    return writeIf(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notification(n.workspaceId, n.agentId, n.notificationId),
            ...(unread ? keys.unreadNotification(n.workspaceId, n.agentId, n.notificationId) : {}),
            entity: 'notification',
            ...n,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  async getNotifications(workspaceId: string, agentId: string, ids: string[]): Promise<Notification[]> {
    const valid = [...new Set(ids)].filter((id) => NOTIFICATION_ID.test(id));
    const items = await batchGetItems(
      this.db,
      this.tableName,
      valid.map((id) => keys.notification(workspaceId, agentId, id)),
      { consistentRead: true },
    );
    return items.map((i) => fromItem<Notification>(i)).sort((a, b) => (a.notificationId < b.notificationId ? -1 : 1));
  }

  async listNotifications(
    workspaceId: string,
    agentId: string,
    page: { limit: number; cursor?: string; unread?: boolean; event?: NotificationEvent },
  ): Promise<Page<Notification>> {
    const start = decodeCursor(page.cursor, ['id'], (v) => NOTIFICATION_ID.test(v.id));
    const pk = keys.notificationPartition(workspaceId, agentId);
    const out = await this.db.send(
      page.unread
        ? new QueryCommand({
            TableName: this.tableName,
            IndexName: 'GSI1',
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: {
              ':pk': keys.unreadNotificationPartition(workspaceId, agentId),
              ...(page.event ? { ':ev': page.event } : {}),
            },
            ...(page.event ? { FilterExpression: '#e = :ev', ExpressionAttributeNames: { '#e': 'event' } } : {}),
            ScanIndexForward: false,
            Limit: page.limit,
            ...(start
              ? {
                  ExclusiveStartKey: {
                    ...keys.notification(workspaceId, agentId, start.id),
                    ...keys.unreadNotification(workspaceId, agentId, start.id),
                  },
                }
              : {}),
          })
        : new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
            // Only the bell's items: those raised for the app channel.
            FilterExpression: `contains(channels, :app)${page.event ? ' AND #e = :ev' : ''}`,
            ...(page.event ? { ExpressionAttributeNames: { '#e': 'event' } } : {}),
            ExpressionAttributeValues: {
              ':pk': pk,
              ':p': keys.notificationPrefix(),
              ':app': 'app',
              ...(page.event ? { ':ev': page.event } : {}),
            },
            ScanIndexForward: false,
            Limit: page.limit,
            ...(start ? { ExclusiveStartKey: keys.notification(workspaceId, agentId, start.id) } : {}),
          }),
    );
    const items = (out.Items ?? []).map((i) => fromItem<Notification>(i));
    const last = out.LastEvaluatedKey?.SK as string | undefined;
    return {
      items,
      ...(last ? { cursor: encodeCursor({ id: last.slice(keys.notificationPrefix().length) }) } : {}),
    };
  }

  async countUnread(workspaceId: string, agentId: string, cap: number): Promise<number> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.unreadNotificationPartition(workspaceId, agentId) },
        Select: 'COUNT',
        Limit: cap + 1,
      }),
    );
    return out.Count ?? 0;
  }

  async markRead(workspaceId: string, agentId: string, ids: string[], at: string): Promise<number> {
    let found = 0;
    for (const id of [...new Set(ids)].filter((x) => NOTIFICATION_ID.test(x))) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.notification(workspaceId, agentId, id),
            // An earlier read stays as it was; the sparse unread entry goes.
            UpdateExpression: 'SET readAt = if_not_exists(readAt, :at) REMOVE GSI1PK, GSI1SK',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':at': at },
          }),
        );
        found++;
      } catch (e) {
        if (!conditionFailed(e)) throw e;
      }
    }
    return found;
  }

  async markEmailed(workspaceId: string, agentId: string, ids: string[], at: string): Promise<void> {
    for (const id of ids)
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.notification(workspaceId, agentId, id),
            UpdateExpression: 'SET emailedAt = if_not_exists(emailedAt, :at)',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':at': at },
          }),
        )
        .catch((e) => {
          if (!conditionFailed(e)) throw e;
        });
  }

  async follow(workspaceId: string, threadId: string, agentId: string, at: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.follow(workspaceId, threadId, agentId),
        UpdateExpression:
          'SET entity = :e, workspaceId = :w, threadId = :t, agentId = :a, since = if_not_exists(since, :at)',
        ExpressionAttributeValues: { ':e': 'follow', ':w': workspaceId, ':t': threadId, ':a': agentId, ':at': at },
      }),
    );
  }

  async followers(workspaceId: string, threadId: string): Promise<string[]> {
    const out: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': keys.threadPartition(workspaceId, threadId), ':p': keys.followPrefix() },
          ProjectionExpression: 'agentId',
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? []) out.push(String(i.agentId));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async enqueueMail(
    workspaceId: string,
    agentId: string,
    threadId: string,
    notificationId: string,
  ): Promise<MailQueue> {
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notificationMailQueue(workspaceId, agentId, threadId),
        // A set: the same notification queued twice is queued once.
        UpdateExpression: 'ADD pending :id SET entity = :e, workspaceId = :w, threadId = :t, agentId = :a',
        ExpressionAttributeValues: {
          ':id': new Set([notificationId]),
          ':e': 'mailQueue',
          ':w': workspaceId,
          ':t': threadId,
          ':a': agentId,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return queueOf(out.Attributes);
  }

  async getMailQueue(workspaceId: string, agentId: string, threadId: string): Promise<MailQueue | undefined> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.notificationMailQueue(workspaceId, agentId, threadId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? queueOf(out.Item) : undefined;
  }

  async scheduleMailRun(workspaceId: string, agentId: string, threadId: string, runAt: string): Promise<string> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notificationMailQueue(workspaceId, agentId, threadId),
          UpdateExpression: 'SET runAt = :r',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(runAt)',
          ExpressionAttributeValues: { ':r': runAt },
        }),
      );
      return runAt;
    } catch (e) {
      if (!conditionFailed(e)) throw e;
      const queue = await this.getMailQueue(workspaceId, agentId, threadId);
      if (!queue?.runAt) throw new Error('mail queue changed while a run was being scheduled');
      return queue.runAt;
    }
  }

  async finishMailRun(
    workspaceId: string,
    agentId: string,
    threadId: string,
    input: { runAt: string; ids: string[]; mailedAt?: string },
  ): Promise<boolean> {
    return writeIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notificationMailQueue(workspaceId, agentId, threadId),
          UpdateExpression: `REMOVE runAt${input.mailedAt ? ' SET lastMailAt = :m' : ''}${input.ids.length ? ' DELETE pending :ids' : ''}`,
          ConditionExpression: 'runAt = :r',
          ExpressionAttributeValues: {
            ':r': input.runAt,
            ...(input.mailedAt ? { ':m': input.mailedAt } : {}),
            ...(input.ids.length ? { ':ids': new Set(input.ids) } : {}),
          },
        }),
      ),
    );
  }

  async markThreadSeen(workspaceId: string, agentId: string, threadId: string, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.notificationMailQueue(workspaceId, agentId, threadId),
          UpdateExpression: 'SET seenAt = :s',
          // Only where mail is queued or was sent: an open of a thread nobody notified writes nothing.
          ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(seenAt) OR seenAt < :s)',
          ExpressionAttributeValues: { ':s': at },
        }),
      );
    } catch (e) {
      if (!conditionFailed(e)) throw e;
    }
  }

  async claimMail(workspaceId: string, mailId: string, at: string): Promise<boolean> {
    return writeIf(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notificationMail(workspaceId, mailId),
            entity: 'notificationMail',
            mailId,
            state: 'claimed',
            at,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      ),
    );
  }

  async markMailSent(workspaceId: string, mailId: string, providerMessageId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notificationMail(workspaceId, mailId),
        UpdateExpression: 'SET #s = :s, providerMessageId = :p',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: { ':s': 'sent', ':p': providerMessageId },
      }),
    );
  }
}

function queueOf(item: Record<string, unknown> | undefined): MailQueue {
  const pending = item?.pending instanceof Set ? [...(item.pending as Set<string>)] : [];
  return {
    pending: pending.sort(),
    ...(typeof item?.runAt === 'string' ? { runAt: item.runAt } : {}),
    ...(typeof item?.lastMailAt === 'string' ? { lastMailAt: item.lastMailAt } : {}),
    ...(typeof item?.seenAt === 'string' ? { seenAt: item.seenAt } : {}),
  };
}
