/**
 * The adapters of one Lambda container, built once from the configuration: the DynamoDB stores, the
 * event bus, and the mail bucket and SES, whose clients are created on their first use.
 */
import type { Config } from '#functions/config.ts';
import { documentClient, eventBridgeClient } from './aws-clients.ts';
import { DynamoAdminStore } from './dynamo/admin-store.ts';
import { DynamoAgentStore } from './dynamo/agent-store.ts';
import { DynamoSendStore } from './dynamo/send-store.ts';
import { DynamoThreadStore } from './dynamo/thread-store.ts';
import { EventBridgePublisher, noopPublisher } from './event-publisher.ts';
import { FirstUseMailSender, FirstUseMailStore } from './first-use.ts';
import { meteredSender, type Observability } from './observability.ts';
import { systemClock, ulidGenerator } from './system.ts';

/** With `observe`, every AWS client is traced and failed sends are counted (functions/adapters/observability.ts). */
export function containerAdapters(config: Config, observe?: Observability) {
  const trace = <T>(client: T): T => (observe ? observe.tracer.captureAWSv3Client(client) : client);
  const db = trace(documentClient({ region: config.region }));
  // SES on the first send only: a function that reads and lists never loads its client (first-use.ts).
  const ses = new FirstUseMailSender(config.region, async () => {
    const { SesMailSender, sesClient } = await import('./ses-sender.ts');
    return new SesMailSender(trace(sesClient({ region: config.region })), config.region);
  });
  return {
    db,
    threads: new DynamoThreadStore(db, config.tableName),
    admin: new DynamoAdminStore(db, config.tableName, config.defaultSettings),
    agents: new DynamoAgentStore(db, config.tableName),
    // S3 on first use too: lists and reads never touch the bucket, only attachments, raw mail and sends.
    mail: new FirstUseMailStore(async () => {
      const { S3MailStore, s3Client } = await import('./s3-mail-store.ts');
      const s3 = trace(s3Client({ region: config.region, s3Local: Boolean(config.s3Endpoint) }));
      return new S3MailStore(s3, config.mailBucket);
    }),
    sender: observe ? meteredSender(ses, observe.metrics) : ses,
    sends: new DynamoSendStore(db, config.tableName),
    events: config.eventBusName
      ? new EventBridgePublisher(trace(eventBridgeClient({ region: config.region })), config.eventBusName)
      : noopPublisher,
    clock: systemClock,
    ids: ulidGenerator,
  };
}
