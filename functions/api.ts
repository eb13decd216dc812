/**
 * The API Lambda: API Gateway REST proxy (`/v1/{proxy+}`). A thin adapter: middy and the logger around
 * the router (functions/api/router.ts), which authenticates, validates, runs one use case and maps
 * the outcome or the error. Clients and adapters are created once per container.
 * Env: TABLE_NAME, MAIL_BUCKET, REPLY_TOKEN_SECRET | REPLY_TOKEN_SECRET_ARN, EVENT_BUS_NAME (optional).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { documentClient, eventBridgeClient, s3Client, sesClient } from './adapters/aws-clients.ts';
import { DynamoAdminStore } from './adapters/dynamo/admin-store.ts';
import { DynamoSendStore } from './adapters/dynamo/send-store.ts';
import { DynamoThreadQueries } from './adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from './adapters/dynamo/thread-store.ts';
import { EventBridgePublisher, noopPublisher } from './adapters/event-publisher.ts';
import { S3MailStore } from './adapters/s3-mail-store.ts';
import { SesMailSender } from './adapters/ses-sender.ts';
import { systemClock, ulidGenerator } from './adapters/system.ts';
import type { ApiDeps } from './api/deps.ts';
import { createApiHandler } from './api/router.ts';
import { loadConfig } from './config.ts';
import { type OutboundDeps, sendMessage } from './core/outbound.ts';
import { ReplyTokens } from './core/reply-token.ts';

const config = loadConfig(process.env, ['replyToken']);
const logger = new Logger({ serviceName: 'gochat-api' });

const db = documentClient({ region: config.region });
const threads = new DynamoThreadStore(db, config.tableName);
const admin = new DynamoAdminStore(db, config.tableName);
const mail = new S3MailStore(
  s3Client({ region: config.region, s3Local: Boolean(config.s3Endpoint) }),
  config.mailBucket,
);
const events = config.eventBusName
  ? new EventBridgePublisher(eventBridgeClient({ region: config.region }), config.eventBusName)
  : noopPublisher;
const log = {
  warn: (message: string, extra?: Record<string, unknown>) => logger.warn(message, { ...extra }),
};
const outboundBase: Omit<OutboundDeps, 'replyTokens'> = {
  threads,
  directory: admin,
  mail,
  sender: new SesMailSender(sesClient({ region: config.region }), config.region),
  sends: new DynamoSendStore(db, config.tableName),
  events,
  clock: systemClock,
  ids: ulidGenerator,
  log,
};

let outbound: Promise<OutboundDeps> | undefined;
/** The reply-token secret is read from Secrets Manager once per container, on the first send. */
function outboundDeps(): Promise<OutboundDeps> {
  if (!outbound) {
    const built = (async () => {
      const secret =
        config.replyTokenSecret ??
        (
          await new SecretsManagerClient({ region: config.region }).send(
            new GetSecretValueCommand({ SecretId: config.replyTokenSecretArn! }),
          )
        ).SecretString;
      if (!secret) throw new Error('reply token secret is empty');
      return { ...outboundBase, replyTokens: new ReplyTokens(secret) };
    })();
    // A failed secret read must not poison the container: the next request tries again.
    built.catch(() => {
      outbound = undefined;
    });
    outbound = built;
  }
  return outbound;
}

const deps: ApiDeps = {
  threads,
  queries: new DynamoThreadQueries(db, config.tableName),
  admin,
  mail,
  events,
  clock: systemClock,
  ids: ulidGenerator,
  sendMessage: async (input) => sendMessage(await outboundDeps(), input),
  log,
};

const api = createApiHandler(deps, logger);

export const handler = middy((event: APIGatewayProxyEvent) => api(event)).use(
  injectLambdaContext(logger, { clearState: true }),
);
