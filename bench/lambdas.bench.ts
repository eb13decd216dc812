/**
 * The Lambda assets as `cdk synth` builds them (the esbuild options of lib/go-chat-function.ts), their
 * size, and how long a cold import of each takes against a bare esbuild bundle of the DynamoDB and S3
 * clients, each in a fresh Node 22 process, with the NODE_OPTIONS it deploys with. Ratios are medians
 * of runs interleaved within this one run, so a busy machine slows both sides alike.
 *
 * Variants of the ingest asset show what each choice costs (docs/performance.md): source maps with
 * `--enable-source-maps`, the runtime's SDK instead of a bundled one, mailparser instead of postal-mime;
 * and of the ingest and API assets without Powertools Tracer, and without Metrics (what each adds).
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
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { BUNDLING, NODE_OPTIONS } from '../lib/go-chat-function.ts';
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

async function bundle(v: Variant | { name: string; stdin: string }, dir: string): Promise<string> {
  const outfile = join(dir, 'index.mjs');
  const v2 = v as Variant;
  await build({
    ...('stdin' in v ? { stdin: { contents: v.stdin, resolveDir: repo, loader: 'js' } } : { entryPoints: [v2.entry] }),
    bundle: true,
    platform: 'node',
    outfile,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    target: BUNDLING.target,
    format: 'esm',
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner },
    external: BUNDLING.externalModules,
    logLevel: 'silent',
    ...(v2.options ?? {}),
    ...(v2.plugins ? { plugins: v2.plugins } : {}),
  });
  return outfile;
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
  bytes: number;
  importMs: number;
  ratio: number;
  deployed: boolean;
}

export async function measureLambdas(runs = Number(process.env.GOCHAT_BENCH_RUNS ?? 9)): Promise<LambdaFigure[]> {
  rmSync(outRoot, { recursive: true, force: true });
  const all = variants();
  const files: string[] = [];
  const bareFile = await bundle({ name: 'bare', stdin: BARE }, join(outRoot, 'bare'));
  for (const [i, v] of all.entries()) files.push(await bundle(v, join(outRoot, String(i))));
  const times: number[][] = all.map(() => []);
  const bare: number[] = [];
  importMs(bareFile, ''); // warm the disk cache once
  for (let r = 0; r < runs; r++) {
    bare.push(importMs(bareFile, ''));
    for (const [i, v] of all.entries()) times[i].push(importMs(files[i], v.nodeOptions));
  }
  const bareMs = median(bare);
  const figures = all.map((v, i) => ({
    name: v.name,
    bytes: statSync(files[i]).size,
    importMs: median(times[i]),
    ratio: median(times[i]) / bareMs,
    deployed: Boolean(v.deployed),
  }));
  figures.unshift({
    name: 'bare DynamoDB + S3 clients',
    bytes: statSync(bareFile).size,
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
      note: f.name === 'ingest' ? `limit 1024 KB${f.bytes > 1024 * 1024 ? ': OVER' : ''}` : '',
    },
    {
      metric: `${f.name}: import time ratio`,
      value: f.ratio.toFixed(2),
      note: `${f.importMs.toFixed(0)} ms CPU${f.deployed ? `; limit 1.3${f.ratio > 1.3 ? ': OVER' : ''}` : ''}`,
    },
  ]);
}
