import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { extractReplyText } from '#core/reply-text.ts';
import { corpusPath, describeCorpus, hasCorpus } from '../support/corpora.ts';
import { DECIDED_IDS, fold, loadReplyCases, REPLY_SETS } from '../support/reply-cases.ts';

/**
 * Cases we get wrong today, with the reason. Each runs as `it.fails`: visible in every run, and red
 * the day it starts passing.
 */
const KNOWN_MISSES: Record<string, string> = {
  'crisp/test/fixtures/email_with_regards.txt':
    'crisp drops a "Regards," / name / title block; we keep sign-offs, as planer keeps "Regards, Roman", and cannot tell where a sign-off ends and a signature block starts without a guess',
};

describeCorpus('reply text over the seven open sets', '.', () => {
  const cases = loadReplyCases();
  const tally = new Map<string, { cases: number; upstream: number; decided: number }>();

  afterAll(() => {
    const rows = REPLY_SETS.filter(({ set }) => tally.has(set)).map(({ set, tuned }) => {
      const t = tally.get(set)!;
      const pct = (n: number) => `${((100 * n) / t.cases).toFixed(1)}%`;
      return {
        set,
        tuned: tuned ? 'tuned on' : 'held out',
        cases: t.cases,
        'exact (upstream)': `${t.upstream} (${pct(t.upstream)})`,
        'exact (decided)': `${t.decided} (${pct(t.decided)})`,
      };
    });
    console.log('reply text, exact after folding whitespace:');
    console.table(rows);
  });

  for (const c of cases) {
    const miss = KNOWN_MISSES[c.id];
    const test = miss ? it.fails : it;
    const note = miss ? ` (known miss: ${miss})` : c.decided ? ` (decided against upstream: ${c.decided.reason})` : '';
    test(`${c.id}${note}`, async () => {
      const actual = fold(extractReplyText(await c.input()));
      const t = tally.get(c.set) ?? { cases: 0, upstream: 0, decided: 0 };
      t.cases++;
      if (actual === fold(c.expected)) t.upstream++;
      if (actual === fold(c.decided?.expected ?? c.expected)) t.decided++;
      tally.set(c.set, t);
      expect(actual).toBe(fold(c.decided?.expected ?? c.expected));
    });
  }

  it('lists only known misses and decisions that name an existing case', () => {
    const ids = new Set(cases.map((c) => c.id));
    expect([...Object.keys(KNOWN_MISSES), ...DECIDED_IDS].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('handles every reply fixture without an expectation (pathological, inline replies, templates)', () => {
    for (const corpus of ['email_reply_parser/test/emails', 'willdurand/tests/Fixtures', 'crisp/test/fixtures']) {
      if (!hasCorpus(corpus)) continue;
      for (const name of readdirSync(corpusPath(corpus))) {
        const text = readFileSync(corpusPath(corpus, name), 'utf8');
        const result = extractReplyText({ text });
        expect(typeof result, name).toBe('string');
        // The new text is a part of the message, never something else.
        expect(result.length, name).toBeLessThanOrEqual(text.length);
      }
    }
  });
});
