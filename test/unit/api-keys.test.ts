import { describe, expect, it } from 'vitest';
import { authenticate as authenticateWith } from '#auth/authenticate.ts';
import { SCOPES } from '#core/access.ts';
import { generateApiKey, hashApiKey, parseApiKey } from '#core/api-keys.ts';
import { UnauthorizedError, ValidationError } from '#core/errors.ts';

const KEY_ID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

describe('API keys', () => {
  it('have the form gck_<keyId>_<secret> and are stored as a SHA-256 hash only', () => {
    const key = generateApiKey(KEY_ID, (n) => Buffer.alloc(n, 0xab));
    expect(key.apiKey).toBe(`gck_${KEY_ID}_${'ab'.repeat(32)}`);
    expect(key.hash).toBe(hashApiKey(key.apiKey));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash).not.toContain('abab');
    expect(key.displayPrefix).toBe(`gck_${KEY_ID}`);
    expect(parseApiKey(key.apiKey)).toEqual({ keyId: KEY_ID });
  });

  it('are unique per generation', () => {
    expect(generateApiKey(KEY_ID).apiKey).not.toBe(generateApiKey(KEY_ID).apiKey);
  });

  it.each([
    '',
    'gck_',
    `gck_${KEY_ID}`,
    `gck_${KEY_ID}_`,
    `gck_${KEY_ID}_${'A'.repeat(64)}`,
    `gck_${KEY_ID}_${'a'.repeat(63)}`,
    `gck_${KEY_ID}_${'a'.repeat(64)}_x`,
    `xyz_${KEY_ID}_${'a'.repeat(64)}`,
    `gck_a#b_${'a'.repeat(64)}`,
  ])('refuses the malformed key %j before any lookup', (k) => {
    expect(parseApiKey(k)).toBeNull();
  });

  it('authenticate: resolves the workspace by hash, names the agent or the key as actor', async () => {
    const key = generateApiKey(KEY_ID);
    const store = {
      findApiKeyByHash: async (hash: string) => (hash === key.hash ? { workspaceId: 'W1', keyId: KEY_ID } : null),
    };
    const agents = { getAgent: async () => null };
    const authenticate = (authorization: string | undefined, agent: string | undefined) =>
      authenticateWith({ admin: store, agents }, { authorization, 'x-agent-id': agent });
    await expect(authenticate(`Bearer ${key.apiKey}`, undefined)).resolves.toEqual({
      workspaceId: 'W1',
      kind: 'key',
      keyId: KEY_ID,
      role: 'integration',
      // A key stored before scopes existed keeps every scope.
      scopes: [...SCOPES],
      actor: { kind: 'integration', keyId: KEY_ID },
    });
    await expect(authenticate(`bearer ${key.apiKey}`, 'agent@acme')).resolves.toMatchObject({
      actor: { kind: 'agent', id: 'agent@acme' },
    });
    await expect(authenticate(`Bearer ${key.apiKey}`, 'no spaces')).rejects.toBeInstanceOf(ValidationError);
    await expect(authenticate(undefined, undefined)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(authenticate(`Basic ${key.apiKey}`, undefined)).rejects.toBeInstanceOf(UnauthorizedError);
    const other = generateApiKey(KEY_ID);
    await expect(authenticate(`Bearer ${other.apiKey}`, undefined)).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
