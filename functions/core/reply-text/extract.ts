/**
 * The reply-text pipeline (functions/core/reply-text.ts says what each step does), given its HTML
 * reader: `extractReplyText` passes the reader in; `replyTextOf`, which ingest calls, loads it
 * (reply-text/html-cut.ts, with htmlparser2) only for mail that needs it, so that a cold start whose
 * first mail has no quote structure in its HTML never reads the parser.
 */
import EmailReplyParser from 'email-reply-parser';
import { stripSignature } from './signature.ts';
import { cutHistory, MAX_PROBE } from './text-cut.ts';

/** What the pipeline needs of the HTML: its structural cut, and its text. */
export interface HtmlReader {
  cutHtmlQuote(html: string): string | undefined;
  htmlToText(html: string): string;
}

/**
 * Every element that reply-text/html-cut.ts recognises as a quote structure (HTML_QUOTE_MARKERS, and the
 * outermost `<blockquote>`) names one of these in the HTML source, so HTML without any of them has
 * nothing to cut and is never parsed. test/unit/reply-text-lazy.test.ts checks it against the markers.
 * (A marker spelt with character references in its attribute, which no client writes, is not seen.)
 */
const QUOTE_STRUCTURE_HINT =
  /gmail_quote|divRplyFwdMsg|appendonsend|OutlookMessageHeader|stopSpelling|border-top|moz-cite-prefix|blockquote|yahoo_quoted/i;

/** Whether the pipeline will read the HTML: it can hold a quote structure, or there is no text to prefer. */
export function needsHtmlReader(input: { text?: string; html?: string }): boolean {
  if (!input.html) return false;
  return !input.text?.trim() || QUOTE_STRUCTURE_HINT.test(input.html);
}

/** The new text of a reply, the HTML reader loaded only when the mail needs it. Never throws. */
export async function replyTextOf(input: { text?: string; html?: string }): Promise<string> {
  if (!needsHtmlReader(input)) return newTextOf({ ...(input.text !== undefined ? { text: input.text } : {}) });
  try {
    return newTextOf(input, await import('./html-cut.ts'));
  } catch {
    return (input.text ?? '').trim();
  }
}

/**
 * Largest head handed to email-reply-parser: its patterns span lines (`[\s\S]+?`) and can backtrack
 * quadratically, so a longer head (rare in a real reply) skips it.
 */
const LIBRARY_BUDGET = 16 * 1024;

/**
 * The new text of a reply. Cuts the HTML by structure when it has a quote structure; otherwise prefers
 * the text part, falling back to the HTML (which needs `html`). Never throws.
 */
export function newTextOf(input: { text?: string; html?: string }, html?: HtmlReader): string {
  try {
    const cutHtml = input.html && html ? html.cutHtmlQuote(input.html) : undefined;
    const source = cutHtml ?? (input.text?.trim() ? input.text : input.html && html ? html.htmlToText(input.html) : '');
    const lines = normalise(source);
    const cut = cutHistory(lines);
    // An inline reply answers between the quoted lines: without them the answers mean nothing.
    if (cut.inline) return stripSignature(cut.inlineLines.join('\n')).trim();
    const head = cut.lines.join('\n');
    const visible =
      head.length <= LIBRARY_BUDGET && cut.lines.every((l) => l.length <= MAX_PROBE)
        ? new EmailReplyParser()
            .read(head)
            .getFragments()
            // The library's net for quote headers our table misses; `>` lines left here are the reply's own.
            .filter((fragment) => !fragment.isQuoted() || fragment.getContent().trimStart().startsWith('>'))
            .map((fragment) => fragment.getContent())
            .join('\n')
        : head;
    const result = stripSignature(visible).trim();
    // A mail that only quotes has no new text. One that opens with a bare header block (or an "Original
    // Message" banner) is how Outlook forwards: what is forwarded is the content, so show it.
    return result || (cut.historyAt === 'block' ? lines.join('\n').trim() : '');
  } catch {
    return (input.text ?? '').trim();
  }
}

/** Lines with one kind of line break, no-break spaces as spaces, no trailing whitespace. */
function normalise(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .split('\n')
    .map((line) => line.trimEnd());
}
