/**
 * Runtime configuration: read from the environment once, at cold start, failing fast on a missing
 * variable. Nothing in `functions/core` reads `process.env`; handlers and adapters take this object.
 *
 * Locally, the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables point the very same adapters at the
 * local endpoints (DynamoDB Local, s3rver, the local SES, the local Step Functions runner).
 */
export interface Config {
  tableName: string;
  mailBucket: string;
  /** Domain of the inbound addresses; reply-token addresses are `<local>+<token>@<domain>`. */
  region: string;
  eventBusName?: string;
  stateMachineArn?: string;
  /** Reply-token signing secret: given directly (local) or read from Secrets Manager at cold start. */
  replyTokenSecret?: string;
  replyTokenSecretArn?: string;
  /** Maximum raw size of an inbound mail that is parsed and stored in full. */
  maxMailBytes: number;
  /** Set when the S3 endpoint is local (s3rver): path-style URLs and no streamed checksums. */
  s3Endpoint?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const v = env[name];
  if (!v) throw new ConfigError(`missing environment variable ${name}`);
  return v;
}

/** Reads the configuration; `need` names the optional parts this function cannot run without. */
export function loadConfig(
  env: Env = process.env,
  need: Array<'eventBus' | 'stateMachine' | 'replyToken'> = [],
): Config {
  const config: Config = {
    tableName: required(env, 'TABLE_NAME'),
    mailBucket: required(env, 'MAIL_BUCKET'),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    eventBusName: env.EVENT_BUS_NAME,
    stateMachineArn: env.STATE_MACHINE_ARN,
    replyTokenSecret: env.REPLY_TOKEN_SECRET,
    replyTokenSecretArn: env.REPLY_TOKEN_SECRET_ARN,
    maxMailBytes: Number(env.MAX_MAIL_BYTES ?? 30 * 1024 * 1024),
    s3Endpoint: env.AWS_ENDPOINT_URL_S3,
  };
  if (need.includes('eventBus') && !config.eventBusName) required(env, 'EVENT_BUS_NAME');
  if (need.includes('stateMachine') && !config.stateMachineArn) required(env, 'STATE_MACHINE_ARN');
  if (need.includes('replyToken') && !config.replyTokenSecret && !config.replyTokenSecretArn)
    throw new ConfigError('missing environment variable REPLY_TOKEN_SECRET or REPLY_TOKEN_SECRET_ARN');
  return config;
}
