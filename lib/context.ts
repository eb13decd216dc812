import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { StatusPolicy } from '#core/model.ts';
import type { GoChatProps } from './go-chat.ts';
import type { DataEncryption } from './go-chat-data.ts';
import type { LogLevel } from './go-chat-function.ts';
import type { RuleSetConfig } from './inbound-rule.ts';
import { inboxUrlOf, notifyFromOf } from './notify-settings.ts';

/** Every CDK context key the app reads (`cdk deploy -c gochat:mailDomain=…` or cdk.json). */
export const CONTEXT_KEYS = {
  stackName: 'gochat:stackName',
  region: 'gochat:region',
  mailDomain: 'gochat:mailDomain',
  recipients: 'gochat:recipients',
  ruleSet: 'gochat:ruleSet',
  ruleSetName: 'gochat:ruleSetName',
  ruleAfter: 'gochat:ruleAfter',
  requireTls: 'gochat:requireTls',
  alarmEmail: 'gochat:alarmEmail',
  encryption: 'gochat:encryption',
  policy: 'gochat:policy',
  eventBusName: 'gochat:eventBusName',
  logLevel: 'gochat:logLevel',
  logRetentionDays: 'gochat:logRetentionDays',
  mailRetentionDays: 'gochat:mailRetentionDays',
  ingestReservedConcurrency: 'gochat:ingestReservedConcurrency',
  notifyFrom: 'gochat:notifyFrom',
  inboxUrl: 'gochat:inboxUrl',
} as const;

export interface AppConfig {
  stackName: string;
  region?: string;
  goChat: GoChatProps;
}

export class ContextError extends Error {
  override name = 'ContextError';
}

/** `-c key=a,b` arrives as a string, cdk.json may hold an array. */
function list(value: unknown): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function bool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return value === true || value === 'true';
}

function int(key: string, value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ContextError(`${key} must be a non-negative integer, got ${value}`);
  return n;
}

function json<T>(key: string, value: unknown): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new ContextError(`${key} must be JSON, got ${value}`);
  }
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value as T))
    throw new ContextError(`${key} must be one of ${allowed.join(', ')}, got ${value}`);
  return value as T;
}

/** Reads and validates the app's configuration from CDK context; fails synth with a clear message. */
export function configFromContext(node: Node): AppConfig {
  const get = (key: string) => node.tryGetContext(key);
  const mailDomain = get(CONTEXT_KEYS.mailDomain);
  if (!mailDomain) throw new ContextError(`set the mail domain: -c ${CONTEXT_KEYS.mailDomain}=support.example.com`);

  const mode = oneOf(CONTEXT_KEYS.ruleSet, get(CONTEXT_KEYS.ruleSet), ['create-and-activate', 'existing'] as const);
  let ruleSet: RuleSetConfig = { mode: 'create-and-activate' };
  if (mode === 'existing') {
    const ruleSetName = get(CONTEXT_KEYS.ruleSetName);
    if (!ruleSetName) throw new ContextError(`${CONTEXT_KEYS.ruleSet}=existing needs ${CONTEXT_KEYS.ruleSetName}`);
    ruleSet = { mode: 'existing', ruleSetName, after: get(CONTEXT_KEYS.ruleAfter) || undefined };
  }

  const retentionDays = int(CONTEXT_KEYS.logRetentionDays, get(CONTEXT_KEYS.logRetentionDays));
  if (retentionDays !== undefined && !Object.values(logs.RetentionDays).includes(retentionDays))
    throw new ContextError(
      `${CONTEXT_KEYS.logRetentionDays} must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, …)`,
    );

  return {
    stackName: get(CONTEXT_KEYS.stackName) || 'GoChat',
    region: get(CONTEXT_KEYS.region) || undefined,
    goChat: {
      mailDomain,
      recipients: list(get(CONTEXT_KEYS.recipients)),
      ruleSet,
      requireTls: bool(get(CONTEXT_KEYS.requireTls)),
      alarmEmail: get(CONTEXT_KEYS.alarmEmail) || undefined,
      encryption: oneOf<DataEncryption>(CONTEXT_KEYS.encryption, get(CONTEXT_KEYS.encryption), [
        'aws-managed',
        'customer-managed',
      ]),
      policyDefaults: json<Partial<StatusPolicy>>(CONTEXT_KEYS.policy, get(CONTEXT_KEYS.policy)),
      eventBusName: get(CONTEXT_KEYS.eventBusName) || undefined,
      logLevel: oneOf<LogLevel>(CONTEXT_KEYS.logLevel, get(CONTEXT_KEYS.logLevel), ['DEBUG', 'INFO', 'WARN', 'ERROR']),
      logRetention: retentionDays as logs.RetentionDays | undefined,
      mailRetentionDays: int(CONTEXT_KEYS.mailRetentionDays, get(CONTEXT_KEYS.mailRetentionDays)),
      ingestReservedConcurrency: int(
        CONTEXT_KEYS.ingestReservedConcurrency,
        get(CONTEXT_KEYS.ingestReservedConcurrency),
      ),
      ...notifySettings(mailDomain, get(CONTEXT_KEYS.notifyFrom), get(CONTEXT_KEYS.inboxUrl)),
    },
  };
}

/** Notification mail's From and the Inbox's URL, checked now so that synth fails with the context key's name. */
function notifySettings(mailDomain: string, notifyFrom: unknown, inboxUrl: unknown) {
  const out: { notifyFrom?: string; inboxUrl?: string } = {};
  if (notifyFrom !== undefined && notifyFrom !== '') {
    try {
      out.notifyFrom = notifyFromOf(mailDomain, String(notifyFrom));
    } catch (e) {
      throw new ContextError(`${CONTEXT_KEYS.notifyFrom}: ${(e as Error).message}`);
    }
  }
  if (inboxUrl !== undefined && inboxUrl !== '') {
    try {
      out.inboxUrl = inboxUrlOf(String(inboxUrl));
    } catch (e) {
      throw new ContextError(`${CONTEXT_KEYS.inboxUrl}: ${(e as Error).message}`);
    }
  }
  return out;
}
