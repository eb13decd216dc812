/**
 * What every DynamoDB adapter does with items: turn a stored item back into its entity, and run the
 * batch calls to the end (DynamoDB may leave part of a batch unprocessed under load), delete what must exist.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#core/errors.ts';
import { TABLE } from './keys.ts';

/** The attributes only the table needs: its keys, the GSI keys and the `entity` tag. */
const STORAGE_ATTRIBUTES: readonly string[] = [
  TABLE.partitionKey,
  TABLE.sortKey,
  ...TABLE.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  'entity',
];

/** A stored item as its entity: without the storage attributes, nor the `extra` ones named. */
export function fromItem<T>(item: Record<string, unknown>, ...extra: string[]): T;
export function fromItem<T>(item: Record<string, unknown> | undefined, ...extra: string[]): T | undefined;
export function fromItem<T>(item: Record<string, unknown> | undefined, ...extra: string[]): T | undefined {
  if (!item) return undefined;
  const rest = { ...item };
  for (const name of [...STORAGE_ATTRIBUTES, ...extra]) delete rest[name];
  return rest as T;
}

/** Exponential backoff before retry `attempt` (0, 1, …): 20 ms, 40 ms, 80 ms, … */
export const backoff = (attempt: number) => new Promise((r) => setTimeout(r, 20 * 2 ** attempt));

/** DynamoDB's limits on one BatchGetItem and one BatchWriteItem. */
const BATCH_GET_MAX = 100;
const BATCH_WRITE_MAX = 25;

/**
 * Reads `keyList` with BatchGetItem, 100 keys a call, retrying the unprocessed keys with a backoff.
 * The items come back raw and in any order; `onResponse` sees each call's items (for read statistics).
 */
export async function batchGetItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  keyList: Record<string, unknown>[],
  opts: { consistentRead?: boolean; onResponse?: (items: Record<string, unknown>[]) => void } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keyList.length; i += BATCH_GET_MAX) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }> | undefined = {
      [tableName]: {
        Keys: keyList.slice(i, i + BATCH_GET_MAX),
        ...(opts.consistentRead ? { ConsistentRead: true } : {}),
      },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      const out = await db.send(new BatchGetCommand({ RequestItems: request }));
      const items = out.Responses?.[tableName] ?? [];
      opts.onResponse?.(items);
      found.push(...items);
      request = out.UnprocessedKeys as typeof request;
      if (request && Object.keys(request).length > 0) await backoff(attempt);
    }
  }
  return found;
}

export type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** Runs `requests` with BatchWriteItem, 25 a call, retrying the unprocessed ones with a backoff. */
export async function batchWriteItems(
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
): Promise<void> {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_MAX) {
    let pending: Record<string, unknown[]> | undefined = { [tableName]: requests.slice(i, i + BATCH_WRITE_MAX) };
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = out.UnprocessedItems as typeof pending;
      if (pending && Object.keys(pending).length > 0) await backoff(attempt);
    }
  }
}

/** Deletes the item at `key`, which must exist: a missing one is a NotFoundError with `notFound`. */
export async function deleteExisting(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, unknown>,
  notFound: string,
): Promise<void> {
  try {
    await db.send(new DeleteCommand({ TableName: tableName, Key: key, ConditionExpression: 'attribute_exists(PK)' }));
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') throw new NotFoundError(notFound);
    throw e;
  }
}

/** Whether a write failed only because its condition did not hold. */
export const conditionFailed = (e: unknown): boolean =>
  e instanceof ConditionalCheckFailedException || (e as Error | undefined)?.name === 'ConditionalCheckFailedException';

/** A conditional write: true when it was applied, false when its condition did not hold. */
export async function writeIf(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (e) {
    if (conditionFailed(e)) return false;
    throw e;
  }
}
