/**
 * The Lambda assets as `cdk synth` builds them (lib/bundling/bundle.ts, which GoChatFunction runs), their
 * size, and how long a cold import of each takes against a bare esbuild bundle of the DynamoDB and S3
 * clients (esbuild's plain options, one file: the issue's reference), each in a fresh Node 22 process,
 * with the NODE_OPTIONS it deploys with. Ratios are medians of runs interleaved within this one run, so
 * a busy machine slows both sides alike. The bare clients built as we build the functions are a row too.
 *
 * Variants of the ingest asset show what each choice costs (docs/performance.md): one file instead of
 * code splitting, built-ins imported as ES modules, source maps with `--enable-source-maps`, the
 * runtime's SDK instead of a bundled one, mailparser instead of postal-mime; and of the ingest and API
 * assets without Powertools Tracer, and without Metrics (what each adds).
 *
 *   npm run bench -- lambdas        GOCHAT_BENCH_RUNS=15 for more runs (default 9)
 *
 * GOCHAT_BENCH_BASE=<dir>, another checkout with its own node_modules (e.g. `git worktree add` of main,
 * then `npm ci --ignore-scripts` there), adds a `(base)` row for each Lambda built from it with the same
 * options, measured in the same interleaved run: a before/after that the machine's load cannot skew.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { BUNDLING, bundleFunction, ENTRY_FILE, filesReadAtImport, NODE_OPTIONS } from '#lib/bundling/bundle.ts';
import type { BenchRow } from './run.ts';

export const title = 'Lambda assets: size and cold import against a bare DynamoDB + S3 client bundle';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Inside the repository, so that a variant's external packages resolve from its node_modules. */
const outRoot = join(repo, 'node_modules', '.cache', 'gochat-bench-lambdas');
const node = join(repo, 'node_modules', '.bin', 'node');

/** The bare baseline: the two clients that every ingest needs, constructed, nothing else. */
const BARE = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
export const clients = [new DynamoDBClient({ region: 'us-east-1' }), new S3Client({ region: 'us-east-1' })];
export const handler = async () => clients.length;`;

interface Variant {
  name: string;
  entry: string;
  nodeOptions: string;
  options?: Partial<BuildOptions>;
  plugins?: Plugin[];
  /** Deployed plugins left out (by name). */
  without?: string[];
  /** The row is a limit of the issue (ratio <= 1.3) rather than an alternative measured for the docs. */
  deployed?: boolean;
}

/** Swaps one source module for another at build time (what-if variants). */
const swap = (name: string, pattern: RegExp, replacement: string): Plugin => ({
  name,
  setup(b) {
    b.onResolve({ filter: pattern }, (args) => (args.importer.startsWith(repo) ? { path: replacement } : undefined));
  },
});
const noTracer = swap(
  'tracer',
  /^@aws-lambda-powertools\/tracer(\/middleware)?$/,
  join(repo, 'bench', 'stubs', 'tracer-off.ts'),
);
const noMetrics = swap('metrics', /^@aws-lambda-powertools\/metrics$/, join(repo, 'bench', 'stubs', 'metrics-off.ts'));

/** Every Lambda of lib/go-chat.ts, by entry file under functions/. */
const LAMBDAS = ['ingest', 'api', 'dispatch', 'workflow-step', 'live', 'live-fanout'];

function variants(): Variant[] {
  const fn = (name: string) => join(repo, 'functions', `${name}.ts`);
  const base = process.env.GOCHAT_BENCH_BASE;
  return [
    ...LAMBDAS.map((name) => ({ name, entry: fn(name), nodeOptions: NODE_OPTIONS, deployed: true })),
    ...(base
      ? LAMBDAS.filter((name) => existsSync(join(base, 'functions', `${name}.ts`))).map((name) => ({
          name: `${name} (base)`,
          entry: join(base, 'functions', `${name}.ts`),
          nodeOptions: NODE_OPTIONS,
        }))
      : []),
    { name: 'bare DynamoDB + S3 clients, bundled as the functions are', entry: BARE_FILE, nodeOptions: '' },
    {
      name: 'ingest, one file (no code splitting)',
      entry: fn('ingest'),
      nodeOptions: NODE_OPTIONS,
      options: { splitting: false },
    },
    {
      name: 'ingest, built-ins imported as ES modules',
      entry: fn('ingest'),
      nodeOptions: NODE_OPTIONS,
      without: ['gochat-builtins-through-require'],
    },
    {
      name: 'ingest, with source map and --enable-source-maps',
      entry: fn('ingest'),
      nodeOptions: '--enable-source-maps',
      options: { sourcemap: true },
    },
    {
      name: "ingest, the runtime's SDK (not bundled)",
      entry: fn('ingest'),
      nodeOptions: NODE_OPTIONS,
      options: { external: ['@aws-sdk/*', '@smithy/*'] },
    },
    ...['ingest', 'api'].flatMap((name) => [
      { name: `${name}, without Tracer`, entry: fn(name), nodeOptions: NODE_OPTIONS, plugins: [noTracer] },
      { name: `${name}, without Metrics`, entry: fn(name), nodeOptions: NODE_OPTIONS, plugins: [noMetrics] },
    ]),
    {
      name: 'ingest, mailparser instead of postal-mime',
      entry: fn('ingest'),
      nodeOptions: NODE_OPTIONS,
      plugins: [swap('mailparser', /\/mime\.ts$/, join(repo, 'bench', 'mime-mailparser.ts'))],
    },
  ];
}

const BARE_FILE = join(outRoot, 'bare.ts');

interface Built {
  /** The entry file, which the import starts from. */
  file: string;
  /** Bytes read at import (the entry and its static chunks), and of the whole asset. */
  importBytes: number;
  assetBytes: number;
}

/**
 * The issue's reference, as every earlier run built it: one file, minified, ES module, the SDK's ES
 * module builds, and the banner's `require` (the SDK's CommonJS parts need it); none of our plugins.
 */
async function bundleBare(dir: string): Promise<Built> {
  const outfile = join(dir, ENTRY_FILE);
  await build({
    stdin: { contents: BARE, resolveDir: repo, loader: 'js' },
    bundle: true,
    platform: 'node',
    outfile,
    minify: true,
    target: 'node22',
    format: 'esm',
    mainFields: BUNDLING.mainFields,
    banner: BUNDLING.banner,
    logLevel: 'silent',
  });
  const bytes = statSync(outfile).size;
  return { file: outfile, importBytes: bytes, assetBytes: bytes };
}

async function bundle(v: Variant, dir: string): Promise<Built> {
  const result = await bundleFunction(v.entry, dir, {
    plugins: v.plugins,
    without: v.without,
    options: { logLevel: 'silent', metafile: true, ...v.options },
  });
  const metafile = result.metafile as Metafile;
  const size = (files: string[]) => files.reduce((sum, file) => sum + statSync(file).size, 0);
  const all = Object.keys(metafile.outputs).map((file) => join(repo, file));
  return {
    file: join(dir, ENTRY_FILE),
    importBytes: size(filesReadAtImport({ ...result, metafile })),
    assetBytes: size(all),
  };
}

/** Environment that lets each handler module load (its config fails fast otherwise); no call is made. */
const FAKE_ENV = {
  TABLE_NAME: 'bench',
  MAIL_BUCKET: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  REPLY_TOKEN_SECRET: 'bench-secret-0123456789abcdef0123',
  EVENT_BUS_NAME: 'bench',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
  LIVE_ENDPOINT: 'https://bench.execute-api.us-east-1.amazonaws.com/live',
};

/** CPU milliseconds for `import()` of the file in a fresh process. */
function importMs(file: string, nodeOptions: string): number {
  // CPU time (user + system) of the import, not wall time: eight engineers share two cores here, and
  // CPU time is what a cold start bills; wall time swung 3x between runs.
  const code = `const t = process.cpuUsage(); await import(${JSON.stringify(file)}); const d = process.cpuUsage(t); console.log((d.user + d.system) / 1000);`;
  const out = execFileSync(node, ['--input-type=module', '-e', code], {
    env: { PATH: process.env.PATH ?? '', ...FAKE_ENV, NODE_OPTIONS: nodeOptions },
    cwd: dirname(file),
  });
  return Number(out.toString().trim().split('\n').pop());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface LambdaFigure {
  name: string;
  /** The whole asset, and what an import reads of it. */
  bytes: number;
  importBytes: number;
  importMs: number;
  ratio: number;
  deployed: boolean;
}

export async function measureLambdas(runs = Number(process.env.GOCHAT_BENCH_RUNS ?? 9)): Promise<LambdaFigure[]> {
  rmSync(outRoot, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(BARE_FILE, BARE);
  const all = variants();
  const builds: Built[] = [];
  const bare = await bundleBare(join(outRoot, 'bare'));
  for (const [i, v] of all.entries()) builds.push(await bundle(v, join(outRoot, String(i))));
  const times: number[][] = all.map(() => []);
  const bareTimes: number[] = [];
  importMs(bare.file, ''); // warm the disk cache once
  for (let r = 0; r < runs; r++) {
    bareTimes.push(importMs(bare.file, ''));
    for (const [i, v] of all.entries()) times[i].push(importMs(builds[i].file, v.nodeOptions));
  }
  const bareMs = median(bareTimes);
  const figures: LambdaFigure[] = all.map((v, i) => ({
    name: v.name,
    bytes: builds[i].assetBytes,
    importBytes: builds[i].importBytes,
    importMs: median(times[i]),
    ratio: median(times[i]) / bareMs,
    deployed: Boolean(v.deployed),
  }));
  figures.unshift({
    name: 'bare DynamoDB + S3 clients',
    bytes: bare.assetBytes,
    importBytes: bare.importBytes,
    importMs: bareMs,
    ratio: 1,
    deployed: false,
  });
  rmSync(outRoot, { recursive: true, force: true });
  return figures;
}

export async function run(): Promise<BenchRow[]> {
  mkdirSync(outRoot, { recursive: true });
  writeFileSync(join(outRoot, '.keep'), '');
  const figures = await measureLambdas();
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  return figures.flatMap((f) => [
    {
      metric: `${f.name}: asset size`,
      value: kb(f.bytes),
      note: `${kb(f.importBytes)} read at import${f.name === 'ingest' ? `; limit 1024 KB${f.bytes > 1024 * 1024 ? ': OVER' : ''}` : ''}`,
    },
    {
      metric: `${f.name}: import time ratio`,
      value: f.ratio.toFixed(2),
      note: `${f.importMs.toFixed(0)} ms CPU${f.deployed ? `; limit 1.3${f.ratio > 1.3 ? ': OVER' : ''}` : ''}`,
    },
  ]);
}
