/**
 * The SLA re-arm job of a workspace (adapters/sla-rearm.ts): one item, its generation (the policy it
 * applies), the statuses left to page, a cursor and a page number; each move is conditioned on the page it
 * comes from, so a stream record delivered twice moves it once.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ThreadStatus } from '#core/model.ts';
import { keys } from './keys.ts';

export interface SlaRearmJob {
  workspaceId: string;
  generation: string;
  page: number;
  statuses: ThreadStatus[];
  cursor?: string;
}

export class DynamoSlaRearmJobs {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Puts the workspace's SLA re-arm job (adapters/sla-rearm.ts) unless one of the same generation runs. */
  async startRearmJob(job: SlaRearmJob): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.slaRearmJob(job.workspaceId), entity: 'slaRearmJob', ...job },
          ConditionExpression: 'attribute_not_exists(PK) OR generation <> :g',
          ExpressionAttributeValues: { ':g': job.generation },
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  /** Moves the re-arm job from `page` to the next (or ends it), only if it is still at `page` of `generation`. */
  async advanceRearmJob(
    workspaceId: string,
    generation: string,
    page: number,
    next: { statuses: ThreadStatus[]; cursor?: string } | null,
  ): Promise<boolean> {
    const where = {
      TableName: this.tableName,
      Key: keys.slaRearmJob(workspaceId),
      ConditionExpression: 'generation = :g AND page = :p',
    };
    try {
      if (!next)
        await this.db.send(
          new DeleteCommand({ ...where, ExpressionAttributeValues: { ':g': generation, ':p': page } }),
        );
      else
        await this.db.send(
          new UpdateCommand({
            ...where,
            UpdateExpression: next.cursor
              ? 'SET page = :n, statuses = :s, #c = :c'
              : 'SET page = :n, statuses = :s REMOVE #c',
            ExpressionAttributeNames: { '#c': 'cursor' },
            ExpressionAttributeValues: {
              ':g': generation,
              ':p': page,
              ':n': page + 1,
              ':s': next.statuses,
              ...(next.cursor ? { ':c': next.cursor } : {}),
            },
          }),
        );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
