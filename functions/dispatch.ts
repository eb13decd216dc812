/**
 * The dispatch Lambda: the table's DynamoDB Stream (NEW_AND_OLD_IMAGES, ReportBatchItemFailures) →
 * one Step Functions execution per thread status change, the thread metrics with their SLA executions, and
 * agents' notifications (with the delayed run of their mail), and assignment on arrival of new threads.
 * Env: TABLE_NAME, STATE_MACHINE_ARN, SLA_STATE_MACHINE_ARN (optional: no SLA timers without it),
 * NOTIFY_GATHER_SECONDS, INBOX_URL (optional).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { withAssignmentOnArrival } from '#adapters/assignment-stream.ts';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { DynamoAssignmentStore } from '#adapters/dynamo/assignment-store.ts';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { DynamoSlaRearmJobs } from '#adapters/dynamo/sla-rearm-jobs.ts';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { createDispatchHandler, handlerLog } from '#adapters/lifecycle-handlers.ts';
import { createMetricsRecorder } from '#adapters/metrics-stream.ts';
import { withNotifications } from '#adapters/notification-stream.ts';
import { observability } from '#adapters/observability.ts';
import { SfnWorkflowStarter, sfnClient } from '#adapters/sfn-starter.ts';
import { createSlaRearm } from '#adapters/sla-rearm.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(process.env, ['stateMachine']);
const logger = handlerLog(new Logger({ serviceName: 'gochat-dispatch' }));
const { tracer } = observability('gochat-dispatch');

const db = tracer.captureAWSv3Client(documentClient({ region: config.region }));
const directory = new DynamoDirectoryStore(db, config.tableName, config.defaultSettings);
const starter = new SfnWorkflowStarter(
  tracer.captureAWSv3Client(sfnClient({ region: config.region })),
  config.stateMachineArn!,
  logger,
);

// The same records feed the thread metrics (reports and SLA): docs/reports.md.
const metrics = new DynamoMetricsStore(db, config.tableName);
// The SLA clocks run on a state machine of their own (statemachine/sla.asl.json), when it is deployed.
const slaStarter = process.env.SLA_STATE_MACHINE_ARN
  ? new SfnWorkflowStarter(
      tracer.captureAWSv3Client(sfnClient({ region: config.region })),
      process.env.SLA_STATE_MACHINE_ARN,
      logger,
    )
  : undefined;
const recordMetrics = createMetricsRecorder({
  metrics,
  directory,
  firstChannel: (workspaceId, threadId) => metrics.firstChannel(workspaceId, threadId),
  ...(slaStarter ? { slaStarter } : {}),
  // A change of SLA policy or hours re-arms the clocks of the threads not closed, a page per record.
  rearm: createSlaRearm({
    metrics,
    jobs: new DynamoSlaRearmJobs(db, config.tableName),
    threads: new DynamoThreadQueries(db, config.tableName),
    directory,
    ...(slaStarter ? { slaStarter } : {}),
  }),
});

// The same records also raise agents' notifications (functions/core/notifications).
const notifyDeps = {
  notifications: new DynamoNotificationStore(db, config.tableName),
  agents: new DynamoAgentStore(db, config.tableName),
  threads: new DynamoThreadStore(db, config.tableName),
  starter,
  clock: systemClock,
  gatherSeconds: config.notifyGatherSeconds,
  // The Inbox's URL (the stack sets it: the CloudFront distribution's) travels to the mail run.
  ...(process.env.INBOX_URL ? { inboxUrl: config.inboxUrl } : {}),
};

// New threads are assigned round-robin when the workspace asks for it (functions/core/assignment.ts).
const assignDeps = {
  assignments: new DynamoAssignmentStore(db, config.tableName),
  threads: notifyDeps.threads,
  listAgents: (workspaceId: string) => notifyDeps.agents.listAgents(workspaceId),
  assignsOnArrival: async (workspaceId: string) => (await directory.getSettings(workspaceId)).assignOnArrival === true,
  clock: systemClock,
  ids: ulidGenerator,
};

export const handler = middy(
  withAssignmentOnArrival(
    withNotifications(createDispatchHandler({ directory, starter, recordMetrics }, logger), notifyDeps, logger),
    assignDeps,
    logger,
  ),
).use(captureLambdaHandler(tracer, { captureResponse: false }));
