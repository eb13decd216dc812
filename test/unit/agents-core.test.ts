import { describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { ADMIN_SCOPES, keyScopes, ROLE_SCOPES, SCOPES } from '#core/access.ts';
import { colourOf, initialsOf } from '#core/agents.ts';
import { isUnread } from '#core/drafts.ts';
import { loadConfig } from '#functions/config.ts';

describe('roles and scopes', () => {
  it('admin holds every scope; agent the reads and the thread and customer writes; readonly the reads', () => {
    expect([...ROLE_SCOPES.admin].sort()).toEqual([...SCOPES].sort());
    expect([...ROLE_SCOPES.agent].sort()).toEqual(
      ['threads:read', 'threads:write', 'customers:read', 'customers:write', 'templates:read', 'agents:read'].sort(),
    );
    expect(ROLE_SCOPES.readonly.every((s) => s.endsWith(':read'))).toBe(true);
    for (const s of ADMIN_SCOPES) {
      expect(ROLE_SCOPES.agent).not.toContain(s);
      expect(ROLE_SCOPES.readonly).not.toContain(s);
    }
  });

  it('a stored key without scopes keeps every scope; unknown scope names are dropped', () => {
    expect(keyScopes(undefined)).toEqual([...SCOPES]);
    expect(keyScopes(['threads:read', 'root', 'keys:manage'])).toEqual(['threads:read', 'keys:manage']);
    expect(keyScopes([])).toEqual([]);
  });
});

describe('avatars', () => {
  it.each([
    ['Ana Silva', 'ana@x', 'AS'],
    ['ana maria da silva', 'ana@x', 'AS'],
    ['Bo', 'bo@x', 'B'],
    ['  ', 'zed@x', 'Z'],
    ['Émile Zola', 'e@x', 'ÉZ'],
    ['李 小龍', 'l@x', '李小'],
    ['', '', '?'],
  ])('%j (%s) → %s', (name, email, initials) => {
    expect(initialsOf(name, email)).toBe(initials);
  });

  it('gives each agent a stable colour from a fixed palette', () => {
    expect(colourOf('a')).toBe(colourOf('a'));
    const colours = new Set(Array.from({ length: 200 }, (_, i) => colourOf(`agent-${i}`)));
    expect(colours.size).toBe(12);
    for (const c of colours) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe('unread', () => {
  it('is a message newer than the last one the agent saw', () => {
    expect(isUnread('2026-11-30T10:00:00.000Z', undefined)).toBe(true);
    expect(isUnread('2026-11-30T10:00:00.000Z', '2026-11-30T10:00:00.000Z')).toBe(false);
    expect(isUnread('2026-11-30T10:00:01.000Z', '2026-11-30T10:00:00.000Z')).toBe(true);
    expect(isUnread(undefined, undefined)).toBe(false);
  });
});

describe('agent keys', () => {
  it('keep drafts, presence and read markers in the thread partition, under their own prefixes', () => {
    const thread = keys.threadPartition('w1', 't1');
    expect(keys.draft('w1', 't1', 'd1')).toEqual({ PK: thread, SK: 'DRAFT#d1' });
    expect(keys.presence('w1', 't1', 'a1')).toEqual({ PK: thread, SK: 'PRESENCE#a1' });
    expect(keys.readMarker('w1', 't1', 'a1')).toEqual({ PK: thread, SK: 'READ#a1' });
    expect(keys.agent('w1', 'a1')).toEqual({ PK: 'WS#w1', SK: 'AGENT#a1' });
    // None of them is read as a feed item.
    for (const sk of ['DRAFT#d1', 'PRESENCE#a1', 'READ#a1']) expect(sk.startsWith(keys.feedPrefix())).toBe(false);
  });
});

describe('agent pool configuration', () => {
  const base = { TABLE_NAME: 't', MAIL_BUCKET: 'b' };
  it('is optional, and needs the client ids with the issuer', () => {
    expect(loadConfig(base).agentPool).toBeUndefined();
    expect(
      loadConfig({
        ...base,
        AGENT_POOL_ISSUER: 'https://cognito-idp.eu-west-1.example/p',
        AGENT_POOL_CLIENT_IDS: 'a, b',
      }).agentPool,
    ).toEqual({ issuer: 'https://cognito-idp.eu-west-1.example/p', clientIds: ['a', 'b'] });
    expect(() => loadConfig({ ...base, AGENT_POOL_ISSUER: 'https://x' })).toThrow(/AGENT_POOL_CLIENT_IDS/);
  });
});
