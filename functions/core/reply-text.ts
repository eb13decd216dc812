/**
 * The new text of a reply: what the customer wrote, without the quoted history and signature.
 * The feed shows it; the full text and HTML are kept beside it on the message.
 *
 * In order (docs/reply-text.md):
 *  1. HTML is cut by its structure first (reply-text/html-cut.ts): Gmail, Outlook, Apple Mail,
 *     Thunderbird and Yahoo each wrap the history in an element of their own;
 *  2. the text is cut at the first quote header (reply-text/text-cut.ts), recognised by a table of
 *     languages and clients (reply-text/quote-headers.ts); `>` blocks of the history go;
 *  3. `email-reply-parser` fragments what is left, and a trailing signature goes
 *     (reply-text/signature.ts).
 * Linear in the input: patterns only run on lines of bounded length.
 */
import EmailReplyParser from 'email-reply-parser';
import { cutHtmlQuote, htmlToText } from './reply-text/html-cut.ts';
import { stripSignature } from './reply-text/signature.ts';
import { cutHistory, MAX_PROBE } from './reply-text/text-cut.ts';

export { htmlToText };

/**
 * Largest head handed to email-reply-parser: its patterns span lines (`[\s\S]+?`) and can backtrack
 * quadratically, so a longer head (rare in a real reply) skips it.
 */
const LIBRARY_BUDGET = 16 * 1024;

/**
 * Extracts the new text of a reply. Cuts the HTML by structure when it has a quote structure;
 * otherwise prefers the text part, falling back to the HTML. Never throws.
 */
export function extractReplyText(input: { text?: string; html?: string }): string {
  try {
    const cutHtml = input.html ? cutHtmlQuote(input.html) : undefined;
    const source = cutHtml ?? (input.text?.trim() ? input.text : input.html ? htmlToText(input.html) : '');
    const lines = normalise(source);
    const cut = cutHistory(lines);
    // An inline reply answers between the quoted lines: without them the answers mean nothing.
    if (cut.inline) return lines.join('\n').trim();
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
    // A mail that is all history would show nothing: show its text instead.
    return result || lines.join('\n').trim();
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
