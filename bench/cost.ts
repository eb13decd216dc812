/**
 * `npm run bench -- cost`: what one thread costs, measured. Each operation runs through the repository's
 * own use cases and adapters against DynamoDB Local, with `ReturnConsumedCapacity: 'INDEXES'` set on
 * every call (a middleware on the table client), which DynamoDB Local computes as DynamoDB does: units
 * of the table and of each GSI, per operation. The other services are counted per operation from the
 * code path (one GetObject per inbound mail, one PutObject and one SendRawEmail per sent mail, two state
 * transitions per lifecycle execution: statemachine/lifecycle.asl.json), Lambda GB-seconds from the
 * memory configured in lib/go-chat.ts and the wall time of the operation here (in process, on this
 * machine: an estimate, not Lambda's billed duration). Prices: bench/prices.ts.
 *
 *   npx tsx bench/cost.ts
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ulid } from 'ulid';
import type { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { keys, LIST_SHARDS } from '#adapters/dynamo/keys.ts';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { DynamoViewCounts } from '#adapters/dynamo/view-counts.ts';
import { noopPublisher } from '#adapters/event-publisher.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { IngestMail } from '#core/ingest.ts';
import { tokenize } from '#core/keywords.ts';
import type { Thread } from '#core/model.ts';
import { sendMessage } from '#core/outbound.ts';
import type { MailSender, MailStore } from '#core/ports.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { DEFAULT_SETTINGS } from '#core/settings.ts';
import { withStatus } from '#core/thread-state.ts';
import { localTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { PRICES, PRICES_AS_OF } from './prices.ts';

/** Units of one operation: DynamoDB's, and the requests to the other services on its path. */
export interface OperationCost {
  op: string;
  /** Median over the runs. */
  readUnits: number;
  writeUnits: number;
  /** The table's write units as DynamoDB bills the same requests (modelledWriteUnits; transactions × 2). */
  billedTableWriteUnits: number;
  /** Of which: GSI units (the list facets, keyword and contact indexes). */
  indexWriteUnits: number;
  calls: number;
  ms: number;
  /** The function that runs it and its configured memory (lib/go-chat.ts). */
  lambda: { fn: string; memoryMb: number };
  s3Get: number;
  s3Put: number;
  sesSend: number;
  sesReceive: number;
  apiRequests: number;
  events: number;
  /** Step Functions executions started by the status change it makes (the dispatcher's). */
  executions: number;
}

interface Consumed {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<
    string,
    { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }
  >;
}

/** Sums what the table reports, per operation being measured. */
class CapacityMeter {
  read = 0;
  write = 0;
  indexWrite = 0;
  calls = 0;
  /** Table write units as DynamoDB bills the requests (modelledWriteUnits): DynamoDB Local does not, for transactions. */
  modelWrite = 0;

  reset() {
    this.read = this.write = this.indexWrite = this.calls = this.modelWrite = 0;
  }

  add(consumed: Consumed | Consumed[] | undefined, kind: 'read' | 'write') {
    this.calls++;
    for (const c of [consumed ?? []].flat()) {
      const total = c.CapacityUnits ?? 0;
      // A transaction reports reads and writes apart; a plain call only CapacityUnits.
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        this.read += c.ReadCapacityUnits ?? 0;
        this.write += c.WriteCapacityUnits ?? 0;
      } else if (kind === 'read') this.read += total;
      else this.write += total;
      for (const g of Object.values(c.GlobalSecondaryIndexes ?? {}))
        if (kind === 'write') this.indexWrite += g.WriteCapacityUnits ?? g.CapacityUnits ?? 0;
    }
  }
}

/**
 * An item's size as DynamoDB counts it: the UTF-8 bytes of each attribute name and value; a number takes
 * about 1 byte per 2 digits plus 1; a boolean or null 1 byte; a list or map 3 bytes plus 1 per element.
 */
export function itemBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace(/[.-]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null || value === undefined) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return 3 + [...value].reduce((n: number, v) => n + itemBytes(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + itemBytes(v),
      0,
    )
  );
}
const topLevelBytes = (item: Record<string, unknown>) => itemBytes(item) - 3 - Object.keys(item).length;

/**
 * The table's write units of one request as DynamoDB bills them (developer guide, "Read/write capacity
 * mode"): 1 per KB of each item put (rounded up per item), 1 for a delete or an update of an item under
 * 1 KB, and twice that for every item of a transaction (a ConditionCheck included). Index units are not
 * modelled: DynamoDB Local's are reported.
 */
export function modelledWriteUnits(op: string, input: Record<string, unknown>): number {
  const units = (item?: Record<string, unknown>) => (item ? Math.max(1, Math.ceil(topLevelBytes(item) / 1024)) : 1);
  if (op === 'PutItem') return units(input.Item as Record<string, unknown>);
  if (op === 'UpdateItem' || op === 'DeleteItem') return 1;
  if (op === 'BatchWriteItem')
    return Object.values(
      input.RequestItems as Record<string, Array<Record<string, { Item?: Record<string, unknown> }>>>,
    )
      .flat()
      .reduce((n, r) => n + units(r.PutRequest?.Item), 0);
  if (op === 'TransactWriteItems')
    return (input.TransactItems as Array<Record<string, { Item?: Record<string, unknown> }>>).reduce(
      (n, t) => n + 2 * units(t.Put?.Item),
      0,
    );
  return 0;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WITH_CAPACITY = new Set([
  ...READS,
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

function metered(db: ReturnType<typeof documentClient>, meter: CapacityMeter) {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? '').replace(/Command$/, '');
      if (!WITH_CAPACITY.has(op)) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
      const out = await next(args);
      meter.modelWrite += modelledWriteUnits(op, args.input as Record<string, unknown>);
      meter.add(
        (out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity,
        READS.has(op) ? 'read' : 'write',
      );
      return out;
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  return db;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Memory of each function, as lib/go-chat.ts configures it (GoChatFunction's default is 512 MB). */
export const MEMORY_MB = { ingest: 1024, api: 512, 'workflow-step': 512, dispatch: 512 } as const;

/** What an operation's path takes besides DynamoDB: its function, and requests to the other services. */
type ServicePath = Omit<
  OperationCost,
  'op' | 'readUnits' | 'writeUnits' | 'billedTableWriteUnits' | 'indexWriteUnits' | 'calls' | 'ms'
>;

/** The path of an operation run by `fn`: no request to any other service unless `requests` counts it. */
const servicePath = (fn: keyof typeof MEMORY_MB, requests: Partial<Omit<ServicePath, 'lambda'>> = {}): ServicePath => ({
  lambda: { fn, memoryMb: MEMORY_MB[fn] },
  s3Get: 0,
  s3Put: 0,
  sesSend: 0,
  sesReceive: 0,
  apiRequests: 0,
  events: 0,
  executions: 0,
  ...requests,
});

/** A read through the API: one request, no other service. */
const READ_PATH = servicePath('api', { apiRequests: 1 });

/** A customer's reply (by token or by header): one received mail, read once, one event. */
const REPLY_IN_PATH = servicePath('ingest', { s3Get: 1, sesReceive: 1, events: 1 });

export async function benchCost(opts: { runs?: number; log?: (l: string) => void } = {}): Promise<OperationCost[]> {
  const runs = opts.runs ?? 5;
  const log = opts.log ?? (() => {});
  const local = await startDynamoDbLocal();
  const tableName = 'gochat-cost';
  const meter = new CapacityMeter();
  const db = metered(await localTable(local.endpoint, tableName), meter);
  try {
    const objects = new Map<string, Buffer>();
    const mail: MailStore = {
      getRaw: async (k) => objects.get(k) ?? Buffer.alloc(0),
      putObject: async (k, b) => void objects.set(k, b),
      presignDownload: async (k) => k,
    };
    let wire = 0;
    const sender: MailSender = {
      sendRaw: async () => ({ providerMessageId: `bench-${++wire}` }),
      wireMessageId: (id) => `<${id}@eu-west-1.amazonses.com>`,
    };
    const admin = new DynamoAdminStore(db, tableName);
    const threads = new DynamoThreadStore(db, tableName);
    const queries = new DynamoThreadQueries(db, tableName);
    const replyTokens = new ReplyTokens('bench-secret-of-enough-length');
    const deps = {
      threads,
      directory: admin,
      templates: admin,
      mail,
      sender,
      sends: new DynamoSendStore(db, tableName),
      events: noopPublisher,
      replyTokens,
      clock: systemClock,
      ids: ulidGenerator,
    };
    const ingest = new IngestMail({
      threads,
      directory: admin,
      mail,
      tokens: replyTokens,
      clock: systemClock,
      maxMailBytes: 1e7,
    });
    const ws = ulid();
    const address = `support-${ws.toLowerCase()}@bench.example.com`;
    await admin.createWorkspace({ workspaceId: ws, name: 'bench', createdAt: new Date().toISOString() }, [address]);
    await db.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.settings(ws), entity: 'settings', ...DEFAULT_SETTINGS } }),
    );

    const TEXT =
      'Hello, the invoice for order 1042 is wrong: the delivery address changed last week and the VAT number is missing. Could you send a corrected invoice?';
    const deliver = async (m: { to: string; messageId: string; inReplyTo?: string; subject: string; from: string }) => {
      const body = await new MailComposer({ ...m, text: TEXT, ...(m.inReplyTo ? { references: m.inReplyTo } : {}) })
        .compile()
        .build();
      const id = ulid().toLowerCase();
      objects.set(`inbound/${id}`, body);
      const out = await ingest.ingest({ sesMessageId: id, rawKey: `inbound/${id}`, recipients: [m.to] });
      return out.workspaces[0];
    };

    const samples = new Map<
      string,
      { read: number[]; write: number[]; model: number[]; index: number[]; calls: number[]; ms: number[] }
    >();
    const measure = async <T>(op: string, f: () => Promise<T>): Promise<T> => {
      meter.reset();
      const t = performance.now();
      const out = await f();
      const ms = performance.now() - t;
      const s = samples.get(op) ?? { read: [], write: [], model: [], index: [], calls: [], ms: [] };
      s.read.push(meter.read);
      s.write.push(meter.write);
      s.model.push(meter.modelWrite);
      s.index.push(meter.indexWrite);
      s.calls.push(meter.calls);
      s.ms.push(ms);
      samples.set(op, s);
      return out;
    };

    // Enough threads for full list pages (25) before the measured runs.
    for (let i = 0; i < 30; i++)
      await deliver({
        to: address,
        from: `c${i}@customer.example.com`,
        messageId: `<w${i}-${ulid()}@customer.example.com>`,
        subject: `Warm-up ${i}`,
      });

    // The same 30 threads also in a facet of one partition (an agent's), for a page and a count of each:
    // the read cost that write sharding adds (keys.ts LIST_SHARDS), measured in the same run.
    const warm = await queries.listThreads(ws, {}, { limit: 30 });
    for (const entry of warm.items) {
      const thread = (await threads.getThread(ws, entry.threadId)) as Thread;
      await threads.commit({ before: thread, after: { ...thread, assignee: 'bench-agent' }, items: [] });
    }
    const counts = new DynamoViewCounts(db, tableName);

    for (let run = 0; run < runs; run++) {
      const customer = `ann-${run}-${ulid().toLowerCase()}@customer.example.com`;
      const first = `<first-${ulid().toLowerCase()}@customer.example.com>`;
      const created = await measure('new thread (mail in)', () =>
        deliver({ to: address, from: `Ann <${customer}>`, messageId: first, subject: `Invoice 1042 (${run})` }),
      );
      const threadId = created.threadId;
      await measure('agent reply', () =>
        sendMessage(deps, {
          workspaceId: ws,
          threadId,
          to: [customer],
          text: 'Thanks, we are on it.',
          actor: { kind: 'agent', id: 'bench' },
        }),
      );
      await measure('token reply (mail in)', () =>
        deliver({
          to: replyTokens.replyAddress(address, ws, threadId),
          from: `Ann <${customer}>`,
          messageId: `<tok-${ulid().toLowerCase()}@customer.example.com>`,
          subject: `Re: Invoice 1042 (${run})`,
        }),
      );
      await measure('header reply (mail in)', () =>
        deliver({
          to: address,
          from: `Ann <${customer}>`,
          messageId: `<hdr-${ulid().toLowerCase()}@customer.example.com>`,
          inReplyTo: first,
          subject: `Re: Invoice 1042 (${run})`,
        }),
      );
      await measure('status change (close)', async () => {
        const thread = (await threads.getThread(ws, threadId)) as Thread;
        const closed = withStatus(
          thread,
          { status: 'closed' },
          {
            itemId: ulid(),
            at: new Date().toISOString(),
            actor: { kind: 'agent', id: 'bench' },
          },
        )!;
        await threads.commit({ before: thread, after: closed.thread, items: [closed.item] });
      });
      await measure('list page (25)', () => queries.listThreads(ws, {}, { limit: 25 }));
      await measure('list page (25), one partition', () =>
        queries.listThreads(ws, { assignee: 'bench-agent' }, { limit: 25 }),
      );
      await measure(`view count (≤ 100), ${LIST_SHARDS} shards`, () => counts.countFacet(ws, 'all', 100));
      await measure('view count (≤ 100), one partition', () => counts.countFacet(ws, 'assignee=bench-agent', 100));
      await measure('search (2 words)', () =>
        queries.searchThreads(ws, tokenize('invoice delivery'), {}, { limit: 25 }),
      );
      log(`run ${run + 1}/${runs}`);
    }

    const PATHS: Record<string, ServicePath> = {
      'new thread (mail in)': servicePath('ingest', { s3Get: 1, sesReceive: 1, events: 2 }),
      'agent reply': servicePath('api', { s3Put: 1, sesSend: 1, apiRequests: 1, events: 1, executions: 1 }),
      'token reply (mail in)': REPLY_IN_PATH,
      'header reply (mail in)': REPLY_IN_PATH,
      'status change (close)': servicePath('api', { apiRequests: 1, events: 1 }),
      'list page (25)': READ_PATH,
      'list page (25), one partition': READ_PATH,
      [`view count (≤ 100), ${LIST_SHARDS} shards`]: READ_PATH,
      'view count (≤ 100), one partition': READ_PATH,
      'search (2 words)': READ_PATH,
    };
    return [...samples.entries()].map(([op, s]) => ({
      op,
      readUnits: median(s.read),
      writeUnits: median(s.write),
      billedTableWriteUnits: median(s.model),
      indexWriteUnits: median(s.index),
      calls: median(s.calls),
      ms: Math.round(median(s.ms)),
      ...PATHS[op],
    }));
  } finally {
    db.destroy();
    await local.stop();
  }
}

/**
 * One thread as the model prices it: a customer's mail, two agent replies, two customer replies (one by
 * token, one by header), a close, and the agents' reads around it (10 list pages, 1 search). The
 * default lifecycle after an agent reply: up to 3 executions of 2 transitions (reminder, reminder,
 * waiting), each run by the workflow step and, for a reminder, a sent mail.
 */
export const THREAD_MIX: Record<string, number> = {
  'new thread (mail in)': 1,
  'agent reply': 2,
  'token reply (mail in)': 1,
  'header reply (mail in)': 1,
  'status change (close)': 1,
  'list page (25)': 10,
  'search (2 words)': 1,
};

export function dollarsPer1000Threads(costs: OperationCost[]): {
  lines: { part: string; usd: number }[];
  total: number;
} {
  const by = new Map(costs.map((c) => [c.op, c]));
  let read = 0;
  let write = 0;
  let gbSeconds = 0;
  let requests = 0;
  let s3Get = 0;
  let s3Put = 0;
  let sesSend = 0;
  let sesReceive = 0;
  let api = 0;
  let events = 0;
  let executions = 0;
  for (const [op, n] of Object.entries(THREAD_MIX)) {
    const c = by.get(op);
    if (!c) continue;
    read += n * c.readUnits;
    // As billed: DynamoDB Local counts a transaction's items short (modelledWriteUnits).
    write += n * (c.billedTableWriteUnits + c.indexWriteUnits);
    gbSeconds += n * (c.lambda.memoryMb / 1024) * (c.ms / 1000);
    requests += n;
    s3Get += n * c.s3Get;
    s3Put += n * c.s3Put;
    sesSend += n * c.sesSend;
    sesReceive += n * c.sesReceive;
    api += n * c.apiRequests;
    events += n * c.events;
    executions += n * c.executions;
  }
  // The timers of the lifecycle: the executions started, 2 transitions each, a workflow step each
  // (512 MB, taken as long as an agent reply), and a reminder mail for 2 of 3.
  const timerSteps = executions;
  const agentReply = by.get('agent reply');
  const stepSeconds = agentReply ? agentReply.ms / 1000 : 0;
  gbSeconds += timerSteps * 0.5 * stepSeconds;
  requests += timerSteps;
  sesSend += (timerSteps * 2) / 3;
  s3Put += (timerSteps * 2) / 3;
  const k = 1000;
  const lines = [
    { part: 'DynamoDB writes', usd: k * write * PRICES.dynamodbWriteUnit },
    { part: 'DynamoDB reads', usd: k * read * PRICES.dynamodbReadUnit },
    {
      part: 'Lambda (GB-s + requests)',
      usd: k * (gbSeconds * PRICES.lambdaGbSecondArm + requests * PRICES.lambdaRequest),
    },
    { part: 'Step Functions transitions', usd: k * timerSteps * 2 * PRICES.stepFunctionsTransition },
    {
      part: 'SES (sent + received)',
      usd: k * (sesSend * PRICES.sesSend + sesReceive * (PRICES.sesReceive + PRICES.sesReceiveChunk)),
    },
    { part: 'S3 requests', usd: k * (s3Get * PRICES.s3Get + s3Put * PRICES.s3Put) },
    { part: 'API Gateway', usd: k * api * PRICES.apiGatewayRequest },
    { part: 'EventBridge', usd: k * events * PRICES.eventBridgeEvent },
  ];
  return { lines, total: lines.reduce((a, l) => a + l.usd, 0) };
}

export function formatCost(costs: OperationCost[]): string {
  const rows = costs.map(
    (c) =>
      `| ${c.op} | ${c.readUnits} | ${c.writeUnits} | ${c.indexWriteUnits} | **${c.billedTableWriteUnits + c.indexWriteUnits}** | ${c.calls} | ${c.lambda.fn} ${c.lambda.memoryMb} MB, ${c.ms} ms ≈ ${((c.lambda.memoryMb / 1024) * (c.ms / 1000)).toFixed(3)} GB-s | ${c.s3Get}/${c.s3Put} | ${c.sesSend}/${c.sesReceive} | ${c.executions} |`,
  );
  const sum = dollarsPer1000Threads(costs);
  return [
    '| operation | read units | write units (DynamoDB Local) | of which GSI writes | write units as billed (table modelled + GSI) | DynamoDB calls | Lambda (estimate) | S3 get/put | SES sent/received | executions |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Per 1,000 threads (mix: ${Object.entries(THREAD_MIX)
      .map(([op, n]) => `${n} × ${op}`)
      .join(', ')}; prices ${PRICES_AS_OF}):`,
    '',
    '| part | $ per 1,000 threads |',
    '|---|---|',
    ...sum.lines.map((l) => `| ${l.part} | ${l.usd.toFixed(4)} |`),
    `| **total** | **${sum.total.toFixed(4)}** |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchCost({ log: (l) => console.error(l) }).then(
    (r) => {
      console.log(formatCost(r));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
