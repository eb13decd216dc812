/**
 * API keys: a key's record in its workspace, and the item of its hash that authentication looks up.
 */
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Scope } from '#core/access.ts';
import { NotFoundError } from '#core/errors.ts';
import type { Actor } from '#core/model.ts';
import { fromItem } from './items.ts';
import { keys } from './keys.ts';
import { queryAll } from './pages.ts';

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  /** `gck_<keyId>`: enough to recognise a key, never to use it. */
  displayPrefix: string;
  createdAt: string;
  createdBy?: Actor;
  revokedAt?: string;
  /** Absent on keys made before scopes existed: those have every scope (core/access.ts `keyScopes`). */
  scopes?: Scope[];
}

export class DynamoApiKeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a key's record and its hash (the lookup item) together. */
  async createApiKey(workspaceId: string, record: ApiKeyRecord, hash: string): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...keys.apiKeyHash(hash),
                entity: 'apiKeyHash',
                workspaceId,
                keyId: record.keyId,
                ...(record.scopes ? { scopes: record.scopes } : {}),
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...keys.apiKey(workspaceId, record.keyId), entity: 'apiKey', ...record, hash },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ],
      }),
    );
  }

  /** The workspace and key id of a live key, by the hash of the presented key. */
  async findApiKeyByHash(hash: string): Promise<{ workspaceId: string; keyId: string; scopes?: unknown } | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKeyHash(hash) }));
    if (!out.Item) return null;
    return {
      workspaceId: String(out.Item.workspaceId),
      keyId: String(out.Item.keyId),
      ...(out.Item.scopes ? { scopes: out.Item.scopes } : {}),
    };
  }

  async listApiKeys(workspaceId: string): Promise<ApiKeyRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.workspacePartition(workspaceId), ':p': keys.apiKeyPrefix() },
    });
    return items.map((i) => {
      return fromItem<ApiKeyRecord>(i, 'hash');
    });
  }

  /** Revokes a key: its hash item goes (it stops working at once), its record stays, marked revoked. */
  async revokeApiKey(workspaceId: string, keyId: string, at: string): Promise<void> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.apiKey(workspaceId, keyId), ConsistentRead: true }),
    );
    if (!out.Item) throw new NotFoundError(`api key ${keyId} not found`);
    if (out.Item.revokedAt) return;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: keys.apiKeyHash(String(out.Item.hash)) } },
          {
            Update: {
              TableName: this.tableName,
              Key: keys.apiKey(workspaceId, keyId),
              UpdateExpression: 'SET revokedAt = :at',
              ExpressionAttributeValues: { ':at': at },
            },
          },
        ],
      }),
    );
  }
}
