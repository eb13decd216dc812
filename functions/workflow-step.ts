/**
 * The workflow-step Lambda: invoked by the lifecycle and the SLA state machines (lambda:invoke) when a Wait ends.
 * Env: TABLE_NAME, MAIL_BUCKET, REPLY_TOKEN_SECRET | REPLY_TOKEN_SECRET_ARN, EVENT_BUS_NAME (optional),
 * NOTIFY_FROM, INBOX_URL (notification mails).
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { containerAdapters } from '#adapters/container.ts';
import { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { createWorkflowStepHandler, handlerLog, type StepDeps } from '#adapters/lifecycle-handlers.ts';
import { observability, recordTimer } from '#adapters/observability.ts';
import { replyTokensOnce } from '#adapters/reply-token-secret.ts';
import { createSlaNotifier } from '#adapters/sla-notifier.ts';
import { notify } from '#core/notifications/notify.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env, ['replyToken']);
const logger = handlerLog(new Logger({ serviceName: 'gochat-workflow-step' }));

const observe = observability('gochat-workflow-step');
const { db, admin, agents, threads, mail, sender, sends, events, clock, ids } = containerAdapters(config, observe);
const chat = new DynamoChatStore(db, config.tableName);
// Notification mails (functions/core/notifications/mail.ts).
const notificationStore = new DynamoNotificationStore(db, config.tableName);
const notifyMail = {
  notifications: notificationStore,
  agents,
  threads,
  readMarkers: agents.readMarkers.bind(agents),
  sender,
  clock,
  from: config.notifyFrom,
  inboxUrl: config.inboxUrl,
};
const replyTokens = replyTokensOnce(config);
const metrics = new DynamoMetricsStore(db, config.tableName);
/** The SLA step's ports: its alerts go through the notifications module (no starter: the stream schedules mail runs). */
const sla: StepDeps['sla'] = {
  metrics,
  notify: createSlaNotifier({
    events,
    sender,
    agents,
    inboundAddresses: (workspaceId) => admin.listInboundAddresses(workspaceId),
    claim: (w, t, key, at) => metrics.claimSlaAlert(w, t, key, at),
    clock,
    notifications: (notice) => notify({ notifications: notificationStore, agents, threads, clock }, notice),
    log: logger,
  }),
};

/** The step's dependencies; the reply-token secret is read once per container. */
const resolveDeps = async (): Promise<StepDeps> => ({
  chat,
  sla,
  notifyMail,
  threads,
  directory: admin,
  templates: admin,
  mail,
  sender,
  sends,
  events,
  clock,
  ids,
  log: logger,
  replyTokens: await replyTokens(),
});

const step = createWorkflowStepHandler(resolveDeps, logger);

export const handler = middy(async (event: unknown) => {
  const result = await step(event);
  recordTimer(observe.metrics, result);
  return result;
}).use(captureLambdaHandler(observe.tracer, { captureResponse: false }));
