/**
 * The whole pipeline on one machine, on loopback, with no AWS account: DynamoDB Local, s3rver, the local
 * SES, a local EventBridge, the lifecycle state machine on a scaled clock fed by the table's stream, the
 * REST API and the SMTP endpoint that plays SES inbound. The handlers are the very ones deployed to AWS,
 * pointed at the local endpoints by the SDK's `AWS_ENDPOINT_URL_<SERVICE>` variables.
 *
 * `npm start` (bin/local.ts) and the e2e test both run this, so both exercise the same stack.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { s3Client } from '#adapters/s3-mail-store.ts';
import { asFunction } from '#adapters/sdk-call-recorder.ts';
import { wireMessageIdFor } from '#adapters/ses-sender.ts';
import { generateApiKey, hashApiKey, parseApiKey } from '#core/api-keys.ts';
import { AlreadyExistsError } from '#core/errors.ts';
import { REPO_ROOT } from '../paths.ts';
import { type ApiHandler, type ApiServer, startApiServer } from './api-server.ts';
import { type CognitoLocal, DEV_AGENT, ensureDevAgent, startCognitoLocal } from './cognito-local.ts';
import { ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { type EventBridgeLocal, startEventBridgeLocal } from './eventbridge-local.ts';
import { type DispatchHandler, startLocalLifecycle } from './lifecycle-runtime.ts';
import { type LiveHandler, type LiveServer, startLiveServer } from './live-server.ts';
import { startS3Local } from './s3-local.ts';
import { type SesLocal, startSesLocal } from './ses-local.ts';
import { type IngestHandler, localLambdaContext, type SmtpInbound, startSmtpInbound } from './smtp-inbound.ts';
import type { LocalStepFunctions } from './stepfunctions-runner.ts';
import { StreamPoller } from './stream-poller.ts';
import { startWebServer } from './web-server.ts';
import { startWidgetLocal, type WidgetLocal } from './widget-local.ts';

export const DEFAULTS = {
  dataDir: join(REPO_ROOT, '.gochat', 'data'),
  apiPort: 8787,
  webPort: 8780,
  smtpPort: 2525,
  livePort: 8788,
  timeScale: 1,
  inboundAddress: 'support@gochat.localhost',
  workspaceName: 'Local development',
  /** A well-formed development key (`gck_<keyId>_<64 hex>`); it only ever opens the local workspace. */
  apiKey: `gck_localdevelopmentkey_${'de7e10'.repeat(10)}dede`,
  tableName: 'gochat-local',
  bucket: 'gochat-local-mail',
  eventBusName: 'gochat-local',
  region: 'us-east-1',
} as const;

export interface LocalStackOptions {
  /** Folder that keeps the data across restarts; `'memory'` keeps nothing. */
  dataDir?: string;
  /** Fixed ports; 0 or absent picks a free one (the API and SMTP default to 8787 and 2525 in bin/local.ts). */
  ports?: {
    api?: number;
    smtp?: number;
    dynamodb?: number;
    s3?: number;
    ses?: number;
    events?: number;
    sfn?: number;
    /** The widget's Go!Chat origin and the demo host page (lib/local/widget-local.ts). */
    widget?: number;
    demo?: number;
    live?: number;
    cognito?: number;
  };
  /** How much faster the state machine's Wait states run: 86400 makes a day pass in a second. */
  timeScale?: number;
  inboundAddress?: string;
  apiKey?: string;
  /** Log lines of the local runtime (not the handlers' own logs). */
  log?: (line: string) => void;
  /** Serve the built Inbox web app (web/dist) with `/v1` on the same origin (lib/local/web-server.ts). */
  web?: { port?: number };
}

export interface LocalStack {
  region: string;
  dataDir: string | 'memory';
  tableName: string;
  bucket: string;
  workspaceId: string;
  inboundAddress: string;
  apiKey: string;
  timeScale: number;
  api: { url: string; port: number };
  smtp: { host: string; port: number; received: SmtpInbound['received']; drain: SmtpInbound['drain'] };
  /** Live updates: the WebSocket URL clients connect to, and the management endpoint (docs/live.md). */
  live: { url: string; endpoint: string; connections: LiveServer['connections'] };
  ses: SesLocal;
  events: EventBridgeLocal;
  /** The local Step Functions runner: executions, their histories and state transitions. */
  stepFunctions: LocalStepFunctions;
  /** The widget's origin (`/widget/widget.js`, the frame, `/v1/`) and the demo host page. */
  widget: { url: string; demoUrl: string };
  endpoints: { dynamodb: string; s3: string; ses: string; events: string; sfn: string; cognito: string; live: string };
  /** The handlers' environment: what `npx gochat` needs to reach this stack (bin/local.ts writes it down). */
  env: Record<string, string>;
  /** The agents' user pool (cognito-local) and the development agent, an admin of the default workspace. */
  agents: {
    userPoolId: string;
    clientId: string;
    issuer: string;
    devAgent: { agentId: string; email: string; password: string };
  };
  /** The Inbox web app, when `web` was asked for. */
  web?: { url: string; port: number };
  stop(): Promise<void>;
}

/**
 * s3rver only knows its own `S3RVER` key pair; the handlers sign with the `local` credentials that every
 * local endpoint takes, so register that pair with s3rver's (process-wide) account registry too.
 */
function allowLocalCredentialsOnS3rver(): void {
  const account = createRequire(import.meta.url)('s3rver/lib/models/account.js');
  account.DUMMY_ACCOUNT.createKeyPair('local', 'local');
}

/** Endpoints that the handler modules were first loaded with: their clients live for the process. */
let loadedWith: string | undefined;

function readOrCreateSecret(file: string | undefined): string {
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  if (file) writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Creates the default workspace and the development key, or finds them (idempotent across restarts). */
async function ensureDefaultWorkspace(
  admin: DynamoAdminStore,
  inboundAddress: string,
  apiKey: string,
): Promise<{ workspaceId: string; created: boolean }> {
  const parsed = parseApiKey(apiKey);
  if (!parsed) throw new Error(`GOCHAT_API_KEY is not a well-formed key (gck_<keyId>_<64 hex>): ${apiKey}`);
  const at = new Date().toISOString();
  let workspaceId = await admin.routeAddress(inboundAddress);
  let created = false;
  if (!workspaceId) {
    workspaceId = ulid();
    try {
      await admin.createWorkspace({ workspaceId, name: DEFAULTS.workspaceName, createdAt: at }, [inboundAddress]);
      created = true;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      workspaceId = (await admin.routeAddress(inboundAddress))!;
    }
  }
  const hash = hashApiKey(apiKey);
  const existing = await admin.findApiKeyByHash(hash);
  if (existing && existing.workspaceId !== workspaceId)
    throw new Error(`the API key belongs to another workspace (${existing.workspaceId})`);
  if (!existing) {
    const { displayPrefix } = generateApiKey(parsed.keyId);
    await admin
      .createApiKey(workspaceId, { keyId: parsed.keyId, name: 'local development', displayPrefix, createdAt: at }, hash)
      .catch((e: Error) => {
        if (e.name !== 'TransactionCanceledException') throw e;
      });
  }
  return { workspaceId, created };
}

/**
 * The receipt rule, locally: it matches the domains of every known inbound address (SES rules name
 * domains), read from the table and cached for a moment.
 */
function receiptRule(admin: DynamoAdminStore): (address: string) => Promise<boolean> {
  let cache: { at: number; domains: Set<string> } | undefined;
  return async (address) => {
    if (!cache || Date.now() - cache.at > 2_000) {
      const domains = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await admin.listWorkspaces({ limit: 100, cursor });
        for (const ws of page.items)
          for (const a of await admin.listInboundAddresses(ws.workspaceId))
            domains.add(a.address.slice(a.address.lastIndexOf('@') + 1).toLowerCase());
        cursor = page.cursor;
      } while (cursor);
      cache = { at: Date.now(), domains };
    }
    return cache.domains.has(address.slice(address.lastIndexOf('@') + 1).toLowerCase());
  };
}

interface Handlers {
  /** The environment the handlers were loaded with (what a Lambda of the stack would have). */
  env: Record<string, string>;
  endpoints: LocalStack['endpoints'];
  ingest: IngestHandler;
  api: ApiHandler;
  workflowStep: (event: unknown, context: unknown) => Promise<unknown>;
  dispatch: DispatchHandler;
  live: LiveHandler;
  liveFanout: DispatchHandler;
}

/**
 * Points the Lambdas' configuration at the local endpoints and loads their entry files. They read it
 * once, at import: a process loads them for one set of endpoints only.
 */
async function loadHandlers(
  endpoints: LocalStack['endpoints'],
  stateMachineArn: string,
  secretFile: string | undefined,
  pool: Pick<CognitoLocal, 'issuer' | 'clientId' | 'userPoolId'>,
  slaStateMachineArn?: string,
): Promise<Handlers> {
  const signature = JSON.stringify(endpoints);
  if (loadedWith && loadedWith !== signature)
    throw new Error('the handlers were loaded with other endpoints in this process: restart on the same ports');
  const env = {
    TABLE_NAME: DEFAULTS.tableName,
    AGENT_POOL_ISSUER: pool.issuer,
    AGENT_POOL_CLIENT_IDS: pool.clientId,
    AGENT_POOL_ID: pool.userPoolId,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
    MAIL_BUCKET: DEFAULTS.bucket,
    EVENT_BUS_NAME: DEFAULTS.eventBusName,
    REPLY_TOKEN_SECRET: readOrCreateSecret(secretFile),
    AWS_REGION: DEFAULTS.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    LIVE_ENDPOINT: endpoints.live,
    STATE_MACHINE_ARN: stateMachineArn,
    // One machine, no AWS: a host's JWKS may be served on loopback over plain http (never set by CDK).
    WIDGET_JWKS_LOOPBACK_HTTP: '1',
    ...(slaStateMachineArn ? { SLA_STATE_MACHINE_ARN: slaStateMachineArn } : {}),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // The metrics are computed as on AWS, but not printed: no CloudWatch here to read the EMF lines.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
  };
  Object.assign(process.env, env);
  delete process.env.REPLY_TOKEN_SECRET_ARN;
  delete process.env.AWS_PROFILE;
  const handlers: Handlers = {
    env,
    endpoints,
    // Each runs as its function, so the SDK calls it makes are recorded under its name (sdk-call-recorder.ts).
    ingest: asFunction('gochat-ingest', (await import('#functions/ingest.ts')).handler) as unknown as IngestHandler,
    api: asFunction('gochat-api', (await import('#functions/api.ts')).handler) as unknown as ApiHandler,
    workflowStep: asFunction('gochat-workflow-step', (await import('#functions/workflow-step.ts')).handler) as never,
    dispatch: asFunction('gochat-dispatch', (await import('#functions/dispatch.ts')).handler) as never,
    live: asFunction('gochat-live', (await import('#functions/live.ts')).handler),
    liveFanout: asFunction('gochat-live-fanout', (await import('#functions/live-fanout.ts')).handler),
  };
  loadedWith = signature;
  return handlers;
}

/** Starts the stack; `stop()` ends every part, the Java process of DynamoDB Local included. */
export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const memory = opts.dataDir === 'memory';
  const dataDir = memory ? 'memory' : resolve(opts.dataDir ?? DEFAULTS.dataDir);
  const scratch = memory ? mkdtempSync(join(tmpdir(), 'gochat-local-')) : undefined;
  const dir = (name: string) => join(scratch ?? dataDir, name);
  if (!memory) mkdirSync(dataDir, { recursive: true });
  const timeScale = opts.timeScale ?? DEFAULTS.timeScale;
  const inboundAddress = (opts.inboundAddress ?? DEFAULTS.inboundAddress).toLowerCase();
  const apiKey = opts.apiKey ?? DEFAULTS.apiKey;
  const region = DEFAULTS.region;
  const ports = opts.ports ?? {};

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch((e) => log(`stop: ${String(e)}`));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };

  try {
    // cognito-local starts in its own process while DynamoDB Local warms up.
    const cognitoStarting = startCognitoLocal({ dir: dir('cognito'), port: ports.cognito || undefined, region });
    cognitoStarting.then((c) => stops.push(() => c.stop())).catch(() => {});
    const ddb = await startDynamoDbLocal({
      port: ports.dynamodb || undefined,
      dataDir: memory ? undefined : dir('dynamodb'),
    });
    stops.push(() => ddb.stop());
    allowLocalCredentialsOnS3rver();
    const s3 = await startS3Local({
      bucket: DEFAULTS.bucket,
      port: ports.s3 || undefined,
      dataDir: memory ? undefined : dir('s3'),
    });
    stops.push(() => s3.stop());
    const ses = await startSesLocal({
      port: ports.ses || undefined,
      outboxDir: dir('outbox'),
      wireMessageId: (id) => wireMessageIdFor(id, region),
    });
    stops.push(() => ses.stop());
    const events = await startEventBridgeLocal({
      port: ports.events || undefined,
      onEvent: (e) => {
        const d = (e.detail ?? {}) as { threadId?: string; detail?: unknown };
        log(`event ${e.detailType ?? ''} thread ${d.threadId ?? '-'} ${JSON.stringify(d.detail ?? {}).slice(0, 140)}`);
      },
    });
    stops.push(() => events.stop());

    const raw = new DynamoDBClient({
      region,
      endpoint: ddb.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(raw, DEFAULTS.tableName);
    raw.destroy();
    const db = documentClient({ region, endpoints: { dynamodb: ddb.endpoint } });
    stops.push(async () => db.destroy());
    const admin = new DynamoAdminStore(db, DEFAULTS.tableName);
    const { workspaceId } = await ensureDefaultWorkspace(admin, inboundAddress, apiKey);
    const cognito = await cognitoStarting;
    const devAgent = await ensureDevAgent(cognito, db, DEFAULTS.tableName, workspaceId);

    // API Gateway's WebSocket API: it starts first, so the fan-out's LIVE_ENDPOINT is known when the
    // handlers load; it calls the live handler once that is loaded.
    let handlers: Handlers | undefined;
    const live = await startLiveServer({
      port: ports.live ?? 0,
      handler: () => {
        if (!handlers) throw new Error('live handler not loaded yet');
        return handlers.live;
      },
      log,
    });
    stops.push(() => live.stop());

    // The state machine runs the very definition the stack deploys; its Task invokes the workflow-step
    // handler in process, once that is loaded (in `dispatch` below, after the environment is set).
    const lifecycle = await startLocalLifecycle({
      ddbEndpoint: ddb.endpoint,
      tableName: DEFAULTS.tableName,
      region,
      timeScale,
      sfnPort: ports.sfn || 0,
      workflowStep: (payload) => {
        if (!handlers) throw new Error('workflow-step handler not loaded yet');
        return handlers.workflowStep(payload, localLambdaContext('gochat-workflow-step', region));
      },
      onExecutionEvent: (execution, event) => {
        if (event.type === 'ExecutionFailed') log(`execution ${execution.name} failed: ${JSON.stringify(event)}`);
      },
      dispatch: async (sfn) => {
        const loaded = await loadHandlers(
          {
            dynamodb: ddb.endpoint,
            s3: s3.endpoint,
            ses: ses.endpoint,
            events: events.endpoint,
            sfn: sfn.endpoint,
            live: live.endpoint,
            cognito: cognito.endpoint,
          },
          sfn.stateMachineArn,
          memory ? undefined : dir('reply-token-secret'),
          cognito,
          sfn.slaStateMachineArn,
        );
        handlers = loaded;
        return (event) => loaded.dispatch(event);
      },
      // The event source mapping reads from the trim horizon, so that a restart schedules again the
      // timers of threads that were waiting.
      stream: { intervalMs: 200, onError: (e) => log(`stream poller: ${String(e)}`) },
    });
    stops.push(() => lifecycle.close());
    const stepFunctions = lifecycle.runner;
    const endpoints = handlers!.endpoints;
    const { ingest, api: apiHandler, liveFanout } = handlers!;

    // The fan-out's own event source mapping on the stream (the dispatcher's is the other), from the
    // latest record: a restart has no connection to tell about the past.
    const fanoutPoller = new StreamPoller({
      endpoint: ddb.endpoint,
      tableName: DEFAULTS.tableName,
      region,
      handler: liveFanout,
      startAt: 'LATEST',
      intervalMs: 100,
      onError: (e) => log(`live fan-out: ${String(e)}`),
    });
    await fanoutPoller.start();
    stops.push(() => fanoutPoller.stop());

    const rawS3 = s3Client({ region, endpoints: { s3: s3.endpoint } });
    stops.push(async () => rawS3.destroy());
    let smtpPort = 0;
    const info = () => ({
      workspaceId,
      inboundAddress,
      timeScale,
      smtp: { host: '127.0.0.1', port: smtpPort },
      outbound: { webUrl: ses.webUrl, outbox: `${ses.endpoint}/outbox`, outboxDir: ses.outboxDir },
      // What a local Inbox needs to sign agents in (cognito-local, USER_PASSWORD_AUTH).
      agents: { cognitoEndpoint: cognito.endpoint, region, userPoolId: cognito.userPoolId, clientId: cognito.clientId },
    });
    const api: ApiServer = await startApiServer({ port: ports.api ?? 0, region, handler: apiHandler, info, log });
    stops.push(() => api.stop());
    const smtp = await startSmtpInbound({
      port: ports.smtp ?? 0,
      region,
      s3: rawS3,
      bucket: DEFAULTS.bucket,
      matchesRecipient: receiptRule(admin),
      ingest,
      log,
    });
    stops.push(() => smtp.stop());
    smtpPort = smtp.port;
    const widget: WidgetLocal = await startWidgetLocal({
      workspaceId,
      region,
      api: apiHandler,
      admin,
      db,
      tableName: DEFAULTS.tableName,
      ...(memory ? {} : { keyFile: dir('widget-demo-key.json') }),
      ports: { widget: ports.widget ?? 0, demo: ports.demo ?? 0 },
      log,
    });
    stops.push(() => widget.stop());
    const web = opts.web
      ? await startWebServer({
          port: opts.web.port ?? 0,
          apiUrl: api.url,
          // Sign-in goes to the local user pool through the same origin, as the app calls Cognito on AWS.
          proxies: { '/_cognito/': cognito.endpoint },
          connect: [live.url],
          config: {
            defaultWorkspaceId: workspaceId,
            cognitoEndpoint: '/_cognito/',
            cognitoClientId: cognito.clientId,
            liveUrl: live.url,
          },
        })
      : undefined;
    if (web) stops.push(() => web.stop());

    return {
      region,
      dataDir,
      tableName: DEFAULTS.tableName,
      bucket: DEFAULTS.bucket,
      workspaceId,
      inboundAddress,
      apiKey,
      timeScale,
      api: { url: api.url, port: api.port },
      smtp: { host: smtp.host, port: smtp.port, received: smtp.received, drain: smtp.drain },
      live: { url: live.url, endpoint: live.endpoint, connections: live.connections },
      ses,
      events,
      stepFunctions,
      endpoints,
      widget: { url: widget.url, demoUrl: widget.demoUrl },
      env: handlers!.env,
      agents: {
        userPoolId: cognito.userPoolId,
        clientId: cognito.clientId,
        issuer: cognito.issuer,
        devAgent: { agentId: devAgent.agentId, email: DEV_AGENT.email, password: DEV_AGENT.password },
      },
      ...(web ? { web: { url: web.url, port: web.port } } : {}),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
