/**
 * The reply-text cut's HTML-to-text port (functions/core/reply-text/html-text.ts) against html-to-text
 * itself, with the options the cut used to give it: the same text, character for character, on every
 * HTML body of the corpora and on generated HTML (nesting, lists, tables with spans, whitespace,
 * entities, pre, headings, blockquotes, deep nesting).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { compile, type HtmlToTextOptions } from 'html-to-text';
import { parseDocument } from 'htmlparser2';
import PostalMime from 'postal-mime';
import { expect, it } from 'vitest';
import { domToText } from '#core/reply-text/html-text.ts';
import { corpusPath, describeCorpus, listCorpusFiles } from '../support/corpora.ts';

const MAX_DEPTH = 200;
/** The options functions/core/reply-text/html-cut.ts gave html-to-text before the port. */
const SELECTORS = [
  { selector: 'a', options: { ignoreHref: true } },
  { selector: 'img', format: 'skip' },
  { selector: 'style', format: 'skip' },
  { selector: 'head', format: 'skip' },
  { selector: 'h1', options: { uppercase: false } },
  { selector: 'h2', options: { uppercase: false } },
  { selector: 'h3', options: { uppercase: false } },
  { selector: 'table', format: 'dataTable' },
  { selector: 'hr', format: 'horizontalLine', options: { length: 32 } },
];
const BASE: HtmlToTextOptions = { wordwrap: false, limits: { maxDepth: MAX_DEPTH }, selectors: SELECTORS };
const quoted = compile(BASE);
const plain = compile({ ...BASE, selectors: [...SELECTORS, { selector: 'blockquote', format: 'block' }] });

const port = (html: string, quoteBlockquotes: boolean) =>
  domToText(parseDocument(html).children, { quoteBlockquotes, maxDepth: MAX_DEPTH });

function expectSame(html: string, label = 'html'): void {
  expect({ label, text: port(html, true) }).toEqual({ label, text: quoted(html) });
  expect({ label, text: port(html, false) }).toEqual({ label, text: plain(html) });
}

/** Random HTML from the elements whose rules the port carries, with hostile whitespace and entities. */
const html = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('text'), tie('element'), tie('table'), tie('list')),
  text: fc
    .array(fc.constantFrom('a', 'Bé', ' ', '  ', '\n', '\t', '&amp;', '&nbsp;', '&lt;x&gt;', 'word', '\u200b', '—'), {
      maxLength: 8,
    })
    .map((parts) => parts.join('')),
  nodes: fc.array(tie('node'), { maxLength: 4 }).map((n) => (n as string[]).join('')),
  element: fc
    .tuple(
      fc.constantFrom(
        'p',
        'div',
        'span',
        'b',
        'a href="x"',
        'blockquote',
        'pre',
        'h1',
        'h4',
        'section',
        'img alt="i"',
        'style',
        'script',
        'head',
        'br',
        'hr',
        'wbr',
        'center',
        'font',
        'li',
        'body',
        'article',
      ),
      tie('nodes'),
    )
    .map(([tag, inner]) => {
      const name = tag.split(' ')[0];
      return ['br', 'hr', 'wbr', 'img'].includes(name) ? `<${tag}>` : `<${tag}>${inner}</${name}>`;
    }),
  list: fc
    .tuple(
      fc.constantFrom('ul', 'ol', 'ol type="a" start="3"', 'ol type="I"'),
      fc.array(tie('nodes'), { maxLength: 4 }),
    )
    .map(
      ([tag, items]) => `<${tag}>${(items as string[]).map((i) => `<li>${i}</li>`).join(' ')}</${tag.split(' ')[0]}>`,
    ),
  table: fc
    .array(
      fc.array(fc.tuple(fc.constantFrom('td', 'th', 'td colspan="2"', 'td rowspan="2"'), tie('nodes')), {
        minLength: 1,
        maxLength: 3,
      }),
      { minLength: 1, maxLength: 3 },
    )
    .map(
      (rows) =>
        `<table><tbody>${(rows as [string, string][][])
          .map((cells) => `<tr>${cells.map(([tag, inner]) => `<${tag}>${inner}</${tag.split(' ')[0]}>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
    ),
}));

it('gives html-to-text\u2019s text for generated HTML (fast-check, both blockquote modes)', () => {
  fc.assert(
    fc.property(html.nodes, (doc) => {
      expectSame(doc);
    }),
    { numRuns: 3000 },
  );
});

it('cuts nesting deeper than the limit with an ellipsis, as html-to-text does', () => {
  const deep = `${'<div><span>'.repeat(150)}deep${'</span></div>'.repeat(150)}`;
  expect(port(deep, true)).toContain('...');
  expectSame(deep, 'deep');
});

it('lays out tables with spans and long cells as html-to-text does', () => {
  const long = 'word '.repeat(40);
  expectSame(
    `<table><tr><th>Name</th><th colspan="2">Wide header</th></tr><tr><td rowspan="2">A<br>B</td><td>${long}</td><td>c</td></tr><tr><td>d</td></tr></table>`,
    'table',
  );
});

describeCorpus('every HTML body of the corpora', '.', () => {
  it('gives html-to-text\u2019s text, quoting blockquotes and not', async () => {
    const bodies: [string, string][] = [];
    for (const file of listCorpusFiles()) {
      const raw = readFileSync(corpusPath(file));
      if (file.endsWith('.html')) {
        bodies.push([file, raw.toString('utf8')]);
        continue;
      }
      if (raw.length > 3_000_000 || !/^[A-Za-z-]+:/m.test(raw.subarray(0, 2000).toString('latin1'))) continue;
      const mail = await PostalMime.parse(raw).catch(() => undefined);
      if (mail?.html) bodies.push([file, mail.html]);
    }
    expect(bodies.length).toBeGreaterThan(50);
    for (const [file, body] of bodies) expectSame(body, file);
  });
});
