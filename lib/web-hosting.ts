/**
 * The Inbox web app on AWS: its built files in a private S3 bucket behind CloudFront (origin access control,
 * no public bucket), and the integrator API under the same origin (`/v1/*` to API Gateway), so the app needs
 * no CORS. Every response carries strict security headers (lib/web-security.ts, also used locally).
 *
 * Other static apps share the distribution: {@link WebHosting.addStaticSite} puts files under a path
 * (e.g. the end-user widget at `/widget/*`) with their own headers (a widget frame is embedded elsewhere).
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy, HSTS_SECONDS, SECURITY_HEADERS } from './web-security.ts';

export interface WebHostingProps {
  /** The integrator REST API, reached at `/v1/*` on the distribution (its deployment stage is the origin path). */
  restApi: apigw.RestApi;
  /** The built app (web/dist): `s3deploy.Source.asset('web/dist')`. */
  appSource: s3deploy.ISource;
  /** Served as `/config.json`: the user pool endpoint and client, the live updates URL, … */
  appConfig?: Record<string, unknown>;
  /** Origins the app calls besides its own (Cognito's endpoint, the WebSocket): the CSP's connect-src. */
  connectSources?: string[];
  /** Serve the end-user widget's frame document (`/v1/widget/frame/*`) with its own CSP: @default false */
  widgetFrame?: boolean;
  /** Prices: @default PRICE_CLASS_100 (North America and Europe) */
  priceClass?: cloudfront.PriceClass;
}

export interface StaticSiteOptions {
  /** e.g. `/widget/*`: the files are stored under the same prefix (`widget/`) in the bucket. */
  pathPattern: string;
  sources: s3deploy.ISource[];
  /** @default the app's strict headers */
  responseHeadersPolicy?: cloudfront.IResponseHeadersPolicy;
}

/** A single-page app: a path with no file extension is a route of the app, answered by index.html. */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri.lastIndexOf('.') <= uri.lastIndexOf('/')) request.uri = '/index.html';
  return request;
}`;

export class WebHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly headers: cloudfront.ResponseHeadersPolicy;
  private readonly origin: cloudfront.IOrigin;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);

    // CloudFront standard logs are delivered with ACLs: this bucket keeps them enabled for the log writer.
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the CloudFront and web bucket access logs; logging it into itself would only log log deliveries.',
    });

    // The app's files are public by nature (no data in them), but the bucket is private: only CloudFront reads it.
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'web-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    const hsts = Duration.seconds(HSTS_SECONDS);
    this.headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Go!Chat Inbox: CSP without inline script, never framed, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({ connect: props.connectSources }),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: hsts, includeSubdomains: true, preload: true, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: ['Permissions-Policy', 'Cross-Origin-Opener-Policy'].map((header) => ({
          header,
          value: SECURITY_HEADERS[header],
          override: true,
        })),
      },
    });

    this.origin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const apiOrigin = new origins.RestApiOrigin(props.restApi);
    const spaRewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Routes of the Inbox are answered by index.html',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Go!Chat Inbox and API',
      defaultRootObject: 'index.html',
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: this.origin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        functionAssociations: [{ function: spaRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // The widget's frame document comes from the API with its workspace's CSP frame-ancestors: listed
        // before /v1/* (CloudFront takes the first match), and without the Inbox's never-framed headers.
        ...(props.widgetFrame
          ? {
              '/v1/widget/frame/*': {
                origin: apiOrigin,
                viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
                originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
                responseHeadersPolicy: new cloudfront.ResponseHeadersPolicy(this, 'WidgetFrameHeaders', {
                  comment: 'Go!Chat widget frame: HSTS and nosniff; its CSP (frame-ancestors) comes from the API',
                  securityHeadersBehavior: {
                    strictTransportSecurity: { accessControlMaxAge: hsts, includeSubdomains: true, override: true },
                    contentTypeOptions: { override: true },
                  },
                }),
              },
            }
          : {}),
        // The API on the same origin: nothing cached, every header but Host forwarded (Authorization included).
        '/v1/*': {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
      },
    });

    new s3deploy.BucketDeployment(this, 'AppFiles', {
      destinationBucket: this.bucket,
      sources: [props.appSource, s3deploy.Source.jsonData('config.json', props.appConfig ?? {})],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      // Other sites' prefixes are left alone (each deployment prunes only what it owns).
      exclude: ['widget/*'],
      prune: false,
    });

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Agents work from anywhere; the API authenticates every request, so a geo restriction adds nothing.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'API Gateway stage throttling and per-request authentication protect the API; a WAF web ACL (us-east-1) is left to ops, who can attach theirs.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The minimum protocol is TLSv1.2_2021; with the default CloudFront certificate CloudFront reports TLSv1 regardless, until ops give a domain and certificate.',
      },
    );
    this.acknowledgeDeploymentHelper();
  }

  /** The distribution's URL: the Inbox, and the API at `<url>/v1`. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /** Adds static files under `pathPattern` (e.g. the widget at `/widget/*`), from the same private bucket. */
  addStaticSite(id: string, options: StaticSiteOptions): void {
    const prefix = options.pathPattern.replace(/^\//, '').replace(/\*$/, '');
    this.distribution.addBehavior(options.pathPattern, this.origin, {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: options.responseHeadersPolicy ?? this.headers,
    });
    new s3deploy.BucketDeployment(this, id, {
      destinationBucket: this.bucket,
      destinationKeyPrefix: prefix,
      sources: options.sources,
      distribution: this.distribution,
      distributionPaths: [`/${prefix}*`],
    });
    this.acknowledgeDeploymentHelper();
  }

  /** BucketDeployment's singleton helper function (CDK-managed code and role), acknowledged finding by finding. */
  private acknowledgeDeploymentHelper(): void {
    const stack = Stack.of(this);
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const copy = 'The CDK BucketDeployment helper copies the assets into the web bucket and prunes its prefix';
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      Validations.of(child).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'The CDK BucketDeployment helper uses AWSLambdaBasicExecutionRole to write its logs only.',
        },
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${copy} (CDK grant helpers' action groups).`,
        })),
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          reason: `${copy}: it reads the asset objects of the CDK bootstrap bucket.`,
        },
        { id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`, reason: `${copy}: every object of the web bucket.` },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'cloudfront:CreateInvalidation, after a deployment, does not support resource-level permissions here.',
        },
        { id: 'AwsSolutions-L1', reason: 'The CDK BucketDeployment helper runtime is chosen by aws-cdk-lib.' },
      );
    }
  }
}
