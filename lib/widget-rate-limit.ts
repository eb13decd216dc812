import { Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** The public widget routes: `POST /v1/widget/session` and the frame take no credential at all. */
export const WIDGET_PATH_PREFIX = '/v1/widget/';

export interface WidgetRateLimitProps {
  stage: apigw.Stage;
  /** Requests per source address per minute on the widget routes, before the API function sees them. @default 300 */
  perAddressPerMinute?: number;
}

/**
 * A WAF web ACL on the REST API's stage with one rate-based rule: per source address, on the widget's
 * public routes (docs/security.md). It stops a flood from one address before it costs a Lambda; the API
 * function's own per-address and per-workspace counters stay the finer limit behind it.
 */
export class WidgetRateLimit extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WidgetRateLimitProps) {
    super(scope, id);
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: name,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metric('gochat-api'),
      rules: [
        {
          name: 'widget-per-address',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          visibilityConfig: metric('gochat-widget-per-address'),
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              evaluationWindowSec: 60,
              limit: props.perAddressPerMinute ?? 300,
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: WIDGET_PATH_PREFIX,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'Association', {
      webAclArn: this.webAcl.attrArn,
      resourceArn: `arn:${Stack.of(this).partition}:apigateway:${Stack.of(this).region}::/restapis/${props.stage.restApi.restApiId}/stages/${props.stage.stageName}`,
    });
  }
}
