/**
 * The size budgets: every value from outside (mail, API input) that reaches a DynamoDB item or key is
 * bounded here, in one place. The table of caps and the reason for each is docs/limits.md.
 *
 * DynamoDB's own limits that these keep us far from: 400 KB per item, 2048 bytes per partition key,
 * 1024 bytes per sort key (GSI keys included), 6 MB per Lambda response (a list page).
 */
import { createHash } from 'node:crypto';

export const LIMITS = {
  /** A key part past this many UTF-8 bytes is kept as a prefix plus a hash (see {@link boundKeyPart}). */
  keyPartBytes: 256,
  /** Subject on a thread, its list entries and a message item. */
  subjectBytes: 1024,
  /** Display names (From, To, Cc) and contact/customer names that ingest creates. */
  nameBytes: 256,
  /** An email address, as stored (RFC 5321: 64 + 1 + 255). */
  addressBytes: 320,
  /** A Message-ID as stored on an item. Longer ids are kept hashed (keys) and never put on the thread. */
  messageIdBytes: 512,
  /** Message-IDs kept on the thread for the References of outbound mail (newest kept). */
  threadReferences: 50,
  /** Addresses kept from To and from Cc on a message item, each. */
  addressesPerField: 50,
  /** Attachments described on a message item (the raw mail keeps the others). */
  attachmentsPerMessage: 50,
  /** One attachment file name. */
  attachmentNameBytes: 255,
  /** Attachment names shown on a thread card (and copied onto each list entry). */
  cardAttachmentNames: 20,
  /** Each of text, HTML and new text on a message item; the full body stays in S3. */
  bodyBytes: 64 * 1024,
  /** Characters of the card's snippet. */
  snippetChars: 160,
  /** An outbound message body or a rendered template (API, reminders). */
  outboundBodyBytes: 64 * 1024,
  /**
   * The files of one outbound message together (attachments and inline images, decoded): base64 makes
   * them a third larger, and the request that carries them must stay under API Gateway's 10 MB.
   */
  outboundAttachmentBytes: 7 * 1024 * 1024,
  /** Recipients that one bounce may mark as failing. */
  bounceRecipients: 5,
  /** The thread item, and each list entry, must stay under this (well below DynamoDB's 400 KB). */
  threadItemBytes: 64 * 1024,
  /** A message item must stay under this. */
  messageItemBytes: 350 * 1024,
  /** Longest line a regular expression may run on; longer lines are handled by linear scans only. */
  regexLineChars: 4096,
} as const;

/**
 * How long send records and the API Idempotency-Keys that guard them are kept: one value for both, so
 * a key is never forgotten while the send it names is still remembered (a reused key would otherwise
 * replay an old message and send nothing).
 */
export const SEND_RECORD_RETENTION_SECONDS = 90 * 86_400;

/** UTF-8 length of a string. */
export const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cuts a string to at most `maxBytes` UTF-8 bytes, never in the middle of a character. */
export function capBytes(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length <= maxBytes) return s;
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * A key part that cannot outgrow DynamoDB's key limits: short values are unchanged; a longer one becomes
 * its first bytes, `~h~` and the SHA-256 of the whole value (base64url). The same value always gives the
 * same key part, two different long values (almost surely) never share one, and sort order is kept
 * by the prefix.
 */
export function boundKeyPart(value: string, maxBytes: number = LIMITS.keyPartBytes): string {
  if (utf8Bytes(value) <= maxBytes) return value;
  const hash = createHash('sha256').update(value).digest('base64url');
  return `${capBytes(value, maxBytes - hash.length - 3)}~h~${hash}`;
}

/**
 * Approximate stored size of an item: its JSON encoding in UTF-8. DynamoDB counts attribute names and
 * values; JSON adds quotes and punctuation, so this is an upper estimate for string-heavy items.
 */
export function itemBytes(item: unknown): number {
  return utf8Bytes(JSON.stringify(item) ?? '');
}
