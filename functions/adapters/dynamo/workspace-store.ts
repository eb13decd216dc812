/**
 * The workspace registry as the ops CLI reads it, a workspace's inbound addresses, and the settings it
 * stores. Creating a workspace or adding an address lives in directory-store.ts (ingest routes by them).
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor, Workspace, WorkspaceSettings } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import { fromItem } from './items.ts';
import { keys } from './keys.ts';
import { idOf, queryAll, queryGsi2Page } from './pages.ts';

export interface StoredSettings extends WorkspaceSettings {
  updatedAt?: string;
  updatedBy?: Actor;
}

export class DynamoWorkspaceStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---------- workspaces (ops only: no API route reaches these) ----------

  async getWorkspace(workspaceId: string): Promise<Workspace | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.workspace(workspaceId) }));
    return fromItem<Workspace>(out.Item) ?? null;
  }

  async listWorkspaces(page: { limit: number; cursor?: string }): Promise<Page<Workspace>> {
    return queryGsi2Page<Workspace>(this.db, this.tableName, keys.workspaceRegistryPartition(), page, (sk) =>
      keys.workspace(idOf(sk)),
    );
  }

  async listInboundAddresses(workspaceId: string): Promise<Array<{ address: string; createdAt: string }>> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': keys.workspacePartition(workspaceId), ':p': keys.workspaceAddressPrefix() },
    });
    return items.map((i) => ({ address: String(i.address), createdAt: String(i.createdAt) }));
  }

  // ---------- settings ----------

  async putSettings(workspaceId: string, settings: WorkspaceSettings, actor: Actor, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.settings(workspaceId), entity: 'settings', ...settings, updatedAt: at, updatedBy: actor },
      }),
    );
  }
}
