import { readFileSync } from 'node:fs';
import { Annotations, Aspects, Duration, Fn, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { StatusPolicy } from '#core/model.ts';
import { AgentPool, type AgentPoolProps } from './agent-pool.ts';
import { GoChatDashboard } from './go-chat-dashboard.ts';
import { type DataAccess, type DataEncryption, GoChatData } from './go-chat-data.ts';
import { GoChatFunction, type LogLevel } from './go-chat-function.ts';
import { InboundRule, type RuleSetConfig } from './inbound-rule.ts';
import { LiveApi } from './live-api.ts';
import { offDomainRecipients } from './mail-domain.ts';
import { inboxUrlOf, notifyFromOf } from './notify-settings.ts';
import { repoPath } from './paths.ts';
import { WidgetRateLimit } from './widget-rate-limit.ts';

export const STATE_MACHINE_DEFINITION_FILE = 'statemachine/lifecycle.asl.json';
/** The SLA clocks' definition (docs/reports.md), loaded by the local runner too. */
export const SLA_STATE_MACHINE_DEFINITION_FILE = 'statemachine/sla.asl.json';

export interface GoChatProps {
  /** Mail domain: the SES identity that sends (ses:SendRawEmail is scoped to it) and, by default, receives. */
  mailDomain: string;
  /** Receipt rule recipients: domains or addresses. @default [mailDomain] */
  recipients?: string[];
  /** @default { mode: 'create-and-activate' } */
  ruleSet?: RuleSetConfig;
  /** Reject inbound mail not delivered over TLS. @default false */
  requireTls?: boolean;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string;
  /** Defaults for the workspace status policy, handed to the functions as DEFAULT_POLICY (JSON). */
  policyDefaults?: Partial<StatusPolicy>;
  /** Bring your own data construct (e.g. from a separate stateful stack). @default a GoChatData child */
  data?: GoChatData;
  /** Encryption of a data construct created here. @default 'aws-managed' */
  encryption?: DataEncryption;
  /** Days raw mail and attachments are kept, for a data construct created here (0: for ever). @default 730 */
  mailRetentionDays?: number;
  /** @default 'gochat' */
  eventBusName?: string;
  /** @default 'INFO' */
  logLevel?: LogLevel;
  /** @default one month */
  logRetention?: logs.RetentionDays;
  /** Caps concurrent ingestion (protects the table from a mail flood). @default unreserved */
  ingestReservedConcurrency?: number;
  /** API stage throttling. @default 50 requests/s, burst 100 */
  apiThrottle?: { rateLimit: number; burstLimit: number };
  /** The agents' user pool: callback URLs, hosted domain, OIDC federation. @default password sign-in only */
  agents?: AgentPoolProps;
  /** Notification mail's From: an address on the mail domain. @default `Go!Chat <no-reply@<mailDomain>>` */
  notifyFrom?: string;
  /**
   * The Inbox's URL, that notification mail links to. @default none: {@link GoChatStack} gives the Inbox's
   * CloudFront URL; a GoChat used alone without it warns at synth (`gochat:inbox-url`).
   */
  inboxUrl?: string;
}

/** What a function needs beyond the data: each flag adds one environment variable and one grant. */
export interface FunctionNeeds {
  data: DataAccess;
  /** events:PutEvents on the Go!Chat bus, EVENT_BUS_NAME. */
  events?: boolean;
  /** ses:SendRawEmail on the mail domain identity. */
  sendMail?: boolean;
}

/**
 * Go!Chat mail, the whole back end as one construct: the SES receipt rule into S3 and the ingest function,
 * the DynamoDB stream dispatcher and the lifecycle state machine, the integrator REST API and the domain
 * event bus, with their dead-letter queues and alarms. State lives in {@link GoChatData}.
 */
export class GoChat extends Construct {
  readonly data: GoChatData;
  readonly eventBus: events.EventBus;
  readonly alarmTopic: sns.Topic;
  readonly ingest: GoChatFunction;
  readonly ingestFailures: sqs.Queue;
  readonly inbound: InboundRule;
  readonly workflowStep: GoChatFunction;
  readonly stateMachine: sfn.StateMachine;
  /** The SLA clocks: warning, then breach (statemachine/sla.asl.json). */
  readonly slaStateMachine: sfn.StateMachine;
  readonly dispatch: GoChatFunction;
  readonly dispatchFailures: sqs.Queue;
  readonly api: GoChatFunction;
  readonly restApi: apigw.RestApi;
  readonly liveSocket: GoChatFunction;
  readonly liveFanout: GoChatFunction;
  readonly live: LiveApi;
  readonly agents: AgentPool;
  /** Every alarm on the alarm topic (the dashboard shows their state). */
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: GoChatDashboard;

  private readonly props: GoChatProps;
  private readonly logRetention: logs.RetentionDays;
  private readonly logLevel: LogLevel;

  private inboxUrl?: string;

  /**
   * The Inbox's URL for notification mail's links. A literal goes to the workflow step that sends the mail;
   * a token (the CloudFront distribution's URL) only to the dispatcher, which puts it in each mail run's
   * input: the workflow step depending on the distribution would close a cycle (distribution → API →
   * lifecycle state machine → workflow step).
   */
  useInboxUrl(url: string): void {
    this.inboxUrl = inboxUrlOf(url);
    this.dispatch.handler.addEnvironment('INBOX_URL', this.inboxUrl);
    if (!Token.isUnresolved(this.inboxUrl)) this.workflowStep.handler.addEnvironment('INBOX_URL', this.inboxUrl);
  }

  constructor(scope: Construct, id: string, props: GoChatProps) {
    super(scope, id);
    this.props = props;
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.logLevel = props.logLevel ?? 'INFO';
    this.data =
      props.data ??
      new GoChatData(this, 'Data', {
        encryption: props.encryption,
        ...(props.mailRetentionDays !== undefined ? { mailRetentionDays: props.mailRetentionDays } : {}),
      });

    this.eventBus = new events.EventBus(this, 'EventBus', { eventBusName: props.eventBusName ?? 'gochat' });

    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Go!Chat alarms', enforceSSL: true });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries only CloudWatch alarm state changes (alarm names and metric values, no mail or customer data), and CloudWatch cannot publish to a topic under the AWS managed SNS key.',
    });

    // ---- inbound: SES → S3 (raw MIME) → ingest (Event) ----
    this.ingest = this.fn('Ingest', {
      entry: 'functions/ingest.ts',
      description: 'Go!Chat: ingests one inbound mail (SES receipt rule Lambda action)',
      serviceName: 'gochat-ingest',
      memorySize: 1024,
      timeout: Duration.minutes(2),
      reservedConcurrentExecutions: props.ingestReservedConcurrency,
    });
    this.bindFunction(this.ingest, {
      data: {
        // No GSI1 (the list facets: ingest writes them, the API reads them) and no condition check (no
        // store of ingest makes one): test/infra/iam.test.ts.
        table: [
          'GetItem',
          'BatchGetItem',
          'Query',
          'Query:GSI2',
          'PutItem',
          'UpdateItem',
          'DeleteItem',
          'BatchWriteItem',
        ],
        bucket: { read: ['inbound'], write: ['attachments'] },
        replyTokenSecret: true,
      },
      events: true,
    });
    this.ingestFailures = this.failureQueue('IngestFailures', 'ingestion failed after Lambda retries');
    this.ingest.handler.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      // The failure record carries the whole SES event (senders, subjects, headers): it only passes
      // through the account's default bus, where one rule keeps the ids (ingestFailureIds).
      onFailure: new destinations.EventBridgeDestination(),
    });
    this.ingestFailureIds(this.ingest.handler, this.ingestFailures);

    this.inbound = new InboundRule(this, 'Inbound', {
      ruleSet: props.ruleSet ?? { mode: 'create-and-activate' },
      recipients: props.recipients ?? [props.mailDomain],
      requireTls: props.requireTls,
      mailBucket: this.data.mailBucket,
      ingest: this.ingest.handler,
      logRetention: this.logRetention,
    });
    if (this.inbound.activation) this.acknowledgeCustomResourceProvider();
    const offDomain = offDomainRecipients(props.mailDomain, props.recipients ?? [props.mailDomain]);
    if (offDomain.length > 0)
      Annotations.of(this).addWarningV2(
        'gochat:mailbox-off-domain',
        `receipt recipients ${offDomain.join(', ')} are not on the mail domain ${props.mailDomain}: answers from these mailboxes cannot be sent (ses:SendRawEmail is granted on ${props.mailDomain} only). Verify each mailbox's domain in SES and use it as the mail domain (docs/deploy.md).`,
      );

    // ---- lifecycle: stream → dispatch → state machine → workflow step ----
    this.workflowStep = this.fn('WorkflowStep', {
      entry: 'functions/workflow-step.ts',
      description: 'Go!Chat: one step of a thread lifecycle (reminder, waiting, reopen/close)',
      serviceName: 'gochat-workflow-step',
      timeout: Duration.minutes(1),
    });
    this.bindFunction(this.workflowStep, {
      data: {
        // Every item action, but no list-facet query (GSI1): the step never lists threads.
        table: [
          'GetItem',
          'BatchGetItem',
          'Query',
          'Query:GSI2',
          'PutItem',
          'UpdateItem',
          'DeleteItem',
          'BatchWriteItem',
          'ConditionCheckItem',
        ],
        // outbound: a send is stored first, and a resumed send reads it back (core/outbound.ts).
        bucket: { read: ['outbound'], write: ['outbound'] },
        replyTokenSecret: true,
      },
      events: true,
      sendMail: true,
    });
    this.stateMachine = this.lifecycleStateMachine();
    this.slaStateMachine = this.lifecycleStateMachine({
      id: 'Sla',
      file: SLA_STATE_MACHINE_DEFINITION_FILE,
      alarm: 'Go!Chat: an SLA clock execution failed (its warning or breach was not notified).',
    });

    this.dispatch = this.fn('Dispatch', {
      entry: 'functions/dispatch.ts',
      description: 'Go!Chat: starts and supersedes thread lifecycle executions (DynamoDB stream)',
      serviceName: 'gochat-dispatch',
      timeout: Duration.seconds(60),
    });
    // readWrite: the dispatcher also writes the thread metrics (events, state, daily rollups) and agents'
    // notifications (functions/core/notifications); DeleteItem: assignment on arrival commits the thread, whose
    // Unassigned list entries go (functions/core/assignment.ts), and the Late view's entries go when a thread is
    // no longer late; Query:GSI1: a change of SLA policy pages the thread lists to re-arm the clocks
    // (adapters/sla-rearm.ts).
    this.bindFunction(this.dispatch, {
      data: { table: ['GetItem', 'BatchGetItem', 'Query', 'Query:GSI1', 'PutItem', 'UpdateItem', 'DeleteItem'] },
    });
    this.dispatch.handler.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    // Notification mail (docs/notifications.md): sent by the workflow step, from a no-reply address on the domain.
    this.workflowStep.handler.addEnvironment('NOTIFY_FROM', notifyFromOf(props.mailDomain, props.notifyFrom));
    if (props.inboxUrl) this.useInboxUrl(props.inboxUrl);
    // Checked once the whole app is built (GoChatStack gives the URL after this constructor).
    Aspects.of(this).add({
      visit: (node) => {
        if (node === this && !this.inboxUrl)
          Annotations.of(this).addWarningV2(
            'gochat:inbox-url',
            'no Inbox URL: notification mail would link to http://127.0.0.1:5173. Give inboxUrl (gochat:inboxUrl), or deploy the Inbox with GoChatStack.',
          );
      },
    });
    this.stateMachine.grantStartExecution(this.dispatch.handler);
    // A newer status change stops the superseded execution, so it costs nothing more.
    this.stateMachine.grantExecution(this.dispatch.handler, 'states:StopExecution');
    const stateMachineName = JSON.stringify(
      Stack.of(this).resolve(Fn.select(6, Fn.split(':', this.stateMachine.stateMachineArn))),
    );
    Validations.of(this.dispatch.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
        reason:
          'Execution names (<threadId>-v<statusVersion>) are only known at run time; StopExecution is limited to executions of the lifecycle state machine.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, added by the DynamoDB event source, does not support resource-level permissions; reading the stream itself is limited to the table stream ARN.',
      },
    );
    // The SLA clocks: started and stopped by the same dispatcher, per thread and slaVersion.
    this.dispatch.handler.addEnvironment('SLA_STATE_MACHINE_ARN', this.slaStateMachine.stateMachineArn);
    this.slaStateMachine.grantStartExecution(this.dispatch.handler);
    this.slaStateMachine.grantExecution(this.dispatch.handler, 'states:StopExecution');
    const slaMachineName = JSON.stringify(
      Stack.of(this).resolve(Fn.select(6, Fn.split(':', this.slaStateMachine.stateMachineArn))),
    );
    Validations.of(this.dispatch.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${slaMachineName}:*]`,
      reason:
        'SLA execution names (sla-<threadId>-v<slaVersion>-<target>) are only known at run time; StopExecution is limited to executions of the SLA state machine.',
    });
    this.dispatchFailures = this.failureQueue('DispatchFailures', 'stream records failed after retries');
    this.dispatch.handler.addEventSource(
      new eventSources.DynamoEventSource(this.data.table, {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 25,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        onFailure: new eventSources.SqsDlq(this.dispatchFailures),
        // Only thread META items can change a status; new feed items feed the metrics and raise notifications,
        // notification-mail queues run their mail, the settings' SLA policy re-arms the clocks; everything else
        // never wakes the dispatcher.
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { SK: { S: lambda.FilterRule.isEqual('META') }, entity: { S: ['thread'] } } },
          }),
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: ['feed'] } } },
          }),
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { entity: { S: ['mailQueue'] } } },
          }),
          // A change of SLA policy in the settings, and the re-arm job it pages through (adapters/sla-rearm.ts).
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { entity: { S: ['settings', 'slaRearmJob'] } } },
          }),
        ],
      }),
    );

    // ---- integrator API ----
    this.api = this.fn('Api', {
      entry: 'functions/api.ts',
      description: 'Go!Chat: integrator REST API (/v1)',
      serviceName: 'gochat-api',
      timeout: Duration.seconds(29),
    });
    this.agents = new AgentPool(this, 'Agents', props.agents);
    // The API verifies agents' tokens itself (jose, the pool's public JWKS): no IAM grant is needed.
    this.api.handler.addEnvironment('AGENT_POOL_ISSUER', this.agents.issuer);
    this.api.handler.addEnvironment('AGENT_POOL_CLIENT_IDS', this.agents.client.userPoolClientId);
    this.bindFunction(this.api, {
      data: {
        table: 'readWrite',
        // uploads: the API signs the widget's presigned POSTs (PutObject) and checks them (HeadObject).
        bucket: { read: ['attachments', 'outbound', 'uploads'], write: ['attachments', 'outbound', 'uploads'] },
        replyTokenSecret: true,
      },
      events: true,
      sendMail: true,
    });
    this.restApi = this.integratorApi();
    // Chat: an agent's chat message starts its email fallback on the lifecycle state machine (docs/widget.md).
    this.api.handler.addEnvironment('STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    this.stateMachine.grantStartExecution(this.api.handler);

    // ---- live updates: WebSocket API, connections in the table, fan-out from the stream ----
    this.liveSocket = this.fn('LiveSocket', {
      entry: 'functions/live.ts',
      description: 'Go!Chat: live updates WebSocket routes ($connect, $disconnect, $default)',
      serviceName: 'gochat-live',
      timeout: Duration.seconds(10),
    });
    // $connect and $disconnect write a connection and its reference; $default sets its subscriptions.
    // End users connect with their widget token (docs/live.md): the deployment's secret verifies it.
    this.bindFunction(this.liveSocket, {
      data: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], replyTokenSecret: true },
    });
    // Connections take the REST API's tokens: the agents' too, verified against the pool's public JWKS.
    this.liveSocket.handler.addEnvironment('AGENT_POOL_ISSUER', this.agents.issuer);
    this.liveSocket.handler.addEnvironment('AGENT_POOL_CLIENT_IDS', this.agents.client.userPoolClientId);
    this.liveFanout = this.fn('LiveFanout', {
      entry: 'functions/live-fanout.ts',
      description: 'Go!Chat: live updates fan-out (DynamoDB stream → WebSocket connections)',
      serviceName: 'gochat-live-fanout',
      timeout: Duration.seconds(30),
    });
    // The connections of a workspace (Query); one that API Gateway reports gone is deleted (Get, then Deletes).
    this.bindFunction(this.liveFanout, { data: { table: ['Query', 'GetItem', 'DeleteItem'] } });
    this.live = new LiveApi(this, 'Live', {
      socket: this.liveSocket,
      fanout: this.liveFanout,
      table: this.data.table,
      logRetention: this.logRetention,
      throttle: props.apiThrottle,
      closers: [this.api],
    });

    this.dashboard = new GoChatDashboard(this, 'Dashboard', {
      functions: {
        ingest: this.ingest.handler,
        api: this.api.handler,
        dispatch: this.dispatch.handler,
        'workflow step': this.workflowStep.handler,
        'live socket': this.liveSocket.handler,
        'live fan-out': this.liveFanout.handler,
      },
      alarms: this.alarms,
      stateMachine: this.stateMachine,
      restApi: this.restApi,
    });
  }

  /**
   * Wires one function in one call: the data environment and grants, the event bus, SES sending and the
   * policy defaults. Nothing else grants a Go!Chat function anything.
   */
  bindFunction(fn: GoChatFunction, needs: FunctionNeeds): void {
    this.data.bindTo(fn.handler, needs.data);
    if (needs.events) {
      fn.handler.addEnvironment('EVENT_BUS_NAME', this.eventBus.eventBusName);
      this.eventBus.grantPutEventsTo(fn.handler);
    }
    if (needs.sendMail) {
      fn.handler.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['ses:SendRawEmail'], resources: [this.mailIdentityArn()] }),
      );
    }
    if (this.props.policyDefaults)
      fn.handler.addEnvironment('DEFAULT_POLICY', JSON.stringify(this.props.policyDefaults));
  }

  /** ARN of the SES domain identity that Go!Chat sends from. */
  mailIdentityArn(): string {
    return Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: this.props.mailDomain });
  }

  private fn(id: string, props: Omit<ConstructorParameters<typeof GoChatFunction>[2], 'logLevel' | 'logRetention'>) {
    return new GoChatFunction(this, id, { ...props, logLevel: this.logLevel, logRetention: this.logRetention });
  }

  /**
   * The dead-letter queue of ingest keeps ids only: the SES message id (the raw mail stays in S3 at
   * `inbound/<id>` for a replay), the envelope recipients (the workspace's own addresses, needed to
   * replay) and why it failed. Nothing a sender wrote (From, Subject, headers) is kept for 14 days.
   */
  private ingestFailureIds(fn: lambda.IFunction, queue: sqs.Queue): void {
    const path = (p: string) => events.EventField.fromPath(p);
    new events.Rule(this, 'IngestFailureIds', {
      description: 'Go!Chat: ids of a mail whose ingestion failed after retries, to the ingest dead-letter queue',
      eventPattern: {
        source: ['lambda'],
        detailType: ['Lambda Function Invocation Result - Failure'],
        detail: { requestContext: { functionArn: events.Match.prefix(fn.functionArn) } },
      },
      targets: [
        new targets.SqsQueue(queue, {
          message: events.RuleTargetInput.fromObject({
            sesMessageId: path('$.detail.requestPayload.Records[0].ses.mail.messageId'),
            recipients: path('$.detail.requestPayload.Records[0].ses.receipt.recipients'),
            requestId: path('$.detail.requestContext.requestId'),
            condition: path('$.detail.requestContext.condition'),
            attempts: path('$.detail.requestContext.approximateInvokeCount'),
            errorType: path('$.detail.responsePayload.errorType'),
            at: events.EventField.time,
          }),
        }),
      ],
    });
  }

  /** An encrypted, TLS-only queue that receives what failed for good, with an alarm on its first message. */
  private failureQueue(id: string, what: string): sqs.Queue {
    const queue = new sqs.Queue(this, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter destination (${what}); a queue behind it would only move the problem.`,
    });
    this.alarmWhenAbove(
      `${id}Alarm`,
      `Go!Chat: ${what}. See docs/deploy.md, "Replaying a failed mail".`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      0,
    );
    return queue;
  }

  /** An alarm on the alarm topic when `metric` goes above `threshold` (missing data is not a breach). */
  private alarmWhenAbove(id: string, description: string, metric: cloudwatch.IMetric, threshold: number): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }

  private lifecycleStateMachine(
    opts = {
      id: 'Lifecycle',
      file: STATE_MACHINE_DEFINITION_FILE,
      alarm: 'Go!Chat: a thread lifecycle execution failed (its reminder or reopen did not happen).',
    },
  ): sfn.StateMachine {
    const logGroup = new logs.LogGroup(this, `${opts.id}Logs`, { retention: this.logRetention });
    // Loaded as a string (not an S3 asset) so the template, the diff and the tests show the definition itself.
    const definition = readFileSync(repoPath(opts.file), 'utf8');
    const stateMachine = new sfn.StateMachine(this, opts.id, {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: { WorkflowStepFunctionArn: this.workflowStep.handler.functionArn },
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // The definition is raw ASL, so CDK grants nothing: the role may invoke the workflow step and nothing else.
    stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.workflowStep.handler.functionArn],
      }),
    );
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the CloudWatch Logs delivery and X-Ray actions that Step Functions logging and tracing require; those APIs do not support resource-level permissions.',
    });
    this.alarmWhenAbove(
      `${opts.id}FailedAlarm`,
      opts.alarm,
      stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      0,
    );
    return stateMachine;
  }

  private integratorApi(): apigw.RestApi {
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: this.logRetention });
    const throttle = this.props.apiThrottle ?? { rateLimit: 50, burstLimit: 100 };
    const api = new apigw.RestApi(this, 'RestApi', {
      restApiName: 'gochat',
      description: 'Go!Chat integrator API',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logging (AwsSolutions-APIG6) needs the account-level API Gateway CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
      },
    });

    // Errors raised by API Gateway itself use the API's one error shape too.
    const errorBody = (code: string) =>
      `{"error":{"code":"${code}","message":$context.error.messageString,"details":{"requestId":"$context.requestId"}}}`;
    api.addGatewayResponse('Default4xx', {
      type: apigw.ResponseType.DEFAULT_4XX,
      templates: { 'application/json': errorBody('$context.error.responseType') },
    });
    api.addGatewayResponse('Default5xx', {
      type: apigw.ResponseType.DEFAULT_5XX,
      templates: { 'application/json': errorBody('internal_error') },
    });
    api.addGatewayResponse('MissingAuthorization', {
      type: apigw.ResponseType.BAD_REQUEST_PARAMETERS,
      statusCode: '401',
      templates: { 'application/json': errorBody('unauthorized') },
    });

    // The Lambda authenticates (hashed API key lookup); the gateway only rejects requests with no key at all.
    const validator = new apigw.RequestValidator(this, 'ApiRequestValidator', {
      restApi: api,
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    // The method is added explicitly: a proxy's defaultMethodOptions drop the request validator.
    const v1 = api.root.addResource('v1');
    v1.addProxy({ anyMethod: false }).addMethod('ANY', new apigw.LambdaIntegration(this.api.handler), {
      requestValidator: validator,
      requestParameters: { 'method.request.header.Authorization': true },
    });
    // The widget's routes take a widget token (X-Widget-Token) or nothing: no Authorization header to require.
    v1.addResource('widget')
      .addProxy({ anyMethod: false })
      .addMethod('ANY', new apigw.LambdaIntegration(this.api.handler), { requestValidator: validator });
    // A rate-based WAF rule per source address on those public routes (docs/security.md).
    new WidgetRateLimit(this, 'WidgetRateLimit', { stage: api.deploymentStage });

    Validations.of(api).acknowledge(
      {
        id: 'AwsSolutions-APIG4',
        reason:
          "Authentication is the API function itself, on every request: a workspace-scoped Bearer API key looked up by its hash, or an agent's user pool token verified against the pool's JWKS; an authorizer would repeat the same work.",
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          "The API takes integration keys as well as agents' user pool tokens, so a Cognito authorizer (tokens only) cannot front it; the function verifies tokens against the pool (functions/auth).",
      },
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'The gateway validates the request parameters (a missing Authorization header is rejected with 401); bodies are validated by the API function against the OpenAPI schemas, so errors keep the API error shape.',
      },
    );
    const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level role API Gateway uses for execution logging; AWS maintains this policy for exactly that purpose.',
      });
    }
    return api;
  }

  /** The AwsCustomResource provider is a stack-level singleton Lambda that CDK creates. */
  private acknowledgeCustomResourceProvider(): void {
    const provider = Stack.of(this).node.tryFindChild(
      `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`,
    );
    if (!provider) return;
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK-managed provider of the rule-set activation custom resource; it runs only on deploy and needs nothing but log writing from this policy.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'The runtime of the CDK-managed custom resource provider is chosen by aws-cdk-lib, not by this project.',
      },
    );
  }
}
