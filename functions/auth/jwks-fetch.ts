/**
 * The widget's JWKS fetch: the one request that Go!Chat makes to a URL a workspace admin chose, on behalf
 * of anyone who calls `POST /v1/widget/session`. So it is fenced (docs/security.md):
 * - https only, to a public address (core/public-address.ts), checked on the URL and again on every
 *   address DNS gives at connect time; the socket connects to that checked address (DNS rebinding);
 * - no redirects, 3 s for the whole exchange, at most 64 KB of body;
 * - one bounded LRU cache per container that also keeps failures a while, so a bad URL costs one fetch
 *   per 30 s, not one per request;
 * - every failure is the same `JwksUnavailableError`: nothing tells a closed port from a 404 or a hang.
 * Plain http to loopback is allowed only when `allowLoopbackHttp` is set, which the local stack alone does.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isLoopback, isPublicAddress, refuseFetchUrl } from '#core/public-address.ts';

export interface JsonWebKeySet {
  keys: Array<Record<string, unknown>>;
}

/** Any failure to get a key set; deliberately says nothing of which. */
export class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
  constructor(readonly reason: string) {
    super('the key set could not be fetched');
  }
}

export interface JwksFetchOptions {
  /** The local stack's flag: plain http (and https) to a loopback address. Never set by CDK. */
  allowLoopbackHttp?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Entries the cache holds at most (least recently used go first). */
  cacheEntries?: number;
  ttlMs?: number;
  /** How long a failure is remembered. */
  failureTtlMs?: number;
  /** DNS, for tests (a name that resolves to a private address). */
  lookup?: (hostname: string, cb: (err: Error | null, addresses: LookupAddress[]) => void) => void;
  /** Trust anchors for the TLS handshake, for tests (a local https server's certificate). */
  ca?: string | Buffer;
  now?: () => number;
}

export type JwksFetcher = (url: string) => Promise<JsonWebKeySet>;

export const JWKS_LIMITS = {
  timeoutMs: 3000,
  maxBytes: 64 * 1024,
  cacheEntries: 500,
  ttlMs: 300_000,
  failureTtlMs: 30_000,
};

/** A small LRU: a Map keeps insertion order, so re-inserting on read makes the first key the least recent. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  get size() {
    return this.map.size;
  }
}

/** Whether an address that DNS gave (or the socket reached) may be connected to. */
const addressAllowed = (address: string, allowLoopback: boolean) =>
  isPublicAddress(address) || (allowLoopback && isLoopback(address));

/**
 * A `lookup` for the agent: resolves every address of the name, refuses the lot if any one is not public,
 * and hands the socket exactly the addresses it checked.
 */
function checkedLookup(opts: JwksFetchOptions): LookupFunction {
  const resolve = opts.lookup ?? ((host, cb) => dnsLookup(host, { all: true, verbatim: true }, cb));
  return ((hostname: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    resolve(hostname, (err, addresses) => {
      if (err) return cb(err);
      if (addresses.length === 0) return cb(new JwksUnavailableError('no address'));
      const bad = addresses.find((a) => !addressAllowed(a.address, opts.allowLoopbackHttp === true));
      if (bad) return cb(new JwksUnavailableError(`resolves to a special-purpose address ${bad.address}`));
      if (options?.all) return cb(null, addresses);
      return cb(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}

async function fetchOnce(url: string, opts: JwksFetchOptions): Promise<JsonWebKeySet> {
  const refusal = refuseFetchUrl(url, opts);
  if (refusal) throw new JwksUnavailableError(refusal);
  const target = new URL(url);
  const timeoutMs = opts.timeoutMs ?? JWKS_LIMITS.timeoutMs;
  const maxBytes = opts.maxBytes ?? JWKS_LIMITS.maxBytes;
  const client = target.protocol === 'https:' ? https : http;
  const body = await new Promise<Buffer>((resolve, reject) => {
    const fail = (reason: string) => {
      req.destroy();
      reject(new JwksUnavailableError(reason));
    };
    const timer = setTimeout(() => fail('timeout'), timeoutMs);
    const req = client.request(
      target,
      {
        method: 'GET',
        agent: false,
        lookup: checkedLookup(opts),
        headers: { accept: 'application/json', 'user-agent': 'gochat-jwks' },
        ...(opts.ca ? { ca: opts.ca } : {}),
      },
      (res) => {
        // No redirects: a 3xx is a failure like any other status.
        if (res.statusCode !== 200) return fail(`status ${res.statusCode}`);
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) return fail('body too large');
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) return fail('body too large');
          chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks));
        });
        res.on('error', (e) => fail(`read: ${e.message}`));
      },
    );
    // The address actually connected to, whatever resolved it: checked once more before a byte is sent.
    req.on('socket', (socket) => {
      socket.once('connect', () => {
        const remote = socket.remoteAddress ?? '';
        if (!addressAllowed(remote, opts.allowLoopbackHttp === true)) fail(`connected to ${remote}`);
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e instanceof JwksUnavailableError ? e : new JwksUnavailableError(`request: ${e.message}`));
    });
    req.end();
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new JwksUnavailableError('not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || !Array.isArray((parsed as JsonWebKeySet).keys))
    throw new JwksUnavailableError('not a key set');
  return parsed as JsonWebKeySet;
}

/**
 * A fetcher of key sets with its own cache (one per container): a success is kept `ttlMs`, a failure
 * `failureTtlMs`; requests for a URL already being fetched share that fetch.
 */
export function createJwksFetcher(opts: JwksFetchOptions = {}): JwksFetcher & { cacheSize(): number } {
  const now = opts.now ?? Date.now;
  const cache = new Lru<{ until: number; result: Promise<JsonWebKeySet> }>(
    opts.cacheEntries ?? JWKS_LIMITS.cacheEntries,
  );
  const fetcher = async (url: string) => {
    const hit = cache.get(url);
    if (hit && hit.until > now()) return hit.result;
    const result = fetchOnce(url, opts);
    const entry = { until: Number.POSITIVE_INFINITY, result };
    cache.set(url, entry);
    result.then(
      () => {
        entry.until = now() + (opts.ttlMs ?? JWKS_LIMITS.ttlMs);
      },
      () => {
        entry.until = now() + (opts.failureTtlMs ?? JWKS_LIMITS.failureTtlMs);
      },
    );
    return result;
  };
  return Object.assign(fetcher, { cacheSize: () => cache.size });
}
