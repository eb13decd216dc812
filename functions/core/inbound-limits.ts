/**
 * Caps applied to a parsed inbound mail at the entry of ingest, before any value reaches an item or a
 * key: every field a stranger controls gets its budget from limits.ts. The raw mail in S3 keeps all.
 */
import { boundKeyPart, capBytes, LIMITS, utf8Bytes } from './limits.ts';
import type { ParsedMail } from './mime.ts';
import type { MailAddress } from './model.ts';

/**
 * A Message-ID that fits its budget: unchanged when short; a longer one becomes a bounded,
 * deterministic stand-in (a prefix and a hash), so the same header always gives the same id and
 * a reply that references the long id still finds it.
 */
export function boundMessageId(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  if (utf8Bytes(bare) + 2 <= LIMITS.messageIdBytes) return id.trim();
  // The domain compares case-insensitively (as the Message-ID index does): bound the normal form.
  const at = bare.lastIndexOf('@');
  const normal = at < 0 ? bare : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
  return `<${boundKeyPart(normal, LIMITS.messageIdBytes - 2)}>`;
}

/** An address and display name within budget; an overlong address is bounded like a key part. */
export function boundAddress(a: MailAddress): MailAddress {
  const address = boundKeyPart(a.address, LIMITS.addressBytes);
  const name = a.name ? capBytes(a.name, LIMITS.nameBytes) : undefined;
  return { address, ...(name ? { name } : {}) };
}

/**
 * The part of a body that text processing (reply-text extraction) may scan: at most `maxChars`
 * characters, and no line longer than `LIMITS.regexLineChars`, so that no regular expression ever runs
 * on an unbounded line, whatever its cost per character. One linear pass; the stored text is not cut
 * by this (it has its own budget), only what is scanned.
 */
export function boundForScan(text: string, maxChars: number): string {
  const limit = LIMITS.regexLineChars;
  if (text.length <= limit) return text;
  const parts: string[] = [];
  let size = 0;
  let start = 0;
  while (start < text.length && size < maxChars) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, Math.min(end, start + limit));
    parts.push(line);
    size += line.length + 1;
    start = end + 1;
  }
  return parts.join('\n').slice(0, maxChars);
}

/** The parsed mail with every field capped; `capped` names what was cut, for the message's flags. */
export function boundParsedMail(mail: ParsedMail): { mail: ParsedMail; capped: string[] } {
  const capped: string[] = [];
  const note = (what: string, changed: boolean) => {
    if (changed) capped.push(what);
  };
  const subject = capBytes(mail.subject, LIMITS.subjectBytes);
  note('subject', subject !== mail.subject);
  const from = mail.from ? boundAddress(mail.from) : undefined;
  note('from', from !== undefined && (from.address !== mail.from?.address || from.name !== mail.from?.name));
  const addresses = (list: MailAddress[], what: string) => {
    const out = list.slice(0, LIMITS.addressesPerField).map(boundAddress);
    note(
      what,
      list.length > out.length || out.some((a, i) => a.address !== list[i].address || a.name !== list[i].name),
    );
    return out;
  };
  const messageId = mail.messageId === undefined ? undefined : boundMessageId(mail.messageId);
  note('message-id', messageId !== mail.messageId);
  const inReplyTo = mail.inReplyTo === undefined ? undefined : boundMessageId(mail.inReplyTo);
  // Only the nearest references matter for threading (threadingCandidates reads 50 at most).
  const references = mail.references.slice(-LIMITS.threadReferences).map(boundMessageId);
  note(
    'references',
    mail.references.length > references.length ||
      references.some((r, i) => r !== mail.references[mail.references.length - references.length + i]),
  );
  const attachments = mail.attachments.slice(0, LIMITS.attachmentsPerMessage).map((a) => {
    const filename = capBytes(a.filename, LIMITS.attachmentNameBytes);
    return filename === a.filename ? a : { ...a, filename };
  });
  note(
    'attachments',
    mail.attachments.length > attachments.length || attachments.some((a, i) => a !== mail.attachments[i]),
  );
  return {
    mail: {
      ...mail,
      subject,
      ...(from ? { from } : {}),
      to: addresses(mail.to, 'to'),
      cc: addresses(mail.cc, 'cc'),
      replyTo: addresses(mail.replyTo, 'reply-to'),
      ...(messageId !== undefined ? { messageId } : {}),
      ...(inReplyTo !== undefined ? { inReplyTo } : {}),
      references,
      attachments,
    },
    capped,
  };
}
