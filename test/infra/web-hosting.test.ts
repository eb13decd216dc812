/**
 * The Inbox on AWS (lib/web-hosting.ts): a private bucket read by CloudFront through origin access control,
 * the API under the same origin at /v1/*, strict security headers, and no cdk-nag finding.
 */
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { GoChatStack } from '#lib/go-chat-stack.ts';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
let template: Template;
let app: App;

beforeAll(() => {
  app = new App({ context: NO_BUNDLING });
  const stack = new GoChatStack(app, 'GoChatWeb', {
    goChat: { mailDomain: 'support.example.com' },
    web: {
      appSource: Source.data('index.html', '<!doctype html><title>Inbox</title>'),
      connectSources: ['https://example.com'],
    },
  });
  stack.web!.addStaticSite('WidgetFiles', { pathPattern: '/widget/*', sources: [Source.data('widget.js', '//')] });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  template = Template.fromStack(stack);
});

describe('web hosting', () => {
  it('keeps the bucket private and lets only CloudFront read it, through origin access control', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    });
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: { LoggingConfiguration: { LogFilePrefix: 'web-bucket/' } },
    });
    const [bucket] = Object.values(buckets);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('sends /v1/* to API Gateway on the same origin, uncached, with the Authorization header', () => {
    const [dist] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const config = dist.Properties.DistributionConfig;
    const api = config.CacheBehaviors.find((b: { PathPattern: string }) => b.PathPattern === '/v1/*');
    expect(api.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']);
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    // Managed policies: CachingDisabled, AllViewerExceptHostHeader.
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    const origin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.OriginPath)).toContain('/');
    expect(JSON.stringify(origin.OriginPath)).toContain('RestApiDeploymentStageprod');
    expect(JSON.stringify(origin.DomainName)).toContain('execute-api');
    expect(config.ViewerCertificate ?? {}).not.toHaveProperty('MinimumProtocolVersion', 'TLSv1');
    expect(config.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual(['/v1/*', '/widget/*']);
  });

  it('sends a CSP without inline script, frame-ancestors none, and HSTS', () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
      Preload: true,
      Override: true,
    });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    // The CSP holds deploy-time values (region, WebSocket URL): read it as CloudFormation joins it.
    const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' https://cognito-idp.");
    expect(csp).toContain('https://example.com');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('deploys the config the app signs in with: the user pool client and the live URL', () => {
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const config = JSON.stringify(deployment.Properties);
    expect(config).toContain('InboxClient');
    expect(config).toContain('WebSocketApi');
  });

  it('has no unacknowledged cdk-nag finding', () => {
    app.synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map((v) => ({
      rule: v.ruleName,
      at: v.violatingResources.map((r) => r.constructPath),
    }));
    expect(findings).toEqual([]);
  });
});
