/**
 * The new text of a reply: what the customer wrote, without the quoted history and signature.
 * The feed shows it; the full text and HTML are kept beside it on the message.
 *
 * In order (docs/reply-text.md):
 *  1. HTML is cut by its structure first (reply-text/html-cut.ts): Gmail, Outlook, Apple Mail,
 *     Thunderbird and Yahoo each wrap the history in an element of their own;
 *  2. the text is cut at the first quote header (reply-text/text-cut.ts), recognised by the words of the
 *     clients' own templates (reply-text/quote-header-templates.ts) and a table of languages
 *     (reply-text/quote-headers.ts); `>` blocks of the history go, except those an inline reply answers;
 *  3. `email-reply-parser` fragments what is left, and a trailing signature goes
 *     (reply-text/signature.ts).
 * Linear in the input: patterns only run on lines of bounded length.
 *
 * `extractReplyText` has the HTML reader built in. Ingest calls `replyTextOf` (reply-text/extract.ts),
 * which loads the HTML reader (htmlparser2) only for a mail whose HTML can hold a quote structure.
 */

import { newTextOf } from './reply-text/extract.ts';
import { cutHtmlQuote, htmlToText } from './reply-text/html-cut.ts';

/**
 * Extracts the new text of a reply. Cuts the HTML by structure when it has a quote structure;
 * otherwise prefers the text part, falling back to the HTML. Never throws.
 */
export function extractReplyText(input: { text?: string; html?: string }): string {
  return newTextOf(input, { cutHtmlQuote, htmlToText });
}
