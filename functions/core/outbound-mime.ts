/**
 * The MIME of an outbound mail: `multipart/alternative` with a text part and an HTML part (and, around
 * them, `multipart/related` for inline `cid:` images and `multipart/mixed` for attachments), built by
 * nodemailer's MailComposer, never by hand.
 *
 * What an agent wrote reaches the HTML part only escaped (plain text) or sanitised (HTML, by
 * sanitize-html with an allow-list: no scripts, styles, event handlers, forms or remote frames; links
 * only http(s)/mailto; images only `cid:` or https). The layout is one neutral column with inline styles
 * (clients strip `<style>`), `lang` and `role="article"` for screen readers, and no tracking of any kind.
 */
import type { MailAddress } from './model.ts';

export interface MimeAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** An inline image, shown by `<img src="cid:<contentId>">`. */
  contentId?: string;
}

/** The customer's message that an answer quotes. */
export interface QuotedMessage {
  at: string;
  name: string;
  text: string;
}

export interface MimeInput {
  from: MailAddress;
  replyTo: string;
  to: string[];
  cc: string[];
  subject: string;
  /** The agent's answer, plain text. */
  text: string;
  /** The agent's answer, HTML (sanitised here). Absent: the text, escaped. */
  html?: string;
  /** The rendered signature layers (outer first), plain text each. */
  signatures: string[];
  quote?: QuotedMessage;
  messageId: string;
  date: Date;
  inReplyTo?: string;
  references?: string[];
  attachments: MimeAttachment[];
  headers?: Record<string, string>;
}

/** A quoted message is cut at this many characters: the history lives in the thread, not in each answer. */
const QUOTE_CHARS = 8000;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Plain text as HTML: escaped, blank lines as paragraphs, line breaks kept. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p style="margin:0 0 16px 0;">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * An agent's HTML, sanitised: the tags of a rich-text answer and nothing that runs, loads from a third
 * party (apart from https images) or restyles the page. sanitize-html is loaded on the first HTML answer.
 */
export async function sanitizeAgentHtml(html: string): Promise<string> {
  const { default: sanitizeHtml } = await import('sanitize-html');
  return sanitizeHtml(html, {
    allowedTags: [
      'p',
      'br',
      'b',
      'strong',
      'i',
      'em',
      'u',
      's',
      'a',
      'ul',
      'ol',
      'li',
      'blockquote',
      'code',
      'pre',
      'h1',
      'h2',
      'h3',
      'h4',
      'hr',
      'img',
      'span',
      'div',
    ],
    allowedAttributes: { a: ['href', 'title', 'rel', 'target'], img: ['src', 'alt', 'width', 'height'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['cid', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    transformTags: {
      // A link opens outside the mail client's frame and tells the target nothing about the mail.
      a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }),
    },
  });
}

function dateLine(at: string): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toUTCString().replace('GMT', 'UTC');
}

/** The quote's introduction, as reply parsers (ours included) recognise it. */
export const quoteIntro = (q: Pick<QuotedMessage, 'at' | 'name'>) => `On ${dateLine(q.at)}, ${q.name} wrote:`;

/** The text part: the answer, the signature after the `-- ` delimiter, then the quote with `> ` lines. */
export function textPart(input: Pick<MimeInput, 'text' | 'signatures' | 'quote'>): string {
  const parts = [input.text.replace(/\s+$/, '')];
  if (input.signatures.length) parts.push(`-- \n${input.signatures.join('\n\n')}`);
  if (input.quote) {
    const quoted = input.quote.text
      .slice(0, QUOTE_CHARS)
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => (l ? `> ${l}` : '>'))
      .join('\n');
    parts.push(`${quoteIntro(input.quote)}\n${quoted}`);
  }
  return `${parts.join('\n\n')}\n`;
}

const MUTED = '#57606a';

/** The HTML part: one neutral, readable column; the answer, the signature, then the quote. */
export function htmlPart(input: { subject: string; body: string; signatures: string[]; quote?: QuotedMessage }) {
  const signature = input.signatures.length
    ? `<div class="signature" style="margin:24px 0 0 0;color:${MUTED};">${input.signatures
        .map((s) => textToHtml(s))
        .join('\n')}</div>`
    : '';
  const quote = input.quote
    ? `<div class="quote" style="margin:24px 0 0 0;">
<p style="margin:0 0 8px 0;color:${MUTED};">${escapeHtml(quoteIntro(input.quote))}</p>
<blockquote style="margin:0;padding:0 0 0 12px;border-left:3px solid #d0d7de;color:${MUTED};">${textToHtml(
        input.quote.text.slice(0, QUOTE_CHARS),
      )}</blockquote>
</div>`
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<!-- Its colours are fixed (a white page): light only, so a dark client default does not recolour its links. -->
<meta name="color-scheme" content="light">
<title>${escapeHtml(input.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#ffffff;">
<div role="article" aria-label="${escapeHtml(input.subject)}" lang="en" style="max-width:640px;margin:0 auto;padding:24px 16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;">
<div class="answer">${input.body}</div>
${signature}
${quote}
</div>
</body>
</html>
`;
}

/**
 * Builds the raw MIME. Returns it with the sanitised answer (what the message item keeps as its HTML)
 * and both parts as sent.
 */
export async function buildMime(
  input: MimeInput,
): Promise<{ raw: Buffer; answerHtml: string; html: string; text: string }> {
  const answerHtml = input.html !== undefined ? await sanitizeAgentHtml(input.html) : textToHtml(input.text);
  const text = textPart(input);
  const html = htmlPart({ subject: input.subject, body: answerHtml, signatures: input.signatures, quote: input.quote });
  // nodemailer's MIME builder (138 KB) is evaluated on the first send, not at every cold start: most API
  // requests never send (docs/performance.md).
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const composer = new MailComposer({
    from: input.from.name ? { name: input.from.name, address: input.from.address } : input.from.address,
    to: input.to,
    ...(input.cc.length ? { cc: input.cc } : {}),
    replyTo: input.replyTo,
    subject: input.subject,
    text,
    html,
    messageId: input.messageId,
    date: input.date,
    ...(input.inReplyTo ? { inReplyTo: input.inReplyTo } : {}),
    ...(input.references?.length ? { references: input.references } : {}),
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : {}),
    })),
    ...(input.headers ? { headers: input.headers } : {}),
  });
  const raw = await composer.compile().build();
  return { raw, answerHtml, html, text };
}
