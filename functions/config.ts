/**
 * Runtime configuration: read from the environment once, at cold start, failing fast on a missing
 * variable. Nothing in `functions/core` reads `process.env`; handlers and adapters take this object.
 *
 * Locally, the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables point the very same adapters at the
 * local endpoints (DynamoDB Local, s3rver, the local SES, the local Step Functions runner).
 */
import { ValidationError } from '#core/errors.ts';
import { parseStatusPolicy } from '#core/lifecycle.ts';
import type { StatusPolicy, WorkspaceSettings } from '#core/model.ts';
import { DEFAULT_SETTINGS } from '#core/settings.ts';

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
  /** Key prefix of the SES S3 action (`INBOUND_PREFIX`), when the rule uses another one than `inbound/`. */
  inboundPrefix?: string;
  /**
   * The status policy of a workspace that has stored none of its own: the product default, overridden
   * by what ops configured at deploy time (`DEFAULT_POLICY`, a JSON Partial<StatusPolicy>).
   */
  defaultPolicy: StatusPolicy;
  /** The workspace settings defaults: DEFAULT_SETTINGS with `defaultPolicy`. */
  defaultSettings: WorkspaceSettings;
  /** The WebSocket API's management endpoint (`LIVE_ENDPOINT`), where the live fan-out posts. */
  liveEndpoint?: string;
  /** Set when that endpoint is the local `ws` server (plain http on loopback). */
  liveEndpointIsLocal?: boolean;
  /**
   * The agents' user pool (AGENT_POOL_ISSUER, AGENT_POOL_CLIENT_IDS comma-separated, AGENT_POOL_JWKS_URL
   * optional); absent, the API accepts integration keys only.
   */
  agentPool?: { issuer: string; clientIds: string[]; jwksUrl?: string };
  /**
   * `WIDGET_JWKS_LOOPBACK_HTTP=1`: a widget JWKS URL may be plain http on loopback. The local stack alone
   * sets it (lib/local); the CDK stack never does, so in AWS the URL is https to a public address.
   */
  widgetJwksLoopbackHttp?: boolean;
  /**
   * Notification mail (functions/core/notifications): the no-reply From (`NOTIFY_FROM`), the Inbox's
   * address that mails link to (`INBOX_URL`), and the seconds a first mail waits (`NOTIFY_GATHER_SECONDS`).
   */
  notifyFrom: string;
  inboxUrl: string;
  notifyGatherSeconds: number;
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

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** DEFAULT_POLICY over the product default, validated by the same rules as a workspace's own policy. */
function defaultPolicy(env: Env): StatusPolicy {
  const raw = env.DEFAULT_POLICY;
  if (raw === undefined || raw.trim() === '') return DEFAULT_SETTINGS.policy;
  let partial: unknown;
  try {
    partial = JSON.parse(raw);
  } catch (e) {
    throw new ConfigError(`DEFAULT_POLICY is not JSON: ${(e as Error).message}`);
  }
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial))
    throw new ConfigError('DEFAULT_POLICY must be a JSON object (a partial status policy)');
  try {
    return parseStatusPolicy({ ...DEFAULT_SETTINGS.policy, ...partial });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    throw new ConfigError(`DEFAULT_POLICY is not a valid status policy: ${JSON.stringify(e.details)}`);
  }
}

function agentPool(env: Env): Pick<Config, 'agentPool'> {
  const issuer = env.AGENT_POOL_ISSUER;
  if (!issuer) return {};
  const clientIds = (env.AGENT_POOL_CLIENT_IDS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (clientIds.length === 0)
    throw new ConfigError('AGENT_POOL_ISSUER is set: AGENT_POOL_CLIENT_IDS must name the app clients');
  return { agentPool: { issuer, clientIds, ...(env.AGENT_POOL_JWKS_URL ? { jwksUrl: env.AGENT_POOL_JWKS_URL } : {}) } };
}

/** Reads the configuration; `need` names the optional parts this function cannot run without. */
export function loadConfig(
  env: Env = process.env,
  need: Array<'eventBus' | 'stateMachine' | 'replyToken' | 'live'> = [],
): Config {
  const policy = defaultPolicy(env);
  const config: Config = {
    tableName: required(env, 'TABLE_NAME'),
    mailBucket: required(env, 'MAIL_BUCKET'),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    eventBusName: env.EVENT_BUS_NAME,
    stateMachineArn: env.STATE_MACHINE_ARN,
    replyTokenSecret: env.REPLY_TOKEN_SECRET,
    replyTokenSecretArn: env.REPLY_TOKEN_SECRET_ARN,
    maxMailBytes: positiveInt(env, 'MAX_MAIL_BYTES', 30 * 1024 * 1024),
    s3Endpoint: env.AWS_ENDPOINT_URL_S3,
    ...(env.INBOUND_PREFIX ? { inboundPrefix: env.INBOUND_PREFIX } : {}),
    defaultPolicy: policy,
    defaultSettings: { ...DEFAULT_SETTINGS, policy },
    ...(env.LIVE_ENDPOINT
      ? { liveEndpoint: env.LIVE_ENDPOINT, liveEndpointIsLocal: env.LIVE_ENDPOINT.startsWith('http://') }
      : {}),
    ...agentPool(env),
    ...(env.WIDGET_JWKS_LOOPBACK_HTTP === '1' ? { widgetJwksLoopbackHttp: true } : {}),
    notifyFrom: env.NOTIFY_FROM || 'Go!Chat <no-reply@gochat.invalid>',
    inboxUrl: env.INBOX_URL || 'http://127.0.0.1:5173',
    notifyGatherSeconds: positiveInt(env, 'NOTIFY_GATHER_SECONDS', 60),
  };
  if (need.includes('eventBus') && !config.eventBusName) required(env, 'EVENT_BUS_NAME');
  if (need.includes('stateMachine') && !config.stateMachineArn) required(env, 'STATE_MACHINE_ARN');
  if (need.includes('live') && !config.liveEndpoint) required(env, 'LIVE_ENDPOINT');
  if (need.includes('replyToken') && !config.replyTokenSecret && !config.replyTokenSecretArn)
    throw new ConfigError('missing environment variable REPLY_TOKEN_SECRET or REPLY_TOKEN_SECRET_ARN');
  return config;
}
