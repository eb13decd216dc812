/**
 * Agents in the table: their profiles (the directory and the role that authentication reads), and
 * their work on threads: drafts, presence and read markers.
 * Every key comes from keys.ts and starts with the caller's workspace.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AgentProfile } from '#core/agents.ts';
import type { Draft, Presence } from '#core/drafts.ts';
import { batchGetItems, fromItem, writeIf } from './items.ts';
import { keys } from './keys.ts';

export class DynamoAgentStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async getAgent(workspaceId: string, agentId: string): Promise<AgentProfile | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.agent(workspaceId, agentId) }),
    );
    return fromItem<AgentProfile>(out.Item) ?? null;
  }

  /** Creates or replaces a profile: the same agent written twice is one agent (idempotent). */
  async putAgent(profile: AgentProfile): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.agent(profile.workspaceId, profile.agentId), entity: 'agent', ...profile },
      }),
    );
  }

  /**
   * Sets an agent's availability (and nothing else), only on an existing profile: null when there is none.
   * Idempotent: the same value again changes nothing but `updatedAt`.
   */
  async setAvailability(
    workspaceId: string,
    agentId: string,
    availability: 'available' | 'away',
    at: string,
  ): Promise<AgentProfile | null> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.agent(workspaceId, agentId),
          UpdateExpression: 'SET availability = :a, updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':a': availability, ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<AgentProfile>(out.Attributes) ?? null;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return null;
      throw e;
    }
  }

  /** Every agent of a workspace: one Query on the workspace partition (a workspace has tens, not millions). */
  async listAgents(workspaceId: string): Promise<AgentProfile[]> {
    const out: AgentProfile[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': keys.workspacePartition(workspaceId), ':p': keys.agentPrefix() },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(fromItem<AgentProfile>(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  // ---------- drafts, presence and read markers: items of the thread partition ----------
  async getDraft(workspaceId: string, threadId: string, draftId: string): Promise<Draft | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.draft(workspaceId, threadId, draftId),
        ConsistentRead: true,
      }),
    );
    return fromItem<Draft>(out.Item) ?? null;
  }

  async listDrafts(workspaceId: string, threadId: string): Promise<Draft[]> {
    return (await this.queryPrefix(keys.threadPartition(workspaceId, threadId), keys.draftPrefix())).map((i) =>
      fromItem<Draft>(i),
    );
  }

  /**
   * Writes a draft: a new one must not exist, an edit must find `expectedVersion` (or any version when it
   * is undefined) and the same owner. ConditionalCheckFailed becomes `false`.
   */
  async putDraft(draft: Draft, expect: { create: true } | { create: false; version?: number }): Promise<boolean> {
    const condition = expect.create
      ? { ConditionExpression: 'attribute_not_exists(PK)' }
      : expect.version === undefined
        ? {
            ConditionExpression: 'attribute_exists(PK) AND agentId = :a',
            ExpressionAttributeValues: { ':a': draft.agentId },
          }
        : {
            ConditionExpression: 'attribute_exists(PK) AND agentId = :a AND version = :v',
            ExpressionAttributeValues: { ':a': draft.agentId, ':v': expect.version },
          };
    return writeIf(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.draft(draft.workspaceId, draft.threadId, draft.draftId), entity: 'draft', ...draft },
          ...condition,
        }),
      ),
    );
  }

  /** Deletes a draft of `agentId`; false when there was none of theirs. */
  async deleteDraft(workspaceId: string, threadId: string, draftId: string, agentId: string): Promise<boolean> {
    return writeIf(
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.draft(workspaceId, threadId, draftId),
          ConditionExpression: 'agentId = :a',
          ExpressionAttributeValues: { ':a': agentId },
        }),
      ),
    );
  }

  async putPresence(workspaceId: string, presence: Presence): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.presence(workspaceId, presence.threadId, presence.agentId), entity: 'presence', ...presence },
      }),
    );
  }

  async deletePresence(workspaceId: string, threadId: string, agentId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.presence(workspaceId, threadId, agentId) }),
    );
  }

  /** The live presences of a thread: an expired item that TTL has not deleted yet is left out. */
  async listPresence(workspaceId: string, threadId: string, nowSeconds: number): Promise<Presence[]> {
    return (await this.queryPrefix(keys.threadPartition(workspaceId, threadId), keys.presencePrefix()))
      .map((i) => fromItem<Presence>(i))
      .filter((p) => p.expiresAt > nowSeconds);
  }

  /** Moves an agent's read marker forward to `readAt` (never back: an older read changes nothing). */
  async markRead(workspaceId: string, threadId: string, agentId: string, readAt: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.readMarker(workspaceId, threadId, agentId), entity: 'readMarker', agentId, threadId, readAt },
          ConditionExpression: 'attribute_not_exists(readAt) OR readAt < :r',
          ExpressionAttributeValues: { ':r': readAt },
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  async markUnread(workspaceId: string, threadId: string, agentId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.readMarker(workspaceId, threadId, agentId) }),
    );
  }

  /** The read markers of one agent on the given threads: one BatchGetItem (a list page is at most 100). */
  async readMarkers(workspaceId: string, threadIds: string[], agentId: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (threadIds.length === 0) return out;
    const unique = [...new Set(threadIds)];
    const items = await batchGetItems(
      this.db,
      this.tableName,
      unique.map((t) => keys.readMarker(workspaceId, t, agentId)),
    );
    for (const item of items) out.set(String(item.threadId), String(item.readAt));
    return out;
  }

  private async queryPrefix(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
