import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ConnectionStore,
  type LiveConnection,
  type LiveThreadAccess,
  TYPING_ENTITY,
  type TypingSignals,
} from '#core/live.ts';
import { fromItem, writeIf } from './items.ts';
import { keys } from './keys.ts';

/** API Gateway connection ids are about 16 base64 characters; anything else never reaches a key. */
export const CONNECTION_ID = /^[A-Za-z0-9+/=_-]{1,128}$/;

export class DynamoConnectionStore implements ConnectionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async saveConnection(connection: LiveConnection, expiresAt: number): Promise<void> {
    if (!CONNECTION_ID.test(connection.connectionId)) throw new Error('malformed connection id');
    const T = this.tableName;
    // Two puts: a retry of the same $connect writes the same items again.
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: T,
              Item: {
                ...keys.connection(connection.workspaceId, connection.connectionId),
                entity: 'connection',
                ...connection,
                expiresAt,
              },
            },
          },
          {
            Put: {
              TableName: T,
              Item: {
                ...keys.connectionRef(connection.connectionId),
                entity: 'connectionRef',
                connectionId: connection.connectionId,
                connectionWorkspaceId: connection.workspaceId,
                expiresAt,
              },
            },
          },
        ],
      }),
    );
  }

  async findConnection(connectionId: string): Promise<LiveConnection | undefined> {
    if (!CONNECTION_ID.test(connectionId)) return undefined;
    const ref = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.connectionRef(connectionId) }),
    );
    const workspaceId = ref.Item?.connectionWorkspaceId as string | undefined;
    if (!workspaceId) return undefined;
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.connection(workspaceId, connectionId) }),
    );
    return fromItem<LiveConnection>(out.Item, 'expiresAt');
  }

  async setSubscriptions(connection: LiveConnection, threadIds: string[]): Promise<boolean> {
    return writeIf(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.connection(connection.workspaceId, connection.connectionId),
          UpdateExpression: 'SET threadIds = :t',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':t': threadIds },
        }),
      ),
    );
  }

  async removeConnection(connectionId: string): Promise<void> {
    if (!CONNECTION_ID.test(connectionId)) return;
    const ref = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.connectionRef(connectionId), ConsistentRead: true }),
    );
    const workspaceId = ref.Item?.connectionWorkspaceId as string | undefined;
    if (!workspaceId) return; // already removed: deleting again is a no-op
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: keys.connection(workspaceId, connectionId) } },
          { Delete: { TableName: this.tableName, Key: keys.connectionRef(connectionId) } },
        ],
      }),
    );
  }

  async connectionsOf(workspaceId: string): Promise<LiveConnection[]> {
    const out: LiveConnection[] = [];
    const now = Math.floor(Date.now() / 1000);
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.connectionPartition(workspaceId) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        // TTL deletion lags by up to days: an expired connection is as good as gone.
        if (typeof item.expiresAt === 'number' && item.expiresAt < now) continue;
        out.push(fromItem<LiveConnection>(item, 'expiresAt'));
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

/**
 * What the live function reads and writes for chat (docs/live.md, "End users"): whether threads share an
 * end user's customers (their META, `customerIds` only), and the typing signals, one item per typist and
 * thread with a TTL, written only when the previous one is older than the throttle.
 */
export class DynamoLiveSignals implements LiveThreadAccess, TypingSignals {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async threadsOfCustomers(workspaceId: string, threadIds: string[], customerIds: string[]): Promise<string[]> {
    const out: string[] = [];
    // At most 20 (LIVE_LIMITS.maxSubscriptions), one small read each.
    for (const threadId of threadIds) {
      const item = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keys.thread(workspaceId, threadId),
          ProjectionExpression: 'customerIds',
        }),
      );
      const owners = item.Item?.customerIds as string[] | undefined;
      if (owners?.some((c) => customerIds.includes(c))) out.push(threadId);
    }
    return out;
  }

  async signal(
    input: { workspaceId: string; threadId: string; typist: string },
    now: Date,
    throttleSeconds: number,
    ttlSeconds: number,
  ): Promise<boolean> {
    const at = now.getTime();
    return writeIf(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.typing(input.workspaceId, input.threadId, input.typist),
            entity: TYPING_ENTITY,
            workspaceId: input.workspaceId,
            threadId: input.threadId,
            id: input.typist,
            at,
            expiresAt: Math.floor(at / 1000) + ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR #at < :cutoff',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':cutoff': at - throttleSeconds * 1000 },
        }),
      ),
    );
  }
}
