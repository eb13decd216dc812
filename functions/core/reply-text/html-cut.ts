/**
 * Cuts an HTML reply by its structure, before it becomes text: each common client wraps the quoted
 * history in an element of its own, which is more reliable than any line of text. Parsed with
 * htmlparser2; the cut DOM becomes text by html-text.ts (html-to-text's rules, without its selector
 * engine), with no second serialisation and parse.
 */
import type { Document } from 'domhandler';
import { type AnyNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { domToText } from './html-text.ts';
import { QUOTE_PATTERNS } from './quote-headers.ts';

const hasClass = (el: Element, name: string) => (el.attribs.class ?? '').split(/\s+/).includes(name);

/** The first `limit` characters of an element's text, gathered without recursion. */
function textStart(el: Element, limit: number): string {
  let out = '';
  const stack: AnyNode[] = [el];
  while (stack.length && out.length < limit) {
    const node = stack.pop()!;
    if (isText(node)) out += node.data;
    else if (isTag(node)) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return out.slice(0, limit).replace(/\s+/g, ' ');
}

/**
 * The element that opens the quoted history, per client. The history runs from it to the end of the
 * document: everything after it in document order goes too. docs/reply-text.md lists them.
 */
export const HTML_QUOTE_MARKERS: { client: string; marks: (el: Element) => boolean }[] = [
  { client: 'Gmail', marks: (el) => hasClass(el, 'gmail_quote') || hasClass(el, 'gmail_quote_container') },
  { client: 'Outlook (web, new Outlook)', marks: (el) => el.attribs.id === 'divRplyFwdMsg' },
  { client: 'Outlook (web, new Outlook)', marks: (el) => el.attribs.id === 'appendonsend' },
  { client: 'Outlook 2003, Outlook Express', marks: (el) => hasClass(el, 'OutlookMessageHeader') },
  { client: 'Outlook.com, Hotmail', marks: (el) => el.name === 'hr' && el.attribs.id === 'stopSpelling' },
  {
    // Outlook desktop, Windows Mail: a div with a top border whose text starts with a header field.
    client: 'Outlook desktop, Windows Mail',
    marks: (el) =>
      el.name === 'div' &&
      /border-top(?:-style)?\s*:\s*solid/i.test((el.attribs.style ?? '').slice(0, 1000)) &&
      QUOTE_PATTERNS.headerAny.test(textStart(el, 200).trim()),
  },
  { client: 'Thunderbird', marks: (el) => hasClass(el, 'moz-cite-prefix') },
  { client: 'Apple Mail, Thunderbird', marks: (el) => el.name === 'blockquote' && el.attribs.type === 'cite' },
  {
    client: 'Yahoo Mail',
    marks: (el) => hasClass(el, 'yahoo_quoted') || (el.attribs.id ?? '').startsWith('yahoo_quoted'),
  },
];

/**
 * Deepest nesting kept. The text rules (html-text.ts) recurse, so hostile mail that nests deeper
 * would overflow the stack; html-to-text stops at the same depth anyway.
 */
export const MAX_HTML_DEPTH = 200;

/** Elements in document order, without recursion; what nests deeper than MAX_HTML_DEPTH is dropped. */
function* elements(root: AnyNode): Generator<Element> {
  const stack: [AnyNode, number][] = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (isTag(node)) yield node;
    const children = (node as { children?: AnyNode[] }).children;
    if (!children) continue;
    if (depth >= MAX_HTML_DEPTH) children.length = 0;
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
  }
}

/** Outlook draws a rule above its header block: it goes with the history. */
function ruleAbove(el: Element): AnyNode {
  let prev = el.prev;
  while (prev && isText(prev) && !prev.data.trim()) prev = prev.prev;
  return prev && isTag(prev) && prev.name === 'hr' ? prev : el;
}

function remove(node: AnyNode): void {
  const siblings = node.parent?.children;
  if (!siblings) return;
  siblings.splice(siblings.indexOf(node as never), 1);
  node.parent = null;
}

/** Removes a node and everything after it in document order. */
function removeFrom(node: AnyNode): void {
  for (let n: AnyNode | null = node; n?.parent; n = n.parent) {
    const siblings = n.parent.children;
    siblings.splice(siblings.indexOf(n as never) + (n === node ? 0 : 1));
  }
}

/**
 * The text of an HTML reply with its quoted history cut by structure, or `undefined` when the HTML
 * holds no quote structure (then the caller prefers the text part).
 *
 * A client marker cuts to the end. Without one, only the last outermost `<blockquote>` goes (as in
 * talon): a reply may quote a line on purpose, and a disclaimer may follow the history. A marker that
 * holds a forward cuts nothing: the whole text is returned, blockquotes as plain text.
 */
export function cutHtmlQuote(html: string): string | undefined {
  const doc = parseDocument(html);
  let cut = false;
  let lastBlockquote: Element | undefined;
  for (const el of elements(doc)) {
    if (HTML_QUOTE_MARKERS.some((m) => m.marks(el))) {
      // Gmail and Apple Mail wrap a forward in the same element: a forward is kept whole, as in text.
      if (QUOTE_PATTERNS.forwardedStart.test(textStart(el, 200).trim())) {
        return documentText(doc, { quoteBlockquotes: false });
      }
      removeFrom(ruleAbove(el));
      cut = true;
      break;
    }
    if (el.name === 'blockquote' && !insideBlockquote(el)) lastBlockquote = el;
  }
  if (!cut && lastBlockquote) {
    remove(lastBlockquote);
    cut = true;
  }
  return cut ? documentText(doc, { quoteBlockquotes: false }) : undefined;
}

function insideBlockquote(el: Element): boolean {
  for (let p = el.parent; p; p = p.parent) if (isTag(p) && p.name === 'blockquote') return true;
  return false;
}

/** The document's text; what nests deeper than MAX_HTML_DEPTH becomes `...`. */
function documentText(doc: Document, options: { quoteBlockquotes: boolean }): string {
  return domToText(doc.children, { ...options, maxDepth: MAX_HTML_DEPTH });
}

/**
 * HTML to text. Blockquotes become `>` lines by default, so the text cutter still sees the quotes; once
 * the structure has been cut, a blockquote left is the reply's own and stays plain text.
 */
export function htmlToText(html: string, options: { quoteBlockquotes?: boolean } = {}): string {
  return documentText(parseDocument(html), { quoteBlockquotes: options.quoteBlockquotes !== false });
}
