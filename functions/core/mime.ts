/**
 * Parsing of raw inbound MIME into a plain, serialisable shape that the rest of the core
 * (classification, reply text, threading) works on. Built on postal-mime: no charset tables of its
 * own (it decodes with TextDecoder, which Node's full ICU covers), a third of mailparser's bundle and
 * import time (docs/performance.md; bench/mime-parsers.bench.ts compares the two on the corpora).
 *
 * Contract: `parseMail` never rejects. Hostile or broken mail gives a best-effort result with
 * `parseError` set; the raw mail in the bucket stays the source of truth.
 */
import PostalMime, { type Address, type Attachment, type Email, type HeaderLine } from 'postal-mime';
import { installFlowedDecoder } from './flowed-text.ts';
import type { MailAddress } from './model.ts';

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  /** Decoded size in bytes, counted even when the content was not kept. */
  size: number;
  /** The decoded content; empty when `truncated`. */
  content: Buffer;
  /** Content-ID without angle brackets, for `cid:` references in the HTML. */
  contentId?: string;
  inline: boolean;
  /** True when the content exceeded `maxAttachmentBytes` and was not kept (metadata only). */
  truncated?: boolean;
}

/**
 * A machine-readable report part of a `multipart/report` (RFC 6522): a DSN
 * (`message/delivery-status`), an ARF report (`message/feedback-report`), an MDN, or the
 * returned headers (`text/rfc822-headers`). Kept apart from attachments, because they are
 * protocol data, not files that a customer sent.
 */
export interface ReportPart {
  contentType: string;
  body: string;
}

export interface ParsedMail {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** ISO 8601, when the Date header could be read. */
  date?: string;
  subject: string;
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  /** Top-level headers, lower-cased names, unfolded raw values, every occurrence in order. */
  headers: Record<string, string[]>;
  /** Content-Type of the top part, lower-cased (`text/plain` when absent). */
  contentType: string;
  /** Its parameters, lower-cased names (e.g. `report-type`). */
  contentTypeParams: Record<string, string>;
  text: string;
  html?: string;
  attachments: ParsedAttachment[];
  reportParts: ReportPart[];
  /** Set when the MIME could not be parsed in full; the other fields are best effort. */
  parseError?: string;
}

export interface ParseMailOptions {
  /** Attachment content above this many decoded bytes is dropped (metadata kept, `truncated` set). */
  maxAttachmentBytes?: number;
  /** Report parts are capped at this many characters: they are only read for classification. */
  maxReportChars?: number;
}

const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
const DEFAULT_MAX_REPORT_CHARS = 256 * 1024;
/** HTML beyond this is not converted to text: html-to-text is CPU-bound on huge bodies. */
const MAX_HTML_TO_TEXT_CHARS = 2 * 1024 * 1024;

/** html-to-text's nesting cap (as mailparser set it): deeper HTML is cut, not recursed into. */
const MAX_HTML_NESTING_DEPTH = 1000;

const REPORT_TYPES = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/feedback-report',
  'message/disposition-notification',
  'message/global-disposition-notification',
  'text/rfc822-headers',
  'message/global-headers',
]);

/** Parse raw MIME. Never rejects: see {@link ParsedMail.parseError}. */
export async function parseMail(raw: Buffer, options: ParseMailOptions = {}): Promise<ParsedMail> {
  const maxAttachmentBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const maxReportChars = options.maxReportChars ?? DEFAULT_MAX_REPORT_CHARS;
  const result: ParsedMail = {
    references: [],
    subject: '',
    to: [],
    cc: [],
    replyTo: [],
    headers: {},
    contentType: 'text/plain',
    contentTypeParams: {},
    text: '',
    attachments: [],
    reportParts: [],
  };
  try {
    // A forwarded or returned message is a file of the mail (as mailparser had it), not more body text.
    const parser = new PostalMime({ forceRfc822Attachments: true });
    await flowedDecoderInstalled;
    const email = await parser.parse(normaliseLineEndings(raw));
    readEmail(email, result, maxAttachmentBytes, maxReportChars);
    if (!result.text.trim() && result.html) result.text = await htmlOnlyText(result.html, result);
  } catch (err) {
    result.parseError = err instanceof Error ? err.message : String(err);
  }
  if (Object.keys(result.headers).length === 0) {
    // No header block was recognised at all: fall back to a plain reading so that the mail still
    // has a subject and sender for the feed.
    fallbackHeaders(raw, result);
  }
  return result;
}

/** postal-mime's flowed-text decoding, replaced once per process by a quote-aware one (flowed-text.ts). */
const flowedDecoderInstalled = (async () => {
  const probe = new PostalMime();
  await probe.parse('Subject: probe\r\n\r\n');
  installFlowedDecoder((probe as unknown as { root?: unknown }).root);
})().catch(() => undefined);

/**
 * The text of HTML-only mail. html-to-text (with its entity tables) is imported on first use only:
 * most mail has a text part, and a cold start should not pay for the rare one.
 */
async function htmlOnlyText(html: string, result: ParsedMail): Promise<string> {
  if (html.length > MAX_HTML_TO_TEXT_CHARS) return '';
  try {
    const { convert } = await import('html-to-text');
    // The options mailparser used, so HTML-only mail reads as it did: a depth cap against hostile nesting.
    return convert(html, { limits: { maxDepth: MAX_HTML_NESTING_DEPTH } });
  } catch (err) {
    result.parseError ??= `html to text: ${(err as Error).message}`;
    return '';
  }
}

function readEmail(email: Email, result: ParsedMail, maxAttachmentBytes: number, maxReportChars: number): void {
  result.headers = rawHeaderMap(email.headerLines);
  if (typeof email.subject === 'string') result.subject = email.subject;
  if (email.messageId?.trim()) result.messageId = email.messageId.trim();
  if (email.inReplyTo?.trim()) result.inReplyTo = email.inReplyTo.trim().split(/\s+/)[0];
  if (email.references) result.references = email.references.split(/\s+/).filter((r) => r.length > 0);
  if (email.date) {
    const date = new Date(email.date);
    if (!Number.isNaN(date.getTime())) result.date = date.toISOString();
  }
  result.from = addresses(email.from ? [email.from] : undefined)[0];
  result.to = addresses(email.to);
  result.cc = addresses(email.cc);
  result.replyTo = addresses(email.replyTo);
  const contentType = email.headers.find((h) => h.key === 'content-type')?.value;
  if (contentType) {
    const parsed = parseContentType(contentType);
    if (parsed.value) {
      result.contentType = parsed.value;
      result.contentTypeParams = parsed.params;
    }
  }
  if (typeof email.text === 'string') result.text = email.text;
  if (email.html) result.html = email.html;
  for (const attachment of email.attachments) collectAttachment(attachment, result, maxAttachmentBytes, maxReportChars);
}

const decoder = new TextDecoder('utf-8');

function collectAttachment(data: Attachment, result: ParsedMail, maxBytes: number, maxReportChars: number): void {
  const contentType = (data.mimeType || 'application/octet-stream').toLowerCase();
  const bytes =
    typeof data.content === 'string'
      ? Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
      : Buffer.from(
          data.content instanceof ArrayBuffer ? data.content : data.content.buffer,
          data.content instanceof ArrayBuffer ? 0 : data.content.byteOffset,
          data.content.byteLength,
        );
  if (REPORT_TYPES.has(contentType)) {
    // Report parts are only read for classification: cap what is kept.
    result.reportParts.push({ contentType, body: decoder.decode(bytes.subarray(0, maxReportChars)) });
    return;
  }
  const truncated = bytes.length > maxBytes;
  const contentId = data.contentId?.trim().replace(/^<|>$/g, '');
  const attachment: ParsedAttachment = {
    filename: data.filename || defaultFilename(contentType, result.attachments.length + 1),
    contentType,
    size: bytes.length,
    // Bound what is kept: metadata stays true, the content goes (the raw mail keeps it).
    content: truncated ? Buffer.alloc(0) : bytes,
    inline: data.disposition === 'inline' || (Boolean(data.related) && Boolean(contentId)),
  };
  if (contentId) attachment.contentId = contentId;
  if (truncated) attachment.truncated = true;
  result.attachments.push(attachment);
}

function defaultFilename(contentType: string, index: number): string {
  if (contentType === 'message/rfc822') return `message-${index}.eml`;
  const sub = contentType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  return `attachment-${index}.${sub}`;
}

/**
 * A Content-Type header value as its lower-cased type and parameters (RFC 2045 tokens and quoted
 * strings). Tolerant: real mail breaks the grammar, and only `report-type` and the like are read.
 */
export function parseContentType(header: string): { value: string; params: Record<string, string> } {
  const [head, ...rest] = header.split(';');
  const params: Record<string, string> = {};
  const tail = rest.join(';');
  for (const m of tail.matchAll(/([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    const name = m[1].toLowerCase();
    if (!(name in params)) params[name] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1').trim();
  }
  return { value: head.trim().toLowerCase(), params };
}

/** Flattens postal-mime's addresses (and groups) to plain addresses. */
function addresses(value: Address[] | undefined): MailAddress[] {
  const out: MailAddress[] = [];
  const visit = (entries: Address[]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else if (entry.address)
        out.push(entry.name ? { address: entry.address, name: entry.name } : { address: entry.address });
    }
  };
  visit(value ?? []);
  return out;
}

function rawHeaderMap(lines: HeaderLine[]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    const colon = line.indexOf(':');
    const value = (colon >= 0 ? line.slice(colon + 1) : line).replace(/\r?\n[ \t]+/g, ' ').trim();
    // Linear on purpose: hostile mail can carry thousands of header lines.
    const values = map[name] ?? [];
    values.push(value);
    map[name] = values;
  }
  return map;
}

/**
 * Mail stored with bare CR line endings (old Mac tools) is one long line to a MIME parser.
 * When the head of the mail holds CRs but no LF at all, turn the CRs into LFs.
 */
function normaliseLineEndings(raw: Buffer): Buffer {
  const head = raw.subarray(0, 64 * 1024);
  if (head.includes(0x0a) || !head.includes(0x0d)) return raw;
  const out = Buffer.from(raw);
  for (let i = 0; i < out.length; i++) if (out[i] === 0x0d) out[i] = 0x0a;
  return out;
}

/** A last-resort header reading for mail that the parser could not structure at all. */
function fallbackHeaders(raw: Buffer, result: ParsedMail): void {
  const head = normaliseLineEndings(raw.subarray(0, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const block = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  for (const line of block.split(/\r?\n/)) {
    const match = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1].toLowerCase();
    const values = result.headers[name] ?? [];
    values.push(match[2].trim());
    result.headers[name] = values;
  }
  if (!result.subject && result.headers.subject) result.subject = result.headers.subject[0];
}
