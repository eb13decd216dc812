import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyMail, parseDeliveryStatus } from '#core/classify.ts';
import { type ParsedMail, parseMail } from '#core/mime.ts';
import type { MessageClassification } from '#core/model.ts';
import { corpusPath, describeCorpus, hasCorpus } from '../support/corpora.ts';

/**
 * Files that the classifier gets wrong today, with the reason. Each runs as `it.fails`, so it stays
 * visible and turns red the day it starts passing (then move it out of this list).
 */
const KNOWN_MISSES: Record<string, string> = {};

/** sisimai's kinds mapped to ours; a delivered DSN is harmless automated mail (see classify.ts). */
const EXPECTED: Record<string, MessageClassification> = {
  bounce: 'bounce',
  auto_reply: 'auto_reply',
  feedback_report: 'complaint',
  delivered_dsn: 'auto_reply',
  ordinary: 'ordinary',
};

interface Case {
  file: string;
  kind: string;
}

function loadCases(): Case[] {
  if (!hasCorpus('sisimai', 'expected.jsonl')) return [];
  const rows = readFileSync(corpusPath('sisimai', 'expected.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Case);
  return [
    ...rows.map((r) => ({ file: `sisimai/${r.file}`, kind: r.kind })),
    { file: 'sisimai/maildir/not/is-not-bounce-01.eml', kind: 'ordinary' },
    { file: 'sisimai/maildir/not/is-not-bounce-02.eml', kind: 'ordinary' },
    // Filed under "not" upstream, but it is a postmaster bounce (see corpora/README.md).
    { file: 'sisimai/maildir/not/rb-issue-368-bug.eml', kind: 'bounce' },
  ];
}

describeCorpus('classification over the sisimai corpus', 'sisimai', () => {
  const cases = loadCases();
  const tally = new Map<string, { ok: number; total: number }>();

  async function classifyFile(file: string) {
    return classifyMail(await parseMail(readFileSync(corpusPath(file))));
  }

  afterAll(() => {
    const rows = [...tally.entries()].map(([kind, t]) => ({
      kind,
      expected: EXPECTED[kind],
      correct: t.ok,
      total: t.total,
      rate: `${((100 * t.ok) / t.total).toFixed(1)}%`,
    }));
    const ok = rows.reduce((n, r) => n + r.correct, 0);
    const total = rows.reduce((n, r) => n + r.total, 0);
    console.log('sisimai classification, per kind:');
    console.table(rows);
    console.log(`overall: ${ok}/${total} (${((100 * ok) / total).toFixed(1)}%)`);
  });

  for (const { file, kind } of cases) {
    const miss = KNOWN_MISSES[file];
    const test = miss ? it.fails : it;
    test(`${file} is ${EXPECTED[kind]}${miss ? ` (known miss: ${miss})` : ''}`, async () => {
      const result = await classifyFile(file);
      const t = tally.get(kind) ?? { ok: 0, total: 0 };
      t.total++;
      if (result.classification === EXPECTED[kind]) t.ok++;
      tally.set(kind, t);
      expect(result.classification, result.reason).toBe(EXPECTED[kind]);
    });
  }

  it('lists only files that exist in the table', () => {
    const files = new Set(cases.map((c) => c.file));
    expect(Object.keys(KNOWN_MISSES).filter((f) => !files.has(f))).toEqual([]);
  });

  it('reads the failed recipient and a permanent status from a Postfix DSN', async () => {
    const result = await classifyFile('sisimai/maildir/bsd/lhost-postfix-01.eml');
    expect(result.bounce?.recipients[0]).toMatchObject({ status: '5.1.1', action: 'failed', hard: true });
  });
});

// --- rules on hand-made mail, independent of the corpora ------------------------------------

function mail(overrides: Partial<ParsedMail>): ParsedMail {
  return {
    references: [],
    subject: 'Question about my invoice',
    from: { address: 'ana@example.com', name: 'Ana' },
    to: [{ address: 'support@example.org' }],
    cc: [],
    replyTo: [],
    headers: {},
    contentType: 'text/plain',
    contentTypeParams: {},
    text: 'Hello, my invoice is wrong.',
    attachments: [],
    reportParts: [],
    ...overrides,
  };
}

describe('classifyMail rules', () => {
  it('keeps a customer mail ordinary', () => {
    expect(classifyMail(mail({})).classification).toBe('ordinary');
  });

  it('treats Auto-Submitted: no as ordinary and anything else as an auto-reply', () => {
    expect(classifyMail(mail({ headers: { 'auto-submitted': ['no'] } })).classification).toBe('ordinary');
    expect(classifyMail(mail({ headers: { 'auto-submitted': ['auto-generated'] } })).classification).toBe('auto_reply');
  });

  it('treats Precedence bulk as automated but not Precedence list', () => {
    expect(classifyMail(mail({ headers: { precedence: ['bulk'] } })).classification).toBe('auto_reply');
    expect(classifyMail(mail({ headers: { precedence: ['list'] } })).classification).toBe('ordinary');
  });

  it('recognises out-of-office subjects in several languages', () => {
    for (const subject of ['Out of Office: Question', 'Abwesenheitsnotiz: Frage', 'Réponse automatique : Question']) {
      expect(classifyMail(mail({ subject })).classification, subject).toBe('auto_reply');
    }
  });

  it('does not flag a reply whose subject merely mentions delivery', () => {
    expect(classifyMail(mail({ subject: 'Re: delivery of my order is late' })).classification).toBe('ordinary');
  });

  it('maps a delivered DSN to auto_reply and a delayed one to a soft bounce', () => {
    const report = (action: string, status: string) =>
      mail({
        contentType: 'multipart/report',
        contentTypeParams: { 'report-type': 'delivery-status' },
        reportParts: [
          {
            contentType: 'message/delivery-status',
            body: `Reporting-MTA: dns; mx.example.org\n\nFinal-Recipient: rfc822; bob@example.net\nAction: ${action}\nStatus: ${status}\n`,
          },
        ],
      });
    expect(classifyMail(report('delivered', '2.0.0')).classification).toBe('auto_reply');
    const delayed = classifyMail(report('delayed', '4.4.7'));
    expect(delayed.classification).toBe('bounce');
    expect(delayed.bounce?.recipients).toEqual([
      { address: 'bob@example.net', status: '4.4.7', action: 'delayed', hard: false },
    ]);
  });

  it('parses folded DSN fields per recipient', () => {
    const body =
      'Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822;<x@example.net>\nAction: failed\nStatus: 5.1.1\n\n' +
      'Final-Recipient: rfc822; y@example.net\nAction: failed\nDiagnostic-Code: smtp; 550\n 5.2.2 mailbox full\n';
    expect(parseDeliveryStatus(body)).toEqual([
      { address: 'x@example.net', status: '5.1.1', action: 'failed', hard: true },
      { address: 'y@example.net', status: '5.2.2', action: 'failed', hard: true },
    ]);
  });
});

beforeAll(() => {
  if (!hasCorpus('sisimai')) console.warn('[corpora] sisimai missing: only the hand-made classification cases ran');
});
