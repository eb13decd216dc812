/**
 * The live-updates fan-out Lambda: the table's DynamoDB Stream → one `changed` frame per connection
 * that lists or views a changed thread, through API Gateway's PostToConnection. Env: TABLE_NAME,
 * LIVE_ENDPOINT (the WebSocket API's management endpoint). See docs/live.md.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoConnectionStore } from '#adapters/dynamo/connection-store.ts';
import { handlerLog } from '#adapters/lifecycle-handlers.ts';
import { createLiveFanoutHandler } from '#adapters/live-fanout-handler.ts';
import { ApiGatewayConnectionPoster, managementApiClient } from '#adapters/live-poster.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env, ['live']);
const logger = handlerLog(new Logger({ serviceName: 'gochat-live-fanout' }));

const db = documentClient({ region: config.region });
const poster = new ApiGatewayConnectionPoster(
  managementApiClient({ region: config.region, endpoint: config.liveEndpoint!, local: config.liveEndpointIsLocal }),
);

export const handler = createLiveFanoutHandler(
  { connections: new DynamoConnectionStore(db, config.tableName), poster },
  logger,
);
