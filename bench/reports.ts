/**
 * Bench: what a report costs in DynamoDB requests, for workspaces of 1k, 10k and 100k threads over 90 days
 * (20 agents, 30 tags, 3 channels). The rollups are SEEDED DIRECTLY: synthetic events for every thread
 * (created, first response, resolved, one in ten reopened) go through the very `rollupDeltas` that the
 * stream recorder uses, summed per rollup item in memory, and written with BatchWrite (replaying 100k
 * threads through the stream would take an hour on DynamoDB Local and measure the writes, not the report).
 *
 *   npm run bench -- reports            (or: npx tsx bench/reports.ts [--sizes 1000,10000,100000])
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { batchWriteItems } from '#adapters/dynamo/items.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import type { ApiDeps } from '#api/deps.ts';
import type { CallerContext } from '#api/http.ts';
import { byDimension, overview } from '#api/use-cases/reports.ts';
import type { MetricsEvent } from '#core/reports/metrics.ts';
import { type RollupDelta, rollupDeltas } from '#core/reports/rollup.ts';
import { createTableInput, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { isEntryPoint } from '#lib/paths.ts';
import type { BenchRow } from './run.ts';

const DAYS = 90;
const START = Date.parse('2026-07-01T00:00:00Z');
const AGENTS = Array.from({ length: 20 }, (_, i) => `agent-${i}`);
const TAGS = Array.from({ length: 30 }, (_, i) => `tag-${i}`);
const CHANNELS = ['email', 'chat', 'api'] as const;

/** A small deterministic generator: the same workspace every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function eventsOf(threads: number): MetricsEvent[] {
  const rnd = random(threads);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const events: MetricsEvent[] = [];
  for (let i = 0; i < threads; i++) {
    const created = START + Math.floor(rnd() * DAYS * 86_400_000);
    const dims = { agent: pick(AGENTS), tags: [pick(TAGS)], channel: pick(CHANNELS) };
    const fr = Math.floor(60 + rnd() ** 3 * 3 * 86_400);
    const rs = fr + Math.floor(rnd() ** 2 * 10 * 86_400);
    const at = (ms: number) => new Date(ms).toISOString();
    const sla = { target: 'firstResponse' as const, outcome: fr < 4 * 3600 ? ('met' as const) : ('breached' as const) };
    events.push(
      { eventId: 'created', type: 'created', at: at(created), cycle: 1, ...dims },
      {
        eventId: `fr${i}`,
        type: 'firstResponse',
        at: at(created + fr * 1000),
        cycle: 1,
        seconds: fr,
        businessSeconds: Math.floor(fr / 3),
        sla,
        ...dims,
      },
      {
        eventId: `rs${i}`,
        type: 'resolved',
        at: at(created + rs * 1000),
        cycle: 1,
        seconds: rs,
        businessSeconds: Math.floor(rs / 3),
        ...dims,
      },
    );
    if (i % 10 === 0)
      events.push({ eventId: `ro${i}`, type: 'reopened', at: at(created + rs * 1000 + 3600_000), cycle: 2, ...dims });
  }
  return events;
}

/** The rollup items of a workspace, as the recorder would have added them up. */
function rollupItems(workspaceId: string, threads: number) {
  const merged = new Map<string, RollupDelta>();
  for (const d of rollupDeltas(eventsOf(threads), 'Europe/Paris')) {
    const key = `${d.dimension}|${d.value}|${d.day}`;
    const into = merged.get(key);
    if (!into) merged.set(key, { ...d, add: { ...d.add } });
    else for (const [n, v] of Object.entries(d.add)) into.add[n] = (into.add[n] ?? 0) + v;
  }
  return [...merged.values()].map((d) => ({
    PutRequest: {
      Item: {
        ...keys.rollup(workspaceId, d.dimension, d.value, d.day),
        entity: 'rollup',
        dimension: d.dimension,
        value: d.value,
        day: d.day,
        ...d.add,
      },
    },
  }));
}

export interface ReportBenchRow {
  threads: number;
  rollupItems: number;
  /** DynamoDB requests per report. */
  requests: Record<string, number>;
  /** Median ms per report (DynamoDB Local on this machine). */
  ms: Record<string, number>;
}

export async function benchReports(opts: { sizes?: number[]; log?: (l: string) => void } = {}) {
  const sizes = opts.sizes ?? [1_000, 10_000, 100_000];
  const log = opts.log ?? (() => {});
  const local = await startDynamoDbLocal();
  const tableName = `gochat-bench-${ulid().toLowerCase()}`;
  const raw = new DynamoDBClient({
    endpoint: local.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { StreamSpecification: _stream, ...input } = createTableInput(tableName);
  await raw.send(new CreateTableCommand(input));
  raw.destroy();
  const db = documentClient({ region: 'local', endpoints: { dynamodb: local.endpoint } });
  let requests = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const deps = {
    admin: new DynamoAdminStore(db, tableName),
    metrics: new DynamoMetricsStore(db, tableName),
  } as ApiDeps;
  const range = { from: '2026-07-01', to: '2026-09-28' };
  const reports: Record<string, (ctx: CallerContext) => Promise<unknown>> = {
    overview: (ctx) => overview(deps, ctx, range),
    'by agent': (ctx) => byDimension(deps, ctx, 'agent', range),
    'by tag': (ctx) => byDimension(deps, ctx, 'tag', range),
    'by channel': (ctx) => byDimension(deps, ctx, 'channel', range),
  };
  const rows: ReportBenchRow[] = [];
  try {
    for (const threads of sizes) {
      const workspaceId = ulid();
      const items = rollupItems(workspaceId, threads);
      log(`seeding ${items.length} rollup items for ${threads} threads`);
      for (let i = 0; i < items.length; i += 25) await batchWriteItems(db, tableName, items.slice(i, i + 25));
      const ctx = { workspaceId } as CallerContext;
      const row: ReportBenchRow = { threads, rollupItems: items.length, requests: {}, ms: {} };
      for (const [name, report] of Object.entries(reports)) {
        log(`${threads} threads: ${name}`);
        await report(ctx); // warm-up
        const before = requests;
        await report(ctx);
        row.requests[name] = requests - before;
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          await report(ctx);
          times.push(performance.now() - t0);
        }
        row.ms[name] = Math.round(times.sort((a, b) => a - b)[1]);
      }
      rows.push(row);
    }
  } finally {
    await local.stop();
  }
  return rows;
}

export function formatReportBench(rows: ReportBenchRow[]): BenchRow[] {
  return rows.flatMap((r) =>
    Object.keys(r.requests).map((name) => ({
      metric: `${r.threads} threads: ${name}`,
      value: `${r.requests[name]} requests`,
      note: `${r.ms[name]} ms median; ${r.rollupItems} rollup items in the workspace`,
    })),
  );
}

export async function run(): Promise<BenchRow[]> {
  return formatReportBench(await benchReports({ log: (l) => console.error(l) }));
}

if (isEntryPoint(import.meta.url)) {
  const i = process.argv.indexOf('--sizes');
  const sizes = i > 0 ? process.argv[i + 1].split(',').map(Number) : undefined;
  const rows = await benchReports({ ...(sizes ? { sizes } : {}), log: (l) => console.error(l) });
  for (const r of formatReportBench(rows)) console.log(`${r.metric}: ${r.value} (${r.note})`);
}
