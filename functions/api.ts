/**
 * The API Lambda: API Gateway REST proxy (`/v1/{proxy+}`). A thin adapter: middy and the logger around
 * the router (functions/api/router.ts), which authenticates, validates, runs one use case and maps
 * the outcome or the error. Clients and adapters are created once per container.
 * Env: TABLE_NAME, MAIL_BUCKET, REPLY_TOKEN_SECRET | REPLY_TOKEN_SECRET_ARN, EVENT_BUS_NAME (optional),
 * AGENT_POOL_ISSUER and AGENT_POOL_CLIENT_IDS (optional: agents' tokens).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { API_KEY_CACHE, cacheApiKeyLookups } from '#adapters/api-key-cache.ts';
import { containerAdapters } from '#adapters/container.ts';
import { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import { DynamoCommentStore } from '#adapters/dynamo/comment-store.ts';
import { DynamoConnectionStore } from '#adapters/dynamo/connection-store.ts';
import { DynamoMailboxStore } from '#adapters/dynamo/mailbox-store.ts';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { DynamoSavedViewStore } from '#adapters/dynamo/saved-view-store.ts';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { DynamoViewCounts } from '#adapters/dynamo/view-counts.ts';
import { FirstUseWorkflowStarter } from '#adapters/first-use.ts';
import { serviceUnavailable } from '#adapters/http-errors.ts';
import { ApiGatewayConnectionCloser, managementApiClient } from '#adapters/live-poster.ts';
import { observability } from '#adapters/observability.ts';
import { replyTokensOnce, secretOnce } from '#adapters/reply-token-secret.ts';
import type { ApiDeps } from '#api/deps.ts';
import { createApiHandler } from '#api/router.ts';
import { createAgentTokenVerifier } from '#auth/agent-token.ts';
import { createJwksFetcher } from '#auth/jwks-fetch.ts';
import { type OutboundDeps, sendMessage } from '#core/outbound.ts';
import type { WorkflowStarter } from '#core/ports.ts';
import { WidgetTokens } from '#core/widget-identity.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env, ['replyToken']);
const logger = new Logger({ serviceName: 'gochat-api' });

const observe = observability('gochat-api');
const { db, threads, admin, agents, mail, sender, sends, events, clock, ids } = containerAdapters(config, observe);
// A list page is one round trip, not two: the key lookup is cached (a revoked key works <= 60 s more).
cacheApiKeyLookups(admin, API_KEY_CACHE);
const log = {
  warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, { ...extra }),
};
const outboundBase: Omit<OutboundDeps, 'replyTokens'> = {
  threads,
  directory: admin,
  mail,
  sender,
  sends,
  events,
  clock,
  ids,
  log,
};
/** The reply-token secret is read once per container, on the first send. */
const replyTokens = replyTokensOnce(config);

/** The chat email fallback runs on the lifecycle state machine; without it (STATE_MACHINE_ARN unset) it is only logged. */
const starter: WorkflowStarter = config.stateMachineArn
  ? new FirstUseWorkflowStarter(async () => {
      const { SfnWorkflowStarter, sfnClient } = await import('#adapters/sfn-starter.ts');
      return new SfnWorkflowStarter(
        observe.tracer.captureAWSv3Client(sfnClient({ region: config.region })),
        config.stateMachineArn!,
        log,
      );
    })
  : {
      start: async (name) => log.warn('no state machine: chat fallback not scheduled', { name }),
      stop: async () => {},
    };

const deps: ApiDeps = {
  threads,
  queries: new DynamoThreadQueries(db, config.tableName),
  admin,
  agents,
  ...(config.agentPool ? { verifyAgentToken: createAgentTokenVerifier(config.agentPool) } : {}),
  mail,
  events,
  clock,
  ids,
  sendMessage: async (input) => sendMessage({ ...outboundBase, replyTokens: await replyTokens() }, input),
  mailboxes: new DynamoMailboxStore(db, config.tableName),
  comments: new DynamoCommentStore(db, config.tableName),
  log,
  notifications: new DynamoNotificationStore(db, config.tableName),
  viewCounts: new DynamoViewCounts(db, config.tableName),
  savedViews: new DynamoSavedViewStore(db, config.tableName),
  chat: {
    store: new DynamoChatStore(db, config.tableName),
    starter,
    widgetTokens: secretOnce(config, (secret) => new WidgetTokens(secret)),
    // One fenced, cached fetcher per container (docs/security.md); loopback only on the local stack.
    fetchKeySet: createJwksFetcher({ allowLoopbackHttp: config.widgetJwksLoopbackHttp === true }),
    ...(config.widgetJwksLoopbackHttp ? { allowLoopbackJwks: true } : {}),
  },
  metrics: new DynamoMetricsStore(db, config.tableName),
};

// A revoked key or a removed or re-roled agent loses its live connections at once (DeleteConnection).
if (config.liveEndpoint)
  deps.live = {
    connections: new DynamoConnectionStore(db, config.tableName),
    closer: new ApiGatewayConnectionCloser(
      managementApiClient({ region: config.region, endpoint: config.liveEndpoint, local: config.liveEndpointIsLocal }),
    ),
    // The management endpoint is the stage's https URL; clients connect to the same one over wss.
    url: config.liveEndpoint.replace(/^http/, 'ws'),
  };

const api = createApiHandler(deps, logger);

/**
 * A request about to outlive the function's timeout (the SDK still retrying a throttled or failing call)
 * is answered 503 with Retry-After a second before it, not left to become API Gateway's 502 or 504.
 */
const TIMEOUT_EARLY_MS = 1000;
const timeoutResponse = () => {
  const mapped = serviceUnavailable();
  logger.error('request about to time out: answered 503');
  return {
    statusCode: mapped.statusCode,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...mapped.headers },
    body: JSON.stringify(mapped.body),
  };
};

export const handler = middy((event: APIGatewayProxyEvent) => api(event), {
  timeoutEarlyInMillis: TIMEOUT_EARLY_MS,
  timeoutEarlyResponse: timeoutResponse,
})
  .use(captureLambdaHandler(observe.tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { clearState: true }));
