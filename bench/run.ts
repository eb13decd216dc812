/**
 * `npm run bench`: runs every benchmark and prints one table each (the figures behind the README).
 *
 * A benchmark is a module that exports `title` and `run(): Promise<BenchRow[]>`. To add one, add its
 * file to BENCHES below; any `bench/*.bench.ts` file is picked up as well. `npm run bench -- ingest`
 * runs only the benchmarks whose file name contains one of the given words.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchRow {
  metric: string;
  value: string;
  note?: string;
}

export interface BenchModule {
  title: string;
  run(): Promise<BenchRow[]>;
}

/** The benchmarks, in the order they run: add yours here. */
export const BENCHES = ['./ingest.ts'];

export function printTable(title: string, rows: BenchRow[]): void {
  const w = [Math.max(6, ...rows.map((r) => r.metric.length)), Math.max(5, ...rows.map((r) => r.value.length))];
  console.log(`\n## ${title}\n`);
  console.log(`| ${'metric'.padEnd(w[0])} | ${'value'.padEnd(w[1])} | note |`);
  console.log(`|${'-'.repeat(w[0] + 2)}|${'-'.repeat(w[1] + 2)}|------|`);
  for (const r of rows) console.log(`| ${r.metric.padEnd(w[0])} | ${r.value.padEnd(w[1])} | ${r.note ?? ''} |`);
}

async function main(filters: string[]): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const discovered = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => `./${f}`);
  const files = [...new Set([...BENCHES, ...discovered])].filter(
    (f) => filters.length === 0 || filters.some((w) => f.includes(w)),
  );
  let failed = 0;
  for (const file of files) {
    const started = performance.now();
    try {
      const mod = (await import(pathToFileURL(join(here, file)).href)) as Partial<BenchModule>;
      if (typeof mod.run !== 'function') throw new Error('exports no run()');
      printTable(mod.title ?? file, await mod.run());
      console.log(`\n(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.error(`\n${file} failed:`, e);
    }
  }
  // DynamoDB Local and s3rver children are stopped by each bench; exit so no handle keeps us alive.
  process.exit(failed > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
