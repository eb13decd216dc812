/**
 * Step 1 of ingest: the mail, parsed once for all its workspaces. Oversize or broken mail is kept and
 * flagged with a reason; every field a stranger controls is capped (limits.ts); the reply text is cut
 * from the quote; the keywords, the content hash and the de-duplication Message-ID are derived here.
 */
import { createHash } from 'node:crypto';
import { classifyMail } from '../classify.ts';
import { boundForScan, boundParsedMail } from '../inbound-limits.ts';
import { senderAuthenticated } from '../inbound-trust.ts';
import { tokenize } from '../keywords.ts';
import { capBytes, LIMITS } from '../limits.ts';
import { type ParsedMail, parseMail } from '../mime.ts';
import type { AuthResults, MailAddress, MessageFlags } from '../model.ts';
import { replyTextOf } from '../reply-text/extract.ts';
import type { InboundMail, Verdict } from './types.ts';

/** Stored text and HTML are cut beyond this many UTF-8 bytes each: DynamoDB items hold 400 KB. */
export const MAX_BODY_BYTES = LIMITS.bodyBytes;

/** The mail as every workspace's step sees it. */
export interface Prepared {
  parsed: ParsedMail;
  oversize: boolean;
  classification: ReturnType<typeof classifyMail>;
  sender: MailAddress;
  /** The de-duplication key: the Message-ID, or one made from the SES message id. */
  messageId: string;
  at: string;
  newText: string;
  text: string;
  html?: string;
  flags: MessageFlags;
  auth?: AuthResults;
  /** False when SPF/DKIM/DMARC say the From cannot be trusted (inbound-trust.ts). */
  authenticated: boolean;
  /** Tells a different mail that reuses a known Message-ID from a repeat delivery of the same one. */
  contentHash: string;
  keywords: string[];
}

/** Parsing, classification and the workspace-independent parts of the message: once per mail. */
export async function prepareMail(
  input: InboundMail,
  raw: Buffer,
  at: string,
  maxMailBytes: number,
): Promise<Prepared> {
  const oversize = raw.length > maxMailBytes;
  // Oversize mail: only the header block is parsed (threading, sender, classification still work).
  // Every field a stranger controls is capped before it can reach an item or a key (limits.ts).
  const bounded = boundParsedMail(await parseMail(oversize ? headerBlock(raw) : raw));
  const parsed = bounded.mail;
  const classification = classifyMail(parsed);
  const flags: MessageFlags = {};
  const errors: string[] = [];
  if (oversize)
    errors.push(
      `mail is ${raw.length} bytes, over the ${maxMailBytes}-byte limit: body and attachments were not processed; the raw mail is kept at ${input.rawKey}`,
    );
  if (parsed.parseError) errors.push(`MIME could not be parsed in full (${parsed.parseError}); the raw mail is kept`);
  if (bounded.capped.length > 0)
    errors.push(`over their size budgets, cut (the raw mail keeps them): ${bounded.capped.join(', ')}`);

  const v = input.verdicts ?? {};
  if (isFail(v.virus)) flags.quarantined = true;
  if (isFail(v.spam)) flags.spam = true;
  const authFailures = (['spf', 'dkim', 'dmarc'] as const).filter((k) => isFail(v[k]));
  if (authFailures.length > 0) flags.authFailures = [...authFailures];
  const auth: AuthResults = {};
  for (const k of ['spf', 'dkim', 'dmarc'] as const) if (v[k]) auth[k] = v[k].toLowerCase();

  const sender: MailAddress = parsed.from ??
    (input.source ? { address: input.source } : undefined) ?? { address: 'unknown-sender@invalid' };
  sender.address = sender.address.trim().toLowerCase();

  let newText = '';
  let scanCut = false;
  try {
    // Reply-text extraction sees bounded lines and a bounded body: its cost has a ceiling (limits.ts).
    const scan = 4 * MAX_BODY_BYTES;
    const scanned = boundForScan(parsed.text, scan);
    scanCut = scanned !== parsed.text;
    newText = await replyTextOf({
      text: scanned,
      ...(parsed.html !== undefined ? { html: boundForScan(parsed.html, scan) } : {}),
    });
  } catch (e) {
    newText = parsed.text;
    errors.push(`reply text could not be extracted: ${(e as Error).message}`);
  }
  const cut = { text: truncateUtf8(parsed.text, MAX_BODY_BYTES), newText: truncateUtf8(newText, MAX_BODY_BYTES) };
  const contentHash = createHash('sha256')
    .update(`${sender.address}\n${parsed.subject}\n${parsed.date ?? ''}\n`)
    // Trailing whitespace is transport noise (mbox splitting, a relay's final newline), not content.
    .update(parsed.text.trimEnd())
    .update(parsed.attachments.map((a) => `${a.filename}:${a.size}`).join('\n'))
    .digest('base64url')
    .slice(0, 22);
  const html = parsed.html === undefined ? undefined : truncateUtf8(parsed.html, MAX_BODY_BYTES);
  if (scanCut || cut.text !== parsed.text || html !== parsed.html || cut.newText !== newText) {
    // The raw mail in S3 keeps the full body; the message item must stay under 400 KB.
    flags.truncated = true;
  }
  if (errors.length > 0) flags.error = errors.join('; ');

  const messageId = parsed.messageId?.replace(/^<|>$/g, '').trim()
    ? `<${parsed.messageId.replace(/^<|>$/g, '').trim()}>`
    : `<${input.sesMessageId}@ses-inbound.invalid>`;
  return {
    parsed,
    oversize,
    classification,
    sender,
    messageId,
    at,
    newText: cut.newText,
    text: cut.text,
    ...(html !== undefined ? { html } : {}),
    flags,
    ...(Object.keys(auth).length > 0 ? { auth } : {}),
    authenticated: senderAuthenticated(v),
    contentHash,
    // Automated mail (DSN boilerplate, out-of-office text) is searchable by subject and sender only:
    // its body is noise in search, and every token is one more item written.
    keywords: tokenize(
      `${parsed.subject} ${sender.name ?? ''} ${sender.address} ${classification.classification === 'ordinary' ? cut.newText : ''}`,
    ),
  };
}

const isFail = (v: Verdict | undefined) => v?.toUpperCase() === 'FAIL';

/** `value` as a normalised ISO 8601 time, or undefined when it is none (SES's `receivedAt` is outside input). */
export function validIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The header block of a raw mail (up to the first empty line, at most 256 KB). */
export function headerBlock(raw: Buffer): Buffer {
  const head = raw.subarray(0, 256 * 1024);
  for (const sep of ['\r\n\r\n', '\n\n']) {
    const end = head.indexOf(sep);
    if (end >= 0) return Buffer.concat([head.subarray(0, end), Buffer.from(sep)]);
  }
  return head;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes, never in the middle of a character. */
export const truncateUtf8 = capBytes;
