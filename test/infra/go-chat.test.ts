import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE } from '#adapters/dynamo/keys.ts';
import { STATE_MACHINE_DEFINITION_FILE } from '#lib/go-chat.ts';
import { DEFAULT_MAIL_RETENTION_DAYS } from '#lib/go-chat-data.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';
import { repoPath } from '#lib/paths.ts';

// One synthesis (with real esbuild bundling) for the whole file: bundling is the slow part.
let template: Template;
let resources: Record<string, any>;
let ids: { ingest: string; dispatch: string; workflowStep: string; api: string };

const POLICY_DEFAULTS = { reminders: 1, afterWaiting: 'closed' as const };

beforeAll(() => {
  const app = new App();
  const stack = new GoChatStack(app, 'GoChatTest', {
    goChat: { mailDomain: 'support.example.com', alarmEmail: 'ops@example.com', policyDefaults: POLICY_DEFAULTS },
  });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
  const fnId = (service: string) => {
    const found = Object.entries(resources).find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
    );
    if (!found) throw new Error(`no function for ${service}`);
    return found[0];
  };
  ids = {
    ingest: fnId('gochat-ingest'),
    dispatch: fnId('gochat-dispatch'),
    workflowStep: fnId('gochat-workflow-step'),
    api: fnId('gochat-api'),
  };
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const roleIdOf = (fnId: string) => resources[fnId].Properties.Role['Fn::GetAtt'][0] as string;
/** Every statement of every inline policy attached to the role. */
function statementsOf(roleId: string): any[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
const actionsOf = (s: any): string[] => [s.Action].flat();
const allActions = (roleId: string) => statementsOf(roleId).flatMap(actionsOf).sort();
const findStatement = (roleId: string, action: string) =>
  statementsOf(roleId).filter((s) => actionsOf(s).includes(action));

describe('SES receipt rule', () => {
  it('stores the raw mail under inbound/ first, then invokes ingest asynchronously', () => {
    const [[, rule]] = ofType('AWS::SES::ReceiptRule');
    const actions = rule.Properties.Rule.Actions;
    expect(actions).toHaveLength(2);
    expect(Object.keys(actions[0])).toEqual(['S3Action']);
    expect(actions[0].S3Action.ObjectKeyPrefix).toBe('inbound/');
    expect(actions[0].S3Action.BucketName.Ref).toMatch(/MailBucket/);
    expect(Object.keys(actions[1])).toEqual(['LambdaAction']);
    expect(actions[1].LambdaAction).toEqual({
      FunctionArn: { 'Fn::GetAtt': [ids.ingest, 'Arn'] },
      InvocationType: 'Event',
    });
    expect(rule.Properties.Rule).toMatchObject({
      Enabled: true,
      ScanEnabled: true,
      TlsPolicy: 'Optional',
      Recipients: ['support.example.com'],
    });
  });

  it('lets the SES service principal put objects under inbound/ only, for this account and this receipt rule', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    Match.arrayWith([
                      Match.stringLikeRegexp(':receipt-rule-set/$'),
                      { Ref: Match.stringLikeRegexp('RuleSet') },
                      Match.stringLikeRegexp('^:receipt-rule/.+'),
                    ]),
                  ],
                },
              },
            },
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('MailBucket'), 'Arn'] }, '/inbound/*']],
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [ids.ingest, 'Arn'] },
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  it('creates a rule set and activates it with a custom resource that deactivates on delete', () => {
    expect(ofType('AWS::SES::ReceiptRuleSet')).toHaveLength(1);
    const [[ruleSetId]] = ofType('AWS::SES::ReceiptRuleSet');
    const [[, activation]] = ofType('Custom::AWS');
    const create = JSON.stringify(activation.Properties.Create);
    expect(create).toContain('"service\\":\\"SES\\"');
    expect(create).toContain('setActiveReceiptRuleSet');
    expect(create).toContain(`"Ref":"${ruleSetId}"`);
    const onDelete = JSON.parse(activation.Properties.Delete);
    expect(onDelete).toMatchObject({ service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} });
    expect(activation.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/InboundRule/)]));
  });
});

describe('ingest failures', () => {
  it('retries twice, for at most 6 hours, then sends the ids (never the headers) to an encrypted dead-letter queue', () => {
    const [[, config]] = ofType('AWS::Lambda::EventInvokeConfig');
    const [[queueId, queue]] = ofType('AWS::SQS::Queue').filter(([id]) => /IngestFailures/.test(id));
    expect(config.Properties).toMatchObject({
      FunctionName: { Ref: ids.ingest },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
    });
    // The failure record goes to the default bus; one rule passes only the ids on to the queue.
    expect(JSON.stringify(config.Properties.DestinationConfig.OnFailure.Destination)).toContain(':event-bus/default');
    const [[, rule]] = ofType('AWS::Events::Rule').filter(([id]) => /IngestFailureIds/.test(id));
    expect(rule.Properties.EventPattern).toMatchObject({
      source: ['lambda'],
      'detail-type': ['Lambda Function Invocation Result - Failure'],
      detail: { requestContext: { functionArn: [{ prefix: { 'Fn::GetAtt': [ids.ingest, 'Arn'] } }] } },
    });
    const [target] = rule.Properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(Object.values(target.InputTransformer.InputPathsMap).sort()).toEqual([
      '$.detail.requestContext.approximateInvokeCount',
      '$.detail.requestContext.condition',
      '$.detail.requestContext.requestId',
      '$.detail.requestPayload.Records[0].ses.mail.messageId',
      '$.detail.requestPayload.Records[0].ses.receipt.recipients',
      '$.detail.responsePayload.errorType',
      '$.time',
    ]);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });
});

describe('table', () => {
  it('is derived from TABLE in keys.ts', () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table');
    const p = table.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(
      p.GlobalSecondaryIndexes.map((g: any) => ({
        indexName: g.IndexName,
        partitionKey: g.KeySchema.find((k: any) => k.KeyType === 'HASH').AttributeName,
        sortKey: g.KeySchema.find((k: any) => k.KeyType === 'RANGE').AttributeName,
        projection: g.Projection.ProjectionType,
      })),
    ).toEqual(TABLE.globalSecondaryIndexes.map((g) => ({ ...g, projection: 'ALL' })));
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.timeToLiveAttribute, Enabled: true });
    expect(p.StreamSpecification).toEqual({ StreamViewType: TABLE.stream });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('has point-in-time recovery, server-side encryption and is retained', () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('mail bucket', () => {
  it('is private, encrypted, versioned, logged, TLS-only and retained', () => {
    const [[bucketId, bucket]] = ofType('AWS::S3::Bucket').filter(([id]) => /MailBucket/.test(id));
    const p = bucket.Properties;
    expect(p.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.LoggingConfiguration.DestinationBucketName.Ref).toMatch(/AccessLogBucket/);
    expect(p.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })]),
    );
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('expires raw mail, attachments and sent MIME after the configured retention (730 days by default)', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket').filter(([id]) => /MailBucket/.test(id));
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    for (const prefix of ['inbound/', 'attachments/', 'outbound/'])
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: prefix, ExpirationInDays: DEFAULT_MAIL_RETENTION_DAYS, Status: 'Enabled' }),
      );
  });

  it('retains the reply-token secret too (replacing it would break outstanding reply addresses)', () => {
    const [[, secret]] = ofType('AWS::SecretsManager::Secret');
    expect(secret.DeletionPolicy).toBe('Retain');
  });
});

describe('functions', () => {
  it('run nodejs22.x on arm64 with their own log group', () => {
    for (const id of Object.values(ids)) {
      const p = resources[id].Properties;
      expect(p.Runtime).toBe('nodejs22.x');
      expect(p.Architectures).toEqual(['arm64']);
      expect(p.LoggingConfig.LogGroup.Ref).toMatch(/Logs/);
    }
  });

  it('get exactly the environment they need', () => {
    const envKeys = (id: string) => Object.keys(resources[id].Properties.Environment.Variables).sort();
    const common = ['DEFAULT_POLICY', 'LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME'];
    const full = ['EVENT_BUS_NAME', 'MAIL_BUCKET', 'REPLY_TOKEN_SECRET_ARN', 'TABLE_NAME'];
    expect(envKeys(ids.ingest)).toEqual([...common, ...full].sort());
    // NOTIFY_FROM: notification mail's no-reply sender (lib/notify-settings.ts; test/infra/notify-settings.test.ts).
    expect(envKeys(ids.workflowStep)).toEqual([...common, ...full, 'NOTIFY_FROM'].sort());
    // The API starts the chat email fallback on the lifecycle state machine, and closes revoked callers'
    // live connections (LIVE_ENDPOINT).
    expect(envKeys(ids.api)).toEqual(
      [...common, ...full, 'AGENT_POOL_CLIENT_IDS', 'AGENT_POOL_ISSUER', 'LIVE_ENDPOINT', 'STATE_MACHINE_ARN'].sort(),
    );
    expect(envKeys(ids.dispatch)).toEqual(
      [...common, 'MAIL_BUCKET', 'SLA_STATE_MACHINE_ARN', 'STATE_MACHINE_ARN', 'TABLE_NAME'].sort(),
    );
    expect(JSON.parse(resources[ids.ingest].Properties.Environment.Variables.DEFAULT_POLICY)).toEqual(POLICY_DEFAULTS);
  });
});

describe('IAM', () => {
  const TABLE_READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
  // Item actions on the table; Query alone on the indexes it queries (test/infra/iam.test.ts).
  const INDEX_QUERY = ['dynamodb:Query'];
  const TABLE_WRITE = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
  const CONDITION = ['dynamodb:ConditionCheckItem'];
  // Every function writes its own logs and its X-Ray traces (active tracing).
  const LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
  const SECRET = ['secretsmanager:GetSecretValue'];
  const DLQ = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

  it('grants no wildcard action anywhere', () => {
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const action of policy.Properties.PolicyDocument.Statement.flatMap(actionsOf)) {
        expect(action).not.toMatch(/(^\*$|:\*$)/);
      }
    }
  });

  it('gives each function exactly its actions', () => {
    const sorted = (...lists: string[][]) => lists.flat().sort();
    expect(allActions(roleIdOf(ids.ingest))).toEqual(
      // No sqs: the failure record goes to the default bus (a second events:PutEvents, on that bus only),
      // and a rule keeps its ids.
      sorted(LOGS, TABLE_READ, INDEX_QUERY, TABLE_WRITE, ['s3:GetObject', 's3:PutObject'], SECRET, [
        'events:PutEvents',
        'events:PutEvents',
      ]),
    );
    expect(allActions(roleIdOf(ids.workflowStep))).toEqual(
      sorted(
        LOGS,
        TABLE_READ,
        INDEX_QUERY,
        TABLE_WRITE,
        CONDITION,
        ['s3:GetObject', 's3:PutObject'],
        SECRET,
        ['events:PutEvents'],
        ['ses:SendRawEmail'],
      ),
    );
    expect(allActions(roleIdOf(ids.api))).toEqual(
      sorted(
        LOGS,
        TABLE_READ,
        INDEX_QUERY,
        TABLE_WRITE,
        CONDITION,
        ['s3:GetObject', 's3:PutObject'],
        SECRET,
        ['events:PutEvents'],
        ['ses:SendRawEmail'],
        ['states:StartExecution'],
        ['execute-api:ManageConnections'],
      ),
    );
    expect(allActions(roleIdOf(ids.dispatch))).toEqual(
      sorted(
        LOGS,
        TABLE_READ,
        // The thread metrics (docs/reports.md) and agents' notifications and mail queues: puts and updates,
        // in transactions or alone; deletes as assignment on arrival commits a thread (its list entries), for the
        // Late view's entries and the SLA re-arm job; the re-arm pages the status lists (GSI1).
        ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'],
        DLQ,
        // The lifecycle's executions, and the SLA clocks' (statemachine/sla.asl.json).
        ['states:StartExecution', 'states:StopExecution', 'states:StartExecution', 'states:StopExecution'],
        ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      ),
    );
  });

  it('scopes the mail bucket grants to prefixes', () => {
    const prefixes = (roleId: string, action: string) =>
      findStatement(roleId, action)
        .flatMap((s) => [s.Resource].flat())
        .map((r: any) => r['Fn::Join'][1][1])
        .sort();
    expect(prefixes(roleIdOf(ids.ingest), 's3:GetObject')).toEqual(['/inbound/*']);
    expect(prefixes(roleIdOf(ids.ingest), 's3:PutObject')).toEqual(['/attachments/*']);
    expect(prefixes(roleIdOf(ids.api), 's3:GetObject')).toEqual(['/attachments/*', '/outbound/*', '/uploads/*']);
    // The API signs the widget's presigned POSTs under uploads/ (docs/widget.md).
    expect(prefixes(roleIdOf(ids.api), 's3:PutObject')).toEqual(['/attachments/*', '/outbound/*', '/uploads/*']);
    expect(prefixes(roleIdOf(ids.workflowStep), 's3:PutObject')).toEqual(['/outbound/*']);
  });

  it('scopes sending to the mail domain identity and events to the Go!Chat bus', () => {
    const [send] = findStatement(roleIdOf(ids.api), 'ses:SendRawEmail');
    expect(JSON.stringify(send.Resource)).toContain(':identity/support.example.com');
    const [bus] = ofType('AWS::Events::EventBus');
    expect(bus[1].Properties.Name).toBe('gochat');
    const [put] = findStatement(roleIdOf(ids.ingest), 'events:PutEvents');
    expect(put.Resource).toEqual({ 'Fn::GetAtt': [bus[0], 'Arn'] });
  });

  it('lets the dispatcher start lifecycle executions and stop superseded ones', () => {
    const [[smId]] = ofType('AWS::StepFunctions::StateMachine');
    const [start] = findStatement(roleIdOf(ids.dispatch), 'states:StartExecution');
    expect(start.Resource).toEqual({ Ref: smId });
    const [stop] = findStatement(roleIdOf(ids.dispatch), 'states:StopExecution');
    expect(JSON.stringify(stop.Resource)).toContain(':execution:');
    expect(JSON.stringify(stop.Resource)).toContain(smId);
  });

  it('lets the state machine invoke the workflow step function and no other', () => {
    const [[, sm]] = ofType('AWS::StepFunctions::StateMachine');
    const roleId = sm.Properties.RoleArn['Fn::GetAtt'][0];
    const lambdaStatements = statementsOf(roleId).filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(lambdaStatements).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.workflowStep, 'Arn'] } },
    ]);
    // The rest is what logging and tracing need, nothing else.
    const others = allActions(roleId).filter((a) => !a.startsWith('lambda:'));
    expect(others.every((a) => a.startsWith('logs:') || a.startsWith('xray:'))).toBe(true);
  });
});

describe('lifecycle', () => {
  it('deploys the very ASL file, with the workflow step function substituted', () => {
    const [[, sm]] = ofType('AWS::StepFunctions::StateMachine');
    const file = readFileSync(repoPath(STATE_MACHINE_DEFINITION_FILE), 'utf8');
    expect(JSON.parse(sm.Properties.DefinitionString)).toEqual(JSON.parse(file));
    const placeholders = [...new Set([...file.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))];
    expect(Object.keys(sm.Properties.DefinitionSubstitutions).sort()).toEqual(placeholders.sort());
    expect(sm.Properties.DefinitionSubstitutions.WorkflowStepFunctionArn).toEqual({
      'Fn::GetAtt': [ids.workflowStep, 'Arn'],
    });
    // After substitution, every Task invokes the workflow step function.
    const substituted = JSON.parse(file.replace(/\$\{WorkflowStepFunctionArn\}/g, 'STEP_ARN'));
    const tasks = Object.values<any>(substituted.States).filter((s) => s.Type === 'Task');
    for (const task of tasks) expect(task.Parameters.FunctionName).toBe('STEP_ARN');
  });

  it('is a Standard state machine with logging, tracing and a failure alarm', () => {
    const [[smId, sm]] = ofType('AWS::StepFunctions::StateMachine');
    expect(sm.Properties.StateMachineType).toBe('STANDARD');
    expect(sm.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: smId } }],
    });
  });

  it('feeds the dispatcher with thread META changes, new feed items, notification-mail queues, and the settings and SLA re-arm job only, with bisection and a dead-letter queue', () => {
    const [[, mapping]] = ofType('AWS::Lambda::EventSourceMapping');
    const p = mapping.Properties;
    expect(p.FunctionName).toEqual({ Ref: ids.dispatch });
    expect(p.StartingPosition).toBe('LATEST');
    expect(p.BisectBatchOnFunctionError).toBe(true);
    expect(p.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(p.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(p.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]).toMatch(/DispatchFailures/);
    const patterns = p.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern));
    expect(patterns).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { SK: { S: ['META'] }, entity: { S: ['thread'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['feed'] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: ['mailQueue'] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: ['settings', 'slaRearmJob'] } } } },
    ]);
  });
});

describe('integrator API', () => {
  it('proxies /v1/{proxy+} (ANY) to the API function, with access logs and stage throttling', () => {
    const [[v1Id]] = ofType('AWS::ApiGateway::Resource').filter(([, r]) => r.Properties.PathPart === 'v1');
    const [[proxyId]] = ofType('AWS::ApiGateway::Resource').filter(
      ([, r]) => r.Properties.PathPart === '{proxy+}' && r.Properties.ParentId.Ref === v1Id,
    );
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      ResourceId: { Ref: proxyId },
      RequestParameters: { 'method.request.header.Authorization': true },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('ApiRequestValidator') },
      Integration: {
        Type: 'AWS_PROXY',
        Uri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [ids.api, 'Arn'] }])] }),
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiAccessLogs'), 'Arn'] } },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR' })],
    });
  });
});

describe('security (docs/security.md)', () => {
  it('rate-limits the public widget routes per source address with a WAF rule on the API stage', () => {
    const [[aclId, acl]] = ofType('AWS::WAFv2::WebACL');
    expect(acl.Properties.Scope).toBe('REGIONAL');
    expect(acl.Properties.Rules).toEqual([
      expect.objectContaining({
        Name: 'widget-per-address',
        Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
        Statement: {
          RateBasedStatement: expect.objectContaining({
            AggregateKeyType: 'IP',
            EvaluationWindowSec: 60,
            Limit: 300,
            ScopeDownStatement: {
              ByteMatchStatement: expect.objectContaining({
                FieldToMatch: { UriPath: {} },
                PositionalConstraint: 'STARTS_WITH',
                SearchString: '/v1/widget/',
              }),
            },
          }),
        },
      }),
    ]);
    const [[, association]] = ofType('AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const arn = JSON.stringify(association.Properties.ResourceArn);
    expect(arn).toMatch(/RestApi/);
    expect(arn).toContain('/stages/');
  });

  it('routes /v1/widget/* without requiring an Authorization header (the widget sends its own token)', () => {
    const [[v1Id]] = ofType('AWS::ApiGateway::Resource').filter(([, r]) => r.Properties.PathPart === 'v1');
    const [[widgetId]] = ofType('AWS::ApiGateway::Resource').filter(
      ([, r]) => r.Properties.PathPart === 'widget' && r.Properties.ParentId.Ref === v1Id,
    );
    const [[proxyId]] = ofType('AWS::ApiGateway::Resource').filter(
      ([, r]) => r.Properties.PathPart === '{proxy+}' && r.Properties.ParentId.Ref === widgetId,
    );
    const [[, method]] = ofType('AWS::ApiGateway::Method').filter(([, m]) => m.Properties.ResourceId.Ref === proxyId);
    expect(method.Properties.HttpMethod).toBe('ANY');
    expect(method.Properties.RequestParameters).toBeUndefined();
  });

  it('expires unattached widget uploads after a day, apart from the mail retention', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket').filter(([id]) => /MailBucket/.test(id));
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    const uploads = rules.filter((r: any) => r.Prefix === 'uploads/');
    expect(uploads).toEqual([
      expect.objectContaining({ Id: 'expire-unattached-uploads', ExpirationInDays: 1, Status: 'Enabled' }),
    ]);
  });

  it('lets the API close live connections (DeleteConnection on the live stage) and tells it where', () => {
    expect(allActions(roleIdOf(ids.api))).toContain('execute-api:ManageConnections');
    expect(resources[ids.api].Properties.Environment.Variables.LIVE_ENDPOINT).toBeDefined();
    expect(resources[ids.api].Properties.Environment.Variables.WIDGET_JWKS_LOOPBACK_HTTP).toBeUndefined();
  });
});
