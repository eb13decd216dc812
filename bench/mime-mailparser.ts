/**
 * Parsing of raw inbound MIME into a plain, serialisable shape that the rest of the core
 * (classification, reply text, threading) works on. Built on mailparser's streaming parser.
 *
 * Contract: `parseMail` never rejects. Hostile or broken mail gives a best-effort result with
 * `parseError` set; the raw mail in the bucket stays the source of truth.
 */
import type { AddressObject, HeaderLines, Headers, MailParserOptions } from 'mailparser';
import { MailParser } from 'mailparser';
import type { ParsedAttachment, ParsedMail, ParseMailOptions } from '#core/mime.ts';
import type { MailAddress } from '#core/model.ts';

const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
const DEFAULT_MAX_REPORT_CHARS = 256 * 1024;
/** HTML beyond this is not converted to text: html-to-text is CPU-bound on huge bodies. */
const MAX_HTML_TO_TEXT_CHARS = 2 * 1024 * 1024;

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
    await runParser(normaliseLineEndings(raw), result, maxAttachmentBytes, maxReportChars);
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

function runParser(raw: Buffer, result: ParsedMail, maxAttachmentBytes: number, maxReportChars: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const parserOptions: MailParserOptions = {
      // Report parts must stay separate parts: by default mailparser merges DSNs into the text.
      keepDeliveryStatus: true,
      maxHtmlLengthToParse: MAX_HTML_TO_TEXT_CHARS,
      skipTextToHtml: true,
      skipImageLinks: true,
    } as MailParserOptions;
    const parser = new MailParser(parserOptions);
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };

    parser.on('headers', (headers: Headers) => {
      try {
        readHeaders(headers, result);
      } catch (err) {
        result.parseError ??= `headers: ${(err as Error).message}`;
      }
    });
    parser.on('headerLines', (lines: HeaderLines) => {
      result.headers = rawHeaderMap(lines);
    });
    parser.on('data', (data: any) => {
      if (data.type === 'text') {
        if (typeof data.text === 'string') result.text = data.text;
        if (typeof data.html === 'string' && data.html) result.html = data.html;
        if (data.textConversionError) result.parseError ??= `html to text: ${String(data.textConversionError)}`;
        return;
      }
      if (data.type === 'attachment') collectAttachment(data, result, maxAttachmentBytes, maxReportChars);
    });
    // mailparser may emit a non-fatal error and still reach 'end': the first outcome wins.
    parser.on('error', (err: unknown) => settle(err));
    parser.on('end', () => settle());
    parser.end(raw);
  });
}

function collectAttachment(data: any, result: ParsedMail, maxBytes: number, maxReportChars: number): void {
  const contentType = String(data.contentType ?? 'application/octet-stream').toLowerCase();
  const isReport = REPORT_TYPES.has(contentType);
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = 0;
  let truncated = false;
  const limit = isReport ? maxReportChars : maxBytes;
  data.content.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (truncated) return;
    if (kept + chunk.length > limit) {
      // Bound memory: stop keeping content, but keep counting so the metadata stays true.
      truncated = true;
      if (isReport) chunks.push(chunk.subarray(0, Math.max(0, limit - kept)));
      else chunks.length = 0;
      return;
    }
    chunks.push(chunk);
    kept += chunk.length;
  });
  data.content.on('end', () => {
    const content = Buffer.concat(chunks);
    if (isReport) {
      result.reportParts.push({ contentType, body: content.toString('utf8') });
    } else {
      const attachment: ParsedAttachment = {
        filename: data.filename || defaultFilename(contentType, result.attachments.length + 1),
        contentType,
        size,
        content: truncated ? Buffer.alloc(0) : content,
        inline: data.contentDisposition === 'inline' || (Boolean(data.related) && Boolean(data.cid)),
      };
      if (data.cid) attachment.contentId = String(data.cid);
      if (truncated) attachment.truncated = true;
      result.attachments.push(attachment);
    }
    data.release();
  });
  data.content.on('error', () => data.release?.());
}

function defaultFilename(contentType: string, index: number): string {
  if (contentType === 'message/rfc822') return `message-${index}.eml`;
  const sub = contentType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  return `attachment-${index}.${sub}`;
}

function readHeaders(headers: Headers, result: ParsedMail): void {
  const subject = headers.get('subject');
  if (typeof subject === 'string') result.subject = subject;
  const messageId = headers.get('message-id');
  if (typeof messageId === 'string' && messageId.trim()) result.messageId = messageId.trim();
  const inReplyTo = headers.get('in-reply-to');
  if (typeof inReplyTo === 'string' && inReplyTo.trim()) result.inReplyTo = inReplyTo.trim().split(/\s+/)[0];
  const references = headers.get('references');
  if (references) {
    const list = Array.isArray(references) ? references : [references];
    result.references = list.flatMap((r) => String(r).split(/\s+/)).filter((r) => r.length > 0);
  }
  const date = headers.get('date');
  if (date instanceof Date && !Number.isNaN(date.getTime())) result.date = date.toISOString();
  result.from = addresses(headers.get('from'))[0];
  result.to = addresses(headers.get('to'));
  result.cc = addresses(headers.get('cc'));
  result.replyTo = addresses(headers.get('reply-to'));
  const contentType = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (contentType && typeof contentType === 'object' && typeof contentType.value === 'string') {
    result.contentType = contentType.value.toLowerCase();
    result.contentTypeParams = Object.fromEntries(
      Object.entries(contentType.params ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
  }
}

/** Flattens mailparser's address objects (and groups) to plain addresses. */
function addresses(value: unknown): MailAddress[] {
  if (!value) return [];
  const objects = (Array.isArray(value) ? value : [value]) as AddressObject[];
  const out: MailAddress[] = [];
  const visit = (entries: AddressObject['value'] | undefined) => {
    for (const entry of entries ?? []) {
      if (entry.group) visit(entry.group);
      else if (entry.address)
        out.push(entry.name ? { address: entry.address, name: entry.name } : { address: entry.address });
    }
  };
  for (const object of objects) visit(object?.value);
  return out;
}

function rawHeaderMap(lines: HeaderLines): Record<string, string[]> {
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

/** A last-resort header reading for mail that mailparser could not structure at all. */
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
