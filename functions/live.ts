/**
 * The live-updates WebSocket Lambda: API Gateway WebSocket routes `$connect` (authenticate with the
 * REST API's token, keep the connection, scoped to one workspace), `$disconnect` and `$default` (the
 * client's frames: subscribe, ping). Env: TABLE_NAME. See docs/live.md.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from './adapters/aws-clients.ts';
import { DynamoAdminStore } from './adapters/dynamo/admin-store.ts';
import { DynamoConnectionStore } from './adapters/dynamo/connection-store.ts';
import { createLiveSocketHandler } from './adapters/live-handlers.ts';
import { systemClock } from './adapters/system.ts';
import { authenticate } from './api/use-cases/admin.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const logger = new Logger({ serviceName: 'gochat-live' });

const db = documentClient({ region: config.region });
const admin = new DynamoAdminStore(db, config.tableName);

export const handler = createLiveSocketHandler(
  {
    connections: new DynamoConnectionStore(db, config.tableName),
    // The REST API's own authentication: the same tokens open the same workspace.
    authenticate: async (token) => {
      const caller = await authenticate(admin, `Bearer ${token}`, undefined);
      return { workspaceId: caller.workspaceId, actor: caller.actor };
    },
    clock: systemClock,
  },
  logger,
);
