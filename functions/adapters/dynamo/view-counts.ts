/**
 * The counts of the queue's views (Mine, Unassigned, All, Mentions): each is ONE Query with
 * `Select: COUNT` on the view's own GSI1 list partition (keys.ts facets; a hot facet's LIST_SHARDS shards), capped, so a count never reads
 * more than `cap` list entries and never another view's, let alone the table.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';

export class DynamoViewCounts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Threads listed under `facet`, counted up to `cap + 1` (so the caller can say "cap+"). A hot facet is
   * LIST_SHARDS partitions (keys.ts): one COUNT Query each, in parallel, each capped, summed.
   */
  async countFacet(workspaceId: string, facet: string, cap: number): Promise<number> {
    const counts = await Promise.all(keys.listPartitions(workspaceId, facet).map((pk) => this.countPartition(pk, cap)));
    return Math.min(
      cap + 1,
      counts.reduce((a, b) => a + b, 0),
    );
  }

  private async countPartition(pk: string, cap: number): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          Select: 'COUNT',
          Limit: cap + 1 - count,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start && count <= cap);
    return count;
  }

  /** Threads in the Late view (the sparse `late` facet, docs/reports.md). */
  countLate(workspaceId: string, cap: number): Promise<number> {
    return this.countFacet(workspaceId, keys.lateFacet(), cap);
  }

  /** An agent's unread mentions: the sparse unread-notification partition only (what the bell counts). */
  async countUnreadMentions(workspaceId: string, agentId: string, cap: number): Promise<number> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        FilterExpression: '#e = :m',
        ExpressionAttributeNames: { '#e': 'event' },
        ExpressionAttributeValues: { ':pk': keys.unreadNotificationPartition(workspaceId, agentId), ':m': 'mentioned' },
        Select: 'COUNT',
        Limit: 4 * cap,
      }),
    );
    return out.Count ?? 0;
  }
}
