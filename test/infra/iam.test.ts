/**
 * IAM checked offline: every AWS call that the functions made in the recorded suites
 * (test/infra/fixtures/sdk-calls.json, written by `npm run iam:record`) is evaluated against the role
 * that `cdk synth` gives that function, with an IAM policy simulator (@cloud-copilot/iam-simulate):
 * 0 denied. The other way round, every grant of those roles is either used by a recorded call, used by
 * the platform on the function's behalf (logs, tracing, stream reading, failure destinations), or listed
 * below with the path that uses it outside the recorded suites; a new unused grant fails the test.
 */
import { readFileSync } from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SdkCallRecord } from '#adapters/sdk-call-recorder.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';
import { ACCOUNT, PARTITION, REGION, ResolvedTemplate } from './iam-template.ts';
import { FIXTURE, type SdkCallFixture } from './record-sdk-calls.ts';

const MAIL_DOMAIN = 'support.example.com';
const FUNCTIONS = [
  'gochat-ingest',
  'gochat-api',
  'gochat-dispatch',
  'gochat-workflow-step',
  'gochat-live',
  'gochat-live-fanout',
] as const;

/** Grants that AWS uses with the function's role, not the function's code: never seen by an SDK recorder. */
const PLATFORM: { actions: RegExp; resource?: RegExp; why: string }[] = [
  { actions: /^logs:(CreateLogStream|PutLogEvents)$/, why: 'the Lambda runtime writes the function’s logs' },
  { actions: /^xray:(PutTraceSegments|PutTelemetryRecords)$/, why: 'active tracing' },
  {
    actions: /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/,
    why: 'the DynamoDB stream event source mapping reads the stream with the function’s role',
  },
  {
    actions: /^sqs:(SendMessage|GetQueueAttributes|GetQueueUrl)$/,
    why: 'the event source mapping’s on-failure destination (dead-letter queue)',
  },
  {
    actions: /^events:PutEvents$/,
    resource: /:event-bus\/default$/,
    why: 'the async invocation’s on-failure destination (the default bus), for ingest',
  },
];

/**
 * Grants not exercised by the recorded suites, each with the code path that needs it. Anything granted,
 * unused and not here fails the test: trim it from the CDK code, or name its path here.
 */
// Written with the stack's resources as <table>, <bucket>, <secret> and <lifecycle> (see `symbolic`).
const TABLE = '<table>';
const BUCKET = '<bucket>';
const SECRET = '<secret>';
const UNRECORDED: Record<string, string> = {
  [`gochat-ingest dynamodb:Query ${TABLE}`]: 'a reply that links two threads merges them: thread-store copyFeed',
  [`gochat-ingest dynamodb:Query ${TABLE}/index/GSI2`]:
    'the customers of a contact: directory-store customerIdsOfContact',
  [`gochat-ingest s3:PutObject ${BUCKET}/attachments/*`]: 'a mail with attachments stores each one (ingest)',
  [`gochat-api s3:GetObject ${BUCKET}/attachments/*`]: 'presigned attachment downloads (GET …/attachments/{id})',
  [`gochat-api s3:GetObject ${BUCKET}/outbound/*`]:
    'a send interrupted after its MIME was stored is resumed from it (core/outbound.ts)',
  [`gochat-api s3:GetObject ${BUCKET}/uploads/*`]: 'a widget upload is checked (HeadObject) before it joins a message',
  [`gochat-api s3:PutObject ${BUCKET}/attachments/*`]: 'an agent reply with attachments',
  [`gochat-api s3:PutObject ${BUCKET}/uploads/*`]:
    'the widget’s presigned POST is signed with the function’s credentials (no SDK command: not recordable)',
  'gochat-api states:StartExecution <lifecycle>': 'an agent’s chat message starts its email fallback (docs/widget.md)',
  [`gochat-workflow-step dynamodb:BatchWriteItem ${TABLE}`]: 'batch writes of thread-store (items.ts batchWriteItems)',
  [`gochat-workflow-step s3:GetObject ${BUCKET}/outbound/*`]:
    'a send interrupted after its MIME was stored is resumed from it (core/outbound.ts)',
  [`gochat-workflow-step secretsmanager:GetSecretValue ${SECRET}`]:
    'locally the secret is given directly; the deployed-bundles test records the same read (reply-token-secret.ts) for ingest and the API',
  [`gochat-live secretsmanager:GetSecretValue ${SECRET}`]:
    'an end user connects with a widget token (live-handlers endUserLiveAuthenticator); locally the secret is given directly',
  [`gochat-live-fanout dynamodb:GetItem ${TABLE}`]:
    'a connection API Gateway reports gone (410) is removed: connection-store remove',
  [`gochat-live-fanout dynamodb:DeleteItem ${TABLE}`]: 'the same removal: a transaction of two Deletes',
  [`gochat-dispatch dynamodb:BatchGetItem ${TABLE}`]:
    'the metrics’ thread states and the notifications’ items are read in one BatchGet (metrics-store, notification-store)',
  'gochat-dispatch states:StartExecution arn:aws:states:eu-west-1:123456789012:stateMachine:gochatsla8a48f4bb':
    'a workspace with an SLA policy starts its clocks (adapters/metrics-stream.ts; test/integration/sla-timers.test.ts)',
  'gochat-dispatch states:StopExecution arn:aws:states:eu-west-1:123456789012:execution:gochatsla8a48f4bb:*':
    'a newer SLA version stops the superseded clock (adapters/metrics-stream.ts)',
  [`gochat-dispatch dynamodb:DeleteItem ${TABLE}`]:
    'a thread leaves the Late view (metrics-store setLate, sla-rearm-jobs advanceRearmJob); assignment on arrival commits the thread, removing its Unassigned list entries (core/assignment.ts)',
  [`gochat-dispatch dynamodb:Query ${TABLE}/index/GSI1`]:
    'a change of SLA policy pages the status lists to re-arm the clocks (adapters/sla-rearm.ts)',
  [`gochat-workflow-step dynamodb:Query ${TABLE}`]:
    'the SLA step reads the thread’s feed for an agent reply before it warns (core/reports/sla-timers.ts)',
  'gochat-api execute-api:ManageConnections arn:aws:execute-api:eu-west-1:123456789012:gochat-live/live/*/@connections/*':
    'revoking a key or changing an agent’s role closes their live connections (api/use-cases/live-access.ts)',
};

let t: ResolvedTemplate;
let fixture: SdkCallFixture;

beforeAll(() => {
  const app = new App();
  const stack = new GoChatStack(app, 'GoChatIam', { goChat: { mailDomain: MAIL_DOMAIN } });
  t = new ResolvedTemplate(Template.fromStack(stack).toJSON().Resources);
  fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));
});

/** The recorded resource made concrete with the function's synthesized environment. */
function concrete(resource: string, env: Record<string, string>): string {
  return resource
    .replaceAll('{partition}', PARTITION)
    .replaceAll('{region}', REGION)
    .replaceAll('{account}', ACCOUNT)
    .replaceAll('{mailDomain}', MAIL_DOMAIN)
    .replaceAll('{id}', 'r3c0rd3d-1d')
    .replace(/\{env:([A-Z_]+)(?:\|(\w+))?\}/g, (_, name: string, part?: string) => {
      const value = env[name];
      if (value === undefined) throw new Error(`the function has no ${name} in its environment`);
      if (!part) return value;
      if (part === 'name') return value.split(':').pop()!;
      const url = new URL(value);
      if (part === 'api') return url.hostname.split('.')[0];
      if (part === 'stage') return url.pathname.split('/').filter(Boolean)[0];
      throw new Error(`unknown part ${part}`);
    });
}

async function decide(service: string, action: string, resource: string): Promise<string> {
  const fn = t.functionOf(service);
  const out = await runSimulation(
    {
      request: {
        principal: fn.roleArn,
        action,
        resource: { resource, accountId: ACCOUNT },
        contextVariables: {},
      },
      identityPolicies: t.policiesOf(fn.roleId),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (out.resultType === 'error') return `error: ${JSON.stringify(out.errors)}`;
  return out.overallResult;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

/** Every (action, resource) that the role's Allow statements grant, one per pair. */
function grantsOf(service: string): { action: string; resource: string }[] {
  const fn = t.functionOf(service);
  return t
    .policiesOf(fn.roleId)
    .flatMap((p) => p.policy.Statement)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) =>
      [s.Action]
        .flat()
        .flatMap((action: string) => [s.Resource].flat().map((resource: string) => ({ action, resource }))),
    );
}

describe('IAM, checked offline against the synthesized roles', () => {
  it('the recorded suites called AWS from every function', () => {
    const seen = new Set(fixture.calls.map((c) => c.function));
    expect([...seen].sort()).toEqual([...FUNCTIONS].sort());
  });

  it('allows every recorded call of every function (0 denied)', async () => {
    const denied: string[] = [];
    for (const call of fixture.calls) {
      const fn = t.functionOf(call.function);
      const resource = concrete(call.resource, fn.env);
      const result = await decide(call.function, call.action, resource);
      if (result !== 'Allowed') denied.push(`${call.function} ${call.action} ${resource}: ${result}`);
    }
    expect(denied).toEqual([]);
  });

  it('grants nothing that no recorded call, no platform use and no listed path needs', () => {
    const unused: string[] = [];
    for (const service of FUNCTIONS) {
      const fn = t.functionOf(service);
      const calls = fixture.calls
        .filter((c: SdkCallRecord) => c.function === service)
        .map((c) => ({ action: c.action, resource: concrete(c.resource, fn.env) }));
      for (const g of grantsOf(service)) {
        if (PLATFORM.some((p) => p.actions.test(g.action) && (!p.resource || p.resource.test(g.resource)))) continue;
        const [a, r] = [glob(g.action), glob(g.resource)];
        if (calls.some((c) => a.test(c.action) && r.test(c.resource))) continue;
        unused.push(`${service} ${g.action} ${g.resource}`);
      }
    }
    const symbolic = (u: string) => {
      const api = t.functionOf('gochat-api').env;
      return u
        .replace(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${api.TABLE_NAME}`, '<table>')
        .replace(`arn:aws:s3:::${api.MAIL_BUCKET}`, '<bucket>')
        .replace(api.REPLY_TOKEN_SECRET_ARN, '<secret>')
        .replace(api.STATE_MACHINE_ARN, '<lifecycle>');
    };
    unused.splice(0, unused.length, ...unused.map(symbolic));
    const unlisted = unused.filter((u) => !(u in UNRECORDED));
    expect(unlisted, 'granted but never used: trim the grant, or name the path that uses it in UNRECORDED').toEqual([]);
    // A listed exception that is no longer granted (or now recorded) is stale.
    expect(Object.keys(UNRECORDED).filter((u) => !unused.includes(u))).toEqual([]);
  });
});
