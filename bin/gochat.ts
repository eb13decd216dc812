#!/usr/bin/env -S npx tsx
/**
 * The ops command line: `npx gochat <command>`. Works against AWS or the local stack: TABLE_NAME names
 * the table, and AWS_ENDPOINT_URL_DYNAMODB (if set) points at DynamoDB Local. Without TABLE_NAME (or with
 * `--local`), it finds the stack that `npm start` runs through its discovery file (lib/local/discovery.ts).
 *
 *   gochat workspace create --name <name> --inbound <address> [--inbound <address> ...]
 *   gochat workspace list
 *   gochat workspace add-inbound --workspace <id> --address <address> [--display-name <name>]
 *   gochat mailbox list --workspace <id>
 *   gochat mailbox set --workspace <id> --address <address> [--display-name <name>] [--from-format agentFromMailbox|mailbox]
 *                      [--signature <template>]   (an empty value removes the name or the signature)
 *   gochat signature set --workspace <id> --text <template>   (the workspace's signature; empty removes it)
 *   gochat api-key create --workspace <id> --name <name>
 *   gochat agent create --workspace <id> --email <e> --name <n> [--role admin|agent|readonly] [--password <p>]
 *   gochat agent list --workspace <id>
 *   gochat replay --message-id <sesMessageId> [--recipient <address> ...]
 *
 * `replay` re-runs ingest on a raw mail kept in the bucket (MAIL_BUCKET, and the ingest Lambda's env):
 * it rebuilds the SES receipt event and calls the same ingest handler in-process. Ingest is idempotent,
 * so replaying a mail that did get in changes nothing. Without --recipient, the envelope recipients are
 * taken from Delivered-To / X-Original-To, else To and Cc.
 *
 * Workspaces exist only through here: no API key can create one.
 */
import { parseArgs } from 'node:util';
import { documentClient } from '#adapters/aws-clients.ts';
import { CognitoAgentPool, cognitoClient } from '#adapters/cognito-agent-pool.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { DynamoMailboxStore } from '#adapters/dynamo/mailbox-store.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { checkInboundAddress, createApiKey, ensureAddressFree, provisionWorkspace } from '#api/use-cases/admin.ts';
import { agentView, provisionAgent } from '#api/use-cases/agents.ts';
import { checkSignature, FROM_FORMATS, type FromFormat, MAILBOX_LIMITS } from '#core/mailboxes.ts';
import { validateTemplate } from '#core/templates.ts';
import { discoveryFile, readDiscovery } from '#lib/local/discovery.ts';
import { offDomainRecipients } from '#lib/mail-domain.ts';
import { isEntryPoint } from '#lib/paths.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage:
  gochat workspace create --name <name> --inbound <address> [--inbound <address> ...]
  gochat workspace list
  gochat workspace add-inbound --workspace <id> --address <address> [--display-name <name>]
  gochat mailbox list --workspace <id>
  gochat mailbox set --workspace <id> --address <address> [--display-name <name>]
                     [--from-format agentFromMailbox|mailbox] [--signature <template>]  (empty: remove)
  gochat signature set --workspace <id> --text <template>   (the workspace's signature; empty: remove)
  gochat api-key create --workspace <id> --name <name>
  gochat agent create --workspace <id> --email <e> --name <n> [--role admin|agent|readonly] [--password <p>]
                      [--username <an existing user, e.g. a federated Platform_123>]
  gochat agent list --workspace <id>
  gochat replay --message-id <sesMessageId> [--recipient <address> ...]
  --local: use the stack that \`npm start\` runs (the default when TABLE_NAME is not set)
env: TABLE_NAME, AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB (local); agents: AGENT_POOL_ID;
     MAIL_DOMAIN: refuse inbound addresses off the SES-verified mail domain (docs/deploy.md)`;

/** Runs one command; returns the exit code. Exported so tests drive the very same code path. */
export async function main(
  argv: string[],
  givenEnv: Record<string, string | undefined> = process.env,
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      inbound: { type: 'string', multiple: true },
      workspace: { type: 'string' },
      address: { type: 'string' },
      'message-id': { type: 'string' },
      recipient: { type: 'string', multiple: true },
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      username: { type: 'string' },
      'display-name': { type: 'string' },
      'from-format': { type: 'string' },
      signature: { type: 'string' },
      text: { type: 'string' },
      local: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || !command) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  let env = givenEnv;
  if (values.local || !env.TABLE_NAME) {
    const local = readDiscovery(env.GOCHAT_DATA_DIR);
    if (local) env = { ...env, ...local.env };
    else if (values.local) {
      io.err(`no local stack is running (no live ${discoveryFile(env.GOCHAT_DATA_DIR)}): start it with npm start`);
      return 2;
    }
  }
  const tableName = env.TABLE_NAME;
  if (!tableName) {
    io.err('TABLE_NAME is not set, and no local stack is running (npm start)');
    return 2;
  }
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
  const db = documentClient({ region, ...(endpoint ? { endpoints: { dynamodb: endpoint } } : {}) });
  const admin = new DynamoAdminStore(db, tableName);
  const deps = { admin, clock: systemClock, ids: ulidGenerator };
  const need = (v: string | undefined, flag: string) => {
    if (!v) throw new UsageError(`--${flag} is required`);
    return v;
  };
  const mailboxes = new DynamoMailboxStore(db, tableName);
  const nameOk = (name: string | null | undefined) => {
    if (name && name.trim().length > MAILBOX_LIMITS.displayNameChars)
      throw new UsageError(`--display-name is at most ${MAILBOX_LIMITS.displayNameChars} characters`);
    return name;
  };
  /** An address must be on the SES-verified mail domain, when the deployment names it. */
  const onMailDomain = (address: string) => {
    if (env.MAIL_DOMAIN && offDomainRecipients(env.MAIL_DOMAIN, [address]).length > 0)
      throw new UsageError(`${address} is not on the mail domain ${env.MAIL_DOMAIN}: SES could not send from it`);
    return address;
  };
  try {
    switch (command) {
      case 'workspace create': {
        const out = await provisionWorkspace(deps, {
          name: need(values.name, 'name'),
          inbound: (values.inbound ?? []).map(onMailDomain),
        });
        io.out(JSON.stringify({ workspaceId: out.workspace.workspaceId, apiKey: out.apiKey, keyId: out.keyId }));
        return 0;
      }
      case 'workspace list': {
        let cursor: string | undefined;
        const workspaces = [];
        do {
          const page = await admin.listWorkspaces({ limit: 100, ...(cursor ? { cursor } : {}) });
          for (const w of page.items)
            workspaces.push({
              ...w,
              inboundAddresses: (await admin.listInboundAddresses(w.workspaceId)).map((a) => a.address),
            });
          cursor = page.cursor;
        } while (cursor);
        io.out(JSON.stringify(workspaces));
        return 0;
      }
      case 'workspace add-inbound': {
        const workspaceId = need(values.workspace, 'workspace');
        const address = onMailDomain(checkInboundAddress(need(values.address, 'address')));
        const name = nameOk(values['display-name']?.trim());
        if (!(await admin.getWorkspace(workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
        await ensureAddressFree(admin, address);
        const at = systemClock.now().toISOString();
        await admin.addInboundAddress(workspaceId, address, at);
        if (name) await mailboxes.update(workspaceId, address, { displayName: name }, at);
        io.out(JSON.stringify({ workspaceId, address }));
        return 0;
      }
      case 'mailbox list': {
        io.out(JSON.stringify(await mailboxes.list(need(values.workspace, 'workspace'))));
        return 0;
      }
      case 'mailbox set': {
        const workspaceId = need(values.workspace, 'workspace');
        const address = need(values.address, 'address');
        const format = values['from-format'];
        if (format !== undefined && !FROM_FORMATS.includes(format as FromFormat))
          throw new UsageError(`--from-format is one of ${FROM_FORMATS.join(', ')}`);
        const orNull = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v);
        const signature = orNull(values.signature);
        if (signature) {
          checkSignature(signature);
          validateTemplate(signature);
        }
        const displayName = nameOk(orNull(values['display-name']?.trim()));
        const patch = {
          ...(displayName !== undefined ? { displayName } : {}),
          ...(format ? { fromFormat: format as FromFormat } : {}),
          ...(signature !== undefined ? { signature } : {}),
        };
        const updated = await mailboxes.update(workspaceId, address, patch, systemClock.now().toISOString());
        if (!updated) throw new UsageError(`${address} is not an inbound address of workspace ${workspaceId}`);
        io.out(JSON.stringify(updated));
        return 0;
      }
      case 'signature set': {
        const workspaceId = need(values.workspace, 'workspace');
        if (!(await admin.getWorkspace(workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
        const text = values.text?.trim() ? values.text : null;
        if (text) {
          checkSignature(text);
          validateTemplate(text);
        }
        await mailboxes.putSignature(workspaceId, { kind: 'workspace' }, text, systemClock.now().toISOString());
        io.out(JSON.stringify({ workspaceId, signature: text }));
        return 0;
      }
      case 'api-key create': {
        const workspaceId = need(values.workspace, 'workspace');
        if (!(await admin.getWorkspace(workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
        const key = await createApiKey(deps, workspaceId, need(values.name, 'name'));
        io.out(JSON.stringify({ workspaceId, keyId: key.keyId, apiKey: key.apiKey }));
        return 0;
      }
      case 'agent create': {
        const workspaceId = need(values.workspace, 'workspace');
        if (!(await admin.getWorkspace(workspaceId))) throw new UsageError(`no workspace ${workspaceId}`);
        const userPoolId = env.AGENT_POOL_ID;
        if (!userPoolId) throw new UsageError('AGENT_POOL_ID is not set (the stack output AgentUserPoolId)');
        const cognitoEndpoint = env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER;
        const cognito = cognitoClient({ region, ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}) });
        try {
          const out = await provisionAgent(
            {
              pool: new CognitoAgentPool(cognito, userPoolId),
              agents: new DynamoAgentStore(db, tableName),
              clock: systemClock,
            },
            {
              workspaceId,
              email: need(values.email, 'email'),
              name: need(values.name, 'name'),
              ...(values.role ? { role: values.role } : {}),
              ...(values.password ? { password: values.password } : {}),
              ...(values.username ? { username: values.username } : {}),
            },
          );
          io.out(JSON.stringify({ ...agentView(out.profile), workspaceId, created: out.created }));
        } finally {
          cognito.destroy();
        }
        return 0;
      }
      case 'agent list': {
        const workspaceId = need(values.workspace, 'workspace');
        const agents = await new DynamoAgentStore(db, tableName).listAgents(workspaceId);
        io.out(JSON.stringify(agents.map(agentView)));
        return 0;
      }
      case 'replay': {
        const messageId = need(values['message-id'], 'message-id');
        if (!/^[A-Za-z0-9._-]+$/.test(messageId)) throw new UsageError('--message-id is an SES message id');
        io.out(JSON.stringify(await replay(messageId, values.recipient ?? [], env)));
        return 0;
      }
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    io.err(e instanceof UsageError ? `${e.message}\n${USAGE}` : `error: ${(e as Error).message}`);
    return e instanceof UsageError ? 2 : 1;
  } finally {
    db.destroy();
  }
}

class UsageError extends Error {}

/** Re-invokes ingest on `inbound/<messageId>` (see the header comment). */
async function replay(messageId: string, recipients: string[], env: Record<string, string | undefined>) {
  const bucket = env.MAIL_BUCKET;
  if (!bucket) throw new UsageError('MAIL_BUCKET is not set');
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { S3MailStore, s3Client } = await import('#adapters/s3-mail-store.ts');
  const { DEFAULT_INBOUND_PREFIX } = await import('#adapters/ses-event.ts');
  const { parseMail } = await import('#core/mime.ts');
  const { buildSesReceiptEvent } = await import('#lib/local/ses-receipt-event.ts');
  const s3 = s3Client({
    region,
    ...(env.AWS_ENDPOINT_URL_S3 ? { endpoints: { s3: env.AWS_ENDPOINT_URL_S3 } } : {}),
  });
  const raw = await new S3MailStore(s3, bucket).getRaw(`${DEFAULT_INBOUND_PREFIX}${messageId}`);
  const parsed = await parseMail(raw);
  const header = (name: string) => (parsed.headers[name] ?? []).map((v) => v.replace(/^.*<|>.*$/g, '').trim());
  const envelope = recipients.length
    ? recipients
    : [...header('delivered-to'), ...header('x-original-to')].filter(Boolean).length
      ? [...header('delivered-to'), ...header('x-original-to')].filter(Boolean)
      : [...parsed.to, ...parsed.cc].map((a) => a.address);
  if (envelope.length === 0) throw new UsageError('no recipients found: pass --recipient');
  const event = await buildSesReceiptEvent({
    raw,
    messageId,
    envelopeFrom: header('return-path')[0] ?? parsed.from?.address ?? '',
    recipients: envelope,
  });
  // The ingest handler reads its configuration from the environment at import time.
  Object.assign(process.env, env);
  const { handler } = await import('#functions/ingest.ts');
  return handler(event as never, { awsRequestId: `replay-${messageId}` } as never);
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
