import { Aws, Names, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as actions from 'aws-cdk-lib/aws-ses-actions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES } from './go-chat-data.ts';
import { StoreRawMail } from './ses-store-action.ts';

/**
 * Only one receipt rule set is active per account and region, and CloudFormation cannot activate one.
 * `create-and-activate` creates a rule set and activates it with a custom resource (replacing whatever
 * set was active); `existing` adds Go!Chat's rule to a rule set that ops already run.
 */
export type RuleSetConfig =
  | { mode: 'create-and-activate' }
  | {
      mode: 'existing';
      ruleSetName: string /** Name of the rule after which Go!Chat's rule is placed. */;
      after?: string;
    };

export interface InboundRuleProps {
  ruleSet: RuleSetConfig;
  /** Recipients the rule matches: domains (`support.example.com`) or addresses. */
  recipients: string[];
  mailBucket: s3.IBucket;
  ingest: lambda.IFunction;
  /** Reject mail not delivered over TLS. @default false */
  requireTls?: boolean;
  logRetention: logs.RetentionDays;
}

/** The SES receipt rule: store the raw MIME under `inbound/` first, then invoke ingest asynchronously. */
export class InboundRule extends Construct {
  readonly rule: ses.ReceiptRule;
  readonly ruleSet: ses.IReceiptRuleSet;
  /** Present in `create-and-activate` mode. */
  readonly activation?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InboundRuleProps) {
    super(scope, id);
    const existing = props.ruleSet.mode === 'existing' ? props.ruleSet : undefined;

    this.ruleSet = existing
      ? ses.ReceiptRuleSet.fromReceiptRuleSetName(this, 'RuleSet', existing.ruleSetName)
      : new ses.ReceiptRuleSet(this, 'RuleSet');

    // A fixed rule name: the bucket policy names the rule's ARN, and the rule depends on the policy.
    const receiptRuleName = Names.uniqueResourceName(this, { maxLength: 64 });
    const ruleArn = `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${this.ruleSet.receiptRuleSetName}:receipt-rule/${receiptRuleName}`;
    this.rule = new ses.ReceiptRule(this, 'Rule', {
      ruleSet: this.ruleSet,
      receiptRuleName,
      recipients: props.recipients,
      scanEnabled: true,
      tlsPolicy: props.requireTls ? ses.TlsPolicy.REQUIRE : ses.TlsPolicy.OPTIONAL,
      after: existing?.after ? ses.ReceiptRule.fromReceiptRuleName(this, 'After', existing.after) : undefined,
      // The Lambda action's event carries no body: the S3 action must run first.
      actions: [
        new StoreRawMail({ bucket: props.mailBucket, objectKeyPrefix: BUCKET_PREFIXES.inbound, ruleArn }),
        new actions.Lambda({ function: props.ingest, invocationType: actions.LambdaInvocationType.EVENT }),
      ],
    });

    if (!existing) {
      const ruleSetName = this.ruleSet.receiptRuleSetName;
      const activate: cr.AwsSdkCall = {
        service: 'SES',
        action: 'setActiveReceiptRuleSet',
        parameters: { RuleSetName: ruleSetName },
        physicalResourceId: cr.PhysicalResourceId.of(`active-receipt-rule-set`),
      };
      this.activation = new cr.AwsCustomResource(this, 'ActivateRuleSet', {
        onCreate: activate,
        onUpdate: activate,
        // Called with no name, SetActiveReceiptRuleSet deactivates: no rule set is left active.
        onDelete: { service: 'SES', action: 'setActiveReceiptRuleSet', parameters: {} },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
        ]),
        installLatestAwsSdk: false,
        logGroup: new logs.LogGroup(this, 'ActivateRuleSetLogs', { retention: props.logRetention }),
      });
      // Activate only once the rule exists, so the active set never receives mail without it.
      this.activation.node.addDependency(this.rule);

      Validations.of(this.activation).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ses:SetActiveReceiptRuleSet does not support resource-level permissions; the statement allows that single action.',
      });
    }
  }
}
