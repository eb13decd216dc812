/**
 * The widget on AWS: its files at /widget/* on the Inbox's distribution, its frame document from the API
 * at /v1/widget/frame/* without the Inbox's never-framed headers (the API sends the workspace's CSP
 * frame-ancestors), the API allowed to start the chat email fallback, and no cdk-nag finding.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { GoChatStack } from '#lib/go-chat-stack.ts';

let template: Template;
let app: App;
let stack: GoChatStack;

beforeAll(() => {
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new GoChatStack(app, 'GoChatWidget', {
    goChat: { mailDomain: 'support.example.com' },
    web: { appSource: Source.data('index.html', '<!doctype html><title>Inbox</title>') },
    widget: { sources: [Source.data('widget.js', '//'), Source.data('frame.js', '//')] },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  template = Template.fromStack(stack);
});

const config = () =>
  Object.values(template.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig;
const behavior = (pattern: string) =>
  config().CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === pattern);

describe('widget hosting', () => {
  it('serves the frame document from the API before /v1/* matches, and the files under /widget/*', () => {
    expect(config().CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual([
      '/v1/widget/frame/*',
      '/v1/*',
      '/widget/*',
    ]);
    const frame = behavior('/v1/widget/frame/*');
    expect(frame.TargetOriginId).toBe(behavior('/v1/*').TargetOriginId);
    expect(frame.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(frame.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // CachingDisabled
    expect(behavior('/widget/*').TargetOriginId).toBe(config().DefaultCacheBehavior.TargetOriginId);
  });

  it('lets the API set the frame\u2019s CSP: no CSP and no X-Frame-Options override on the frame', () => {
    const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const frameRef = behavior('/v1/widget/frame/*').ResponseHeadersPolicyId.Ref;
    const frame = policies[frameRef].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(frame.ContentSecurityPolicy).toBeUndefined();
    expect(frame.FrameOptions).toBeUndefined();
    expect(frame.StrictTransportSecurity).toMatchObject({ Override: true });
    // The rest of the API keeps the Inbox's never-framed headers.
    const apiRef = behavior('/v1/*').ResponseHeadersPolicyId.Ref;
    expect(policies[apiRef].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions).toEqual({
      FrameOption: 'DENY',
      Override: true,
    });
  });

  it('gives the API the state machine, to start the chat email fallback, and nothing more on it', () => {
    const apiFn = stack.goChat.api.handler;
    const fn = template.findResources('AWS::Lambda::Function')[stack.getLogicalId(apiFn.node.defaultChild as never)];
    expect(Object.keys(fn.Properties.Environment.Variables)).toContain('STATE_MACHINE_ARN');
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(stack.getLogicalId(apiFn.role!.node.defaultChild as never)),
    );
    const states = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: string | string[] }) => JSON.stringify(s.Action).includes('states:'));
    expect(states.map((s: { Action: unknown }) => s.Action)).toEqual(['states:StartExecution']);
  });

  it('has no unacknowledged cdk-nag finding', () => {
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(
      report.violations.map((v) => ({ rule: v.ruleName, at: v.violatingResources.map((r) => r.constructPath) })),
    ).toEqual([]);
  });

  it('lets the frame POST uploads to the mail bucket (POST only), and the API sign them', () => {
    const buckets = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([id]) => /MailBucket/.test(id));
    expect(buckets).toHaveLength(1);
    const rules = buckets[0][1].Properties.CorsConfiguration.CorsRules;
    expect(rules).toHaveLength(1);
    expect(rules[0].AllowedMethods).toEqual(['POST']);
    expect(rules[0].AllowedOrigins).toEqual(['*']);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('/uploads/*');
  });
});
