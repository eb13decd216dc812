/**
 * Deterministic ids: the same mail always gets the same thread, item, contact and attachment ids, so a
 * repeated or concurrent delivery proposes the very same writes, and one of them wins.
 */
import { createHash } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-shaped id whose time part is `at` and whose random part is a hash of `seed`: the same mail
 * always gets the same thread, item and contact ids, so a repeated delivery cannot create twins.
 * `lane` (one Crockford character) fixes the first random character, so that feed items written at
 * the same instant keep their order (the message, then the status change it caused).
 */
export function deterministicId(at: string, seed: string, lane?: string): string {
  let time = Date.parse(at);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const random = hashId(seed).toUpperCase();
  return head + (lane ? lane + random.slice(0, 15) : random.slice(0, 16));
}

/** 26 Crockford base32 characters of SHA-256. */
export function hashId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += CROCKFORD[digest[i] & 31];
  return out.toLowerCase();
}
