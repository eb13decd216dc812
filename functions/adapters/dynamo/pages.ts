/**
 * Pages of a partition for the admin stores: one Query of `limit + 1` items per page, with an opaque
 * cursor (cursor.ts) that carries only the sort key; the partition is always rebuilt from the caller's
 * workspace. Also the whole-partition read and the small listing helpers they share.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page } from '#core/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { batchGetItems, fromItem } from './items.ts';
import type { Key } from './keys.ts';

/** The id after the last `#` of a listing sort key (`<name>#<id>`, `CUST#<id>`). */
export const idOf = (sortKey: string) => sortKey.slice(sortKey.lastIndexOf('#') + 1);

/** One Query of `limit + 1` items: the extra one only says whether a next page exists. */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
  cursorOf: (item: Record<string, unknown>) => Record<string, string>,
): Promise<Page<T>> {
  const out = await db.send(new QueryCommand({ ...input, Limit: limit + 1 }));
  const raw = out.Items ?? [];
  const items = raw.slice(0, limit);
  const more = raw.length > limit;
  return {
    items: items.map((i) => fromItem<T>(i)),
    ...(more ? { cursor: encodeCursor(cursorOf(items[items.length - 1])) } : {}),
  };
}

/** A page of a GSI2 partition; the cursor carries only GSI2SK, the rest is rebuilt from it. */
export function queryGsi2Page<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  page: { limit: number; cursor?: string },
  tableKeyOf: (gsi2sk: string) => Key,
): Promise<Page<T>> {
  // Every GSI2 listing sorts `<name or email>#<ULID>`: anything else is a tampered cursor.
  const after = decodeCursor(page.cursor, ['sk'], (c) => /#[0-9A-HJKMNP-TV-Z]{26}$/i.test(c.sk));
  return queryPage<T>(
    db,
    {
      TableName: tableName,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ...(after ? { ExclusiveStartKey: { ...tableKeyOf(after.sk), GSI2PK: partition, GSI2SK: after.sk } } : {}),
    },
    page.limit,
    (item) => ({ sk: String(item.GSI2SK) }),
  );
}

/** Every item the Query matches, page after page. */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The items of `keyList` without their storage attributes, in any order. */
export async function batchGetEntities(
  db: DynamoDBDocumentClient,
  tableName: string,
  keyList: Key[],
): Promise<Record<string, unknown>[]> {
  const found = await batchGetItems(db, tableName, keyList);
  return found.map((item) => fromItem<Record<string, unknown>>(item));
}

/** BatchGet returns items in any order: put them back in the order of `ids` (missing ones drop out). */
export function sortLike(ids: string[], items: Record<string, unknown>[], field: string): Record<string, unknown>[] {
  const byId = new Map(items.map((i) => [String(i[field]), i]));
  return ids.map((id) => byId.get(id)).filter((i): i is Record<string, unknown> => i !== undefined);
}

/** The cursor of a page, as a spreadable object (none on the last page). */
export const cursorOf = (page: Page<unknown>) => (page.cursor ? { cursor: page.cursor } : {});
