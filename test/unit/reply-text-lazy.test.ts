/**
 * Ingest's `replyTextOf` loads the HTML reader only when `needsHtmlReader` says the HTML can hold a
 * quote structure (or there is no text to prefer). It must give `extractReplyText`'s answer always:
 * on every reply case and every HTML mail of the corpora, and on generated HTML where each marker of
 * reply-text/html-cut.ts appears in the forms HTML allows (case, attribute order, other classes).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { expect, it } from 'vitest';
import { needsHtmlReader, replyTextOf } from '#core/reply-text/extract.ts';
import { cutHtmlQuote } from '#core/reply-text/html-cut.ts';
import { extractReplyText } from '#core/reply-text.ts';
import { corpusPath, describeCorpus, listCorpusFiles } from '../support/corpora.ts';
import { loadReplyCases } from '../support/reply-cases.ts';

/** Elements that html-cut.ts cuts at, in the spellings a client may use. */
const marker = fc.constantFrom(
  '<div class="gmail_quote">',
  '<DIV class="x gmail_quote_container y">',
  '<div id="divRplyFwdMsg" dir="ltr">',
  '<div id="appendonsend"></div><div>',
  '<div class="OutlookMessageHeader">',
  '<hr id="stopSpelling"><div>',
  '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p><b>From:</b> A</p><p>',
  '<div style="BORDER-TOP-STYLE: solid"><p>From: A</p><p>',
  '<div class="moz-cite-prefix">',
  '<blockquote type="cite">',
  '<BLOCKQUOTE>',
  '<div class="yahoo_quoted">',
  '<div id="yahoo_quoted_123">',
);
const words = fc.array(fc.constantFrom('Hi', 'Thanks.', 'On Monday, A wrote:', '&gt; old', 'Best,', 'Bob', '\n'), {
  maxLength: 6,
});
const htmlReply = fc
  .tuple(words, fc.option(marker, { nil: undefined }), words, fc.boolean())
  .map(([before, open, after, wrap]) => {
    const body = `<p>${before.join(' ')}</p>${open ? `${open}${after.join(' ')}</div>` : `<p>${after.join(' ')}</p>`}`;
    return wrap ? `<html><body>${body}</body></html>` : body;
  });

it('never skips HTML that the structural cut would cut (generated HTML with every marker)', () => {
  fc.assert(
    fc.property(htmlReply, (html) => {
      if (cutHtmlQuote(html) !== undefined) expect(needsHtmlReader({ text: 'x', html })).toBe(true);
    }),
    { numRuns: 3000 },
  );
});

it("gives extractReplyText's answer for generated replies, with and without a text part", async () => {
  await fc.assert(
    fc.asyncProperty(htmlReply, fc.option(words, { nil: undefined }), async (html, text) => {
      const input = { html, ...(text ? { text: text.join('\n') } : {}) };
      expect(await replyTextOf(input)).toBe(extractReplyText(input));
    }),
    { numRuns: 1000 },
  );
});

it('reads no HTML for a mail whose HTML has no quote structure and whose text part is there', () => {
  expect(needsHtmlReader({ text: 'Hello', html: '<p>Hello <b>there</b></p>' })).toBe(false);
  expect(needsHtmlReader({ text: '', html: '<p>Hello</p>' })).toBe(true);
  expect(needsHtmlReader({ text: 'Hello' })).toBe(false);
});

describeCorpus('the corpora', '.', () => {
  it("gives extractReplyText's answer on every reply case", async () => {
    const cases = loadReplyCases();
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      const input = await c.input();
      expect({ id: c.id, text: await replyTextOf(input) }).toEqual({ id: c.id, text: extractReplyText(input) });
    }
  });

  it("gives extractReplyText's answer on every mail with HTML", async () => {
    let compared = 0;
    for (const file of listCorpusFiles()) {
      const raw = readFileSync(corpusPath(file));
      if (raw.length > 3_000_000 || !/^[A-Za-z-]+:/m.test(raw.subarray(0, 2000).toString('latin1'))) continue;
      const mail = await PostalMime.parse(raw).catch(() => undefined);
      if (!mail?.html) continue;
      const input = { html: mail.html, ...(mail.text !== undefined ? { text: mail.text } : {}) };
      expect({ file, text: await replyTextOf(input) }).toEqual({ file, text: extractReplyText(input) });
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});
