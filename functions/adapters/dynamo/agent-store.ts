/**
 * Agents in the table: their profiles (the directory and the role that authentication reads).
 * Every key comes from keys.ts and starts with the caller's workspace.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AgentProfile } from '../../core/agents.ts';
import { fromItem } from './items.ts';
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
}
