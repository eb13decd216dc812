/**
 * Bench: one thread-list page, through the API and through the adapter, as a ratio to a raw DynamoDB
 * Query of the same page, for workspaces of 10k and 100k threads (all in one table, so the table is
 * bigger than either workspace). List entries are seeded directly with BatchWrite (fast).
 *
 *   npx tsx bench/list.ts [--sizes 10000,100000] [--runs 30]
 *
 * `benchList()` is exported for bench/run.ts. It starts its own DynamoDB Local unless given an endpoint.
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { API_KEY_CACHE, cacheApiKeyLookups } from '#adapters/api-key-cache.ts';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { batchWriteItems } from '#adapters/dynamo/items.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoThreadQueries, filterExpression, type ThreadFilter } from '#adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { noopPublisher } from '#adapters/event-publisher.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { createApiHandler } from '#api/router.ts';
import { provisionWorkspace } from '#api/use-cases/admin.ts';
import type { ThreadStatus } from '#core/model.ts';
import { createTableInput, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { isEntryPoint } from '#lib/paths.ts';

export interface ListBenchRow {
  threads: number;
  page: string;
  /** Median milliseconds of one page. */
  rawQueryMs: number;
  adapterMs: number;
  apiMs: number;
  adapterRatio: number;
  apiRatio: number;
  /** DynamoDB calls the adapter made for the page. */
  queries: number;
  itemsRead: number;
}

const STATUSES: ThreadStatus[] = ['open', 'reminder', 'waiting', 'closed'];
const LIMIT = 25;

const PAGES: Array<{ name: string; filter: ThreadFilter; query: Record<string, string> }> = [
  { name: 'first page (all)', filter: {}, query: {} },
  { name: 'status=open', filter: { status: 'open' }, query: { status: 'open' } },
  {
    name: 'status=open & no attachments (facet + filter)',
    filter: { status: 'open', hasAttachments: false },
    query: { status: 'open', hasAttachments: 'false' },
  },
];

async function seed(db: DynamoDBDocumentClient, table: string, workspaceId: string, count: number) {
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const requests: Array<{ PutRequest: { Item: Record<string, unknown> } }> = [];
  for (let i = 0; i < count; i++) {
    const threadId = ulid();
    const status = STATUSES[i % 4];
    const updatedAt = new Date(start + i * 60_000).toISOString();
    const card = {
      threadId,
      ref: String(i + 1),
      customerIds: [`C${i % 500}`],
      updatedAt,
      status,
      subject: `Thread ${i}`,
      snippet: 'A snippet of the last message, about as long as a real one is on a card.',
      tags: [],
      hasAttachments: i % 3 === 0,
      attachmentNames: i % 3 === 0 ? ['scan.pdf'] : [],
      messageCount: 2,
      itemCount: 3,
      lastMessageAt: updatedAt,
      latestContact: { contactId: `K${i}`, email: `c${i}@example.com`, name: `Customer ${i}` },
    };
    for (const facet of ['all', `status=${status}`])
      requests.push({
        PutRequest: {
          Item: { ...keys.listEntry(workspaceId, threadId, facet, updatedAt), entity: 'listEntry', facet, ...card },
        },
      });
  }
  const batches: Array<typeof requests> = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      await batchWriteItems(db, table, batches[next++]);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/** Median time of each function, run interleaved so that warm-up and GC weigh on all of them alike. */
async function medians(runs: number, fns: Array<() => Promise<unknown>>): Promise<number[]> {
  for (let i = 0; i < 3; i++) for (const fn of fns) await fn(); // warm-up
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      times[j].push(performance.now() - t0);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

export async function benchList(
  opts: { sizes?: number[]; runs?: number; endpoint?: string; log?: (line: string) => void } = {},
): Promise<ListBenchRow[]> {
  const sizes = opts.sizes ?? [10_000, 100_000];
  const runs = opts.runs ?? 30;
  const log = opts.log ?? (() => {});
  const local = opts.endpoint ? undefined : await startDynamoDbLocal();
  const endpoint = opts.endpoint ?? local!.endpoint;
  const tableName = `gochat-bench-${ulid().toLowerCase()}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // The stream is left out: it only slows seeding down, and no list read touches it.
  const { StreamSpecification: _stream, ...input } = createTableInput(tableName);
  await raw.send(new CreateTableCommand(input));
  raw.destroy();
  const db = documentClient({ region: 'local', endpoints: { dynamodb: endpoint } });
  const admin = new DynamoAdminStore(db, tableName);
  // As functions/api.ts wires it: the key lookup cached in the container.
  cacheApiKeyLookups(admin, API_KEY_CACHE);
  const queries = new DynamoThreadQueries(db, tableName);
  const handler = createApiHandler({
    threads: new DynamoThreadStore(db, tableName),
    queries,
    admin,
    agents: new DynamoAgentStore(db, tableName),
    mail: { getRaw: async () => Buffer.alloc(0), putObject: async () => {}, presignDownload: async () => '' },
    events: noopPublisher,
    clock: systemClock,
    ids: ulidGenerator,
    sendMessage: async () => {
      throw new Error('not in this bench');
    },
  });
  const rows: ListBenchRow[] = [];
  try {
    const workspaces = [];
    for (const size of sizes) {
      const t0 = performance.now();
      const ws = await provisionWorkspace(
        { admin, clock: systemClock, ids: ulidGenerator },
        { name: `bench ${size}`, inbound: [`bench-${size}-${ulid().toLowerCase()}@bench.example`] },
      );
      await seed(db, tableName, ws.workspace.workspaceId, size);
      log(`seeded ${size} threads in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      workspaces.push({ size, ws });
    }
    for (const { size, ws } of workspaces) {
      const workspaceId = ws.workspace.workspaceId;
      for (const page of PAGES) {
        const stats = await queries.listThreads(workspaceId, page.filter, { limit: LIMIT });
        if (stats.items.length !== LIMIT) throw new Error(`${page.name}: got ${stats.items.length} items`);
        const facet = stats.stats.facet;
        const clause = filterExpression(
          Object.fromEntries(
            Object.entries(page.filter).filter(([k]) => !(k === 'status' && facet.startsWith('status='))),
          ),
        );
        // The raw page: the same Query, once per partition of the facet (a hot facet has LIST_SHARDS, read
        // in parallel), with the same filter and as many items as the adapter read.
        const partitions = keys.listPartitions(workspaceId, facet);
        const rawQuery = () =>
          Promise.all(
            partitions.map((pk) =>
              db.send(
                new QueryCommand({
                  TableName: tableName,
                  IndexName: 'GSI1',
                  KeyConditionExpression: 'GSI1PK = :pk',
                  ScanIndexForward: false,
                  Limit: Math.ceil((clause ? stats.stats.itemsRead : LIMIT) / partitions.length),
                  ...(clause
                    ? {
                        FilterExpression: clause.expression,
                        ExpressionAttributeNames: clause.names,
                        ExpressionAttributeValues: { ':pk': pk, ...clause.values },
                      }
                    : { ExpressionAttributeValues: { ':pk': pk } }),
                }),
              ),
            ),
          );
        const adapterPage = () => queries.listThreads(workspaceId, page.filter, { limit: LIMIT });
        const apiPage = async () => {
          const res = await handler({
            httpMethod: 'GET',
            path: '/v1/threads',
            headers: { Authorization: `Bearer ${ws.apiKey}` },
            queryStringParameters: { ...page.query, limit: String(LIMIT) },
            body: null,
            isBase64Encoded: false,
          } as never);
          if (res.statusCode !== 200) throw new Error(res.body);
        };
        const [rawQueryMs, adapterMs, apiMs] = await medians(runs, [rawQuery, adapterPage, apiPage]);
        rows.push({
          threads: size,
          page: page.name,
          rawQueryMs,
          adapterMs,
          apiMs,
          adapterRatio: adapterMs / rawQueryMs,
          apiRatio: apiMs / rawQueryMs,
          queries: stats.stats.queries,
          itemsRead: stats.stats.itemsRead,
        });
      }
    }
  } finally {
    db.destroy();
    await local?.stop();
  }
  return rows;
}

export function formatListBench(rows: ListBenchRow[]): string {
  const header = [
    'threads',
    'page',
    'raw Query ms',
    'adapter ms',
    'API ms',
    'adapter ×raw',
    'API ×raw',
    'queries',
    'items read',
  ];
  const lines = rows.map((r) => [
    r.threads.toLocaleString('en-US'),
    r.page,
    r.rawQueryMs.toFixed(2),
    r.adapterMs.toFixed(2),
    r.apiMs.toFixed(2),
    r.adapterRatio.toFixed(2),
    r.apiRatio.toFixed(2),
    String(r.queries),
    String(r.itemsRead),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

if (isEntryPoint(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const sizes = arg('sizes')?.split(',').map(Number);
  const runs = arg('runs') ? Number(arg('runs')) : undefined;
  benchList({ ...(sizes ? { sizes } : {}), ...(runs ? { runs } : {}), log: (l) => console.error(l) }).then(
    (rows) => {
      console.log(formatListBench(rows));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
