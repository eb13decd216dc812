/**
 * Reply text: extraction time per message over the whole reply corpus (the seven open sets in
 * ../shared/corpora), the same for `email-reply-parser` alone in the same run, exact rates, the time on
 * a hostile 4 MB single-line mail, and the bundle weight of the extractor. `npm run bench -- reply-text`.
 */
import { gzipSync } from 'node:zlib';
import EmailReplyParser from 'email-reply-parser';
import { build } from 'esbuild';
import { extractReplyText } from '#core/reply-text.ts';
import { hasCorpus } from '../test/support/corpora.ts';
import { fold, loadReplyCases } from '../test/support/reply-cases.ts';
import type { BenchRow } from './run.ts';

const ROUNDS = 20;

/** Median of per-round means, in microseconds per message. */
function timePerMessage(
  inputs: { text?: string; html?: string }[],
  fn: (i: { text?: string; html?: string }) => string,
) {
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS + 2; r++) {
    const started = performance.now();
    for (const input of inputs) fn(input);
    if (r >= 2) rounds.push(((performance.now() - started) * 1000) / inputs.length); // 2 warm-up rounds
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)];
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
  const ours = timePerMessage(inputs, extractReplyText);
  const lib = timePerMessage(inputs, libraryAlone);
  const exact = (fn: (i: { text?: string; html?: string }) => string) =>
    cases.filter((c, i) => fold(fn(inputs[i])) === fold(c.decided?.expected ?? c.expected)).length;
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
    {
      metric: 'email-reply-parser alone, same messages',
      value: `${lib.toFixed(0)} µs`,
      note: `ours is ×${(ours / lib).toFixed(2)} its time`,
    },
    { metric: 'exact, ours (decided expectations)', value: `${exact(extractReplyText)} / ${cases.length}` },
    { metric: 'exact, email-reply-parser alone', value: `${exact(libraryAlone)} / ${cases.length}` },
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./run.ts');
  printTable('reply text', await run());
  process.exit(0);
}
