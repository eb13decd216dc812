/**
 * Reply text: extraction time per message over the whole reply corpus (the seven open sets in
 * ../shared/corpora), the same for the extractor as it was before the template-driven rules (built from
 * git, BEFORE_REF) and for `email-reply-parser` alone, interleaved in the same run; exact rates; the
 * generated evaluation per client × locale (test/support/quote-header-generator.ts); the time on a hostile
 * 4 MB single-line mail; and the bundle weight of the extractor. `npm run bench -- reply-text`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import EmailReplyParser from 'email-reply-parser';
import { build } from 'esbuild';
import { extractReplyText } from '#core/reply-text.ts';
import { hasCorpus } from '../test/support/corpora.ts';
import { generateCases, scoreGenerated } from '../test/support/quote-header-generator.ts';
import { fold, loadReplyCases } from '../test/support/reply-cases.ts';
import type { BenchRow } from './run.ts';

const ROUNDS = 40;

type Extractor = (i: { text?: string; html?: string }) => string;

/**
 * Per-round means, in microseconds per message, for each extractor. The extractors take turns round by
 * round, so that a machine busy with other work slows them alike; their ratio is taken round by round.
 */
function timeRounds(inputs: { text?: string; html?: string }[], fns: Extractor[]): number[][] {
  const rounds = fns.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS + 2; r++) {
    fns.forEach((fn, f) => {
      const started = performance.now();
      for (const input of inputs) fn(input);
      if (r >= 2) rounds[f].push(((performance.now() - started) * 1000) / inputs.length); // 2 warm-up rounds
    });
  }
  return rounds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** The median of the round-by-round ratios a / b. */
const ratio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]));

/**
 * The extractor before this round of rules (round two: hand-written patterns, before the clients'
 * templates), for a before/after row in the same run. REPLY_TEXT_BEFORE=<git ref> picks another one.
 */
const BEFORE_REF = process.env.REPLY_TEXT_BEFORE ?? '9f97cc750d59620d7f44a1e89ee3492be913cb2a';

/** Builds the extractor of BEFORE_REF from git into node_modules/.cache (its imports resolve from there). */
async function extractorAt(ref: string): Promise<Extractor | undefined> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = join(root, 'node_modules', '.cache', 'reply-text-before');
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    const files = git('ls-tree', '--name-only', ref, 'functions/core/reply-text/').split('\n').filter(Boolean);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'reply-text'), { recursive: true });
    for (const file of [...files, 'functions/core/reply-text.ts']) {
      writeFileSync(join(dir, file.replace('functions/core/', '')), git('show', `${ref}:${file}`));
    }
    const mod = await import(pathToFileURL(join(dir, 'reply-text.ts')).href);
    return mod.extractReplyText as Extractor;
  } catch {
    return undefined;
  }
}

/** The library alone, as the project used it before: `parseReply` on the text part (or the HTML as is). */
const libraryAlone = (input: { text?: string; html?: string }) =>
  new EmailReplyParser().parseReply(input.text ?? input.html ?? '');

/** Bytes that the extractor adds to a bundle (minified, as the stack builds Lambdas). */
async function extractorBundle(): Promise<{ bytes: number; gzip: number }> {
  const out = await build({
    stdin: {
      contents: "export { extractReplyText } from './functions/core/reply-text.ts';",
      resolveDir: '.',
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].contents;
  return { bytes: code.length, gzip: gzipSync(code).length };
}

export async function run(): Promise<BenchRow[]> {
  if (!hasCorpus('.'))
    return [{ metric: 'reply corpus', value: 'absent', note: 'skipped: ../shared/corpora not found' }];
  const cases = loadReplyCases();
  // MIME parsing (talon's .eml) happens here, outside the timing: only extraction is measured.
  const inputs = await Promise.all(cases.map((c) => c.input()));
  const before = await extractorAt(BEFORE_REF);
  const rounds = timeRounds(inputs, [extractReplyText, libraryAlone, ...(before ? [before] : [])]);
  const [ours, lib, old] = rounds.map(median);
  const vsLib = ratio(rounds[0], rounds[1]);
  const vsBefore = before ? ratio(rounds[0], rounds[2]) : 0;
  const beforeVsLib = before ? ratio(rounds[2], rounds[1]) : 0;
  const exact = (fn: (i: { text?: string; html?: string }) => string) =>
    cases.filter((c, i) => fold(fn(inputs[i])) === fold(c.decided?.expected ?? c.expected)).length;
  const generated = generatedRows(cases.map((c) => c.decided?.expected ?? c.expected));
  const hostile = `${'On '.repeat(300_000)}${'wrote '.repeat(300_000)}x`.padEnd(4_000_000, ' -');
  const hostileStarted = performance.now();
  extractReplyText({ text: hostile });
  const hostileMs = performance.now() - hostileStarted;
  const bundle = await extractorBundle();
  const bytes = inputs.reduce((n, i) => n + (i.html ?? i.text ?? '').length, 0);
  return [
    {
      metric: 'extraction per message, whole corpus',
      value: `${ours.toFixed(0)} µs`,
      note: `${cases.length} messages, ${(bytes / cases.length / 1024).toFixed(1)} KB average; median of ${ROUNDS} rounds`,
    },
    before
      ? {
          metric: 'the extractor before the templates, same messages',
          value: `${old.toFixed(0)} µs`,
          note: `ours is ×${vsBefore.toFixed(2)} its time, median of round-by-round ratios (${BEFORE_REF.slice(0, 7)}, built from git)`,
        }
      : { metric: 'the extractor before the templates', value: 'absent', note: `git ref ${BEFORE_REF} not found` },
    {
      metric: 'email-reply-parser alone, same messages',
      value: `${lib.toFixed(0)} µs`,
      note: `ours is ×${vsLib.toFixed(2)} its time${before ? `; before: ×${beforeVsLib.toFixed(2)}` : ''}`,
    },
    { metric: 'exact, ours (decided expectations)', value: `${exact(extractReplyText)} / ${cases.length}` },
    ...(before ? [{ metric: 'exact, before the templates', value: `${exact(before)} / ${cases.length}` }] : []),
    { metric: 'exact, email-reply-parser alone', value: `${exact(libraryAlone)} / ${cases.length}` },
    ...generated,
    {
      metric: 'hostile 4 MB single line',
      value: `${hostileMs.toFixed(0)} ms`,
      note: 'linear: no pattern runs on a line over 1,000 chars',
    },
    {
      metric: 'extractor bundle (minified)',
      value: `${(bundle.bytes / 1024).toFixed(0)} KB`,
      note: `gzip ${(bundle.gzip / 1024).toFixed(0)} KB; htmlparser2 and email-reply-parser included`,
    },
  ];
}

/**
 * The generated evaluation (as test/unit/reply-text-generated.test.ts runs it): the lowest cell of each
 * client over its locales, and the cases that lost a line of the customer's text.
 */
function generatedRows(replies: string[]): BenchRow[] {
  const cases = generateCases(replies, { perCell: 100 });
  const score = scoreGenerated(cases, (text) => extractReplyText({ text }));
  const byClient = new Map<string, { cell: string; rate: number; cases: number; exact: number; locales: number }>();
  for (const [cell, s] of score.cells) {
    const [client, locale] = cell.split(' ');
    const rate = s.exact / s.cases;
    const row = byClient.get(client) ?? { cell: locale, rate, cases: 0, exact: 0, locales: 0 };
    if (rate <= row.rate) Object.assign(row, { cell: locale, rate });
    row.cases += s.cases;
    row.exact += s.exact;
    row.locales++;
    byClient.set(client, row);
  }
  return [
    ...[...byClient].map(([client, r]) => ({
      metric: `generated: ${client}`,
      value: `${((100 * r.exact) / r.cases).toFixed(1)}%`,
      note: `${r.exact}/${r.cases} over ${r.locales} locales; lowest ${r.cell} ${(100 * r.rate).toFixed(1)}%`,
    })),
    {
      metric: "generated: cases that lost a line of the customer's text",
      value: String(score.lost.length),
      note: `${cases.length} cases, ${score.cells.size} client × locale cells`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./run.ts');
  printTable('reply text', await run());
  process.exit(0);
}
