/**
 * The ingest Lambda: the SES receipt rule's Lambda action (invocation type Event), run after its S3
 * action stored the raw MIME. A thin adapter: it turns the event into InboundMail inputs, runs the
 * ingest use case on each, and logs the outcome. A thrown error makes Lambda retry the delivery,
 * which is safe: every write of the use case is idempotent.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SESEvent } from 'aws-lambda';
import { documentClient, eventBridgeClient } from '#adapters/aws-clients.ts';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { EventBridgePublisher } from '#adapters/event-publisher.ts';
import { observability, recordIngest } from '#adapters/observability.ts';
import { replyTokensOnce } from '#adapters/reply-token-secret.ts';
import { S3MailStore, s3Client } from '#adapters/s3-mail-store.ts';
import { DEFAULT_INBOUND_PREFIX, inboundMailsFromSesEvent } from '#adapters/ses-event.ts';
import { systemClock } from '#adapters/system.ts';
import { IngestMail, type IngestResult } from '#core/ingest.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env, ['replyToken']);
/** The S3 action's key prefix, when the rule uses another one than `inbound/`. */
const inboundPrefix = config.inboundPrefix ?? DEFAULT_INBOUND_PREFIX;
const logger = new Logger({ serviceName: 'gochat-ingest' });
const { metrics, tracer } = observability('gochat-ingest');

// Clients and adapters live for the container; the use case keeps its short routing cache there too.
// Built here rather than from container.ts, so the bundle carries no SES or API store code.
const db = tracer.captureAWSv3Client(documentClient({ region: config.region }));
const threads = new DynamoThreadStore(db, config.tableName);
const directory = new DynamoDirectoryStore(db, config.tableName, config.defaultSettings);
const mail = new S3MailStore(
  tracer.captureAWSv3Client(s3Client({ region: config.region, s3Local: Boolean(config.s3Endpoint) })),
  config.mailBucket,
);
const events = config.eventBusName
  ? new EventBridgePublisher(
      tracer.captureAWSv3Client(eventBridgeClient({ region: config.region })),
      config.eventBusName,
    )
  : undefined;
const replyTokens = replyTokensOnce(config);
let ingest: IngestMail | undefined;

/** The use case, built once per container, after the reply-token secret has been read. */
async function useCase(): Promise<IngestMail> {
  const tokens = await replyTokens();
  ingest ??= new IngestMail({
    threads,
    directory,
    mail,
    tokens,
    clock: systemClock,
    maxMailBytes: config.maxMailBytes,
    ...(events ? { events } : {}),
  });
  return ingest;
}

async function ingestEvent(event: SESEvent): Promise<{ disposition: 'CONTINUE'; results: IngestResult[] }> {
  const inputs = inboundMailsFromSesEvent(event, inboundPrefix);
  const useCaseInstance = await useCase();
  const results: IngestResult[] = [];
  for (const input of inputs) {
    const result = await useCaseInstance.ingest(input);
    recordIngest(metrics, result);
    for (const warning of result.warnings) logger.warn(warning, { sesMessageId: input.sesMessageId });
    logger.info('mail ingested', {
      sesMessageId: input.sesMessageId,
      unroutable: result.unroutable,
      workspaces: result.workspaces,
    });
    results.push(result);
  }
  // `CONTINUE` lets a synchronous (RequestResponse) rule go on; an Event invocation ignores it.
  return { disposition: 'CONTINUE', results };
}

export const handler = middy(ingestEvent)
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .use(injectLambdaContext(logger, { clearState: true }));
