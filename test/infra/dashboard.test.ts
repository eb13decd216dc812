import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '#adapters/metric-names.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';

// Bundling is skipped: these assertions are about the dashboard and tracing, not the assets.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

let resources: Record<string, any>;
let body: string;
let stack: Stack;

beforeAll(() => {
  const app = new App({ context: NO_BUNDLING });
  stack = new GoChatStack(app, 'GoChatDashboardTest', {
    goChat: { mailDomain: 'support.example.com', alarmEmail: 'ops@example.com' },
  });
  resources = Template.fromStack(stack).toJSON().Resources;
  const dashboards = Object.values(resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Dashboard');
  expect(dashboards).toHaveLength(1);
  // The body is an Fn::Join of strings and tokens (ARNs, names): keep the strings, name the tokens.
  const parts = (dashboards[0] as any).Properties.DashboardBody['Fn::Join'][1] as unknown[];
  body = parts.map((p) => (typeof p === 'string' ? p : `{${JSON.stringify(p)}}`)).join('');
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the CloudWatch dashboard', () => {
  it('shows the state of every alarm of the stack', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    for (const id of alarms) expect(body).toContain(`{"Fn::GetAtt":["${id}","Arn"]}`);
    expect(body).toContain('"type":"alarm"');
  });

  it('graphs every product metric from the GoChat namespace', () => {
    for (const name of Object.values(METRIC)) expect(body).toContain(`MetricName=\\"${name}\\"`);
    expect(body).toContain(`SEARCH('{${METRICS_NAMESPACE},classification,outcome,service}`);
  });

  it('graphs errors, throttles and duration of each function, the lifecycle and the API', () => {
    const functions = ofType('AWS::Lambda::Function')
      .filter(([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME)
      .map(([id]) => id);
    expect(functions.length).toBeGreaterThanOrEqual(4);
    for (const id of functions) expect(body).toContain(`{"Ref":"${id}"}`);
    for (const metric of ['"Errors"', '"Throttles"', '"Duration"', '"ExecutionsFailed"', '"5XXError"', '"Latency"'])
      expect(body).toContain(metric);
  });
});

describe('tracing', () => {
  it('is active on every Go!Chat function, with X-Ray write access', () => {
    const functions = ofType('AWS::Lambda::Function').filter(
      ([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
    for (const [, fn] of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      const roleId = fn.Properties.Role['Fn::GetAtt'][0];
      const actions = ofType('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
      expect(actions).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
    }
  });
});
