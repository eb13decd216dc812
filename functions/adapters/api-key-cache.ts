/**
 * A bounded, short-lived, in-container cache of the API-key lookup (key hash → workspace), so that a
 * list page costs one DynamoDB round trip instead of two (bench/list.ts).
 *
 * The staleness is the price, and it is bounded: a key revoked in another container keeps working in
 * a container that had looked it up for at most `ttlMs` (60 s by default). A revocation made through
 * this container's store empties the cache at once. Unknown keys are never cached, so a new key
 * works at once and guessing fills nothing.
 */

export interface ApiKeyCacheOptions {
  /** How long a found key is trusted without reading it again. */
  ttlMs: number;
  /** Most keys kept; the least recently used goes first. */
  maxEntries: number;
  /** For tests. */
  now?: () => number;
}

export const API_KEY_CACHE: ApiKeyCacheOptions = { ttlMs: 60_000, maxEntries: 1000 };

/** What the cache wraps: the lookup, and the revocation that must invalidate it. */
export interface ApiKeyLookupStore<T> {
  findApiKeyByHash(hash: string): Promise<T | null>;
  revokeApiKey(workspaceId: string, keyId: string, at: string): Promise<void>;
}

/** A map with a time to live and a size bound (least recently used out first). */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly now: () => number;

  constructor(private readonly options: ApiKeyCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    if (hit.expires <= this.now()) return undefined;
    this.entries.set(key, hit); // most recently used last
    return hit.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Wraps the store's `findApiKeyByHash` with a {@link TtlCache} (and its `revokeApiKey` with a clear),
 * in place, so that every caller of the store, whatever authenticates through it, shares the cache.
 * Returns the cache (tests and the bench read it).
 */
export function cacheApiKeyLookups<T>(
  store: ApiKeyLookupStore<T>,
  options: ApiKeyCacheOptions = API_KEY_CACHE,
): TtlCache<T> {
  const cache = new TtlCache<T>(options);
  const find = store.findApiKeyByHash.bind(store);
  const revoke = store.revokeApiKey.bind(store);
  store.findApiKeyByHash = async (hash) => {
    const cached = cache.get(hash);
    if (cached !== undefined) return cached;
    const found = await find(hash);
    if (found) cache.set(hash, found);
    return found;
  };
  store.revokeApiKey = async (workspaceId, keyId, at) => {
    cache.clear();
    try {
      await revoke(workspaceId, keyId, at);
    } finally {
      // Cleared again after the write: a lookup that raced the revocation may have re-cached the key.
      cache.clear();
    }
  };
  return cache;
}
