import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AgentTokenVerifier, createAgentTokenVerifier } from '#auth/agent-token.ts';
import { authenticate, authenticateAgentToken, requireScope } from '#auth/authenticate.ts';
import { ROLE_SCOPES } from '#core/access.ts';
import type { AgentProfile } from '#core/agents.ts';
import { ForbiddenError, UnauthorizedError, ValidationError } from '#core/errors.ts';

const ISSUER = 'http://127.0.0.1:9999/local_pool';
const CLIENT = 'client-1';
const AGENT = '7d0f7b1e-0000-4000-8000-000000000001';

let sign: (claims: JWTPayload, opts?: { issuer?: string; exp?: string; key?: 'other' }) => Promise<string>;
let verify: AgentTokenVerifier;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  verify = createAgentTokenVerifier({ issuer: ISSUER, clientIds: [CLIENT] }, createLocalJWKSet({ keys: [jwk] }));
  sign = (claims, opts = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(opts.issuer ?? ISSUER)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? '1h')
      .sign(opts.key === 'other' ? other.privateKey : privateKey);
});

const idToken = (groups: string[], extra: JWTPayload = {}) =>
  sign({
    sub: AGENT,
    token_use: 'id',
    aud: CLIENT,
    email: 'ana@acme.test',
    name: 'Ana Silva',
    'cognito:groups': groups,
    ...extra,
  });

const profile = (workspaceId: string, role: AgentProfile['role']): AgentProfile => ({
  workspaceId,
  agentId: AGENT,
  email: 'ana@acme.test',
  name: 'Ana Silva',
  role,
  createdAt: '2026-11-30T00:00:00.000Z',
});

const deps = (profiles: AgentProfile[]) => ({
  admin: { findApiKeyByHash: async () => null },
  agents: {
    getAgent: async (ws: string, id: string) => profiles.find((p) => p.workspaceId === ws && p.agentId === id) ?? null,
  },
  verifyAgentToken: verify,
});

describe('agent tokens', () => {
  it('verify an ID token or an access token of our client, naming the workspaces of the ws_ groups', async () => {
    await expect(verify(await idToken(['ws_W1', 'other', 'ws_W2']))).resolves.toEqual({
      agentId: AGENT,
      email: 'ana@acme.test',
      name: 'Ana Silva',
      workspaceIds: ['W1', 'W2'],
    });
    const access = await sign({ sub: AGENT, token_use: 'access', client_id: CLIENT, 'cognito:groups': ['ws_W1'] });
    await expect(verify(access)).resolves.toMatchObject({ agentId: AGENT, workspaceIds: ['W1'] });
  });

  it.each([
    ['another client', () => sign({ sub: AGENT, token_use: 'id', aud: 'other-client' })],
    ['an access token of another client', () => sign({ sub: AGENT, token_use: 'access', client_id: 'x' })],
    ['no token_use', () => sign({ sub: AGENT, aud: CLIENT })],
    ['another issuer', () => sign({ sub: AGENT, token_use: 'id', aud: CLIENT }, { issuer: 'http://evil/pool' })],
    ['another signing key', () => sign({ sub: AGENT, token_use: 'id', aud: CLIENT }, { key: 'other' })],
    ['an expired token', () => sign({ sub: AGENT, token_use: 'id', aud: CLIENT }, { exp: '-1m' })],
    ['a sub with separators', () => sign({ sub: 'a#b c', token_use: 'id', aud: CLIENT })],
    ['garbage', async () => 'not.a.jwt'],
    ['a huge token', async () => 'x'.repeat(10_000)],
  ])('refuse %s with 401', async (_name, make) => {
    await expect(verify(await make())).rejects.toBeInstanceOf(UnauthorizedError);
  });
});

describe('authenticate an agent', () => {
  it('acts as the signed-in agent, with the role of its profile in the workspace', async () => {
    const token = await idToken(['ws_W1']);
    const p = await authenticate(deps([profile('W1', 'readonly')]), { authorization: `Bearer ${token}` });
    expect(p).toEqual({
      workspaceId: 'W1',
      kind: 'agent',
      agentId: AGENT,
      role: 'readonly',
      scopes: ROLE_SCOPES.readonly,
      actor: { kind: 'agent', id: AGENT, name: 'Ana Silva' },
    });
    expect(() => requireScope(p, 'threads:read')).not.toThrow();
    expect(() => requireScope(p, 'threads:write')).toThrow(ForbiddenError);
  });

  it('cannot act as another agent through X-Agent-Id (403); repeating its own id is fine', async () => {
    const token = await idToken(['ws_W1']);
    const d = deps([profile('W1', 'agent')]);
    await expect(
      authenticate(d, { authorization: `Bearer ${token}`, 'x-agent-id': 'someone-else' }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authenticate(d, { authorization: `Bearer ${token}`, 'x-agent-id': AGENT })).resolves.toMatchObject({
      actor: { kind: 'agent', id: AGENT },
    });
  });

  it('needs X-Workspace-Id when the agent has several workspaces, and membership of the one named', async () => {
    const token = await idToken(['ws_W1', 'ws_W2']);
    const d = deps([profile('W1', 'agent'), profile('W2', 'admin'), profile('W3', 'admin')]);
    await expect(authenticateAgentToken(d, token)).rejects.toBeInstanceOf(ValidationError);
    await expect(authenticateAgentToken(d, token, 'W2')).resolves.toMatchObject({ workspaceId: 'W2', role: 'admin' });
    // A profile in W3 is not enough: the user pool group is the membership.
    await expect(authenticateAgentToken(d, token, 'W3')).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authenticateAgentToken(d, token, 'W#1')).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a member without a profile (403), and any token when no pool is configured (401)', async () => {
    const token = await idToken(['ws_W1']);
    await expect(authenticateAgentToken(deps([]), token)).rejects.toBeInstanceOf(ForbiddenError);
    const keysOnly = { agents: deps([]).agents };
    await expect(authenticateAgentToken(keysOnly, token)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(authenticate(deps([]), {})).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
