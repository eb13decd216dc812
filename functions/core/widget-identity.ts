/**
 * Who the end user of the widget is. The host's back end signs a short-lived JWT (ES256 or EdDSA)
 * naming the end user; it is checked against the public keys in the workspace's widget settings (a
 * JWKS URL or the keys themselves), then exchanged for Go!Chat's own widget token: short-lived, HMAC
 * signed, kept in memory by the frame and sent in a header, never in a URL or a cookie. The widget
 * token's signature is compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as z from 'zod/mini';
import { UnauthorizedError, ValidationError } from './errors.ts';
import { refuseFetchUrl } from './public-address.ts';

/** The widget settings of a workspace (`GET/PUT /v1/settings/widget`). */
export interface WidgetSettings {
  enabled: boolean;
  /** The host back end's public keys: a JWKS URL (https), or the keys themselves. */
  jwksUrl?: string;
  jwks?: { keys: Array<Record<string, unknown>> };
  /** `iss` that end-user tokens must carry, when set. */
  issuer?: string;
  /** Exact origins of the sites that may embed the widget (CSP frame-ancestors, postMessage). */
  allowedOrigins: string[];
  /** Anonymous visitors (no host token). Off by default; not supported yet: it must stay false. */
  anonymous: boolean;
}

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = { enabled: false, allowedOrigins: [], anonymous: false };

/** An exact web origin: scheme, host and optional port, nothing else. */
export const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]{1,200}(:\d{1,5})?$/;

/** End-user tokens live at most this long (`exp - iat`), and are accepted this long after `iat`. */
export const MAX_END_USER_TOKEN_SECONDS = 600;
/** Go!Chat's widget token. */
export const WIDGET_TOKEN_SECONDS = 900;

/** The end user, as the widget token names them (and as every widget route sees them). */
export interface EndUser {
  workspaceId: string;
  contactId: string;
  email: string;
  name?: string;
  externalId: string;
  /** The customers whose threads this end user sees (checked to exist in the workspace). */
  customerIds: string[];
  /** The host key set the session was opened under (keySetFingerprint): a change ends the widget token. */
  keySet?: string;
}

/** A fingerprint of the host key set of the settings (the keys, or the JWKS URL, and the issuer). */
export function keySetFingerprint(settings: WidgetSettings): string {
  const keys = settings.jwks ? settings.jwks.keys.map((k) => JSON.stringify(k, Object.keys(k).sort())).sort() : [];
  return createHash('sha256')
    .update(JSON.stringify({ keys, url: settings.jwksUrl ?? null, iss: settings.issuer ?? null }))
    .digest('base64url')
    .slice(0, 22);
}

/** The claims of the host's JWT: `sub` is the end user's external id. */
const endUserClaims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  email: z.string().check(z.minLength(3), z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+$/)),
  name: z.optional(z.string().check(z.maxLength(200))),
  customerIds: z.array(z.string().check(z.regex(/^[0-9A-Za-z_-]{1,64}$/))).check(z.minLength(1), z.maxLength(20)),
});
export type EndUserClaims = z.infer<typeof endUserClaims>;

/** The host's key set at a URL (functions/auth/jwks-fetch.ts: fenced, cached); throws on any failure. */
export type KeySetFetcher = (url: string) => Promise<{ keys: Array<Record<string, unknown>> }>;

/**
 * The one answer to every refused end-user token, whatever failed (the key fetch, the signature, a claim):
 * a caller without a credential learns nothing about the host's key server, nor which check it failed.
 */
export const END_USER_TOKEN_REFUSED = 'end-user token refused';

/** An UnauthorizedError with the generic message; `reason` is for the logs, never for the caller. */
export class EndUserTokenRefused extends UnauthorizedError {
  constructor(readonly reason: string) {
    super(END_USER_TOKEN_REFUSED);
  }
}

async function keySetOf(settings: WidgetSettings, fetchKeySet: KeySetFetcher | undefined) {
  if (settings.jwks) return createLocalJWKSet(settings.jwks as Parameters<typeof createLocalJWKSet>[0]);
  if (settings.jwksUrl && fetchKeySet) {
    try {
      return createLocalJWKSet((await fetchKeySet(settings.jwksUrl)) as Parameters<typeof createLocalJWKSet>[0]);
    } catch (e) {
      throw new EndUserTokenRefused(`key set: ${(e as { reason?: string }).reason ?? (e as Error).message}`);
    }
  }
  throw new EndUserTokenRefused('no end-user keys configured');
}

/**
 * Verifies the host's end-user token for `workspaceId` (its `aud`): signature (ES256 or EdDSA only),
 * `exp`, `iat` no older than 10 minutes, a lifetime of at most 10 minutes, the issuer when configured.
 * A JWKS URL is read through `fetchKeySet` (never fetched here: the core does no I/O).
 *
 * @throws EndUserTokenRefused (401, one message) for a token that is forged, expired, wrongly signed or
 * malformed, for a widget that is off, and for a key set that cannot be had.
 */
export async function verifyEndUserToken(
  token: string,
  workspaceId: string,
  settings: WidgetSettings,
  now: Date,
  fetchKeySet?: KeySetFetcher,
): Promise<EndUserClaims> {
  if (!settings.enabled) throw new EndUserTokenRefused('the widget is not enabled for this workspace');
  if (token.length > 8192) throw new EndUserTokenRefused('end-user token too long');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, await keySetOf(settings, fetchKeySet), {
      algorithms: ['ES256', 'EdDSA'],
      audience: workspaceId,
      ...(settings.issuer ? { issuer: settings.issuer } : {}),
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: MAX_END_USER_TOKEN_SECONDS,
      currentDate: now,
    }));
  } catch (e) {
    if (e instanceof EndUserTokenRefused) throw e;
    throw new EndUserTokenRefused(`${(e as { code?: string }).code ?? (e as Error).name}`);
  }
  if ((payload.exp ?? 0) - (payload.iat ?? 0) > MAX_END_USER_TOKEN_SECONDS)
    throw new EndUserTokenRefused(`end-user token lives longer than ${MAX_END_USER_TOKEN_SECONDS} s`);
  const claims = endUserClaims.safeParse(payload);
  if (!claims.success)
    throw new EndUserTokenRefused(
      `claims: ${claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return claims.data;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Go!Chat's widget tokens: `<payload>.<HMAC-SHA256>`, both base64url. */
export class WidgetTokens {
  private readonly key: Buffer;
  constructor(secret: string) {
    if (secret.length < 16) throw new Error('widget token secret must be at least 16 characters');
    // A key of its own, derived from the deployment's secret: a reply token can never pass as a widget token.
    this.key = createHmac('sha256', secret).update('gochat widget token v1').digest();
  }

  issue(user: EndUser, now: Date): { token: string; expiresAt: string } {
    const exp = Math.floor(now.getTime() / 1000) + WIDGET_TOKEN_SECONDS;
    const payload = b64url(JSON.stringify({ v: 1, ...user, exp }));
    return { token: `${payload}.${this.sign(payload)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** @throws UnauthorizedError for a token that is malformed, altered, expired or of another workspace. */
  verify(token: string | undefined, now: Date): EndUser {
    if (!token || token.length > 4096) throw new UnauthorizedError('missing widget token');
    const dot = token.indexOf('.');
    if (dot <= 0) throw new UnauthorizedError('malformed widget token');
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.sign(payload), 'base64url');
    // Constant time: a forger learns nothing from how long the refusal took.
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new UnauthorizedError('invalid widget token');
    let data: EndUser & { v: number; exp: number };
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new UnauthorizedError('malformed widget token');
    }
    if (data.v !== 1 || typeof data.exp !== 'number' || data.exp * 1000 <= now.getTime())
      throw new UnauthorizedError('widget token expired');
    const { v: _v, exp: _exp, ...user } = data;
    return user;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** Checks widget settings given by an admin; a broken one is a ValidationError (400). */
export function checkWidgetSettings(s: WidgetSettings, opts: { allowLoopbackHttp?: boolean } = {}): WidgetSettings {
  if (s.jwksUrl !== undefined) {
    const refusal = refuseFetchUrl(s.jwksUrl, opts);
    if (refusal)
      throw new ValidationError(
        'jwksUrl must be an https URL of a public host (no private, loopback, link-local or other special-purpose address)',
        [{ path: 'jwksUrl', message: refusal }],
      );
  }
  if (s.anonymous) throw new ValidationError('anonymous visitors are not supported: anonymous must be false');
  if (s.jwksUrl && s.jwks) throw new ValidationError('give jwksUrl or jwks, not both');
  if (s.enabled && !s.jwksUrl && !s.jwks) throw new ValidationError('an enabled widget needs jwksUrl or jwks');
  if (s.jwks) {
    try {
      createLocalJWKSet(s.jwks as Parameters<typeof createLocalJWKSet>[0]);
    } catch (e) {
      throw new ValidationError(`jwks is not a JSON Web Key Set: ${(e as Error).message}`);
    }
    for (const k of s.jwks.keys)
      if ('d' in k) throw new ValidationError('jwks must hold public keys only (a key has "d")');
  }
  return s;
}
