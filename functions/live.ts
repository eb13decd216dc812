/**
 * The live-updates WebSocket Lambda: API Gateway WebSocket routes `$connect` (authenticate with the
 * REST API's token, keep the connection, scoped to one workspace), `$disconnect` and `$default` (the
 * client's frames: subscribe, typing, ping). Env: TABLE_NAME, AGENT_POOL_ISSUER and AGENT_POOL_CLIENT_IDS
 * (optional: agents' tokens), REPLY_TOKEN_SECRET(_ARN) (end users' widget tokens). See docs/live.md.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import { DynamoConnectionStore, DynamoLiveSignals } from '#adapters/dynamo/connection-store.ts';
import { createLiveSocketHandler, endUserLiveAuthenticator, liveAuthenticator } from '#adapters/live-handlers.ts';
import { secretOnce } from '#adapters/reply-token-secret.ts';
import { systemClock } from '#adapters/system.ts';
import { createAgentTokenVerifier } from '#auth/agent-token.ts';
import { WidgetTokens } from '#core/widget-identity.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env);
const logger = new Logger({ serviceName: 'gochat-live' });

const db = documentClient({ region: config.region });
const signals = new DynamoLiveSignals(db, config.tableName);
const hasSecret = config.replyTokenSecret !== undefined || config.replyTokenSecretArn !== undefined;

export const handler = createLiveSocketHandler(
  {
    connections: new DynamoConnectionStore(db, config.tableName),
    // The REST API's own authentication: the same tokens open the same workspace.
    authenticate: liveAuthenticator({
      admin: new DynamoAdminStore(db, config.tableName),
      agents: new DynamoAgentStore(db, config.tableName),
      ...(config.agentPool ? { verifyAgentToken: createAgentTokenVerifier(config.agentPool) } : {}),
    }),
    // End users (the widget): the widget routes' own check of the widget token (docs/widget.md).
    ...(hasSecret
      ? {
          authenticateEndUser: endUserLiveAuthenticator({
            clock: systemClock,
            chat: {
              store: new DynamoChatStore(db, config.tableName),
              widgetTokens: secretOnce(config, (secret) => new WidgetTokens(secret)),
            },
          }),
        }
      : {}),
    threadAccess: signals,
    typing: signals,
    clock: systemClock,
  },
  logger,
);
