/**
 * `npm start`: the whole pipeline on this machine, with no AWS account (lib/local/stack.ts).
 * `npm run outbox` (`tsx bin/local.ts outbox`): lists the outbound mail that the local SES captured.
 * Configuration: GOCHAT_* environment variables, documented in docs/local.md.
 */
import { join, resolve } from 'node:path';
import { discoveryFile, writeDiscovery } from '#lib/local/discovery.ts';
import { listOutbox, type OutboxEntry } from '#lib/local/ses-local.ts';
import { DEFAULTS, type LocalStack, startLocalStack } from '#lib/local/stack.ts';
import { buildWebApp } from '#lib/local/web-server.ts';

const env = process.env;

function port(name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got ${value}`);
  return n;
}

function timeScale(): number {
  const value = env.GOCHAT_TIME_SCALE;
  if (value === undefined || value === '') return DEFAULTS.timeScale;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`GOCHAT_TIME_SCALE must be a positive number, got ${value}`);
  return n;
}

const inMemory = env.GOCHAT_IN_MEMORY === '1' || env.GOCHAT_IN_MEMORY === 'true' || env.GOCHAT_DATA_DIR === 'memory';
const dataDir = inMemory ? 'memory' : resolve(env.GOCHAT_DATA_DIR || DEFAULTS.dataDir);
/** The local SES (and its web page) keeps a fixed port, so that `npm run outbox` and bookmarks find it. */
const sesPort = port('GOCHAT_SES_PORT', 8005);

function printOutbox(entries: Array<Partial<OutboxEntry> & { sesMessageId?: string }>): void {
  if (entries.length === 0) {
    console.log('No outbound mail captured yet.');
    return;
  }
  for (const e of entries) {
    console.log(`${e.at}  ${e.subject ?? '(no subject)'}`);
    console.log(`    to: ${e.to ?? ''}   from: ${e.from ?? ''}`);
    console.log(`    reply-to: ${e.replyTo ?? ''}`);
    if (e.inReplyTo) console.log(`    in-reply-to: ${e.inReplyTo}`);
    console.log(`    message-id: ${e.messageId ?? ''}`);
    if (e.file) console.log(`    ${e.file}`);
  }
}

async function outbox(): Promise<void> {
  if (dataDir !== 'memory') return printOutbox(listOutbox(join(dataDir, 'outbox')));
  // In memory, the files live in a temporary folder: ask the running local SES instead.
  const res = await fetch(`http://127.0.0.1:${sesPort}/outbox`).catch(() => undefined);
  if (!res?.ok) throw new Error(`no local SES answers on port ${sesPort}: is npm start running?`);
  printOutbox(((await res.json()) as { emails: OutboxEntry[] }).emails);
}

function banner(stack: LocalStack): string {
  const smtp = `${stack.smtp.host}:${stack.smtp.port}`;
  return [
    '',
    'Go!Chat mail is running locally (no AWS account involved).',
    '',
    ...(stack.web ? [`Inbox             ${stack.web.url}   (the agent Inbox: sign in as the agent below)`] : []),
    `  Agent sign-in   ${stack.agents.devAgent.email} / ${stack.agents.devAgent.password}   (admin of the workspace)`,
    `  REST API        ${stack.api.url}/v1   (header: Authorization: Bearer <key>)`,
    `  API key         ${stack.apiKey}`,
    `  Live updates    ${stack.live.url}   (subprotocols gochat.v1 + gochat.bearer.<key>; docs/live.md)`,
    `  Cognito (local) ${stack.endpoints.cognito}   pool ${stack.agents.userPoolId}   client ${stack.agents.clientId}`,
    `  SMTP inbound    ${smtp}   (plays SES receipt for @${stack.inboundAddress.split('@')[1]})`,
    `  Inbound address ${stack.inboundAddress}   (workspace ${stack.workspaceId})`,
    `  Outbound mail   ${stack.ses.webUrl}   and ${stack.ses.outboxDir}/*.eml   (npm run outbox)`,
    `  DynamoDB Local  ${stack.endpoints.dynamodb}   table ${stack.tableName}`,
    `  S3 (s3rver)     ${stack.endpoints.s3}   bucket ${stack.bucket}`,
    `  EventBridge     ${stack.endpoints.events}`,
    ...(stack.endpoints.sfn ? [`  Step Functions  ${stack.endpoints.sfn}`] : []),
    `  Time scale      ${stack.timeScale}× ${stack.timeScale === 1 ? '(GOCHAT_TIME_SCALE=86400 makes a day pass in a second)' : ''}`,
    `  Data            ${stack.dataDir === 'memory' ? 'in memory (gone at exit)' : stack.dataDir}`,
    '',
    `Widget demo  ${stack.widget.demoUrl}   (end users: ?user=alice or ?user=bob; widget at ${stack.widget.url}/widget/widget.js)`,
    '',
    `Try it: \`npm run demo\`, or send any mail to ${stack.inboundAddress} through SMTP at ${smtp}.`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

async function start(): Promise<void> {
  const started = Date.now();
  // Until the stack is up, a signal just exits: the exit hook of DynamoDB Local kills its Java process.
  const exitEarly = () => process.exit(130);
  process.once('SIGINT', exitEarly);
  process.once('SIGTERM', exitEarly);
  // The Inbox is built from web/ on every start (Vite: a second or two), so it always matches the code.
  await buildWebApp();
  const stack = await startLocalStack({
    dataDir,
    web: { port: port('GOCHAT_WEB_PORT', DEFAULTS.webPort) },
    timeScale: timeScale(),
    inboundAddress: env.GOCHAT_INBOUND_ADDRESS || undefined,
    apiKey: env.GOCHAT_API_KEY || undefined,
    ports: {
      api: port('GOCHAT_API_PORT', DEFAULTS.apiPort),
      smtp: port('GOCHAT_SMTP_PORT', DEFAULTS.smtpPort),
      live: port('GOCHAT_LIVE_PORT', DEFAULTS.livePort),
      ses: sesPort,
      dynamodb: port('GOCHAT_DYNAMODB_PORT', 0),
      s3: port('GOCHAT_S3_PORT', 0),
      widget: port('GOCHAT_WIDGET_PORT', 8790),
      demo: port('GOCHAT_DEMO_PORT', 8791),
      cognito: port('GOCHAT_COGNITO_PORT', 0),
    },
    log: (line) => console.log(`[local] ${line}`),
  });
  const discovery = discoveryFile(dataDir);
  const forget = writeDiscovery(discovery, stack);
  process.once('exit', forget);
  console.log(banner(stack));
  console.log(`\`npx gochat\` finds this stack through ${discovery}.`);
  console.log(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: leave at once; the exit hook still kills DynamoDB Local's Java process.
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.off('SIGINT', exitEarly);
  process.off('SIGTERM', exitEarly);
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

const command = process.argv[2];
(command === 'outbox' ? outbox() : start()).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
