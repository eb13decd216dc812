/**
 * HTML to plain text for the reply-text cut: a port of html-to-text's (10.0.1) text builder (its block, list,
 * table and whitespace rules, without word wrap) for the one fixed set of options the cut uses.
 *
 * Why not html-to-text itself: its converter is driven by CSS selectors, compiled at start-up by a
 * selector engine (selderee, parseley, leac, peberminta) that made a fifth of the ingest Lambda's cold
 * import (docs/performance.md). The cut needs nothing a selector can express beyond a tag name, so the
 * same rules run from a table of tags here, on the DOM that htmlparser2 has already built.
 * test/unit/html-text.test.ts checks the output against html-to-text's, character for character, on
 * every HTML body of the corpora and on generated HTML.
 *
 * The options ported (html-to-text's defaults, with the cut's own): no word wrap; links as their text
 * only; images, `style` and `head` skipped; `h1`-`h3` not upper-cased (`h4`-`h6` and table headers are,
 * as in html-to-text); every table laid out as a data table (columns 3 apart, cells wrapped at 60);
 * `hr` as 32 dashes; blockquotes as `> ` lines, or as plain blocks when `quoteBlockquotes` is false;
 * the nesting cut at `maxDepth` with an ellipsis. The builder it drives is in text-builder.ts.
 */
import type { AnyNode, Element } from 'domhandler';
import { Builder, trimChar } from './text-builder.ts';

export interface HtmlTextOptions {
  /** Blockquotes as `> ` lines (default), or as plain blocks. */
  quoteBlockquotes?: boolean;
  /** Deepest nesting walked; deeper content becomes `...`. */
  maxDepth: number;
}

const BLOCKS: Record<string, [number, number]> = {
  article: [1, 1],
  aside: [1, 1],
  div: [1, 1],
  footer: [1, 1],
  form: [1, 1],
  header: [1, 1],
  main: [1, 1],
  nav: [1, 1],
  section: [1, 1],
  p: [2, 2],
  h1: [3, 2],
  h2: [3, 2],
  h3: [3, 2],
  h4: [2, 2],
  h5: [2, 2],
  h6: [2, 2],
};
const UPPER_CASE_HEADINGS = new Set(['h4', 'h5', 'h6']);
const SKIPPED = new Set(['img', 'style', 'head']);

/** Tags only: html-to-text walks neither `script` nor `style` elements (their own node types), nor comments. */
const isElement = (node: AnyNode): node is Element => node.type === 'tag';

/** The text of a parsed document (or of nodes of one). */
export function domToText(nodes: AnyNode[], options: HtmlTextOptions): string {
  const quote = options.quoteBlockquotes !== false;
  const builder = new Builder();

  const walk = (list: AnyNode[] | undefined, depth: number): void => {
    if (!list) return;
    if (depth > options.maxDepth) {
      builder.addInline('...');
      return;
    }
    for (const node of list) {
      if (node.type === 'text') builder.addInline(node.data);
      else if (isElement(node)) element(node, depth);
    }
  };

  const element = (el: Element, depth: number): void => {
    const name = el.name;
    const inner = () => walk(el.children, depth + 1);
    if (SKIPPED.has(name)) return;
    const block = BLOCKS[name];
    if (block) {
      builder.openBlock(block[0]);
      if (UPPER_CASE_HEADINGS.has(name)) builder.upper(inner);
      else inner();
      builder.closeBlock(block[1]);
      return;
    }
    switch (name) {
      case 'br':
        builder.lineBreak();
        return;
      case 'wbr':
        builder.wordBreakOpportunity();
        return;
      case 'hr':
        builder.openBlock(2);
        builder.addInline('-'.repeat(32));
        builder.closeBlock(2);
        return;
      case 'pre':
        builder.openBlock(2, true);
        inner();
        builder.closeBlock(2);
        return;
      case 'blockquote':
        builder.openBlock(2, false, quote ? 2 : 0);
        inner();
        builder.closeBlock(
          2,
          quote
            ? (text) =>
                trimChar(text, '\n')
                  .split('\n')
                  .map((line) => `> ${line}`)
                  .join('\n')
            : undefined,
        );
        return;
      case 'ul':
      case 'ol':
        list(el, depth);
        return;
      case 'table':
        table(el, depth);
        return;
      default:
        inner();
    }
  };

  const list = (el: Element, depth: number): void => {
    const nested = (el.parent as Element | null)?.name === 'li';
    let next = Number(el.attribs.start || '1');
    const nextPrefix = el.name === 'ol' ? () => ` ${orderedIndex(el.attribs.type, next++)}. ` : () => ' * ';
    let maxPrefixLength = 0;
    const items = el.children
      .filter((child) => child.type !== 'text' || !/^\s*$/.test(child.data))
      .map((child) => {
        if (!isElement(child) || child.name !== 'li') return { node: child, prefix: '' };
        const prefix = nested ? nextPrefix().trimStart() : nextPrefix();
        maxPrefixLength = Math.max(maxPrefixLength, prefix.length);
        return { node: child, prefix };
      });
    if (!items.length) return;
    builder.openList(nested ? 1 : 2, maxPrefixLength);
    for (const { node, prefix } of items) {
      builder.openListItem(prefix);
      walk([node], depth + 1);
      builder.closeListItem();
    }
    builder.closeList(nested ? 1 : 2);
  };

  const table = (el: Element, depth: number): void => {
    builder.openTable();
    const cell = (node: Element, header: boolean) => {
      builder.openCell();
      if (header) builder.upper(() => walk(node.children, depth + 1));
      else walk(node.children, depth + 1);
      builder.closeCell(Number(node.attribs.colspan) || 1, Number(node.attribs.rowspan) || 1);
    };
    const section = (node: AnyNode): void => {
      if (node.type !== 'tag') return;
      const e = node as Element;
      if (e.name === 'thead' || e.name === 'tbody' || e.name === 'tfoot' || e.name === 'center') {
        e.children.forEach(section);
      } else if (e.name === 'tr') {
        builder.openRow();
        for (const c of e.children) {
          if (c.type !== 'tag') continue;
          const ce = c as Element;
          if (ce.name === 'th') cell(ce, true);
          else if (ce.name === 'td') cell(ce, false);
        }
        builder.closeRow();
      }
    };
    el.children.forEach(section);
    builder.closeTable();
  };

  walk(baseNodes(nodes, options.maxDepth), 0);
  return builder.toString();
}

/** The `body` elements (not looked into further), or every node when there is none: html-to-text's base. */
function baseNodes(nodes: AnyNode[], maxDepth: number): AnyNode[] {
  const bodies: AnyNode[] = [];
  const find = (list: AnyNode[], depth: number): void => {
    if (depth > maxDepth) return;
    for (const node of list) {
      if (node.type !== 'tag') continue;
      const el = node as Element;
      if (el.name === 'body') bodies.push(el);
      else find(el.children, depth + 1);
    }
  };
  find(nodes, 0);
  return bodies.length ? bodies : nodes;
}

/** The marker of item `i` of an `ol` of `type` 1, a, A, i or I. */
function orderedIndex(type: string | undefined, i: number): string {
  switch (type) {
    case 'a':
      return letters(i, 'a');
    case 'A':
      return letters(i, 'A');
    case 'i':
      return roman(i).toLowerCase();
    case 'I':
      return roman(i);
    default:
      return String(i);
  }
}

function letters(num: number, base: string): string {
  const out: string[] = [];
  let n = num;
  while (n > 0) {
    n--;
    out.push(String.fromCharCode(base.charCodeAt(0) + (n % 26)));
    n = Math.floor(n / 26);
  }
  return out.reverse().join('');
}

function roman(num: number): string {
  const I = ['I', 'X', 'C', 'M'];
  const V = ['V', 'L', 'D'];
  return [...`${num}`]
    .map((d) => +d)
    .reverse()
    .map((d, i) => (d % 5 < 4 ? (d < 5 ? '' : V[i]) + I[i].repeat(d % 5) : I[i] + (d < 5 ? V[i] : I[i + 1])))
    .reverse()
    .join('');
}
