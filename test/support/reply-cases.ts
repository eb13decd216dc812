/**
 * The reply-text cases of the seven open sets in `../shared/corpora`, read by path (never copied),
 * with the train/test split and the decisions on the cases where the sets contradict each other.
 * Used by test/unit/reply-text-corpora.test.ts and bench/reply-text.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseMail } from '#core/mime.ts';
import { corpusPath, hasCorpus } from './corpora.ts';

/** The open sets, and whether the extractor's rules were tuned on them (see docs/reply-text.md). */
export const REPLY_SETS = [
  { set: 'email_reply_parser', tuned: true },
  { set: 'willdurand', tuned: true },
  { set: 'talon', tuned: true },
  { set: 'planer', tuned: true },
  // Held out: measured only, never looked at case by case while writing the rules.
  { set: 'crisp', tuned: false },
  { set: 'email_reply_parser_py', tuned: false },
] as const;

export type ReplySet = (typeof REPLY_SETS)[number]['set'];

export interface ReplyCase {
  set: ReplySet;
  id: string;
  input: () => Promise<{ text?: string; html?: string }>;
  /** The upstream expectation. */
  expected: string;
  /** Our expectation where we decided a contradiction against upstream, with the reason. */
  decided?: { expected: string; reason: string };
}

/**
 * Contradictions between sets, decided (docs/reply-text.md). The product shows the new text without
 * signatures, and a rule must give the same answer to the same text whichever set it comes from.
 */
const DECISIONS: Record<string, { expected: (upstream: string) => string; reason: string }> = {
  'crisp/test/fixtures/email_1.txt': {
    expected: (t) => t.replace(/\n\n-Abhishek Kona$/, ''),
    reason:
      'a "-Name" sign-off line is a signature: email_reply_parser (email_1_1) and willdurand (email_1) drop it from the same body',
  },
  'crisp/test/fixtures/email_3.txt': {
    expected: (t) => t.replace(/\n\n-Abhishek Kona$/, ''),
    reason: 'a "-Name" sign-off line is a signature: willdurand (email_3) drops it from the same body',
  },
  'talon/standard_replies/iphone.eml': {
    expected: () => 'Hello',
    reason:
      '"Sent from my iPhone" is a client signature: email_reply_parser and willdurand (email_iPhone) expect it dropped',
  },
  'talon/standard_replies/sparrow.eml': {
    expected: () => 'Hello',
    reason: 'what follows a "-- " delimiter is a signature: email_reply_parser (correct_sig) expects it dropped',
  },
};

function jsonCases(set: ReplySet): ReplyCase[] {
  if (!hasCorpus(set, 'expected.json')) return [];
  const entries = JSON.parse(readFileSync(corpusPath(set, 'expected.json'), 'utf8')) as {
    file: string;
    new_text: string;
  }[];
  return entries.map((entry) => ({
    set,
    id: `${set}/${entry.file}`,
    input: async () => {
      const body = readFileSync(corpusPath(set, entry.file), 'utf8');
      return entry.file.endsWith('.html') ? { html: body } : { text: body };
    },
    expected: entry.new_text,
  }));
}

function talonCases(): ReplyCase[] {
  const cases: ReplyCase[] = [];
  const standard = corpusPath('talon', 'tests', 'fixtures', 'standard_replies');
  if (existsSync(standard)) {
    for (const name of readdirSync(standard)
      .filter((f) => f.endsWith('.eml'))
      .sort()) {
      const expectedFile = `${standard}/${name.replace(/\.eml$/, '')}_reply_text`;
      cases.push({
        set: 'talon',
        id: `talon/standard_replies/${name}`,
        // Full MIME, as ingest sees it: parsed first, then both parts go to the extractor.
        input: async () => {
          const mail = await parseMail(readFileSync(`${standard}/${name}`));
          return { text: mail.text, html: mail.html };
        },
        expected: existsSync(expectedFile) ? readFileSync(expectedFile, 'utf8') : 'Hello',
      });
    }
  }
  const html = corpusPath('talon', 'tests', 'fixtures', 'html_replies');
  if (existsSync(html)) {
    for (const name of readdirSync(html).sort()) {
      cases.push({
        set: 'talon',
        id: `talon/html_replies/${name}`,
        input: async () => ({ html: readFileSync(`${html}/${name}`, 'utf8') }),
        expected: 'Hi. I am fine. Thanks, Alex',
      });
    }
  }
  return cases;
}

/** Every case of every open set present on this machine, decisions attached. */
export function loadReplyCases(): ReplyCase[] {
  const cases = REPLY_SETS.flatMap(({ set }) => (set === 'talon' ? talonCases() : jsonCases(set)));
  for (const c of cases) {
    const d = DECISIONS[c.id];
    if (d) c.decided = { expected: d.expected(c.expected), reason: d.reason };
  }
  return cases;
}

/** Ids of the decisions, to check that each names a case that exists. */
export const DECIDED_IDS = Object.keys(DECISIONS);

/** The corpora's comparison rule: every run of whitespace folded to one space, both ends trimmed. */
export const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();
