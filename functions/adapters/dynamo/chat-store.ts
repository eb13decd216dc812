/**
 * The chat's and the widget's items: receipts per thread, the fallback links between a chat message and
 * its email copy, the widget settings, the external-id index of contacts and rate-limit counters. Every key comes from keys.ts.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ChatReceipts, ChatStore } from '#core/chat.ts';
import type { Contact, MessageItem } from '#core/model.ts';
import { DEFAULT_WIDGET_SETTINGS, type WidgetSettings } from '#core/widget-identity.ts';
import { fromItem, writeIf } from './items.ts';
import { keys } from './keys.ts';

export class DynamoChatStore implements ChatStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getReceipts(workspaceId: string, threadId: string): Promise<ChatReceipts> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.chatReceipts(workspaceId, threadId),
        ConsistentRead: true,
      }),
    );
    const item = out.Item ?? {};
    return {
      ...(item.deliveredAt ? { deliveredAt: String(item.deliveredAt) } : {}),
      ...(item.readAt ? { readAt: String(item.readAt) } : {}),
    };
  }

  async recordReceipt(
    workspaceId: string,
    threadId: string,
    kind: 'delivered' | 'read',
    upTo: string,
  ): Promise<ChatReceipts> {
    // A read message was delivered too: a read receipt moves both.
    const fields = kind === 'read' ? ['readAt', 'deliveredAt'] : ['deliveredAt'];
    for (const field of fields) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.chatReceipts(workspaceId, threadId),
            UpdateExpression: 'SET #f = :at, entity = :e',
            // Only forward: a late or repeated receipt changes nothing.
            ConditionExpression: 'attribute_not_exists(#f) OR #f < :at',
            ExpressionAttributeNames: { '#f': field },
            ExpressionAttributeValues: { ':at': upTo, ':e': 'chatReceipts' },
          }),
        );
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    }
    return this.getReceipts(workspaceId, threadId);
  }

  async linkFallback(chat: MessageItem, email: Pick<MessageItem, 'at' | 'itemId'>): Promise<void> {
    const set = async (at: string, itemId: string, name: string, value: string) => {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.feedItem(chat.workspaceId, chat.threadId, at, itemId),
            UpdateExpression: 'SET #n = :v',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#n': name },
            ExpressionAttributeValues: { ':v': value },
          }),
        );
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    };
    await set(email.at, email.itemId, 'fallbackOf', chat.itemId);
    await set(chat.at, chat.itemId, 'emailedAs', email.itemId);
  }

  // ---------- widget settings ----------

  async getWidgetSettings(workspaceId: string): Promise<WidgetSettings> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.widgetSettings(workspaceId) }),
    );
    const stored = fromItem<Partial<WidgetSettings>>(out.Item, 'updatedAt');
    return { ...DEFAULT_WIDGET_SETTINGS, ...stored };
  }

  async putWidgetSettings(workspaceId: string, settings: WidgetSettings, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.widgetSettings(workspaceId), entity: 'widgetSettings', ...settings, updatedAt: at },
      }),
    );
  }

  // ---------- contacts by external id ----------

  async indexExternalId(workspaceId: string, externalId: string, contactId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.contactExternalId(workspaceId, externalId), entity: 'contactExternalId', contactId },
      }),
    );
  }

  /** The contact whose external id this is; an index entry left by a changed contact is ignored. */
  async findContactByExternalId(workspaceId: string, externalId: string): Promise<Contact | null> {
    const ref = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.contactExternalId(workspaceId, externalId),
        ConsistentRead: true,
      }),
    );
    const contactId = ref.Item?.contactId as string | undefined;
    if (!contactId) return null;
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.contact(workspaceId, contactId), ConsistentRead: true }),
    );
    const contact = fromItem<Contact>(out.Item);
    return contact && contact.externalId === externalId ? contact : null;
  }

  // ---------- rate limits ----------

  /**
   * Counts one request against `scope` in the current window; false when the limit is reached. The
   * counter item expires (TTL) an hour after its window.
   */
  async hit(workspaceId: string, scope: string, limit: number, windowSeconds: number, now: Date): Promise<boolean> {
    const start = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
    return this.count(keys.rateLimit(workspaceId, scope, String(start)), limit, start + windowSeconds + 3600);
  }

  /** As `hit`, for a bucket of no workspace (anonymous callers, by source address). */
  async hitAnonymous(bucket: string, limit: number, windowSeconds: number, now: Date): Promise<boolean> {
    const start = Math.floor(now.getTime() / 1000 / windowSeconds) * windowSeconds;
    return this.count(keys.anonymousRateLimit(bucket, String(start)), limit, start + windowSeconds + 3600);
  }

  private async count(key: { PK: string; SK: string }, limit: number, expiresAt: number): Promise<boolean> {
    return writeIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD #c :one SET expiresAt = :exp, entity = :e',
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':exp': expiresAt,
            ':e': 'rateLimit',
          },
        }),
      ),
    );
  }
}
