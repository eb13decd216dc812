import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';

/**
 * The SES S3 action, with a bucket policy that names the one receipt rule allowed to write: the
 * library's `actions.S3` checks only `aws:SourceAccount`, so any receipt rule of the account (another
 * team's, a test rule set) could write objects under `inbound/` and have them taken for received mail.
 */
export class StoreRawMail implements ses.IReceiptRuleAction {
  constructor(
    private readonly props: {
      bucket: s3.IBucket;
      objectKeyPrefix: string;
      /** `arn:aws:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/<rule>`. */
      ruleArn: string;
    },
  ) {}

  bind(rule: ses.IReceiptRuleRef): ses.ReceiptRuleActionConfig {
    const { bucket, objectKeyPrefix, ruleArn } = this.props;
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesReceiptRuleToStoreInboundMail',
        actions: ['s3:PutObject'],
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        resources: [bucket.arnForObjects(`${objectKeyPrefix}*`)],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn } },
      }),
    );
    // SES checks that it may write when the rule is created: the policy must exist first.
    const policy = bucket.node.tryFindChild('Policy');
    if (policy) rule.node.addDependency(policy);
    return { s3Action: { bucketName: bucket.bucketName, objectKeyPrefix } };
  }
}
