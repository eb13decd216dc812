import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SILENT_ENTITIES } from '#core/live.ts';
import { GoChatStack } from '#lib/go-chat-stack.ts';

// The assertions read the template, not the bundles: skip esbuild (the slow part).
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

let resources: Record<string, any>;
let outputs: Record<string, any>;
let ids: { socket: string; fanout: string; api: string; dispatch: string };

beforeAll(() => {
  const app = new App({ context: NO_BUNDLING });
  const stack = new GoChatStack(app, 'GoChatLive', { goChat: { mailDomain: 'support.example.com' } });
  const json = Template.fromStack(stack).toJSON();
  resources = json.Resources;
  outputs = json.Outputs;
  const fnId = (service: string) =>
    Object.entries(resources).find(
      ([, r]) =>
        r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === service,
    )![0];
  ids = {
    socket: fnId('gochat-live'),
    fanout: fnId('gochat-live-fanout'),
    api: fnId('gochat-api'),
    dispatch: fnId('gochat-dispatch'),
  };
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const roleIdOf = (fnId: string) => resources[fnId].Properties.Role['Fn::GetAtt'][0] as string;
const statementsOf = (roleId: string): any[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
const actionsOf = (roleId: string) => statementsOf(roleId).flatMap((s) => [s.Action].flat());

describe('live updates: the WebSocket API', () => {
  it('is one WebSocket API whose $connect, $disconnect and $default routes all reach the live function', () => {
    const apis = ofType('AWS::ApiGatewayV2::Api');
    expect(apis).toHaveLength(1);
    const [[apiId, api]] = apis;
    expect(api.Properties.ProtocolType).toBe('WEBSOCKET');
    expect(api.Properties.RouteSelectionExpression).toBe('$request.body.action');
    const integrations = Object.fromEntries(ofType('AWS::ApiGatewayV2::Integration'));
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    for (const route of routes) {
      expect(route.ApiId.Ref).toBe(apiId);
      const integrationId = route.Target['Fn::Join'][1][1].Ref;
      const uri = JSON.stringify(integrations[integrationId].Properties.IntegrationUri);
      expect(uri).toContain(ids.socket);
      expect(integrations[integrationId].Properties.IntegrationType).toBe('AWS_PROXY');
    }
    // The answer to a client frame goes back on the connection: $default has a route response.
    const withResponse = routes.filter((r) => r.RouteResponseSelectionExpression === '$default');
    expect(withResponse.map((r) => r.RouteKey)).toEqual(['$default']);
    expect(ofType('AWS::ApiGatewayV2::RouteResponse')).toHaveLength(1);
  });

  it('has a `live` stage, deployed automatically, throttled, with JSON access logs that carry the connection id', () => {
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.StageName).toBe('live');
    expect(stage.Properties.AutoDeploy).toBe(true);
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ connectionId: '$context.connectionId', routeKey: '$context.routeKey' });
    expect(stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][1]).toBe('Arn');
  });

  it('outputs the wss:// URL of the stage', () => {
    const [liveUrl] = Object.entries(outputs).filter(([id]) => id.startsWith('GoChatLiveLiveUrl'));
    expect(liveUrl, Object.keys(outputs).join(', ')).toBeDefined();
    const [apiId] = ofType('AWS::ApiGatewayV2::Api')[0];
    const parts = liveUrl[1].Value['Fn::Join'][1];
    expect(parts[0]).toBe('wss://');
    expect(parts[1]).toEqual({ Ref: apiId });
    expect(parts.at(-1)).toMatch(/\/live$/);
  });
});

describe('live updates: the fan-out and its IAM', () => {
  it('reads the table stream from the latest record, leaving out the items no client cares about', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
      ([, m]) => m.Properties.FunctionName.Ref === ids.fanout,
    );
    expect(mappings).toHaveLength(1);
    const [[, m]] = mappings;
    expect(m.Properties.EventSourceArn['Fn::GetAtt'][1]).toBe('StreamArn');
    expect(m.Properties.StartingPosition).toBe('LATEST');
    expect(m.Properties.MaximumRecordAgeInSeconds).toBe(60);
    expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const patterns = m.Properties.FilterCriteria.Filters.map((f: any) => JSON.parse(f.Pattern));
    expect(patterns).toHaveLength(2);
    const [written, removed] = patterns;
    expect(written.eventName).toEqual(['INSERT', 'MODIFY']);
    expect(written.dynamodb.Keys.PK.S).toEqual([{ prefix: 'WS#' }]);
    expect(written.dynamodb.NewImage.entity.S).toEqual([{ 'anything-but': [...SILENT_ENTITIES] }]);
    expect(removed.eventName).toEqual(['REMOVE']);
    expect(removed.dynamodb.OldImage.entity.S).toEqual([{ 'anything-but': [...SILENT_ENTITIES] }]);
  });

  it('lets the fan-out manage connections of the live stage only, and tells it where (LIVE_ENDPOINT)', () => {
    const role = roleIdOf(ids.fanout);
    const manage = statementsOf(role).filter((s) => [s.Action].flat().includes('execute-api:ManageConnections'));
    expect(manage).toHaveLength(1);
    expect(JSON.stringify(manage[0].Resource)).toMatch(/\/live\/\*\/@connections\/\*"/);
    const endpoint = JSON.stringify(resources[ids.fanout].Properties.Environment.Variables.LIVE_ENDPOINT);
    expect(endpoint).toContain('https://');
    expect(endpoint).toContain('/live');
  });

  it('gives the live function the user pool the API trusts, so agents’ tokens open connections', () => {
    const env = (id: string) => resources[id].Properties.Environment.Variables;
    expect(env(ids.socket).AGENT_POOL_ISSUER).toEqual(env(ids.api).AGENT_POOL_ISSUER);
    expect(env(ids.socket).AGENT_POOL_CLIENT_IDS).toEqual(env(ids.api).AGENT_POOL_CLIENT_IDS);
    expect(JSON.stringify(env(ids.socket).AGENT_POOL_ISSUER)).toContain('cognito-idp');
    // Verifying a token needs the pool's public keys only: no Cognito permission.
    expect(actionsOf(roleIdOf(ids.socket)).filter((a) => a.startsWith('cognito'))).toEqual([]);
  });

  it('grants the live functions the table and nothing of the mail: no S3, no SES, no bus; the secret to the socket only', () => {
    // Exactly the table actions each one calls (test/infra/iam.test.ts checks them against the recorded calls).
    const table = (fn: string) =>
      actionsOf(roleIdOf(fn)).filter((a) => a.startsWith('dynamodb:') && !/Stream|Records|ShardIterator/.test(a));
    expect(table(ids.socket).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(table(ids.fanout).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    for (const fn of [ids.socket, ids.fanout]) {
      const actions = actionsOf(roleIdOf(fn));
      expect(actions).not.toContain('dynamodb:Scan');
      for (const a of actions) expect(a).not.toMatch(/^(s3|ses|events):/);
    }
    // End users connect with their widget token, which the deployment's secret verifies (docs/live.md).
    expect(actionsOf(roleIdOf(ids.socket)).filter((a) => a.startsWith('secretsmanager:'))).toEqual([
      'secretsmanager:GetSecretValue',
    ]);
    expect(actionsOf(roleIdOf(ids.fanout)).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    // Only the fan-out (posting) and the API (closing a revoked caller's connections) manage connections.
    for (const fn of [ids.socket, ids.dispatch])
      expect(actionsOf(roleIdOf(fn))).not.toContain('execute-api:ManageConnections');
    expect(actionsOf(roleIdOf(ids.api))).toContain('execute-api:ManageConnections');
  });
});
