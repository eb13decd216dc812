import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { inject } from 'vitest';
import { documentClient } from '../../functions/adapters/aws-clients.ts';
import { ensureTable } from '../../lib/local/dynamodb-local.ts';

/**
 * A fresh table in the run's DynamoDB Local (started by global-setup.ts), created from the same
 * description as the stack. One table per test file keeps tests from seeing each other's data.
 */
export async function freshTable(): Promise<{ endpoint: string; tableName: string; db: DynamoDBDocumentClient }> {
  const endpoint = inject('ddbEndpoint');
  const tableName = `gochat-test-${ulid().toLowerCase()}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(raw, tableName);
  raw.destroy();
  return { endpoint, tableName, db: documentClient({ region: 'local', endpoints: { dynamodb: endpoint } }) };
}
