/**
 * A bounce counts only for a message that the workspace really sent to that address. Anyone can send
 * a DSN, or an SES-style JSON body, naming any address: without this check a stranger could mark any
 * contact as failing, and the reminders and agents' mail to it would stop.
 *
 * The proof is the Message-ID index: the bounce must reference (In-Reply-To, References, or the
 * returned message's headers) an outbound Message-ID whose entry lists the bounced address.
 */
import type { BounceRecipient } from './classify.ts';
import { LIMITS } from './limits.ts';
import type { ParsedMail } from './mime.ts';
import type { MessageIdEntry } from './ports.ts';

/** How much of each report part, returned message or notice text is scanned for a Message-ID. */
const SCAN_CHARS = 64 * 1024;

/**
 * The Message-IDs of the returned message in a bounce: from `text/rfc822-headers` report parts,
 * `message/rfc822` parts, and the notice text (non-standard bounces quote the headers inline).
 * A line-by-line scan: the regular expression only ever sees a short line.
 */
export function originalMessageIds(mail: Pick<ParsedMail, 'reportParts' | 'attachments' | 'text'>): string[] {
  const sources = [
    ...mail.reportParts.filter((p) => p.contentType === 'text/rfc822-headers').map((p) => p.body),
    ...mail.attachments
      .filter((a) => a.contentType === 'message/rfc822' || a.contentType === 'text/rfc822-headers')
      .map((a) => a.content.subarray(0, SCAN_CHARS).toString('utf8')),
    mail.text,
  ];
  const out = new Set<string>();
  for (const source of sources) {
    const text = source.slice(0, SCAN_CHARS);
    let start = 0;
    while (start < text.length && out.size < LIMITS.threadReferences) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, Math.min(end, start + LIMITS.regexLineChars));
      const m = /^\s*message-id\s*:\s*(<[^<>\s]{1,500}>)/i.exec(line);
      if (m) out.add(m[1]);
      start = end + 1;
    }
  }
  return [...out];
}

/**
 * The bounce's recipients that may be marked failing: permanent failures only, of addresses that a
 * referenced outbound message was sent to, at most `LIMITS.bounceRecipients` of them.
 */
export function matchBounce(recipients: BounceRecipient[], referenced: MessageIdEntry[]): BounceRecipient[] {
  const sentTo = new Set(
    referenced.filter((e) => e.direction === 'outbound').flatMap((e) => (e.sentTo ?? []).map(normalize)),
  );
  const out: BounceRecipient[] = [];
  const seen = new Set<string>();
  for (const r of recipients) {
    const address = normalize(r.address);
    if (!r.hard || seen.has(address) || !sentTo.has(address)) continue;
    seen.add(address);
    out.push(r);
    if (out.length >= LIMITS.bounceRecipients) break;
  }
  return out;
}

const normalize = (address: string) => address.trim().toLowerCase();
