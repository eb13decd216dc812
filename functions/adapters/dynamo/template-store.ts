/**
 * Reply templates of a workspace.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyExistsError, NotFoundError, ValidationError } from '#core/errors.ts';
import type { Template } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import { decodeCursor } from './cursor.ts';
import { deleteExisting, fromItem } from './items.ts';
import { keys } from './keys.ts';
import { queryPage } from './pages.ts';

export class DynamoTemplateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getTemplate(workspaceId: string, templateId: string): Promise<Template | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.template(workspaceId, templateId), ConsistentRead: true }),
    );
    return fromItem<Template>(out.Item) ?? null;
  }

  async listTemplates(workspaceId: string, page: { limit: number; cursor?: string }): Promise<Page<Template>> {
    const partition = keys.workspacePartition(workspaceId);
    const after = decodeCursor(page.cursor, ['sk']);
    if (after && !after.sk.startsWith(keys.templatePrefix())) throw new ValidationError('invalid cursor');
    return queryPage<Template>(
      this.db,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': partition, ':p': keys.templatePrefix() },
        ...(after ? { ExclusiveStartKey: { PK: partition, SK: after.sk } } : {}),
      },
      page.limit,
      (item) => ({ sk: String(item.SK) }),
    );
  }

  /** Creates (`mustNotExist`) or replaces (`mustExist`) a template. */
  async putTemplate(template: Template, mode: 'create' | 'replace'): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.template(template.workspaceId, template.templateId), entity: 'template', ...template },
          ConditionExpression: mode === 'create' ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
        }),
      );
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      if (mode === 'create') throw new AlreadyExistsError(`template ${template.templateId} exists`);
      throw new NotFoundError(`template ${template.templateId} not found`);
    }
  }

  async deleteTemplate(workspaceId: string, templateId: string): Promise<void> {
    await deleteExisting(
      this.db,
      this.tableName,
      keys.template(workspaceId, templateId),
      `template ${templateId} not found`,
    );
  }
}
