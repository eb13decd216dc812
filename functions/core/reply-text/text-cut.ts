/**
 * Where the quoted history starts in a plain-text reply, and which `>`-quoted blocks go.
 *
 * Linear on any input: each pattern runs on one line, or on at most four joined lines, and only on
 * lines of at most MAX_PROBE characters. A longer line is text, never a header.
 */
import { endsLikeAttribution, isDatedAddress, isSeparator, QUOTE_PATTERNS as P } from './quote-headers.ts';

/** Longest line a pattern ever runs on. Real attribution and header lines are far shorter. */
export const MAX_PROBE = 1000;

/** The trimmed line, or '' when it is too long to be a header (so no pattern runs on it). */
const probe = (line: string) => (line.length > MAX_PROBE ? '' : line.trim());
const isQuote = (line: string) => line.trimStart().startsWith('>');
const isBlank = (line: string) => line.trim() === '';

/** A date, an address, a time or a quote mark tells an attribution from a sentence ending in "wrote:". */
const looksLikeHeader = (s: string) => /\d|@|<|"/.test(s);

export interface HistoryCut {
  /** The lines of the new text (quoted blocks of the history removed). */
  lines: string[];
  /**
   * An inline reply: answers between the quoted lines, which the caller keeps with the quotes they
   * answer (`inlineLines`: the message down to its last unquoted line above the history).
   */
  inline: boolean;
  inlineLines: string[];
  /** Where the history starts: at an attribution or a `>` quote, or at a header block (or banner). */
  historyAt: 'quote' | 'block' | 'none';
}

/** Splits the history off a reply given as lines (already normalised, trailing spaces trimmed). */
export function cutHistory(input: string[]): HistoryCut {
  const lines = splitGluedAttributions(input);
  const removed = new Array<boolean>(lines.length).fill(false);
  /** First line of each `>` block that an attribution introduces: history, whatever follows. */
  const attributed = new Set<number>();
  const end = findQuoteStart(lines, removed, attributed);
  const head: { line: string; index: number }[] = [];
  for (let i = 0; i < end; i++) if (!removed[i]) head.push({ line: lines[i], index: i });
  const { lines: kept, inline } = dropQuotedBlocks(head, attributed);
  let lastText = -1;
  for (const h of head) if (!isBlank(h.line) && !isQuote(h.line)) lastText = h.index;
  const quoted = attributed.size > 0 || head.some((h) => isQuote(h.line));
  return {
    lines: kept,
    inline,
    inlineLines: inline ? lines.slice(0, lastText + 1) : [],
    historyAt: end < lines.length ? (opensWithAttribution(lines, end) ? 'quote' : 'block') : quoted ? 'quote' : 'none',
  };
}

/**
 * Whether the history found at line i opens with an attribution (Thunderbird and Proton may put an
 * "Original Message" banner above it), rather than with a header block.
 */
function opensWithAttribution(lines: string[], i: number): boolean {
  if (attributionSpan(lines, i) > 0) return true;
  const next = nextNonBlank(lines, i + 1);
  return P.original.test(probe(lines[i])) && next >= 0 && attributionSpan(lines, next) > 0;
}

/**
 * "reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:" on one line, above a quote: clients
 * that lose a line break glue the reply to the attribution. Split it back into two lines.
 */
function splitGluedAttributions(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = probe(lines[i]);
    const next = nextNonBlank(lines, i + 1);
    if (!line || next < 0 || !isQuote(lines[next]) || !endsLikeAttribution(line) || P.opener.test(line)) {
      out.push(lines[i]);
      continue;
    }
    let split = false;
    let tries = 0;
    for (const m of line.matchAll(P.openerAnywhere)) {
      // A few candidates at most: each test reads the rest of the line.
      if (++tries > 8) break;
      const at = (m.index ?? 0) + m[0].indexOf(m[1]);
      const rest = line.slice(at);
      // The opener is followed by a date within three words: "On Wed, Apr 4, 2012", "Le 12 mars".
      if (at === 0 || !/^\S+\s+(?:[^\s\d]+\s+){0,2}\d/.test(rest) || !looksLikeHeader(rest)) continue;
      out.push(trimRuleEnd(line.slice(0, at)), rest);
      split = true;
      break;
    }
    if (!split) out.push(lines[i]);
  }
  return out;
}

/**
 * Index of the first line of the history, or `lines.length`. Attributions above `>` blocks (bottom
 * posting, inline replies) are marked removed instead, and their blocks marked attributed.
 */
function findQuoteStart(lines: string[], removed: boolean[], attributed: Set<number>): number {
  for (let i = 0; i < lines.length; i++) {
    const line = probe(lines[i]);
    if (!line || isQuote(line)) continue;
    if (P.original.test(line)) return i;
    // A forward is what the customer sends us: keep it, and do not read its headers as history.
    if (P.forwarded.test(line)) return lines.length;
    const span = attributionSpan(lines, i);
    if (span > 0) {
      const next = nextNonBlank(lines, i + span);
      if (next >= 0 && isQuote(lines[next])) {
        for (let j = i; j < i + span; j++) removed[j] = true;
        attributed.add(next);
        i += span - 1;
        continue;
      }
      return i;
    }
    const block = headerBlockStart(lines, i);
    if (block >= 0) return block;
  }
  return lines.length;
}

/**
 * An attribution on one line: it ends with a template's verb ("wrote:", "schrieb Name <a@b>:"), or with
 * the author's address and a colon (no verb: "<date> в <time>, Name <a@b>:"), or with a date after the
 * verb ("Name kirjoitti 4.4.2012 klo 15.59:"); or, right above a quote, a dated line ending in a colon
 * ("04.04.12 15:59, Name:").
 */
function isAttribution(line: string, lines: string[], below: number): boolean {
  if (endsLikeAttribution(line) || isDatedAddress(line)) return looksLikeHeader(line) || quoteAt(lines, below);
  const last = line[line.length - 1];
  if (last !== ':' && last !== '：') return false;
  if (P.attributionDateLast.test(line)) return true;
  // Verb-less: a date (a year, or a numeric date) and a time, not a time alone ("At 10:30 it said:").
  return (
    (P.dateStart.test(line) || P.opener.test(line)) &&
    /\d{1,2}[:.]\d{2}/.test(line) &&
    /\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2}/.test(line) &&
    quoteAt(lines, below)
  );
}

/** Whether the next non-blank line from `from` is a `>` quote. */
function quoteAt(lines: string[], from: number): boolean {
  const next = nextNonBlank(lines, from);
  return next >= 0 && isQuote(lines[next]);
}

/** "On <date>, <name> wrote:", on one line or wrapped over up to four: the number of lines, or 0. */
function attributionSpan(lines: string[], i: number): number {
  const line = probe(lines[i]);
  // Right above a quote, "On Mon, someone wrote:" needs no date or address to be an attribution.
  if (isAttribution(line, lines, i + 1)) return 1;
  // A line that opens with a date, right above a quote: Gmail's "2011/4/7 Name <address>", verb-less.
  if (P.dateLed.test(line) && line.length < 200) {
    const next = nextNonBlank(lines, i + 1);
    if (next >= 0 && isQuote(lines[next])) return 1;
    if (next === i + 1 && /^<[^<>\s]+@[^<>\s]+>\s*:?$/.test(probe(lines[next]))) return 2;
  }
  // Wrapped over lines (Gmail wraps its text part): the first line opens like a header (an opener word,
  // a date) or holds the author's address ("Name <a@b> 于…"), and together they hold an address, a time
  // or a year.
  // (An address in angle brackets, not any "@": a reply line naming an address stays the reply's.)
  if (!(P.opener.test(line) || P.dateStart.test(line) || /<[^<>\s]*@|<$/.test(line))) return 0;
  let window = line;
  for (let span = 2; span <= 4 && i + span <= lines.length; span++) {
    // Gmail wraps "<address>:" as "<address" + ">:", which looks like a quote line.
    const last = probe(lines[i + span - 1]);
    if (!last || (last.startsWith('>') && !/^>\s*:$/.test(last))) break;
    window = `${window} ${last}`;
    if (/@|\d{1,2}:\d{2}|\d{4}/.test(window) && isAttribution(window, lines, i + span)) {
      return startsLater(lines, i, span) ? 0 : span;
    }
  }
  return 0;
}

/**
 * Whether a wrapped attribution found at lines i..i+span really starts further down: later lines make
 * an attribution by themselves, and the lines above them are not the start of a header wrapped by its
 * client (an opener word or a weekday, with a date, no sentence end: "Il giorno ven 12 gen 2018 alle ore",
 * "ne 13. 5. 2012 v 1:39 dop. odesílatel Name <"). Then those lines are the reply's (a client that
 * leaves no blank line above "On … wrote:"), and the scan finds the header on its own line.
 */
function startsLater(lines: string[], i: number, span: number): boolean {
  const first = probe(lines[i]);
  if (/<[^<>\s]*@/.test(first)) return false;
  for (let j = i + 1; j < i + span; j++) {
    const rest = lines
      .slice(j, i + span)
      .map(probe)
      .join(' ');
    if (!isAttribution(rest, lines, i + span)) continue;
    const above = lines.slice(i, j).map(probe);
    if (above.some((l) => /[.!?…]$/.test(l))) return true;
    // The start of a header its client wrapped: broken after the `<` of the address, or an opener word or
    // a weekday with a date, or a date with a time on a line as long as a wrapped one.
    const wrapped =
      first.endsWith('<') ||
      ((P.openerWord.test(first) || /^\p{L}{1,6}\.?,?\s\d/u.test(first)) && /\d/.test(first)) ||
      (/^\d/.test(first) && /\d{1,2}[:.]\d{2}/.test(first) && first.length >= 30);
    return !wrapped;
  }
  return false;
}

/** Start of a header block (Outlook's From/Sent/To/Subject and its translations) at line i, or -1. */
function headerBlockStart(lines: string[], i: number): number {
  const line = probe(lines[i]);
  const near = (from: number, to: number) => lines.slice(from, to).some((l) => P.headerAny.test(probe(l)));
  const isBlock =
    (P.headerFrom.test(line) && (near(i + 1, i + 5) || (i > 0 && line.includes('@')))) ||
    (P.headerDate.test(line) && near(i + 1, i + 2));
  if (!isBlock) return -1;
  // Some clients put more header lines ("Message du :") or a rule line above: cut there too.
  let start = i;
  let above = previousNonBlank(lines, start);
  while (above >= 0 && (P.headerAny.test(probe(lines[above])) || P.messageOf.test(probe(lines[above])))) {
    start = above;
    above = previousNonBlank(lines, start);
  }
  return above >= 0 && isSeparator(probe(lines[above])) ? above : start;
}

/**
 * A line without `>` that belongs to the quote above it: a long quoted line re-wrapped by a client, or
 * the broken tail of a quoted link. A short line glued to a quote is a reply.
 */
function continuesQuote(previousQuoted: string, line: string): boolean {
  const text = probe(line);
  const quoted = probe(previousQuoted);
  const lastWord = quoted.slice(quoted.lastIndexOf(' ') + 1);
  return (
    previousQuoted.length >= 60 ||
    // A word-less token (the rest of a URL or an id), not a one-word answer like "Thanks".
    (!/\s/.test(text) && /[=&%/)_>]/.test(text)) ||
    /^[(<]https?:/i.test(text) ||
    /^[(<]https?:[^)>]*$/i.test(lastWord)
  );
}

/**
 * Removes the `>` blocks of the history from the head, with the unquoted lines that continue them.
 * A block stays when no attribution introduces it and reply text is glued above and below it (a
 * ">>> link <<<" banner, not a quote). Answers between attributed blocks make an inline reply.
 */
function dropQuotedBlocks(
  head: { line: string; index: number }[],
  attributed: Set<number>,
): { lines: string[]; inline: boolean } {
  const out: string[] = [];
  let answers = 0;
  /** After a dropped quote block: the next text is an answer to it. */
  let afterAttributedBlock = false;
  let seenQuote = false;
  const headLines = head.map((h) => h.line);
  for (let k = 0; k < head.length; ) {
    if (!isQuote(head[k].line)) {
      if (afterAttributedBlock && !isBlank(head[k].line)) {
        // Text after an attributed block: an answer, unless it is a footer or signature.
        if (!isSeparator(probe(head[k].line))) answers++;
        afterAttributedBlock = false;
      }
      out.push(head[k].line);
      k++;
      continue;
    }
    // The block: quote lines, the lines that continue them, and blank lines between quote lines.
    const start = k;
    let previousQuoted = '';
    while (k < head.length) {
      const line = head[k].line;
      if (isQuote(line)) previousQuoted = line;
      else if (isBlank(line)) {
        const n = nextNonBlank(headLines, k);
        if (n < 0 || !isQuote(head[n].line)) break;
      } else if (!previousQuoted || !continuesQuote(previousQuoted, line)) break;
      else previousQuoted = '';
      k++;
    }
    const isAttributed = attributed.has(head[start].index);
    const gluedAbove = start > 0 && !isBlank(head[start - 1].line);
    const gluedBelow = k < head.length && !isBlank(head[k].line);
    if (!isAttributed && !seenQuote && gluedAbove && gluedBelow) {
      for (let j = start; j < k; j++) out.push(head[j].line);
    } else {
      // A quote dropped: text after it answers it, whether an attribution introduced it or not.
      seenQuote = true;
      afterAttributedBlock = true;
    }
  }
  // Answers after two quoted blocks or more: an inline reply.
  return { lines: out, inline: answers >= 2 };
}

/** The reply glued before an attribution, without the rule that separated them ("reply---"). */
function trimRuleEnd(text: string): string {
  let end = text.length;
  while (end > 0 && ' \t-_=*'.includes(text[end - 1])) end--;
  return text.slice(0, end);
}

/** Index of the next non-blank line from `from`, or -1. Memoised per array: callers ask at every line. */
const nextNonBlankCache = new WeakMap<string[], Int32Array>();
function nextNonBlank(lines: string[], from: number): number {
  let next = nextNonBlankCache.get(lines);
  if (!next) {
    next = new Int32Array(lines.length + 1).fill(-1);
    for (let j = lines.length - 1; j >= 0; j--) next[j] = isBlank(lines[j]) ? next[j + 1] : j;
    nextNonBlankCache.set(lines, next);
  }
  return from >= lines.length ? -1 : next[from];
}

function previousNonBlank(lines: string[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (!isBlank(lines[j])) return j;
  return -1;
}
