import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { boundedPart, keys } from '#adapters/dynamo/keys.ts';
import { chatMessageId, fallbackExecutionName } from '#core/chat.ts';
import { UnauthorizedError, ValidationError } from '#core/errors.ts';
import {
  checkWidgetSettings,
  type EndUser,
  verifyEndUserToken,
  type WidgetSettings,
  WidgetTokens,
} from '#core/widget-identity.ts';

const NOW = new Date('2026-11-30T10:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);
const user: EndUser = {
  workspaceId: 'WS1',
  contactId: 'C1',
  email: 'ann@example.com',
  externalId: 'ann',
  customerIds: ['CUST1'],
};

describe('widget tokens', () => {
  const tokens = new WidgetTokens('a-secret-of-at-least-16-chars');

  it('round-trips the end user until it expires (15 minutes)', () => {
    const { token, expiresAt } = tokens.issue(user, NOW);
    expect(expiresAt).toBe('2026-11-30T10:15:00.000Z');
    expect(tokens.verify(token, new Date(NOW.getTime() + 60_000))).toEqual(user);
    expect(() => tokens.verify(token, new Date('2026-11-30T10:15:00Z'))).toThrow(UnauthorizedError);
  });

  it('refuses an altered payload, a foreign signature, another secret and garbage', () => {
    const { token } = tokens.issue(user, NOW);
    const [payload, sig] = token.split('.');
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), customerIds: ['OTHER'] }),
    ).toString('base64url');
    for (const bad of [
      `${widened}.${sig}`,
      `${payload}.${sig.slice(0, -1)}`,
      `${payload}.`,
      new WidgetTokens('another-secret-of-16-chars').issue(user, NOW).token,
      '',
      'x',
      '.',
      `${payload}.${'A'.repeat(5000)}`,
    ])
      expect(() => tokens.verify(bad, NOW), bad.slice(0, 20)).toThrow(UnauthorizedError);
    expect(() => tokens.verify(undefined, NOW)).toThrow(UnauthorizedError);
  });
});

describe('end-user tokens of the host', () => {
  async function host(alg: 'ES256' | 'EdDSA') {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: `k-${alg}`, alg };
    const settings: WidgetSettings = { enabled: true, jwks: { keys: [jwk] }, allowedOrigins: [], anonymous: false };
    const sign = (claims: Record<string, unknown>, iat = T, exp = T + 300, aud = 'WS1') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid: jwk.kid })
        .setSubject('ann')
        .setAudience(aud)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(privateKey);
    return { settings, sign };
  }
  const claims = { email: 'ann@example.com', name: 'Ann', customerIds: ['CUST1'] };

  for (const alg of ['ES256', 'EdDSA'] as const)
    it(`accepts ${alg} and returns the claims`, async () => {
      const h = await host(alg);
      expect(await verifyEndUserToken(await h.sign(claims), 'WS1', h.settings, NOW)).toEqual({ sub: 'ann', ...claims });
    });

  it('refuses a disabled widget, a wrong audience, expiry, old iat, long life and bad claims', async () => {
    const h = await host('ES256');
    const refused = async (token: string, settings = h.settings) =>
      expect(verifyEndUserToken(token, 'WS1', settings, NOW)).rejects.toThrow(UnauthorizedError);
    await refused(await h.sign(claims), { ...h.settings, enabled: false });
    await refused(await h.sign(claims, T, T + 300, 'WS2'));
    await refused(await h.sign(claims, T - 400, T - 1));
    await refused(await h.sign(claims, T - 700, T + 60));
    await refused(await h.sign(claims, T, T + 3600));
    await refused(await h.sign({ ...claims, customerIds: [] }));
    await refused(await h.sign({ ...claims, email: 'not an address' }));
    await refused(await h.sign({ ...claims, customerIds: ['WS#x'] }));
    await refused('a.b.c');
  });
});

describe('widget settings and keys', () => {
  it('refuses private keys, anonymous visitors and an enabled widget without keys', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const base: WidgetSettings = { enabled: true, allowedOrigins: [], anonymous: false };
    const privateJwk = { ...(await exportJWK(privateKey)) };
    expect(() => checkWidgetSettings({ ...base, jwks: { keys: [privateJwk] } })).toThrow(ValidationError);
    expect(() => checkWidgetSettings({ ...base, jwksUrl: 'https://x.example/jwks', anonymous: true })).toThrow(
      ValidationError,
    );
    expect(() => checkWidgetSettings(base)).toThrow(ValidationError);
    expect(checkWidgetSettings({ ...base, enabled: false })).toEqual({ ...base, enabled: false });
  });

  it('scopes the chat and widget keys to their workspace and bounds parts from outside', () => {
    expect(keys.widgetSettings('W')).toEqual({ PK: 'WS#W', SK: 'WIDGET' });
    expect(keys.chatReceipts('W', 'T')).toEqual({ PK: 'WS#W#TH#T', SK: 'RECEIPTS' });
    expect(keys.contactExternalId('W', 'ext-1')).toEqual({ PK: 'WS#W#EXTID#ext-1', SK: 'META' });
    expect(keys.rateLimit('W', 'user:C', '60')).toEqual({ PK: 'WS#W#RATE#user:C', SK: '60' });
    const long = 'é'.repeat(300);
    expect(boundedPart(long)).toMatch(/^H#[0-9a-f]{64}$/);
    expect(boundedPart(long)).toBe(boundedPart(long));
    expect(Buffer.byteLength(keys.contactExternalId('W', long).PK)).toBeLessThan(100);
    expect(chatMessageId('W', 'C', 'm1')).toBe('<chat.c.m1@w.gochat>');
    expect(fallbackExecutionName('T', 'I').length).toBeLessThanOrEqual(80);
  });
});
