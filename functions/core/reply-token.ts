/**
 * Signed reply tokens: `support+<token>@domain`. The token names the thread and carries an HMAC, so a
 * reply that reaches the token address threads back even when a client drops In-Reply-To, and a
 * guessed or altered token is worthless. Plus-addressing keeps the workspace's inbound address routable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_LENGTH = 16; // base32 characters: 80 bits of HMAC-SHA256
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export class ReplyTokens {
  constructor(private readonly secret: string) {
    if (secret.length < 16) throw new Error('reply token secret must be at least 16 characters');
  }

  private sign(workspaceId: string, threadId: string): string {
    const mac = createHmac('sha256', this.secret).update(`${workspaceId}:${threadId}`).digest();
    return base32(mac).slice(0, SIGNATURE_LENGTH);
  }

  /** The token for a thread: `<threadId>.<signature>`, lower-case (local parts are often folded). */
  tokenFor(workspaceId: string, threadId: string): string {
    return `${threadId.toLowerCase()}.${this.sign(workspaceId, threadId.toUpperCase())}`;
  }

  /** `local+<token>@domain` from a workspace address. */
  replyAddress(inboundAddress: string, workspaceId: string, threadId: string): string {
    const at = inboundAddress.lastIndexOf('@');
    const local = inboundAddress.slice(0, at).split('+')[0];
    return `${local}+${this.tokenFor(workspaceId, threadId)}${inboundAddress.slice(at)}`;
  }

  /** The thread id named by a valid token in `address`, or null (no token, or a bad signature). */
  verify(address: string, workspaceId: string): string | null {
    const local = address.slice(0, address.lastIndexOf('@'));
    const plus = local.indexOf('+');
    if (plus < 0) return null;
    const [threadPart, signature] = local
      .slice(plus + 1)
      .toLowerCase()
      .split('.');
    if (!threadPart || !signature || signature.length !== SIGNATURE_LENGTH) return null;
    const threadId = threadPart.toUpperCase();
    const expected = Buffer.from(this.sign(workspaceId, threadId));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected) ? threadId : null;
  }
}

/** The address without its `+token` part: the inbound address that routing knows. */
export function baseAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 0) return address.toLowerCase();
  return `${address.slice(0, at).split('+')[0]}${address.slice(at)}`.toLowerCase();
}
