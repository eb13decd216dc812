/**
 * The widget's sizes: the loader (widget.js, at most 5 KB gzip) and the frame app (at most 40 KB gzip),
 * built fresh by Vite from widget/, measured raw, gzip (level 9, as a CDN compresses) and brotli.
 * `npx tsx bench/widget.ts` prints the rows; `npm run bench -- widget` runs it within the suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ensureWidgetBuilt, WIDGET_DIST } from '#lib/local/widget-local.ts';
import type { BenchRow } from './run.ts';

export const BUDGET_GZIP = { loader: 5 * 1024, frame: 40 * 1024 };

export function sizes(files: string[]) {
  const body = Buffer.concat(files.map((f) => readFileSync(join(WIDGET_DIST, f))));
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;

export async function run(): Promise<BenchRow[]> {
  const started = performance.now();
  ensureWidgetBuilt(true);
  const buildMs = performance.now() - started;
  const frameFiles = readdirSync(WIDGET_DIST).filter((f) => f.startsWith('frame') && /\.(js|css)$/.test(f));
  const loader = sizes(['widget.js']);
  const frame = sizes(frameFiles);
  const row = (name: string, s: ReturnType<typeof sizes>, budget: number): BenchRow => ({
    metric: `${name}, gzip`,
    value: kb(s.gzip),
    note: `${Math.round((s.gzip / budget) * 100)}% of the ${kb(budget)} budget; raw ${kb(s.raw)}, brotli ${kb(s.brotli)}`,
  });
  return [
    row('loader widget.js', loader, BUDGET_GZIP.loader),
    row(`frame app (${frameFiles.join(' + ')})`, frame, BUDGET_GZIP.frame),
    {
      metric: 'widget build (vite, both bundles)',
      value: `${(buildMs / 1000).toFixed(1)} s`,
      note: 'npm run build -w widget',
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.table(await run());
