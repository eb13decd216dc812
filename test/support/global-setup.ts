import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../lib/local/dynamodb-local.ts';

/** One DynamoDB Local per test run; each test makes its own table or workspace, so tests never meet. */
let ddb: DynamoDbLocal | undefined;

export async function setup(project: TestProject) {
  ddb = await startDynamoDbLocal();
  project.provide('ddbEndpoint', ddb.endpoint);
}

export async function teardown() {
  await ddb?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string;
  }
}
