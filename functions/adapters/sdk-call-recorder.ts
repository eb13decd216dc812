/**
 * Notes every AWS call a function makes as the IAM request it is ({function, service, action, resource}),
 * so test/infra/iam.test.ts can evaluate each one against the role `cdk synth` gives that function.
 * Only on when `GOCHAT_SDK_CALL_LOG` names a file (the recording runs of the test suites,
 * scripts/record-sdk-calls.ts); otherwise a client is returned as it was given.
 *
 * Resources are written ARN-ish with placeholders: `{partition}`, `{region}`, `{account}`, and `{env:NAME}`
 * for a value that the function's environment variable NAME holds (the test reads NAME from the
 * function's synthesized environment), with `{env:NAME|mod}` for a part of it. Object keys and run-time ids
 * become `{id}`: grants go to prefixes, never to one id.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';

export const SDK_CALL_LOG_ENV = 'GOCHAT_SDK_CALL_LOG';

export interface SdkCallRecord {
  /** The function's service name (POWERTOOLS_SERVICE_NAME in the stack), e.g. `gochat-ingest`. */
  function: string;
  /** The IAM action, e.g. `dynamodb:PutItem`. */
  action: string;
  resource: string;
}

/** The function on whose behalf calls run, where several share one process (lib/local). */
const callingFunction = new AsyncLocalStorage<string>();

/** `handler` run as the function `name`: its AWS calls are recorded under that name. */
export function asFunction<A extends unknown[], R>(name: string, handler: (...args: A) => R): (...args: A) => R {
  return (...args: A) => callingFunction.run(name, () => handler(...args));
}

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
}
type Handler = (args: { input: unknown }) => Promise<unknown>;
interface ClientWithStack {
  middlewareStack: {
    add(mw: (next: Handler, context: MiddlewareContext) => Handler, opts: { step: 'initialize'; name: string }): void;
  };
}

/** Adds the recorder to `client` when recording is on (the env variable names a file). */
export function recordSdkCalls<C>(client: C): C {
  const file = process.env[SDK_CALL_LOG_ENV];
  if (!file) return client;
  (client as unknown as ClientWithStack).middlewareStack.add(
    (next, context) => async (args) => {
      // In Lambda (and in the bundles' test) the process is the function; locally, lib/local names it.
      const fn =
        callingFunction.getStore() ?? process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
      if (fn) {
        const lines = requestsOf(context.clientName ?? '', context.commandName ?? '', args.input as Input)
          .map((r) => `${JSON.stringify({ function: fn, ...r })}\n`)
          .join('');
        appendFileSync(file, lines);
      }
      return next(args);
    },
    { step: 'initialize', name: 'gochatSdkCallRecorder' },
  );
  return client;
}

type Input = Record<string, any>;
type Request = Omit<SdkCallRecord, 'function'>;

/**
 * `{env:NAME}` when the environment variable NAME (the one that names this kind of resource) holds
 * `value`; the value itself otherwise (then the IAM test finds no such resource in the stack, and fails).
 */
function named(value: string | undefined, name: string): string {
  if (value === undefined) return '{missing}';
  return process.env[name] && process.env[name] === value ? `{env:${name}}` : value;
}

const ARN = (service: string, rest: string) => `arn:{partition}:${service}:{region}:{account}:${rest}`;
const table = (name: string | undefined, index?: string) =>
  ARN('dynamodb', `table/${named(name, 'TABLE_NAME')}${index ? `/index/${index}` : ''}`);

/** The IAM requests behind one SDK command: a transaction is one request per item, as IAM checks it. */
export function requestsOf(clientName: string, commandName: string, input: Input): Request[] {
  const op = commandName.replace(/Command$/, '');
  switch (clientName) {
    case 'DynamoDBClient': {
      const one = (action: string, t: string | undefined, index?: string): Request => ({
        action: `dynamodb:${action}`,
        resource: table(t, index),
      });
      if (op === 'TransactWriteItems')
        return (input.TransactItems ?? []).map((item: Input) => {
          const [kind, body] = Object.entries(item)[0] as [string, Input];
          const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' }[kind] ?? 'ConditionCheckItem';
          return one(action, body.TableName);
        });
      if (op === 'TransactGetItems')
        return (input.TransactItems ?? []).map((i: Input) => one('GetItem', i.Get.TableName));
      if (op === 'BatchGetItem' || op === 'BatchWriteItem')
        return Object.keys(input.RequestItems ?? {}).map((t) => one(op, t));
      return [one(op, input.TableName, input.IndexName)];
    }
    case 'S3Client': {
      // HeadObject is authorized as GetObject; a presigned GetObject URL is signed through this stack too.
      const action = op === 'HeadObject' ? 'GetObject' : op;
      const key = String(input.Key ?? '');
      const slash = key.indexOf('/');
      return [
        {
          action: `s3:${action}`,
          resource: `arn:{partition}:s3:::${named(input.Bucket, 'MAIL_BUCKET')}/${slash < 0 ? '{id}' : `${key.slice(0, slash + 1)}{id}`}`,
        },
      ];
    }
    case 'SESClient': {
      const source = String(input.Source ?? '');
      const identity = ARN('ses', `identity/${source.slice(source.lastIndexOf('@') + 1).replace(/>$/, '')}`);
      const out: Request[] = [{ action: `ses:${op}`, resource: identity }];
      if (input.ConfigurationSetName)
        out.push({ action: `ses:${op}`, resource: ARN('ses', `configuration-set/${input.ConfigurationSetName}`) });
      return out;
    }
    case 'SFNClient': {
      if (op === 'StartExecution')
        return [{ action: 'states:StartExecution', resource: named(input.stateMachineArn, 'STATE_MACHINE_ARN') }];
      if (op === 'StopExecution' || op === 'DescribeExecution') {
        const arn = String(input.executionArn ?? '');
        const machine = arn.replace(':execution:', ':stateMachine:').replace(/:[^:]*$/, '');
        const ofEnv = named(machine, 'STATE_MACHINE_ARN') === '{env:STATE_MACHINE_ARN}';
        return [
          {
            action: `states:${op}`,
            resource: ofEnv ? ARN('states', 'execution:{env:STATE_MACHINE_ARN|name}:{id}') : arn,
          },
        ];
      }
      return [
        { action: `states:${op}`, resource: named(input.stateMachineArn ?? input.executionArn, 'STATE_MACHINE_ARN') },
      ];
    }
    case 'SecretsManagerClient':
      return [{ action: `secretsmanager:${op}`, resource: named(input.SecretId, 'REPLY_TOKEN_SECRET_ARN') }];
    case 'EventBridgeClient':
      return [...new Set<string>((input.Entries ?? []).map((e: Input) => String(e.EventBusName ?? 'default')))].map(
        (bus) => ({ action: `events:${op}`, resource: ARN('events', `event-bus/${named(bus, 'EVENT_BUS_NAME')}`) }),
      );
    case 'ApiGatewayManagementApiClient':
      // PostToConnection, GetConnection and DeleteConnection are all execute-api:ManageConnections.
      return [
        {
          action: 'execute-api:ManageConnections',
          resource: ARN(
            'execute-api',
            `{env:LIVE_ENDPOINT|api}/{env:LIVE_ENDPOINT|stage}/${{ PostToConnection: 'POST', DeleteConnection: 'DELETE' }[op] ?? 'GET'}/@connections/{id}`,
          ),
        },
      ];
    default:
      // Unknown to this map: recorded as such, so the IAM test fails until it is mapped.
      return [{ action: `${clientName}:${op}`, resource: '*' }];
  }
}
