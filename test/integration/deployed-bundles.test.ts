/**
 * The deployed bundles, end to end: the ingest and API Lambdas built by lib/bundling/bundle.ts exactly
 * as `cdk synth` builds them (ESM, code splitting, built-ins through the banner's `require`, the semver
 * shim), each handler run in a child Node process of its own, as Lambda runs `index.handler`, against
 * DynamoDB Local, s3rver and the local SES. Unit and integration tests run the TypeScript sources; this
 * is what proves the bundles themselves work, their lazy chunks (html-to-text, nodemailer, the SES
 * client) included.
 *
 * The child reports one JSON document on stdout: every invocation's result, and the bundle files that
 * its ES module loader loaded at import and during each invocation (a `module.registerHooks` load
 * hook), so a chunk loaded on first use is seen to load then, and not before.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BuildResult, Metafile } from 'esbuild';
import { simpleParser } from 'mailparser';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { s3Client } from '#adapters/s3-mail-store.ts';
import { SDK_CALL_LOG_ENV } from '#adapters/sdk-call-recorder.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { createApiKey } from '#api/use-cases/admin.ts';
import type { MessageItem } from '#core/model.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { bundleFunction, ENTRY_FILE, filesReadAtImport } from '#lib/bundling/bundle.ts';
import { type S3Local, startS3Local } from '#lib/local/s3-local.ts';
import { type SesLocal, startSesLocal } from '#lib/local/ses-local.ts';
import { buildSesReceiptEvent } from '#lib/local/ses-receipt-event.ts';
import { repoPath } from '#lib/paths.ts';
import { apiEvent } from '../support/api.ts';
import { freshTable } from '../support/ddb.ts';
import { composeMail, newMessageId } from '../support/mail.ts';
import { checkResponse } from '../support/openapi.ts';

const REGION = 'eu-west-1';
const BUCKET = 'gochat-bundles-test';
const SECRET = 'bundle-test-reply-token-secret-0123456789';
const CUSTOMER = 'ann@client.example';

/**
 * Run in the child (`--input-type=module -e`): imports the bundle's entry, invokes its handler once per
 * event (one warm container), and writes one JSON report on stdout. Anything else written to stdout
 * (a stray log line) goes to stderr, so stdout carries the report only.
 */
const RUNNER = `
import { registerHooks } from 'node:module';
const dir = process.env.GOCHAT_BUNDLE_URL;
const loaded = [];
const hooks = typeof registerHooks === 'function';
if (hooks)
  registerHooks({
    load(url, context, nextLoad) {
      if (url.startsWith(dir)) loaded.push(url.slice(dir.length));
      return nextLoad(url, context);
    },
  });
const writeReport = process.stdout.write.bind(process.stdout);
process.stdout.write = (...args) => process.stderr.write(...args);
const context = {
  functionName: process.env.GOCHAT_FUNCTION,
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:${REGION}:000000000000:function:' + process.env.GOCHAT_FUNCTION,
  memoryLimitInMB: '1024',
  awsRequestId: 'bundle-test',
  logGroupName: '/aws/lambda/' + process.env.GOCHAT_FUNCTION,
  logStreamName: 'bundle-test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30000,
};
const report = { hooks, atImport: [], invocations: [] };
try {
  const { handler } = await import(dir + process.env.GOCHAT_ENTRY);
  report.atImport = loaded.splice(0);
  for (const event of JSON.parse(process.env.GOCHAT_EVENTS)) {
    try {
      report.invocations.push({ result: await handler(event, context), chunks: loaded.splice(0) });
    } catch (e) {
      report.invocations.push({ error: String(e && e.stack ? e.stack : e), chunks: loaded.splice(0) });
    }
  }
} catch (e) {
  report.importError = String(e && e.stack ? e.stack : e);
}
writeReport(JSON.stringify(report) + '\\n', () => process.exit(0));
`;

interface Invocation {
  result?: any;
  error?: string;
  /** Bundle files (relative to its folder) first loaded during this invocation. */
  chunks: string[];
}

interface RunnerReport {
  hooks: boolean;
  importError?: string;
  /** Bundle files loaded by the import of the entry. */
  atImport: string[];
  invocations: Invocation[];
}

interface Bundle {
  dir: string;
  /** Every output file (basename) with the repository inputs that went into it. */
  outputs: Array<{ file: string; inputs: string[] }>;
  /** The files an import of the entry reads (its static chunks), basenames. */
  readAtImport: string[];
}

let workDir: string;
let ingestBundle: Bundle;
let apiBundle: Bundle;
let table: { endpoint: string; tableName: string; db: DynamoDBDocumentClient };
let s3Local: S3Local;
let s3: S3Client;
let sesLocal: SesLocal;
let threads: DynamoThreadStore;
let queries: DynamoThreadQueries;
let admin: DynamoAdminStore;
let workspaceId: string;
let address: string;

async function build(name: 'ingest' | 'api'): Promise<Bundle> {
  const dir = join(workDir, name);
  const result = (await bundleFunction(repoPath('functions', `${name}.ts`), dir, {
    options: { logLevel: 'silent', metafile: true },
  })) as BuildResult & { metafile: Metafile };
  expect(result.errors).toEqual([]);
  return {
    dir,
    outputs: Object.entries(result.metafile.outputs).map(([file, out]) => ({
      file: basename(file),
      inputs: Object.keys(out.inputs),
    })),
    readAtImport: filesReadAtImport(result).map((f) => basename(f)),
  };
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'gochat-bundles-'));
  // The two builds and the three local services start together: the whole setup is a few seconds.
  [ingestBundle, apiBundle, table, s3Local, sesLocal] = await Promise.all([
    build('ingest'),
    build('api'),
    freshTable(),
    startS3Local({ bucket: BUCKET }),
    startSesLocal(),
  ]);
  secretsManager = await startSecretsManager();
  s3 = s3Client({ region: 'local', endpoints: { s3: s3Local.endpoint } });
  threads = new DynamoThreadStore(table.db, table.tableName);
  queries = new DynamoThreadQueries(table.db, table.tableName);
  admin = new DynamoAdminStore(table.db, table.tableName);
  workspaceId = ulid();
  address = `support-${workspaceId.toLowerCase()}@acme.example`;
  await admin.createWorkspace({ workspaceId, name: 'Acme', createdAt: new Date().toISOString() }, [address]);
});

afterAll(async () => {
  s3?.destroy();
  table?.db.destroy();
  await Promise.all([s3Local?.stop(), sesLocal?.stop()]);
  secretsManager?.server.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:gochat-reply-token-AbCdEf';
let secretsManager: { server: Server; endpoint: string; requests: { target: string; body: any }[] };

/**
 * Secrets Manager's GetSecretValue as the SDK speaks it (JSON 1.1), on loopback: the deployed functions
 * are given the secret's ARN, not the secret, so the first mail reads it through the client's chunk.
 */
async function startSecretsManager(): Promise<typeof secretsManager> {
  const requests: { target: string; body: any }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      requests.push({ target: String(req.headers['x-amz-target']), body });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'gochat-reply-token', SecretString: SECRET, VersionId: 'v1' }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** The environment of a deployed function, given explicitly (nothing of this process's is inherited). */
function lambdaEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: workDir,
    TABLE_NAME: table.tableName,
    MAIL_BUCKET: BUCKET,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
    AWS_ENDPOINT_URL_S3: s3Local.endpoint,
    AWS_ENDPOINT_URL_SES: sesLocal.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    REPLY_TOKEN_SECRET_ARN: SECRET_ARN,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}

/** Runs the bundle in `dir` in a fresh Node process: its handler, once per event; returns the child's report. */
async function runBundle(bundle: Bundle, functionName: string, events: unknown[]): Promise<RunnerReport> {
  const env = {
    ...lambdaEnv(),
    GOCHAT_BUNDLE_URL: `${pathToFileURL(bundle.dir).href}/`,
    GOCHAT_ENTRY: ENTRY_FILE,
    GOCHAT_FUNCTION: functionName,
    GOCHAT_EVENTS: JSON.stringify(events),
    // As the stack sets it; the SDK call recorder (npm run iam:record) names the calls by it.
    POWERTOOLS_SERVICE_NAME: functionName,
    ...(process.env[SDK_CALL_LOG_ENV] ? { [SDK_CALL_LOG_ENV]: process.env[SDK_CALL_LOG_ENV] } : {}),
  };
  // Asynchronous: s3rver and the local SES answer from this very process.
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', RUNNER], {
      env,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `the ${functionName} bundle's process failed: ${err.message}\nstdout: ${err.stdout}\nstderr: ${err.stderr}`,
    );
  }
  let report: RunnerReport;
  try {
    // The whole of stdout is the report: nothing else may be printed there.
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`the ${functionName} bundle's stdout is not one JSON report:\n${stdout}\nstderr: ${stderr}`);
  }
  expect(report.importError, `import of the ${functionName} bundle\nstderr: ${stderr}`).toBeUndefined();
  expect(report.hooks, 'module.registerHooks (Node >= 22.15) in the child').toBe(true);
  // The entry's own loads are seen, so an empty chunk list later means "nothing loaded", not "not seen".
  expect(report.atImport).toContain(ENTRY_FILE);
  for (const [i, inv] of report.invocations.entries())
    expect(inv.error, `invocation ${i} of the ${functionName} bundle\nstderr: ${stderr}`).toBeUndefined();
  expect(report.invocations).toHaveLength(events.length);
  return report;
}

/** Does what SES does: stores the raw mail at `inbound/<id>`, then runs the ingest bundle on its event. */
async function deliver(raw: Buffer): Promise<{ report: RunnerReport; outcome: any }> {
  const sesMessageId = ulid().toLowerCase();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${sesMessageId}`, Body: raw }));
  const event = await buildSesReceiptEvent({
    raw,
    messageId: sesMessageId,
    envelopeFrom: CUSTOMER,
    recipients: [address],
  });
  const report = await runBundle(ingestBundle, 'gochat-ingest', [event]);
  const out = report.invocations[0].result;
  expect(out.disposition).toBe('CONTINUE');
  expect(out.results).toHaveLength(1);
  expect(out.results[0].unroutable).toBe(false);
  expect(out.results[0].workspaces).toHaveLength(1);
  return { report, outcome: out.results[0].workspaces[0] };
}

async function messages(threadId: string): Promise<MessageItem[]> {
  const page = await threads.listFeed(workspaceId, threadId, { limit: 100 });
  expect(page.cursor).toBeUndefined();
  return page.items.filter((i): i is MessageItem => i.type === 'message');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const SUBJECT = 'Café order #1042';
const FIRST_ID = newMessageId();
const SECOND_ID = newMessageId();
let threadId: string;

describe('the deployed ingest bundle', () => {
  it('ingests an HTML-only Gmail reply: a thread, its quote cut, its entities decoded', async () => {
    const raw = await composeMail({
      from: `Ann Client <${CUSTOMER}>`,
      to: address,
      subject: SUBJECT,
      messageId: FIRST_ID,
      html:
        '<div dir="ltr">Our caf&eacute; order arrived &amp; the invoice too.<br>Can we pay by card next time?</div><br>' +
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 23, 2026 at 9:00 AM Acme Support ' +
        `&lt;${address}&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;` +
        'border-left:1px solid rgb(204,204,204);padding-left:1ex">Your caf&eacute; order &amp; its invoice have shipped.' +
        '</blockquote></div>',
    });
    expect(raw.toString()).toMatch(/^Content-Type: text\/html/m);
    expect(raw.toString()).not.toMatch(/^Content-Type: text\/plain/m);
    const { outcome } = await deliver(raw);
    expect(outcome).toMatchObject({ workspaceId, outcome: 'created' });
    // The secret was read once, by its ARN, through the Secrets Manager client's chunk.
    expect(secretsManager.requests).toEqual([
      { target: 'secretsmanager.GetSecretValue', body: expect.objectContaining({ SecretId: SECRET_ARN }) },
    ]);

    // What the table holds, read with the repository's own adapters.
    const list = await queries.listThreads(workspaceId, {}, { limit: 10 });
    expect(list.items.map((t) => t.threadId)).toEqual([outcome.threadId]);
    threadId = outcome.threadId;
    const thread = await threads.getThread(workspaceId, threadId);
    expect(thread).toMatchObject({ subject: SUBJECT, messageCount: 1, lastMessageId: FIRST_ID });
    const [message] = await messages(threadId);
    expect(message).toMatchObject({ direction: 'inbound', messageId: FIRST_ID, subject: SUBJECT });
    expect(message.from.address).toBe(CUSTOMER);
    // The reply without its quote, the entities decoded (é, &), in the order written.
    expect(oneLine(message.newText)).toBe('Our café order arrived & the invoice too. Can we pay by card next time?');
    // The full text (html-to-text on the HTML-only mail) keeps the quote, decoded too.
    expect(oneLine(message.text)).toContain('Your café order & its invoice have shipped.');
    expect(message.html).toContain('gmail_quote');
  });

  it('threads a reply to that mail (In-Reply-To) into the same thread', async () => {
    expect(threadId).toBeDefined();
    const raw = await composeMail({
      from: `Ann Client <${CUSTOMER}>`,
      to: address,
      subject: `Re: ${SUBJECT}`,
      messageId: SECOND_ID,
      inReplyTo: FIRST_ID,
      references: [FIRST_ID],
      date: new Date('2026-11-23T11:00:00Z'),
      html:
        '<div dir="ltr">Also: the r&eacute;sum&eacute; &lt;PDF&gt; is attached to the other mail.</div><br>' +
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Nov 23, 2026 at 10:00 AM Ann Client ' +
        `&lt;${CUSTOMER}&gt; wrote:<br></div><blockquote class="gmail_quote">Our caf&eacute; order arrived.</blockquote></div>`,
    });
    const { outcome } = await deliver(raw);
    expect(outcome).toMatchObject({ workspaceId, threadId, outcome: 'appended', via: 'header' });

    const list = await queries.listThreads(workspaceId, {}, { limit: 10 });
    expect(list.items.map((t) => t.threadId)).toEqual([threadId]);
    const thread = await threads.getThread(workspaceId, threadId);
    expect(thread).toMatchObject({ messageCount: 2, lastMessageId: SECOND_ID });
    const feed = await messages(threadId);
    expect(feed.map((m) => m.messageId)).toEqual([FIRST_ID, SECOND_ID]);
    expect(oneLine(feed[1].newText)).toBe('Also: the résumé <PDF> is attached to the other mail.');
  });
});

describe('the deployed API bundle', () => {
  it('lists the thread (GET /v1/threads), then sends an agent reply through the local SES, its client loaded on first use', async () => {
    expect(threadId).toBeDefined();
    const key = await createApiKey({ admin, clock: systemClock, ids: ulidGenerator }, workspaceId, 'bundle test');
    const auth = { Authorization: `Bearer ${key.apiKey}` };
    const replyText = 'Yes, card works: the café takes Visa & Mastercard.';
    const sentBefore = sesLocal.captured().length;

    // Both requests in one process: one warm container, as Lambda would reuse it.
    const report = await runBundle(apiBundle, 'gochat-api', [
      apiEvent({ method: 'GET', path: '/v1/threads', headers: auth }),
      apiEvent({
        method: 'POST',
        path: `/v1/threads/${threadId}/messages`,
        headers: { ...auth, 'X-Agent-Id': 'agent-7' },
        body: { text: replyText },
      }),
    ]);
    const [list, send] = report.invocations.map((inv) => ({
      status: inv.result.statusCode as number,
      body: JSON.parse(inv.result.body),
      chunks: inv.chunks,
    }));

    // GET /v1/threads: 200, the ingested thread, as the OpenAPI document describes it.
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(checkResponse('GET', '/v1/threads', list.status, list.body)).toEqual([]);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ threadId, subject: SUBJECT, messageCount: 2 });

    // POST …/messages: 201, and the mail reached the local SES.
    expect(send.status, JSON.stringify(send.body)).toBe(201);
    expect(checkResponse('POST', '/v1/threads/{threadId}/messages', send.status, send.body)).toEqual([]);
    expect(send.body).toMatchObject({ direction: 'outbound', text: replyText, to: [{ address: CUSTOMER }] });
    const sent = sesLocal.captured().slice(sentBefore);
    expect(sent).toHaveLength(1);
    const mail = await simpleParser(sent[0].raw);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value.map((a) => a.address) : []).toEqual([CUSTOMER]);
    expect(mail.from?.value.map((a) => a.address)).toEqual([address]);
    expect(mail.subject).toMatch(new RegExp(`^Re: ${SUBJECT} \\[#[^\\]]+\\]$`));
    expect(mail.inReplyTo).toBe(SECOND_ID);
    // The answer, then the customer's last message quoted under its attribution (on by default: docs/outbound-mail.md).
    const [answer, quote] = (mail.text ?? '').split(/\n\nOn [^\n]+ wrote:\n/);
    expect(answer.trim()).toBe(replyText);
    expect(quote).toMatch(/^> /);
    // The Reply-To carries a reply token signed with the function's REPLY_TOKEN_SECRET, for this thread.
    const replyTo = mail.replyTo && !Array.isArray(mail.replyTo) ? mail.replyTo.value[0].address : undefined;
    expect(replyTo && new ReplyTokens(SECRET).verify(replyTo, workspaceId)).toBe(threadId);

    // The table records the send, with the MessageId that the local SES returned.
    const outbound = (await messages(threadId)).filter((m) => m.direction === 'outbound');
    expect(outbound).toHaveLength(1);
    expect(outbound[0].itemId).toBe(send.body.itemId);
    expect(outbound[0].delivery).toMatchObject({ state: 'sent', sesMessageId: sent[0].sesMessageId });

    // The SES client's chunk: outside what a cold start reads, loaded by the first send and not before.
    const sesChunks = apiBundle.outputs
      .filter((o) => o.inputs.some((i) => /functions\/adapters\/ses-sender\.ts$|@aws-sdk\/client-ses\//.test(i)))
      .map((o) => o.file);
    expect(sesChunks.length).toBeGreaterThan(0);
    for (const chunk of sesChunks) {
      expect(apiBundle.readAtImport).not.toContain(chunk);
      expect(report.atImport).not.toContain(chunk);
      expect(list.chunks).not.toContain(chunk);
      expect(send.chunks).toContain(chunk);
    }
  });
});
