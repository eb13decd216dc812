import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { type IndexName, TABLE } from '#adapters/dynamo/keys.ts';

/** Object key prefixes of the mail bucket (docs/architecture.md). */
export const BUCKET_PREFIXES = {
  /** Raw MIME written by the SES S3 action: `inbound/<SES messageId>`. */
  inbound: 'inbound/',
  attachments: 'attachments/',
  outbound: 'outbound/',
  /** End users' widget uploads, posted by the browser (presigned POST): `uploads/<workspace>/<contact>/<uploadId>`. */
  uploads: 'uploads/',
} as const;

export type BucketPrefix = keyof typeof BUCKET_PREFIXES;

/** `aws-managed`: DynamoDB/S3/Secrets Manager owned keys. `customer-managed`: one KMS key with rotation. */
export type DataEncryption = 'aws-managed' | 'customer-managed';

export interface GoChatDataProps {
  /** @default 'aws-managed' */
  encryption?: DataEncryption;
  /** Days a replaced or deleted raw mail version is kept before it expires. @default 90 */
  noncurrentVersionRetentionDays?: number;
  /** Days the S3 server access logs are kept. @default 365 */
  accessLogRetentionDays?: number;
  /**
   * Days raw mail (`inbound/`), attachments and sent MIME (`outbound/`) are kept; 0 keeps them for ever.
   * The feed keeps each message (its text cut to the size budgets) after that; only the full raw mail,
   * replay and attachment downloads go. @default 730 (docs/limits.md)
   */
  mailRetentionDays?: number;
}

/** Default retention of raw mail and attachments: two years (docs/limits.md, "Retention"). */
export const DEFAULT_MAIL_RETENTION_DAYS = 730;

/** A DynamoDB item action on the table (test/infra/iam.test.ts checks each against the calls recorded). */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  /** Query on one GSI. */
  | `Query:${IndexName}`
  | 'ConditionCheckItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem';

/** What a function may do with the data; anything not named is not granted. */
export interface DataAccess {
  /** `read`, `readWrite`, or exactly the actions named. */
  table?: 'read' | 'readWrite' | TableAction[];
  /** Prefixes of the mail bucket the function reads (GetObject) and writes (PutObject). */
  bucket?: { read?: BucketPrefix[]; write?: BucketPrefix[] };
  /** Read the reply-token signing secret (REPLY_TOKEN_SECRET_ARN). */
  replyTokenSecret?: boolean;
}

const TABLE_READ_ACTIONS: TableAction[] = [
  'GetItem',
  'BatchGetItem',
  'Query',
  ...TABLE.globalSecondaryIndexes.map((g) => `Query:${g.indexName}` as const),
];
// A condition check exists only inside TransactWriteItems, a write.
const TABLE_WRITE_ACTIONS: TableAction[] = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'ConditionCheckItem',
];
const isWrite = (a: TableAction) => TABLE_WRITE_ACTIONS.includes(a);

/**
 * The stateful half of Go!Chat: the single table, the mail bucket (with its access-log bucket) and the
 * reply-token secret. Everything here is retained on stack deletion, so the stateless half can be
 * redeployed, or destroyed and recreated, without touching a byte of data.
 */
export class GoChatData extends Construct {
  readonly table: dynamodb.Table;
  readonly mailBucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  /** Signs reply tokens (`support+<token>@domain`); replacing it invalidates every outstanding token. */
  readonly replyTokenSecret: secretsmanager.Secret;
  /** Present only with `encryption: 'customer-managed'`. */
  readonly encryptionKey?: kms.Key;

  constructor(scope: Construct, id: string, props: GoChatDataProps = {}) {
    super(scope, id);
    // Log delivery through a bucket policy, not the legacy LogDeliveryWrite ACL, whatever the app's flags.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const customerManaged = props.encryption === 'customer-managed';

    if (customerManaged) {
      this.encryptionKey = new kms.Key(this, 'Key', {
        description: 'Go!Chat data: table, mail bucket and reply-token secret',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // The SES S3 action writes as ses.amazonaws.com; S3 asks KMS for a data key on its behalf.
      this.encryptionKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowSesToStoreInboundMail',
          principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      );
    }

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      stream: dynamodb.StreamViewType[TABLE.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: customerManaged ? dynamodb.TableEncryption.CUSTOMER_MANAGED : dynamodb.TableEncryption.AWS_MANAGED,
      encryptionKey: this.encryptionKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of TABLE.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }

    // Server access logs cannot be delivered to an SSE-KMS bucket, so this one stays SSE-S3.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the server access log target of the mail bucket; logging it into itself (or a third bucket) would only log the log deliveries.',
    });

    this.mailBucket = new s3.Bucket(this, 'MailBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: customerManaged ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: customerManaged ? true : undefined,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'mail-bucket/',
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionRetentionDays ?? 90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        ...mailRetentionRules(props.mailRetentionDays ?? DEFAULT_MAIL_RETENTION_DAYS),
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.replyTokenSecret = new secretsmanager.Secret(this, 'ReplyTokenSecret', {
      description: 'Go!Chat reply-token signing key (HMAC); rotating it invalidates every outstanding reply address',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.replyTokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Automatic rotation would invalidate the reply tokens already sent in Reply-To addresses, so customer replies would stop threading; rotation is a manual, announced operation (docs/deploy.md).',
    });
  }

  /**
   * Sets a function's data environment (TABLE_NAME, MAIL_BUCKET, and REPLY_TOKEN_SECRET_ARN when granted)
   * and grants exactly the access named: item-level table actions on the table and its GSIs (no Scan),
   * GetObject/PutObject on the named bucket prefixes only, and read of the reply-token secret.
   */
  bindTo(fn: lambda.Function, access: DataAccess): void {
    // functions/config.ts requires both names at cold start, whatever the function's grants.
    fn.addEnvironment('TABLE_NAME', this.table.tableName);
    fn.addEnvironment('MAIL_BUCKET', this.mailBucket.bucketName);

    if (access.table) {
      const actions =
        access.table === 'readWrite'
          ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]
          : access.table === 'read'
            ? TABLE_READ_ACTIONS
            : access.table;
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: actions.filter((a) => !a.startsWith('Query:')).map((a) => `dynamodb:${a}`),
          resources: [this.table.tableArn],
        }),
      );
      // Only Query (and Scan, never granted) can name an index.
      const indexes = actions.filter((a) => a.startsWith('Query:')).map((a) => a.slice('Query:'.length));
      if (indexes.length > 0)
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: indexes.map((name) => `${this.table.tableArn}/index/${name}`),
          }),
        );
      if (this.encryptionKey) {
        const keyActions = actions.some(isWrite) ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'];
        fn.addToRolePolicy(new iam.PolicyStatement({ actions: keyActions, resources: [this.encryptionKey.keyArn] }));
      }
    }

    const read = access.bucket?.read ?? [];
    const write = access.bucket?.write ?? [];
    if (read.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: read.map((p) => this.mailBucket.arnForObjects(`${BUCKET_PREFIXES[p]}*`)),
        }),
      );
    }
    if (write.length > 0) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          resources: write.map((p) => this.mailBucket.arnForObjects(`${BUCKET_PREFIXES[p]}*`)),
        }),
      );
    }
    if (this.encryptionKey && (read.length > 0 || write.length > 0)) {
      const keyActions = write.length > 0 ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'];
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: keyActions, resources: [this.encryptionKey.keyArn] }));
    }
    for (const p of new Set([...read, ...write])) {
      // The finding is on the role's policy, and the role is the function's sibling (GoChatFunction).
      Validations.of(fn.role ?? fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.logicalIdOf(this.mailBucket)}.Arn>/${BUCKET_PREFIXES[p]}*]`,
        reason: `Objects under ${BUCKET_PREFIXES[p]} are keyed by ids known only at run time (docs/architecture.md); the grant is limited to that prefix.`,
      });
    }

    if (access.replyTokenSecret) {
      fn.addEnvironment('REPLY_TOKEN_SECRET_ARN', this.replyTokenSecret.secretArn);
      // GetSecretValue only: grantRead adds DescribeSecret, which nothing calls (test/infra/iam.test.ts).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.replyTokenSecret.secretArn],
        }),
      );
      if (this.encryptionKey)
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [this.encryptionKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
          }),
        );
    }
  }

  private logicalIdOf(bucket: s3.Bucket): string {
    return Stack.of(bucket).resolve((bucket.node.defaultChild as s3.CfnBucket).logicalId);
  }
}

/** Days an end user's upload stays in `uploads/` unattached; attached, it is copied to `attachments/`. */
export const UNATTACHED_UPLOAD_DAYS = 1;

/**
 * One expiration rule per mail prefix; none when `days` is 0 (kept for ever). `uploads/` holds only what
 * was never attached (an attached upload is copied out), so it expires after a day whatever the retention.
 */
function mailRetentionRules(days: number): s3.LifecycleRule[] {
  const unattached: s3.LifecycleRule = {
    id: 'expire-unattached-uploads',
    prefix: BUCKET_PREFIXES.uploads,
    expiration: Duration.days(UNATTACHED_UPLOAD_DAYS),
  };
  if (days === 0) return [unattached];
  return [
    ...Object.entries(BUCKET_PREFIXES)
      .filter(([name]) => name !== 'uploads')
      .map(([name, prefix]) => ({ id: `expire-${name}`, prefix, expiration: Duration.days(days) })),
    unattached,
  ];
}
