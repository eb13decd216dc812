import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { repoPath } from './paths.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface GoChatFunctionProps {
  /** Entry file, relative to the repository root (e.g. `functions/ingest.ts`). */
  entry: string;
  description: string;
  /** Powertools service name (POWERTOOLS_SERVICE_NAME). */
  serviceName: string;
  logLevel: LogLevel;
  logRetention: logs.RetentionDays;
  memorySize?: number;
  timeout?: Duration;
  reservedConcurrentExecutions?: number;
}

/**
 * How every function is bundled (esbuild through NodejsFunction), exported so that `npm run bench`
 * builds and times exactly what `cdk synth` ships (bench/lambdas.bench.ts). docs/performance.md has
 * the measurements behind each choice.
 */
export const BUNDLING = {
  minify: true,
  // No source map: `--enable-source-maps` made the ingest import about 1.6x slower, and a map without
  // it is dead weight. Stack traces name the minified bundle; the logs carry the error messages.
  sourceMap: false,
  target: 'node22',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  // CommonJS dependencies still call require() inside an ES module bundle.
  banner:
    "import { createRequire as __gochatCreateRequire } from 'node:module';const require = __gochatCreateRequire(import.meta.url);",
  // The SDK is bundled (and tree-shaken) so production runs the exact versions the tests ran, and a
  // cold start reads one file instead of the runtime's many (measured: docs/performance.md).
  externalModules: [] as string[],
};

/** The NODE_OPTIONS the functions deploy with (none: see BUNDLING.sourceMap). */
export const NODE_OPTIONS: string = '';

/**
 * One Lambda function of Go!Chat: nodejs22.x on ARM64, bundled locally by esbuild (ESM, minified, no
 * source maps: {@link BUNDLING}), with its own log group and a role that starts with nothing but write access to that log group.
 * Everything else is granted by the bind methods (`GoChatData.bindTo`, `GoChat`), never here.
 */
export class GoChatFunction extends Construct {
  readonly handler: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GoChatFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    // An explicit role instead of the AWSLambdaBasicExecutionRole managed policy (which may write to any log group).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Go!Chat ${props.serviceName} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.handler = new NodejsFunction(this, 'Function', {
      entry: repoPath(props.entry),
      depsLockFilePath: repoPath('package-lock.json'),
      projectRoot: repoPath(),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // X-Ray: Powertools Tracer adds the handler and every AWS SDK call (functions/adapters/observability.ts).
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        LOG_LEVEL: props.logLevel,
        ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
      },
      bundling: { ...BUNDLING, externalModules: [...BUNDLING.externalModules] },
    });
    // The log group is created before the function so Lambda never creates an unretained one.
    this.handler.node.addDependency(this.logGroup);

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) do not support resource-level permissions.',
    });
    Validations.of(this.handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'nodejs22.x is pinned on purpose: the test suites run on Node 22 (the node@22 devDependency), so production runs the major that CI verified.',
    });
  }
}
