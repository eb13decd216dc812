/**
 * postal-mime (production, functions/core/mime.ts) against mailparser (bench/mime-mailparser.ts, the
 * parser it replaced) on every mail of ../shared/corpora: how often they agree on each field that the
 * product reads (headers used by threading and classification, text, HTML, attachments, report parts,
 * the classification and the new text), the time to parse the lot, and the size of each bundled.
 *
 *   npm run bench -- mime-parsers        (prints the differing files with GOCHAT_BENCH_VERBOSE=1)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { classifyMail } from '#core/classify.ts';
import { type ParsedMail, parseMail } from '#core/mime.ts';
import { extractReplyText } from '#core/reply-text.ts';
import { corporaRoot } from '../test/support/corpora.ts';
import { parseMail as parseWithMailparser } from './mime-mailparser.ts';
import type { BenchRow } from './run.ts';

export const title = 'MIME: postal-mime (production) against mailparser on the corpora';

/** Every file of the corpora that is a mail: `.eml`, or a file that opens with a header line. */
export function corpusMails(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(eml|mbox)$/i.test(name) || (!/\.(json|jsonl|md|html|gz)$/i.test(name) && opensWithHeader(full)))
        out.push(full);
    }
  };
  walk(corporaRoot);
  return out;
}

function opensWithHeader(file: string): boolean {
  const head = readFileSync(file).subarray(0, 200).toString('latin1');
  return /^(Return-Path|Received|From|Delivered-To|Message-ID|Date|Subject|To|MIME-Version|X-[\w-]+):/im.test(
    head.split(/\r?\n/)[0] ?? '',
  );
}

const squash = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const addrs = (list: { address: string }[]) => list.map((a) => a.address.toLowerCase()).join(',');
const files = (m: ParsedMail) =>
  m.attachments
    .map((a) => `${a.contentType}:${a.size}:${a.filename}`)
    .sort()
    .join('|');

/** The fields compared, each as a comparable string. */
const FIELDS: Record<string, (m: ParsedMail) => string> = {
  subject: (m) => squash(m.subject),
  from: (m) => m.from?.address.toLowerCase() ?? '',
  'from name': (m) => squash(m.from?.name),
  'to, cc': (m) => `${addrs(m.to)};${addrs(m.cc)}`,
  'reply-to': (m) => addrs(m.replyTo),
  'message-id, in-reply-to, references': (m) => `${m.messageId} ${m.inReplyTo} ${m.references.join(' ')}`,
  date: (m) => m.date ?? '',
  'header names': (m) => Object.keys(m.headers).sort().join(','),
  'content type and params': (m) => `${m.contentType};${JSON.stringify(m.contentTypeParams)}`,
  'text (whitespace folded)': (m) => squash(m.text),
  'html (whitespace folded)': (m) => squash(m.html),
  'attachments (type, size, name)': files,
  'report parts (types)': (m) =>
    m.reportParts
      .map((p) => p.contentType)
      .sort()
      .join(','),
  classification: (m) => JSON.stringify(classifyMail(m)),
  'new text (whitespace folded)': (m) => squash(extractReplyText({ text: m.text, html: m.html })),
};

export interface MimeComparison {
  mails: number;
  agree: Record<string, number>;
  differences: Record<string, string[]>;
  ms: { postal: number; mailparser: number };
}

export async function compareParsers(paths = corpusMails()): Promise<MimeComparison> {
  const agree: Record<string, number> = Object.fromEntries(Object.keys(FIELDS).map((k) => [k, 0]));
  const differences: Record<string, string[]> = Object.fromEntries(Object.keys(FIELDS).map((k) => [k, []]));
  const ms = { postal: 0, mailparser: 0 };
  for (const path of paths) {
    const raw = readFileSync(path);
    let t = performance.now();
    const a = await parseMail(raw);
    ms.postal += performance.now() - t;
    t = performance.now();
    const b = await parseWithMailparser(raw);
    ms.mailparser += performance.now() - t;
    for (const [name, read] of Object.entries(FIELDS)) {
      if (read(a) === read(b)) agree[name]++;
      else differences[name].push(relative(corporaRoot, path));
    }
  }
  return { mails: paths.length, agree, differences, ms };
}

/** Bytes of a minified esbuild bundle of one module (as the Lambdas are built). */
async function bundleBytes(entry: string): Promise<number> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  return out.outputFiles[0].contents.length;
}

export async function run(): Promise<BenchRow[]> {
  const paths = corpusMails();
  if (paths.length === 0) return [{ metric: 'corpora', value: 'absent', note: `${corporaRoot} not found: skipped` }];
  const r = await compareParsers(paths);
  if (process.env.GOCHAT_BENCH_VERBOSE)
    for (const [name, list] of Object.entries(r.differences))
      if (list.length > 0) console.error(`${name}: ${list.join(', ')}`);
  const here = new URL('.', import.meta.url).pathname;
  const [postalBytes, mailparserBytes] = await Promise.all([
    bundleBytes(join(here, '../functions/core/mime.ts')),
    bundleBytes(join(here, './mime-mailparser.ts')),
  ]);
  return [
    { metric: 'corpus mails parsed by both', value: String(r.mails), note: 'every .eml/.mbox and header-first file' },
    ...Object.entries(r.agree).map(([name, n]) => ({
      metric: `same ${name}`,
      value: `${n}/${r.mails}`,
      note: r.differences[name].slice(0, 3).join(', '),
    })),
    {
      metric: 'parse time, all corpus mails',
      value: `${r.ms.postal.toFixed(0)} ms`,
      note: `mailparser ${r.ms.mailparser.toFixed(0)} ms (ratio ${(r.ms.postal / r.ms.mailparser).toFixed(2)})`,
    },
    {
      metric: 'parser module bundled (minified)',
      value: `${(postalBytes / 1024).toFixed(0)} KB`,
      note: `mailparser's ${(mailparserBytes / 1024).toFixed(0)} KB`,
    },
  ];
}
