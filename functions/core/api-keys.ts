/**
 * Workspace API keys: `gck_<keyId>_<secret>`. Only a SHA-256 hash of the whole key is stored, so a
 * leaked table reveals no usable key; the key itself is shown once, when it is created. The key id is
 * public (it names the key in listings and in the feed's actor) and is never enough to authenticate.
 */
import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'gck_';
/** 32 random bytes: 256 bits of secret, hex so that the key survives any copy and paste. */
const SECRET_BYTES = 32;
const KEY_ID = /^[0-9A-Za-z]{10,40}$/;
const SECRET = /^[0-9a-f]{64}$/;

export interface NewApiKey {
  keyId: string;
  /** The full key, to show the caller once. Never stored. */
  apiKey: string;
  /** What is stored and looked up. */
  hash: string;
  /** `gck_<keyId>`: safe to show in listings. */
  displayPrefix: string;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** A new key for `keyId` (a ULID); `random` is injectable for tests. */
export function generateApiKey(keyId: string, random: (n: number) => Buffer = randomBytes): NewApiKey {
  if (!KEY_ID.test(keyId)) throw new Error(`invalid key id ${keyId}`);
  const apiKey = `${PREFIX}${keyId}_${random(SECRET_BYTES).toString('hex')}`;
  return { keyId, apiKey, hash: hashApiKey(apiKey), displayPrefix: `${PREFIX}${keyId}` };
}

/** The key id of a well-formed key, or null: malformed keys are refused before any lookup. */
export function parseApiKey(apiKey: string): { keyId: string } | null {
  if (!apiKey.startsWith(PREFIX)) return null;
  const [keyId, secret, ...rest] = apiKey.slice(PREFIX.length).split('_');
  if (rest.length > 0 || !keyId || !secret || !KEY_ID.test(keyId) || !SECRET.test(secret)) return null;
  return { keyId };
}
