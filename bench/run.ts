/**
 * `npm run bench`: runs every benchmark and prints one table each (the figures behind the README).
 *
 * To add a benchmark, add an entry to BENCHES below: its file, a title, and how to run it (a module
 * that exports `run(): Promise<BenchRow[]>` needs no `run` of its own). Any `bench/*.bench.ts` file is
 * picked up as well. `npm run bench -- ingest list` runs only the entries whose file contains a word.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchRow {
  metric: string;
  value: string;
  note?: string;
}

/** What a benchmark gives: rows for the common table, or a table it formats itself. */
export type BenchOutput = BenchRow[] | string;

export interface BenchEntry {
  file: string;
  title: string;
  /** Runs the imported module; by default its exported `run()`. */
  run?: (mod: any) => Promise<BenchOutput>;
}

/** The benchmarks, in the order they run: add yours here. */
export const BENCHES: BenchEntry[] = [
  { file: './widget.ts', title: 'widget: loader and frame app sizes (Vite build)' },
  { file: './ingest.ts', title: 'ingest: a reply to an existing thread (DynamoDB Local, s3rver)' },
  { file: './hostile.ts', title: 'hostile mail: a 10 MB single-line mail vs a 10 MB mail of normal lines' },
  {
    file: './list.ts',
    title: 'lists: one thread-list page vs a raw DynamoDB Query',
    run: async (mod) => mod.formatListBench(await mod.benchList({ log: (line: string) => console.error(line) })),
  },
  { file: './reply-text.ts', title: 'reply text: extraction over the seven open reply sets' },
  {
    file: './lifecycle.ts',
    title: 'lifecycle: state transitions of one default lifecycle',
    run: async (mod) => {
      const r = await mod.runLifecycleBench();
      return [
        {
          metric: 'state transitions per lifecycle',
          value: String(r.transitionsPerLifecycle),
          note: `${r.executions} executions`,
        },
        {
          metric: 'cost per 1,000 threads',
          value: `$${r.costPer1000ThreadsUsd}`,
          note: '$0.025 per 1,000 transitions',
        },
        { metric: 'reminders sent', value: String(r.remindersSent), note: `final status ${r.finalStatus}` },
        { metric: 'simulated days', value: String(r.simulatedDays), note: `${r.wallMs} ms wall clock` },
      ];
    },
  },
  { file: './web.ts', title: 'Inbox web app: initial JavaScript and the first list page (Chromium)' },
  { file: './agents.ts', title: 'agents: token vs key authentication, unread flags and unread=true pages' },
  {
    file: './lambdas.bench.ts',
    title: 'Lambda assets: size and cold import against a bare DynamoDB + S3 client bundle',
  },
  { file: './memory.bench.ts', title: 'memory: the ingest Lambda on the largest mail' },
  { file: './mime-parsers.bench.ts', title: 'MIME: postal-mime (production) against mailparser on the corpora' },
  { file: './keywords.bench.ts', title: 'keyword search: index items written per message' },
  { file: './live.ts', title: 'live updates: write → WebSocket frame (local stack), and one fan-out batch' },
  {
    file: './cost.ts',
    title: 'cost: units and requests per operation (ReturnConsumedCapacity on DynamoDB Local), $ per 1,000 threads',
    run: async (mod) => mod.formatCost(await mod.benchCost({ log: (line: string) => console.error(line) })),
  },
  {
    // --mails 2000 --threads 200 --clients 50 --soak 30 (the defaults; --soak 600 for the 10-minute soak).
    file: './load.ts',
    title: 'load: a burst of mails over SMTP into threads while API clients read and write (local stack)',
  },
  {
    file: './reports.ts',
    title: 'reports: DynamoDB requests per report, 1k to 100k threads (rollups seeded directly)',
  },
];

export function printTable(title: string, rows: BenchRow[]): void {
  const w = [Math.max(6, ...rows.map((r) => r.metric.length)), Math.max(5, ...rows.map((r) => r.value.length))];
  console.log(`\n## ${title}\n`);
  console.log(`| ${'metric'.padEnd(w[0])} | ${'value'.padEnd(w[1])} | note |`);
  console.log(`|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|------|`);
  for (const r of rows) console.log(`| ${r.metric.padEnd(w[0])} | ${r.value.padEnd(w[1])} | ${r.note ?? ''} |`);
}

async function main(args: string[]): Promise<void> {
  // `--name value` pairs are the benches' options (load: --mails, --threads, --clients, --soak); the rest
  // are filters on the bench files.
  const flags: Record<string, string> = {};
  const filters: string[] = [];
  for (let i = 0; i < args.length; i++)
    if (args[i].startsWith('--')) flags[args[i].slice(2)] = args[++i] ?? 'true';
    else filters.push(args[i]);
  const here = dirname(fileURLToPath(import.meta.url));
  const discovered: BenchEntry[] = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts') && !BENCHES.some((b) => b.file === `./${f}`))
    .map((f) => ({ file: `./${f}`, title: f }));
  const entries = [...BENCHES, ...discovered].filter(
    (b) => filters.length === 0 || filters.some((w) => b.file.includes(w)),
  );
  let failed = 0;
  for (const entry of entries) {
    const started = performance.now();
    try {
      const mod = await import(pathToFileURL(join(here, entry.file)).href);
      const run =
        entry.run ??
        ((m: { run?: (flags: Record<string, string>) => Promise<BenchOutput> }) => {
          if (typeof m.run !== 'function') throw new Error('exports no run()');
          return m.run(flags);
        });
      const output = await run(mod);
      if (typeof output === 'string') console.log(`\n## ${entry.title}\n\n${output}`);
      else printTable(entry.title, output);
      console.log(`\n(${entry.file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.error(`\n${entry.file} failed:`, e);
    }
  }
  // DynamoDB Local and s3rver children are stopped by each bench; exit so no handle keeps us alive.
  process.exit(failed > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
