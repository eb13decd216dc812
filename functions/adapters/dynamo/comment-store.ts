/**
 * Edits of internal comments: only their author changes or deletes them, in place on the feed item, with
 * a condition that names the author (so no read-then-write race lets another agent's edit through). An
 * edited comment keeps `editedAt`; a deleted one stays in the feed as a tombstone (`deletedAt`, no body),
 * so the feed still shows that something was there. Messages are never edited: mail cannot be unsent.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CommentItem } from '#core/model.ts';
import { fromItem } from './items.ts';
import { keys } from './keys.ts';

export type CommentEdit = { kind: 'edit'; body: string } | { kind: 'delete' };

export class DynamoCommentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The edited comment; null when there is no such comment by `agentId` (or it was deleted). */
  async edit(
    workspaceId: string,
    threadId: string,
    ref: { at: string; itemId: string },
    agentId: string,
    edit: CommentEdit,
    now: string,
  ): Promise<CommentItem | null> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.feedItem(workspaceId, threadId, ref.at, ref.itemId),
          UpdateExpression:
            edit.kind === 'edit' ? 'SET #body = :body, editedAt = :now' : 'SET #body = :empty, deletedAt = :now',
          ConditionExpression:
            '#type = :comment AND actor.kind = :agent AND actor.id = :me AND attribute_not_exists(deletedAt)',
          ExpressionAttributeNames: { '#type': 'type', '#body': 'body' },
          ExpressionAttributeValues: {
            ':comment': 'comment',
            ':agent': 'agent',
            ':me': agentId,
            ':now': now,
            ...(edit.kind === 'edit' ? { ':body': edit.body } : { ':empty': '' }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<CommentItem>(out.Attributes) ?? null;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return null;
      throw e;
    }
  }
}
