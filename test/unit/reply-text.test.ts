import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMail } from '../../functions/core/mime.ts';
import { extractReplyText } from '../../functions/core/reply-text.ts';
import { corpusPath, describeCorpus, hasCorpus } from '../support/corpora.ts';

/**
 * Cases we get wrong today, with the reason. Each runs as `it.fails`: visible in every run, and
 * red the day it starts passing.
 */
const KNOWN_MISSES: Record<string, string> = {
  'talon/standard_replies/iphone.eml':
    'talon expects the "Sent from my iPhone" signature kept; the product strips signatures, as email_reply_parser and willdurand expect for the same line',
  'talon/standard_replies/sparrow.eml':
    'talon expects the "-- / Sent with Sparrow" signature kept; the product strips signatures after a "-- " delimiter',
};

/** The corpora's comparison rule: every run of whitespace folded to one space, both ends trimmed. */
const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

interface Case {
  corpus: string;
  id: string;
  input: () => Promise<{ text?: string; html?: string }>;
  expected: string;
}

function loadCases(): Case[] {
  const cases: Case[] = [];
  for (const corpus of ['email_reply_parser', 'willdurand']) {
    if (!hasCorpus(corpus, 'expected.json')) continue;
    const entries = JSON.parse(readFileSync(corpusPath(corpus, 'expected.json'), 'utf8')) as {
      file: string;
      new_text: string;
    }[];
    for (const entry of entries) {
      cases.push({
        corpus,
        id: `${corpus}/${entry.file}`,
        input: async () => ({ text: readFileSync(corpusPath(corpus, entry.file), 'utf8') }),
        expected: entry.new_text,
      });
    }
  }
  const standard = corpusPath('talon', 'tests', 'fixtures', 'standard_replies');
  if (existsSync(standard)) {
    for (const name of readdirSync(standard).filter((f) => f.endsWith('.eml'))) {
      const expectedFile = `${standard}/${name.replace(/\.eml$/, '')}_reply_text`;
      cases.push({
        corpus: 'talon standard_replies',
        id: `talon/standard_replies/${name}`,
        // Full MIME, as ingest sees it: parsed first, then the text part (or the HTML) is used.
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
        corpus: 'talon html_replies',
        id: `talon/html_replies/${name}`,
        input: async () => ({ html: readFileSync(`${html}/${name}`, 'utf8') }),
        expected: 'Hi. I am fine. Thanks, Alex',
      });
    }
  }
  return cases;
}

describeCorpus('reply text over the reply corpora', '.', () => {
  const cases = loadCases();
  const tally = new Map<string, { exact: number; total: number }>();

  afterAll(() => {
    const rows = [...tally.entries()].map(([corpus, t]) => ({
      corpus,
      exact: t.exact,
      total: t.total,
      rate: `${((100 * t.exact) / t.total).toFixed(1)}%`,
    }));
    const exact = rows.reduce((n, r) => n + r.exact, 0);
    const total = rows.reduce((n, r) => n + r.total, 0);
    console.log('reply text, exact matches after folding whitespace:');
    console.table(rows);
    console.log(`overall: ${exact}/${total} (${((100 * exact) / total).toFixed(1)}%)`);
  });

  for (const c of cases) {
    const miss = KNOWN_MISSES[c.id];
    const test = miss ? it.fails : it;
    test(`${c.id}${miss ? ` (known miss: ${miss})` : ''}`, async () => {
      const actual = fold(extractReplyText(await c.input()));
      const t = tally.get(c.corpus) ?? { exact: 0, total: 0 };
      t.total++;
      if (actual === fold(c.expected)) t.exact++;
      tally.set(c.corpus, t);
      expect(actual).toBe(fold(c.expected));
    });
  }

  it('lists only cases that exist', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(KNOWN_MISSES).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('handles every reply fixture without expectation (pathological, inline replies) quickly', () => {
    for (const corpus of ['email_reply_parser/test/emails', 'willdurand/tests/Fixtures']) {
      if (!hasCorpus(corpus)) continue;
      for (const name of readdirSync(corpusPath(corpus))) {
        const started = performance.now();
        const result = extractReplyText({ text: readFileSync(corpusPath(corpus, name), 'utf8') });
        expect(typeof result, name).toBe('string');
        expect(performance.now() - started, name).toBeLessThan(1000);
      }
    }
  });
});

describe('extractReplyText rules', () => {
  it('cuts an Outlook header block in German', () => {
    const text =
      'Danke, passt.\n\nVon: Support <support@example.org>\nGesendet: Montag, 3. Juni 2024 10:00\nAn: Ana\nBetreff: Ihre Anfrage\n\nHallo Ana';
    expect(extractReplyText({ text })).toBe('Danke, passt.');
  });

  it('cuts an attribution wrapped over two lines', () => {
    const text =
      'Yes please.\n\nOn Mon, 3 Jun 2024 at 10:00, Go!Chat Support <support@example.org>\nwrote:\n> Shall we?';
    expect(extractReplyText({ text })).toBe('Yes please.');
  });

  it('keeps a sentence that only ends in "wrote:"', () => {
    expect(extractReplyText({ text: 'This is what my colleague wrote:\nthe report is late.' })).toBe(
      'This is what my colleague wrote:\nthe report is late.',
    );
  });

  it('strips a short signature and a mobile sign-off but keeps a sentence starting "Sent from"', () => {
    expect(extractReplyText({ text: 'Fine.\n\n-- \nAna\nACME' })).toBe('Fine.');
    expect(extractReplyText({ text: 'Fine.\n\nSent from my iPhone' })).toBe('Fine.');
    expect(extractReplyText({ text: 'Fine.\n\nSent from the office, where it works.' })).toBe(
      'Fine.\n\nSent from the office, where it works.',
    );
  });

  it('uses the HTML when there is no text, dropping blockquotes', () => {
    const html =
      '<div>Works now, thanks!</div><div class="gmail_quote">On Mon, Jun 3, 2024 at 10:00 AM Support &lt;s@example.org&gt; wrote:<blockquote>Try again?</blockquote></div>';
    expect(extractReplyText({ html })).toBe('Works now, thanks!');
  });

  it('returns the whole text when everything is history (a bare forward)', () => {
    const text = '---------- Forwarded message ---------\nFrom: Bob <bob@example.net>\nDate: Mon\nSubject: Hi\n\nHello';
    expect(extractReplyText({ text })).toBe(text);
  });
});
