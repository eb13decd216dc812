/**
 * The generated evaluation: every open-set reply (test/support/reply-cases.ts) recombined with a quote
 * header of each client × locale of the clients' own templates (quote-header-templates.ts), rendered by a
 * seeded generator (test/support/quote-header-generator.ts), above a quoted history. Each cell must give
 * the customer's text back at 99 % or more, and no case may lose a line of the customer's own text.
 * `npm run bench -- reply-text` prints the same table.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { QUOTE_TEMPLATES, TEMPLATE_LOCALES } from '#core/reply-text/quote-header-templates.ts';
import { TEMPLATE_WORDS } from '#core/reply-text/quote-headers.ts';
import { extractReplyText } from '#core/reply-text.ts';
import { describeCorpus } from '../support/corpora.ts';
import {
  generateCases,
  generateQuoteOnlyCases,
  lostLines,
  recombinable,
  scoreGenerated,
} from '../support/quote-header-generator.ts';
import { fold, loadReplyCases } from '../support/reply-cases.ts';

describe('the clients’ templates', () => {
  it('use only known placeholders and locales, and give the cutter its words', () => {
    for (const t of QUOTE_TEMPLATES) {
      const text = t.kind === 'attribution' ? t.text : t.fields.join('\n');
      expect(
        text.match(/\{\w+\}/g)?.every((p) => ['{date}', '{time}', '{sender}', '{to}', '{cc}', '{subject}'].includes(p)),
        text,
      ).toBe(true);
      expect(TEMPLATE_LOCALES[t.locale], t.locale).toBeDefined();
      expect(t.dates.length && t.senders.length).toBeGreaterThan(0);
    }
    // Read off the templates: the verbs of Thunderbird's Finnish and K-9's Dutch forms, Outlook's labels.
    expect([...TEMPLATE_WORDS.wroteBeforeDate]).toEqual(expect.arrayContaining(['kirjoitti', 'schreef op', 'w dniu']));
    expect([...TEMPLATE_WORDS.wrote]).toEqual(
      expect.arrayContaining(['wrote', 'a écrit', '写道', 'schrieb', 'Folgendes geschrieben']),
    );
    expect([...TEMPLATE_WORDS.from]).toEqual(expect.arrayContaining(['From', 'Von', 'De', '差出人', 'Lähettäjä']));
  });
});

describe('the decisions', () => {
  it('keeps an inline reply with the quotes it answers, without the history below it', () => {
    const text = [
      'See my answers.',
      '',
      '> Which plan?',
      'Pro.',
      '> Which country?',
      'Portugal.',
      '',
      'On Mon, Jun 3, 2024 at 10:00 AM Support <s@example.org> wrote:',
      '> Older history',
    ].join('\n');
    expect(extractReplyText({ text })).toBe(text.split('\n').slice(0, 6).join('\n'));
  });

  it('keeps a forward visible', () => {
    const text =
      'FYI\n\n---------- Forwarded message ---------\nFrom: A <a@example.org>\nSubject: Invoice\n\nThe invoice.';
    expect(fold(extractReplyText({ text }))).toBe(fold(text));
  });

  it('shows an Outlook block with nothing above it whole: that is how Outlook forwards', () => {
    const text =
      'From: A <a@example.org>\nSent: Monday, June 3, 2024 10:00 AM\nTo: B <b@example.org>\nSubject: FW: Invoice\n\nThe invoice.';
    expect(extractReplyText({ text })).toBe(text);
  });

  it('keeps a reply line that names an address, right above an attribution', () => {
    const text =
      'Please write to billing@example.org instead\nOn Mon, Jun 3, 2024 at 10:00 AM Support <s@example.org> wrote:\n> Old question?';
    expect(extractReplyText({ text })).toBe('Please write to billing@example.org instead');
  });

  it('keeps a reply line that introduces a quote of its own with a time but no date', () => {
    const text = 'At 10:30 the app said:\n> Error 500\nand then it closed.';
    expect(extractReplyText({ text })).toBe(text);
  });

  it('gives a mail that only quotes an empty new text', () => {
    expect(
      extractReplyText({ text: 'On Mon, Jun 3, 2024 at 10:00 AM Support <s@example.org> wrote:\n> Old question?' }),
    ).toBe('');
    expect(extractReplyText({ text: '> Old question?\n> Still open?' })).toBe('');
  });
});

describeCorpus('reply text on headers generated from the clients’ templates', '.', () => {
  const replies = loadReplyCases().map((c) => c.decided?.expected ?? c.expected);
  const rows: Record<string, string | number>[] = [];

  afterAll(() => {
    console.log('generated evaluation, per client × locale (exact after folding whitespace):');
    console.table(rows);
  });

  it('gives every client × locale back the customer’s text, 99 % or more, and never loses a line of it', () => {
    const cases = generateCases(replies, { perCell: 100 });
    expect(cases.length).toBeGreaterThan(10_000);
    const score = scoreGenerated(cases, (text) => extractReplyText({ text }));
    for (const [cell, s] of score.cells)
      rows.push({ cell, cases: s.cases, exact: s.exact, rate: `${((100 * s.exact) / s.cases).toFixed(1)}%` });
    const below = [...score.cells]
      .filter(([, s]) => s.exact < 0.99 * s.cases)
      .map(([cell, s]) => `${cell}: ${s.exact}/${s.cases}`);
    expect(below).toEqual([]);
    expect(score.lost).toEqual([]);
    // About 5 s on a quiet machine; a runner busy with other work can take many times that.
  }, 300_000);

  it('gives a mail that only quotes (an attribution of each client × locale and its history) an empty new text', () => {
    const cases = generateQuoteOnlyCases(recombinable(replies));
    const wrong = cases.filter((c) => extractReplyText({ text: c.text }) !== '').map((c) => c.cell);
    expect(wrong.length).toBeLessThanOrEqual(cases.length * 0.01);
  });

  it('counts a lost line only when a line of the customer’s text is missing', () => {
    expect(lostLines('Hello\n\nSecond line', 'Hello Second line')).toEqual([]);
    expect(lostLines('Hello\n\nSecond line', 'Hello')).toEqual(['Second line']);
  });
});
