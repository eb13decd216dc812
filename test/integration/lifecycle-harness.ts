/**
 * The lifecycle on one machine, for tests: DynamoDB Local (a fresh table) with its stream polled into
 * the real dispatch handler, the real Step Functions starter talking to the local SFN endpoint, which
 * runs THE state machine file on a fast clock, whose Task calls the real workflow-step handler, which
 * sends through the real SES adapter to aws-ses-v2-local. Only the mail bucket is in memory.
 */
import type { Server } from 'node:http';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import sesLocalModule from 'aws-ses-v2-local';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { MemoryPublisher } from '#adapters/event-publisher.ts';
import { SesMailSender, sesClient } from '#adapters/ses-sender.ts';
import type { SfnWorkflowStarter } from '#adapters/sfn-starter.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { IngestMail } from '#core/ingest.ts';
import type { Actor, FeedItem, MessageItem, StatusPolicy, Thread, WorkspaceSettings } from '#core/model.ts';
import { type SendMessageInput, sendMessage } from '#core/outbound.ts';
import type { MailSender, MailStore } from '#core/ports.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { DEFAULT_SETTINGS } from '#core/settings.ts';
import { withStatus } from '#core/thread-state.ts';
import type { TimerDeps } from '#core/timers.ts';
import { type FaultProxy, type FaultRule, startFaultProxy } from '#lib/local/fault-proxy.ts';
import { lifecycleHandlers, startLocalLifecycle } from '#lib/local/lifecycle-runtime.ts';
import { freePort } from '#lib/local/net.ts';
import type { LocalStepFunctions } from '#lib/local/stepfunctions-runner.ts';
import type { StreamPoller } from '#lib/local/stream-poller.ts';
import { freshTable } from '../support/ddb.ts';

// A CommonJS default export: tsx hands over the module object, vitest the function.
type StartSes = (config: { host: string; port: number }) => Promise<import('node:http').Server>;
const sesLocal = ((sesLocalModule as unknown as { default?: StartSes }).default ??
  sesLocalModule) as unknown as StartSes;

export const DAY = 86_400;

export class MemoryMailStore implements MailStore {
  readonly objects = new Map<string, Buffer>();
  async getRaw(key: string) {
    const v = this.objects.get(key);
    if (!v) throw new Error(`no object ${key}`);
    return v;
  }
  async putObject(key: string, body: Buffer) {
    this.objects.set(key, body);
  }
  async presignDownload(key: string) {
    return `memory://${key}`;
  }
}

export interface SentMail {
  raw: Buffer;
  from: string;
  destinations: string[];
  providerMessageId: string;
  /** Test hook: what the test knew when the send began (e.g. whether a reply had been recorded). */
  note?: unknown;
}

/** The real SES adapter, recording every raw mail it hands to SES (aws-ses-v2-local keeps no headers). */
export class RecordingSender implements MailSender {
  readonly sent: SentMail[] = [];
  onSend?: (input: { raw: Buffer; destinations: string[] }) => unknown;
  constructor(private readonly inner: MailSender) {}
  async sendRaw(input: { raw: Buffer; from: string; destinations: string[] }) {
    const note = this.onSend?.(input);
    const out = await this.inner.sendRaw(input);
    this.sent.push({ ...input, providerMessageId: out.providerMessageId, note });
    return out;
  }
  wireMessageId(id: string) {
    return this.inner.wireMessageId(id);
  }
}

export interface Harness {
  tableName: string;
  deps: TimerDeps;
  admin: DynamoAdminStore;
  threads: DynamoThreadStore;
  mail: MemoryMailStore;
  sender: RecordingSender;
  events: MemoryPublisher;
  runner: LocalStepFunctions;
  /** The real Step Functions adapter, pointed at the local endpoint. */
  starter: SfnWorkflowStarter;
  poller: StreamPoller;
  ingest: IngestMail;
  sesEndpoint: string;
  /** Creates a workspace (with its inbound address and policy) and returns its ids. */
  workspace(
    policy?: Partial<StatusPolicy>,
    settings?: Partial<WorkspaceSettings>,
  ): Promise<{ ws: string; address: string }>;
  /** A customer's first mail: a new thread. */
  customerWrites(ws: string, address: string, from: string, subject: string): Promise<string>;
  /** A raw inbound mail through the real ingest use case. */
  inbound(recipients: string[], raw: Buffer): Promise<Awaited<ReturnType<IngestMail['ingest']>>>;
  agentSends(
    input: Partial<SendMessageInput> & { workspaceId: string; threadId: string; to: string[] },
  ): Promise<MessageItem>;
  /** An agent closes the thread: the status change committed straight to the store. */
  closeThread(ws: string, threadId: string, actor?: Actor): Promise<void>;
  feed(ws: string, threadId: string): Promise<FeedItem[]>;
  /** Waits until every status change is dispatched and every execution has ended. */
  settle(timeoutMs?: number): Promise<void>;
  /** The fault proxies in front of the table, SES and Step Functions, when asked for. */
  faults: { dynamodb?: FaultProxy; ses?: FaultProxy; sfn?: FaultProxy };
  /** Errors the stream's dispatch reported (a record retried from). */
  dispatchErrors: unknown[];
  close(): Promise<void>;
}

let sesServer: Promise<{ server: Server; endpoint: string }> | undefined;

/** One aws-ses-v2-local per test file (its store is per process), on a free loopback port. */
export function startLocalSes() {
  sesServer ??= (async () => {
    const port = await freePort();
    const server = await sesLocal({ host: '127.0.0.1', port });
    return { server, endpoint: `http://127.0.0.1:${port}` };
  })();
  return sesServer;
}

export async function startHarness(opts: {
  timeScale: number;
  region?: string;
  /** Throttle a share of the handlers' calls (lib/local/fault-proxy.ts); the stream is read directly. */
  faults?: { dynamodb?: FaultRule; ses?: FaultRule; sfn?: FaultRule };
}): Promise<Harness> {
  const table = await freshTable();
  const { tableName, endpoint } = table;
  const ses = await startLocalSes();
  const region = opts.region ?? 'eu-west-1';
  const faults: Harness['faults'] = {};
  if (opts.faults?.dynamodb) faults.dynamodb = await startFaultProxy(endpoint, opts.faults.dynamodb);
  if (opts.faults?.ses) faults.ses = await startFaultProxy(ses.endpoint, opts.faults.ses);
  const db = faults.dynamodb
    ? documentClient({ region: 'local', endpoints: { dynamodb: faults.dynamodb.endpoint } })
    : table.db;
  const threads = new DynamoThreadStore(db, tableName);
  const admin = new DynamoAdminStore(db, tableName);
  const mail = new MemoryMailStore();
  const sender = new RecordingSender(
    new SesMailSender(sesClient({ region, endpoints: { ses: faults.ses?.endpoint ?? ses.endpoint } }), region),
  );
  const events = new MemoryPublisher();
  const replyTokens = new ReplyTokens('a-test-secret-of-enough-length');
  const deps: TimerDeps = {
    threads,
    directory: admin,
    templates: admin,
    mail,
    sender,
    sends: new DynamoSendStore(db, tableName),
    events,
    replyTokens,
    clock: systemClock,
    ids: ulidGenerator,
  };
  const dispatchErrors: unknown[] = [];
  const life = await startLocalLifecycle({
    ddbEndpoint: endpoint,
    tableName,
    timeScale: opts.timeScale,
    ...lifecycleHandlers(deps, admin),
    stream: { intervalMs: 15, onError: (e) => dispatchErrors.push(e) },
    ...(opts.faults?.sfn
      ? {
          sfnVia: async (sfnEndpoint: string) => {
            faults.sfn = await startFaultProxy(sfnEndpoint, opts.faults!.sfn!);
            return faults.sfn.endpoint;
          },
        }
      : {}),
  });
  const ingest = new IngestMail({
    threads,
    directory: admin,
    mail,
    tokens: replyTokens,
    clock: systemClock,
    events,
    maxMailBytes: 10 * 1024 * 1024,
  });

  const inbound: Harness['inbound'] = async (recipients, raw) => {
    const sesMessageId = ulid().toLowerCase();
    await mail.putObject(`inbound/${sesMessageId}`, raw);
    return ingest.ingest({ sesMessageId, rawKey: `inbound/${sesMessageId}`, recipients });
  };

  return {
    tableName,
    deps,
    admin,
    threads,
    mail,
    sender,
    events,
    runner: life.runner,
    starter: life.starter,
    poller: life.poller,
    ingest,
    sesEndpoint: ses.endpoint,
    async workspace(policy = {}, settings = {}) {
      const ws = ulid();
      const address = `support-${ws.toLowerCase()}@mail.example.com`;
      await admin.createWorkspace({ workspaceId: ws, name: `ws ${ws}`, createdAt: new Date().toISOString() }, [
        address,
      ]);
      const full: WorkspaceSettings = {
        ...DEFAULT_SETTINGS,
        sendCapPerAddress: 1000,
        ...settings,
        policy: { ...DEFAULT_SETTINGS.policy, ...policy },
      };
      await db.send(
        new PutCommand({ TableName: tableName, Item: { ...keys.settings(ws), entity: 'settings', ...full } }),
      );
      return { ws, address };
    },
    async customerWrites(ws, address, from, subject) {
      const raw = await new MailComposer({
        from,
        to: address,
        subject,
        text: 'Hello, I need help with my account.',
        messageId: `<${ulid().toLowerCase()}@customer.example.com>`,
      })
        .compile()
        .build();
      const out = await inbound([address], raw);
      const created = out.workspaces.find((w) => w.workspaceId === ws);
      if (!created) throw new Error(`mail not ingested into ${ws}: ${JSON.stringify(out)}`);
      return created.threadId;
    },
    inbound,
    agentSends(input) {
      return sendMessage(deps, {
        text: 'Could you send us the signed form?',
        actor: { kind: 'agent', id: 'agent-1' },
        ...input,
      });
    },
    async closeThread(ws, threadId, actor = { kind: 'agent', id: 'agent-1' }) {
      const thread = (await threads.getThread(ws, threadId)) as Thread;
      const closed = withStatus(thread, { status: 'closed' }, { itemId: ulid(), at: new Date().toISOString(), actor })!;
      await threads.commit({ before: thread, after: closed.thread, items: [closed.item] });
    },
    async feed(ws, threadId) {
      const items: FeedItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await threads.listFeed(ws, threadId, { limit: 100, cursor });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      return items;
    },
    settle: (timeoutMs) => life.settle(timeoutMs),
    faults,
    dispatchErrors,
    async close() {
      await life.close();
      await Promise.all(Object.values(faults).map((f) => f.stop()));
      if (dispatchErrors.length) console.warn('dispatch errors', dispatchErrors);
    },
  };
}

/** The status/reminder update items of a feed, as `field:from->to` strings: the exact audit trail. */
export function trail(feed: FeedItem[]): string[] {
  return feed.map((i) => {
    if (i.type === 'update') return `${i.field}:${JSON.stringify(i.from)}->${JSON.stringify(i.to)}`;
    if (i.type === 'message')
      return `${i.direction}${i.automated ? '(auto)' : ''}${i.delivery ? `[${i.delivery.state}]` : ''}`;
    return i.type;
  });
}
