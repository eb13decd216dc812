/**
 * Authentication of every API request (and of the WebSocket's connections): who calls, for which
 * workspace, with which scopes. Two kinds of caller:
 * - an **agent**, with a user pool token (agent-token.ts). The agent acts in one of the workspaces of its
 *   groups (`X-Workspace-Id` picks one when there are several) with the role of its profile there; the
 *   feed's actor is always that agent: `X-Agent-Id` cannot make a token act as someone else;
 * - an **integration key** (`gck_…`), with the scopes it was created with; `X-Agent-Id` names the agent
 *   that the integration acts for, and needs the key to hold `agents:act` (403 otherwise).
 */
import { keyScopes, ROLE_SCOPES, type Role, type Scope } from '#core/access.ts';
import type { AgentProfile } from '#core/agents.ts';
import { hashApiKey, parseApiKey } from '#core/api-keys.ts';
import { ForbiddenError, UnauthorizedError, ValidationError } from '#core/errors.ts';
import { AGENT_ID_PATTERN, ID_PATTERN } from '#core/ids.ts';
import type { Actor } from '#core/model.ts';
import type { EndUser } from '#core/widget-identity.ts';
import type { AgentTokenVerifier } from './agent-token.ts';

/** The authenticated caller of one request. */
export interface Principal {
  workspaceId: string;
  /** `endUser`: a customer's contact in the widget, with a widget token (end-user.ts); no scope at all. */
  kind: 'agent' | 'key' | 'endUser' | 'public';
  /** For an agent: its id (the token's `sub`). */
  agentId?: string;
  /** For a key: its id. */
  keyId?: string;
  /** An agent's role in the workspace; `integration` for a key. */
  role: Role | 'integration' | 'endUser' | 'public';
  scopes: readonly Scope[];
  /** Who the feed records. */
  actor: Actor;
  /** The end user that a widget token names: their contact and the customers whose threads they see. */
  endUser?: EndUser;
}

export interface AuthDeps {
  admin: { findApiKeyByHash(hash: string): Promise<{ workspaceId: string; keyId: string; scopes?: unknown } | null> };
  agents: { getAgent(workspaceId: string, agentId: string): Promise<AgentProfile | null> };
  /** Absent when no user pool is configured: then only keys are accepted. */
  verifyAgentToken?: AgentTokenVerifier;
}

/** Lower-case header names, as the router passes them. */
export type Headers = Record<string, string | undefined>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The principal of a request, from its `Authorization`, `X-Workspace-Id` and `X-Agent-Id` headers. */
export async function authenticate(deps: AuthDeps, headers: Headers): Promise<Principal> {
  const presented = BEARER.exec(headers.authorization ?? '')?.[1];
  if (!presented) throw new UnauthorizedError('missing credentials: Authorization: Bearer <API key or agent token>');
  if (presented.startsWith('gck_')) return authenticateKey(deps, presented, headers['x-agent-id']);
  const principal = await authenticateAgentToken(deps, presented, headers['x-workspace-id']);
  const named = headers['x-agent-id'];
  if (named !== undefined && named !== principal.agentId)
    throw new ForbiddenError('an agent token acts for its own agent only: X-Agent-Id names someone else');
  return principal;
}

/** An integration key's principal; `agentHeader` (X-Agent-Id) names the agent it acts for. */
export async function authenticateKey(
  deps: Pick<AuthDeps, 'admin'>,
  presented: string,
  agentHeader?: string,
): Promise<Principal> {
  const parsed = parseApiKey(presented);
  if (!parsed) throw new UnauthorizedError('missing or malformed API key');
  const found = await deps.admin.findApiKeyByHash(hashApiKey(presented));
  if (!found || found.keyId !== parsed.keyId) throw new UnauthorizedError('unknown or revoked API key');
  let actor: Actor = { kind: 'integration', keyId: found.keyId };
  const scopes = keyScopes(found.scopes);
  if (agentHeader !== undefined) {
    if (!AGENT_ID_PATTERN.test(agentHeader))
      throw new ValidationError('X-Agent-Id must be 1-128 of [A-Za-z0-9_.@:+-]', { header: 'X-Agent-Id' });
    // Acting as an agent reaches their private drafts, presence and read state: a scope of its own.
    if (!scopes.includes('agents:act'))
      throw new ForbiddenError('X-Agent-Id needs a key with the scope agents:act', { scope: 'agents:act' });
    actor = { kind: 'agent', id: agentHeader };
  }
  return {
    workspaceId: found.workspaceId,
    kind: 'key',
    keyId: found.keyId,
    role: 'integration',
    scopes,
    actor,
  };
}

/**
 * An agent's principal from a bare token (the WebSocket calls this with the token of its connection
 * request). `workspaceId` is required when the agent belongs to several workspaces.
 */
export async function authenticateAgentToken(
  deps: Pick<AuthDeps, 'agents' | 'verifyAgentToken'>,
  token: string,
  workspaceId?: string,
): Promise<Principal> {
  if (!deps.verifyAgentToken) throw new UnauthorizedError('agent sign-in is not configured: use an API key');
  const identity = await deps.verifyAgentToken(token);
  let chosen = workspaceId;
  if (chosen === undefined) {
    if (identity.workspaceIds.length !== 1)
      throw new ValidationError(
        identity.workspaceIds.length === 0
          ? 'this agent belongs to no workspace'
          : 'this agent belongs to several workspaces: name one with X-Workspace-Id',
        { header: 'X-Workspace-Id', workspaces: identity.workspaceIds.slice(0, 50) },
      );
    chosen = identity.workspaceIds[0];
  } else if (!ID_PATTERN.test(chosen)) {
    throw new ValidationError('X-Workspace-Id must be a workspace id', { header: 'X-Workspace-Id' });
  }
  if (!identity.workspaceIds.includes(chosen)) throw new ForbiddenError('this agent is not a member of that workspace');
  const profile = await deps.agents.getAgent(chosen, identity.agentId);
  if (!profile) throw new ForbiddenError('this agent has no profile in that workspace (gochat agent create)');
  return {
    workspaceId: chosen,
    kind: 'agent',
    agentId: identity.agentId,
    role: profile.role,
    scopes: ROLE_SCOPES[profile.role],
    actor: { kind: 'agent', id: identity.agentId, name: profile.name },
  };
}

/** Throws 403 unless the principal holds `scope`. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.includes(scope))
    throw new ForbiddenError(
      `this ${principal.kind === 'agent' ? `${principal.role} agent` : principal.kind} lacks the scope ${scope}`,
      {
        scope,
      },
    );
}
