import { describe, expect, it } from 'vitest';
import { cacheApiKeyLookups } from '#adapters/api-key-cache.ts';

type Found = { workspaceId: string; keyId: string };

/** A store whose table is a map, counting the lookups that reach it. */
function fakeStore(table: Record<string, Found>) {
  const store = {
    reads: 0,
    async findApiKeyByHash(hash: string): Promise<Found | null> {
      store.reads++;
      return table[hash] ?? null;
    },
    async revokeApiKey(_workspaceId: string, keyId: string, _at: string): Promise<void> {
      for (const [hash, v] of Object.entries(table)) if (v.keyId === keyId) delete table[hash];
    },
  };
  return store;
}

describe('cacheApiKeyLookups', () => {
  const setup = (opts: { ttlMs?: number; maxEntries?: number } = {}) => {
    let now = 1_000_000;
    const table: Record<string, Found> = {
      h1: { workspaceId: 'W1', keyId: 'K1' },
      h2: { workspaceId: 'W2', keyId: 'K2' },
      h3: { workspaceId: 'W3', keyId: 'K3' },
    };
    const store = fakeStore(table);
    const cache = cacheApiKeyLookups(store, {
      ttlMs: opts.ttlMs ?? 60_000,
      maxEntries: opts.maxEntries ?? 10,
      now: () => now,
    });
    return { store, table, cache, advance: (ms: number) => (now += ms) };
  };

  it('reads a key once within its time to live', async () => {
    const { store } = setup();
    expect(await store.findApiKeyByHash('h1')).toEqual({ workspaceId: 'W1', keyId: 'K1' });
    expect(await store.findApiKeyByHash('h1')).toEqual({ workspaceId: 'W1', keyId: 'K1' });
    expect(store.reads).toBe(1);
  });

  it('reads it again once the time to live has passed: a key revoked elsewhere stops working then', async () => {
    const { store, table, advance } = setup({ ttlMs: 60_000 });
    await store.findApiKeyByHash('h1');
    delete table.h1; // revoked by another container
    advance(59_999);
    expect(await store.findApiKeyByHash('h1')).not.toBeNull();
    advance(1);
    expect(await store.findApiKeyByHash('h1')).toBeNull();
    expect(store.reads).toBe(2);
  });

  it('never caches an unknown key', async () => {
    const { store, table } = setup();
    expect(await store.findApiKeyByHash('new')).toBeNull();
    table.new = { workspaceId: 'W9', keyId: 'K9' };
    expect(await store.findApiKeyByHash('new')).toEqual({ workspaceId: 'W9', keyId: 'K9' });
  });

  it('stops a key revoked through the same store at once', async () => {
    const { store } = setup();
    await store.findApiKeyByHash('h2');
    await store.revokeApiKey('W2', 'K2', '2026-01-01T00:00:00.000Z');
    expect(await store.findApiKeyByHash('h2')).toBeNull();
  });

  it('keeps at most maxEntries keys, dropping the least recently used', async () => {
    const { store, cache } = setup({ maxEntries: 2 });
    await store.findApiKeyByHash('h1');
    await store.findApiKeyByHash('h2');
    await store.findApiKeyByHash('h1'); // h1 is now the most recent
    await store.findApiKeyByHash('h3'); // evicts h2
    expect(cache.size).toBe(2);
    const before = store.reads;
    await store.findApiKeyByHash('h1');
    expect(store.reads).toBe(before);
    await store.findApiKeyByHash('h2');
    expect(store.reads).toBe(before + 1);
  });
});
