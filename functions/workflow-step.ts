/**
 * The workflow-step Lambda: invoked by the lifecycle state machine (lambda:invoke) when a Wait ends.
 * Env: TABLE_NAME, MAIL_BUCKET, REPLY_TOKEN_SECRET | REPLY_TOKEN_SECRET_ARN, EVENT_BUS_NAME (optional).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { documentClient, eventBridgeClient, s3Client, sesClient } from './adapters/aws-clients.ts';
import { DynamoAdminStore } from './adapters/dynamo/admin-store.ts';
import { DynamoSendStore } from './adapters/dynamo/send-store.ts';
import { DynamoThreadStore } from './adapters/dynamo/thread-store.ts';
import { EventBridgePublisher, noopPublisher } from './adapters/event-publisher.ts';
import { createWorkflowStepHandler, handlerLog } from './adapters/lifecycle-handlers.ts';
import { S3MailStore } from './adapters/s3-mail-store.ts';
import { SesMailSender } from './adapters/ses-sender.ts';
import { systemClock, ulidGenerator } from './adapters/system.ts';
import { loadConfig } from './config.ts';
import { ReplyTokens } from './core/reply-token.ts';
import type { TimerDeps } from './core/timers.ts';

const config = loadConfig(process.env, ['replyToken']);
const logger = handlerLog(new Logger({ serviceName: 'gochat-workflow-step' }));

const db = documentClient({ region: config.region });
const secrets = config.replyTokenSecret ? undefined : new SecretsManagerClient({ region: config.region });
const directory = new DynamoAdminStore(db, config.tableName);
const base = {
  threads: new DynamoThreadStore(db, config.tableName),
  directory,
  templates: directory,
  mail: new S3MailStore(s3Client({ region: config.region, s3Local: Boolean(config.s3Endpoint) }), config.mailBucket),
  sender: new SesMailSender(sesClient({ region: config.region }), config.region),
  sends: new DynamoSendStore(db, config.tableName),
  events: config.eventBusName
    ? new EventBridgePublisher(eventBridgeClient({ region: config.region }), config.eventBusName)
    : noopPublisher,
  clock: systemClock,
  ids: ulidGenerator,
  log: logger,
};

let deps: Promise<TimerDeps> | undefined;
/** Built once per container: the reply-token secret is read from Secrets Manager once. */
function resolveDeps(): Promise<TimerDeps> {
  if (deps) return deps;
  const built = (async (): Promise<TimerDeps> => {
    const secret =
      config.replyTokenSecret ??
      (await secrets!.send(new GetSecretValueCommand({ SecretId: config.replyTokenSecretArn! }))).SecretString;
    if (!secret) throw new Error('reply token secret is empty');
    return { ...base, replyTokens: new ReplyTokens(secret) };
  })();
  deps = built;
  // A failed secret read must not poison the container: the next invocation tries again.
  built.catch(() => {
    deps = undefined;
  });
  return built;
}

export const handler = createWorkflowStepHandler(resolveDeps, logger);
