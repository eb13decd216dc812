import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll } from 'vitest';
import { type DynamoDbLocal, localTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';

/**
 * One DynamoDB Local per test file, started on first use and stopped after the file. A shared
 * instance slowed down by an order of magnitude as earlier files filled it (the corpus run alone
 * writes tens of thousands of items and stream records), so each file gets a clean one.
 */
let local: Promise<DynamoDbLocal> | undefined;

// Registered when a test file imports this module: a hook registered inside `beforeAll` never runs.
afterAll(async () => {
  await (await local)?.stop();
});

function dynamoDbLocal(): Promise<DynamoDbLocal> {
  local ??= startDynamoDbLocal();
  return local;
}

/** A fresh table, created from the same description as the stack, so tests never see each other's data. */
export async function freshTable(): Promise<{ endpoint: string; tableName: string; db: DynamoDBDocumentClient }> {
  const { endpoint } = await dynamoDbLocal();
  const tableName = `gochat-test-${ulid().toLowerCase()}`;
  return { endpoint, tableName, db: await localTable(endpoint, tableName) };
}
