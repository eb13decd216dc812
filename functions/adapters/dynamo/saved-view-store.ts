/**
 * Saved searches (issue 21): an agent's named filters of GET /v1/threads, in the agent's own partition
 * (`keys.savedView`), with a counter item that holds the per-agent limit as a write condition. A search
 * shared with the workspace also has a sparse GSI2 entry, so the others read all shared ones in one Query.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '#core/errors.ts';
import { fromItem } from './items.ts';
import { keys } from './keys.ts';

export interface SavedView {
  viewId: string;
  ownerId: string;
  name: string;
  /** The query parameters of GET /v1/threads, as strings (what the list's URL holds). */
  filter: Record<string, string>;
  shared: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Saved searches per agent (each one countable view is one COUNT Query when the side bar asks). */
export const SAVED_VIEWS_PER_AGENT = 20;
/** Shared searches of the others listed at most (one Query of the sparse GSI2 partition). */
export const SHARED_VIEWS_LISTED = 30;

export class DynamoSavedViewStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(workspaceId: string, agentId: string, viewId: string): Promise<SavedView | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.savedView(workspaceId, agentId, viewId) }),
    );
    return fromItem<SavedView>(out.Item, 'entity') ?? null;
  }

  /** The agent's own saved searches, oldest first (at most the per-agent limit exist). */
  async listOwn(workspaceId: string, agentId: string): Promise<SavedView[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: {
          ':pk': keys.savedViewPartition(workspaceId, agentId),
          ':p': keys.savedViewPrefix(),
        },
        Limit: SAVED_VIEWS_PER_AGENT,
      }),
    );
    return sortByCreation((out.Items ?? []).map((i) => fromItem<SavedView>(i, 'entity')));
  }

  /** Searches shared with the workspace (the caller's own among them), capped. */
  async listShared(workspaceId: string): Promise<SavedView[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.sharedSavedViewPartition(workspaceId) },
        Limit: SHARED_VIEWS_LISTED + SAVED_VIEWS_PER_AGENT,
      }),
    );
    return sortByCreation((out.Items ?? []).map((i) => fromItem<SavedView>(i, 'entity')));
  }

  /**
   * Stores a new saved search and counts it, in one transaction: refused (ConflictError) past the
   * per-agent limit. Written again with the same id (a retried request), it is left as it is.
   */
  async create(workspaceId: string, view: SavedView): Promise<SavedView> {
    const key = keys.savedView(workspaceId, view.ownerId, view.viewId);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.savedViewCount(workspaceId, view.ownerId),
                UpdateExpression: 'SET n = if_not_exists(n, :zero) + :one',
                ConditionExpression: 'attribute_not_exists(n) OR n < :max',
                ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':max': SAVED_VIEWS_PER_AGENT },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...key,
                  ...(view.shared ? keys.sharedSavedView(workspaceId, view.viewId) : {}),
                  entity: 'savedView',
                  ...view,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ],
        }),
      );
      return view;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const existing = await this.get(workspaceId, view.ownerId, view.viewId);
      if (existing) return existing;
      throw new ConflictError(`at most ${SAVED_VIEWS_PER_AGENT} saved searches per agent`, {
        limit: SAVED_VIEWS_PER_AGENT,
      });
    }
  }

  /** Renames, re-filters or (un)shares the agent's own saved search; 404 when it is not theirs. */
  async update(
    workspaceId: string,
    agentId: string,
    viewId: string,
    patch: { name?: string; filter?: Record<string, string>; shared?: boolean },
    at: string,
  ): Promise<SavedView> {
    const sets = ['#updatedAt = :at'];
    const removes: string[] = [];
    const values: Record<string, unknown> = { ':at': at };
    if (patch.name !== undefined) {
      sets.push('#name = :name');
      values[':name'] = patch.name;
    }
    if (patch.filter !== undefined) {
      sets.push('#filter = :filter');
      values[':filter'] = patch.filter;
    }
    if (patch.shared !== undefined) {
      sets.push('#shared = :shared');
      values[':shared'] = patch.shared;
      if (patch.shared) {
        const g = keys.sharedSavedView(workspaceId, viewId);
        sets.push('GSI2PK = :g2pk', 'GSI2SK = :g2sk');
        values[':g2pk'] = g.GSI2PK;
        values[':g2sk'] = g.GSI2SK;
      } else removes.push('GSI2PK', 'GSI2SK');
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.savedView(workspaceId, agentId, viewId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: {
            '#updatedAt': 'updatedAt',
            ...(patch.name !== undefined ? { '#name': 'name' } : {}),
            ...(patch.filter !== undefined ? { '#filter': 'filter' } : {}),
            ...(patch.shared !== undefined ? { '#shared': 'shared' } : {}),
          },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<SavedView>(out.Attributes ?? {}, 'entity');
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) throw new NotFoundError(`no saved search ${viewId}`);
      throw e;
    }
  }

  /** Deletes the agent's own saved search and uncounts it; deleting it again does nothing (false). */
  async delete(workspaceId: string, agentId: string, viewId: string): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keys.savedView(workspaceId, agentId, viewId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.savedViewCount(workspaceId, agentId),
                UpdateExpression: 'SET n = n - :one',
                ConditionExpression: 'n > :zero',
                ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException) return false;
      throw e;
    }
  }
}

const sortByCreation = (views: SavedView[]) =>
  views.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.viewId.localeCompare(b.viewId));
