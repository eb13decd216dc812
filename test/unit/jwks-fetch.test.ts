import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwksFetcher, JwksUnavailableError } from '#auth/jwks-fetch.ts';
import { END_USER_TOKEN_REFUSED, verifyEndUserToken } from '#core/widget-identity.ts';

/** A loopback key server whose paths behave as the case needs; it counts every request it gets. */
let server: Server;
let base: string;
const hits: string[] = [];
let jwks: { keys: Array<Record<string, unknown>> };
let sign: (aud: string) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
  sign = (aud) =>
    new SignJWT({ email: 'u@shop.example', customerIds: ['c1'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('u1')
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url?.startsWith('/jwks')) return res.end(JSON.stringify(jwks));
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `${base}/jwks` });
      return res.end();
    }
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      // No Content-Length: the cap must hold on the stream itself.
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      res.on('error', () => {});
      return pump();
    }
    if (req.url === '/hang') return; // never answers
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const hitsOf = (path: string) => hits.filter((h) => h === path).length;

describe('the widget JWKS fetch (SSRF fence)', () => {
  it('before the fix, a jwksUrl on loopback was fetched by anyone; now it is refused without a request, with one message', async () => {
    const before = hitsOf('/jwks?a');
    const settings = { enabled: true, jwksUrl: `${base}/jwks?a`, allowedOrigins: [], anonymous: false };
    const refused = verifyEndUserToken(await sign('ws1'), 'ws1', settings, new Date(), createJwksFetcher());
    await expect(refused).rejects.toThrow(END_USER_TOKEN_REFUSED);
    await expect(refused).rejects.toMatchObject({ message: END_USER_TOKEN_REFUSED });
    expect(hitsOf('/jwks?a')).toBe(before);
  });

  it('fetches from loopback only with the local flag, and caches the key set', async () => {
    const fetcher = createJwksFetcher({ allowLoopbackHttp: true });
    const settings = { enabled: true, jwksUrl: `${base}/jwks?b`, allowedOrigins: [], anonymous: false };
    const claims = await verifyEndUserToken(await sign('ws1'), 'ws1', settings, new Date(), fetcher);
    expect(claims.sub).toBe('u1');
    await fetcher(`${base}/jwks?b`);
    expect(hitsOf('/jwks?b')).toBe(1);
  });

  it('refuses a name that resolves to a private address (DNS rebinding) before connecting, if any one address is', async () => {
    for (const addresses of [
      [{ address: '127.0.0.1', family: 4 }],
      [{ address: '10.0.0.7', family: 4 }],
      [
        { address: '93.184.216.34', family: 4 },
        { address: '::ffff:169.254.169.254', family: 6 },
      ],
      [{ address: 'fd00::1', family: 6 }],
    ]) {
      const fetcher = createJwksFetcher({ lookup: (_h, cb) => cb(null, addresses) });
      const port = (server.address() as AddressInfo).port;
      await expect(fetcher(`https://keys.shop.example:${port}/jwks?c`)).rejects.toBeInstanceOf(JwksUnavailableError);
    }
    expect(hitsOf('/jwks?c')).toBe(0);
  });

  it('follows no redirect, caps the body at 64 KB, and gives up after the timeout', async () => {
    const fetcher = createJwksFetcher({ allowLoopbackHttp: true, timeoutMs: 300 });
    await expect(fetcher(`${base}/redirect`)).rejects.toMatchObject({ reason: 'status 302' });
    expect(hitsOf('/jwks')).toBe(0);
    await expect(fetcher(`${base}/huge`)).rejects.toMatchObject({ reason: 'body too large' });
    const started = Date.now();
    await expect(fetcher(`${base}/hang`)).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers every failure with the same message, and caches failures for a while', async () => {
    let now = 1_000_000;
    const fetcher = createJwksFetcher({ allowLoopbackHttp: true, failureTtlMs: 30_000, now: () => now });
    const messages = new Set<string>();
    for (const path of ['/nothing', '/redirect', '/nothing'])
      await fetcher(`${base}${path}`).catch((e: Error) => messages.add(e.message));
    expect([...messages]).toEqual(['the key set could not be fetched']);
    expect(hitsOf('/nothing')).toBe(1); // the second try came from the cache
    now += 31_000;
    await fetcher(`${base}/nothing`).catch(() => {});
    expect(hitsOf('/nothing')).toBe(2);
  });

  it('keeps a bounded cache: the least recently used URL goes first', async () => {
    const fetcher = createJwksFetcher({ allowLoopbackHttp: true, cacheEntries: 2 });
    for (const q of ['d1', 'd2', 'd3']) await fetcher(`${base}/jwks?${q}`);
    expect(fetcher.cacheSize()).toBe(2);
    await fetcher(`${base}/jwks?d1`);
    expect(hitsOf('/jwks?d1')).toBe(2);
  });
});
