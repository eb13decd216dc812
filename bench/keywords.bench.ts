/**
 * Keyword index items written per message, over every mail of ../shared/corpora: the tokens that
 * ingest indexes (subject, sender name and address, and the new text of ordinary mail; see
 * functions/core/ingest/prepare.ts `prepareMail`), one item per token, capped at MAX_TOKENS.
 *
 *   npm run bench -- keywords
 */
import { readFileSync } from 'node:fs';
import { classifyMail } from '#core/classify.ts';
import { MAX_TOKENS, tokenize } from '#core/keywords.ts';
import { parseMail } from '#core/mime.ts';
import { extractReplyText } from '#core/reply-text.ts';
import { corporaRoot } from '../test/support/corpora.ts';
import { corpusMails } from './mime-parsers.bench.ts';
import type { BenchRow } from './run.ts';

export const title = 'keyword search: index items written per message';

export async function run(): Promise<BenchRow[]> {
  const paths = corpusMails();
  if (paths.length === 0) return [{ metric: 'corpora', value: 'absent', note: `${corporaRoot} not found: skipped` }];
  const counts: number[] = [];
  for (const path of paths) {
    const parsed = await parseMail(readFileSync(path));
    const ordinary = classifyMail(parsed).classification === 'ordinary';
    const newText = ordinary ? extractReplyText({ text: parsed.text, html: parsed.html }) : '';
    const sender = parsed.from ?? { address: '' };
    counts.push(tokenize(`${parsed.subject} ${sender.name ?? ''} ${sender.address} ${newText}`).length);
  }
  counts.sort((a, b) => a - b);
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  const atCap = counts.filter((n) => n >= MAX_TOKENS).length;
  return [
    {
      metric: 'keyword index items per message (mean)',
      value: mean.toFixed(1),
      note: `${counts.length} corpus mails; median ${counts[counts.length >> 1]}`,
    },
    {
      metric: 'keyword index items per message (max)',
      value: String(counts[counts.length - 1]),
      note: `cap MAX_TOKENS = ${MAX_TOKENS}, reached by ${atCap} mails`,
    },
    {
      metric: 'DynamoDB requests per keyword search page',
      value: 'words + 1',
      note: 'one prefix Query per query word (more past 1,000 matches), then one BatchGet of the cards',
    },
  ];
}
