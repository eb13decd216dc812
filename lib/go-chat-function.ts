import { spawnSync } from 'node:child_process';
import { AssetHashType, DockerImage, Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENTRY_FILE, NODE_OPTIONS } from './bundling/bundle.ts';
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
 * One Lambda function of Go!Chat: nodejs22.x on ARM64, bundled locally by esbuild (ESM with code
 * splitting, minified, no source maps: lib/bundling/bundle.ts), with its own log group and a role that starts with nothing but write access to that log group.
 * Everything else is granted by the bind methods (`GoChatData.bindTo`, `GoChat`), never here.
 */
export class GoChatFunction extends Construct {
  readonly handler: lambda.Function;
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

    this.handler = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry),
      handler: `${ENTRY_FILE.replace(/\.mjs$/, '')}.handler`,
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

/**
 * The function's code: `entry` bundled by lib/bundling/bundle.ts (esbuild with code splitting and the
 * plugins there, which NodejsFunction cannot take), hashed by its output as NodejsFunction does. The
 * bundler runs in a child process because CDK's local bundling is synchronous. There is no Docker
 * fallback: bundling needs only the project's own node_modules (`npm ci`).
 */
function bundledCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(repoPath(), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('local-bundling-only'),
      // Never run (local bundling always answers), but part of the asset's cache key: CDK keys its
      // staging cache by the JSON of these options, where `local` (a function) does not show, so without
      // the entry here every function would get the first one's bundle.
      command: ['sh', '-c', `echo "Go!Chat bundles ${entry} locally (lib/bundling/bundle.ts)" >&2; exit 1`],
      local: {
        tryBundle(outputDir: string): boolean {
          const run = spawnSync(
            process.execPath,
            ['--import', 'tsx', repoPath('lib', 'bundling', 'cli.ts'), repoPath(entry), outputDir],
            { cwd: repoPath(), stdio: ['ignore', 'inherit', 'inherit'] },
          );
          if (run.status !== 0) throw new Error(`bundling ${entry} failed (exit ${run.status ?? run.signal})`);
          return true;
        },
      },
    },
  });
}
