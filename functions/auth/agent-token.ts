/**
 * Verifies an agent's token: a Cognito user pool JWT (ID or access token), checked with jose against the
 * pool's JWKS. jose rather than aws-jwt-verify: the latter refuses cognito-local's `local_…` pool id and
 * its `http:` JWKS URL, and the code that runs locally must be the code that deploys.
 *
 * Workspaces come from the user pool's groups: membership of `ws_<workspaceId>` makes the user an agent
 * of that workspace (the role and the profile live in the table, see authenticate.ts).
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { UnauthorizedError } from '#core/errors.ts';

/** The prefix of a user pool group that names a workspace. Cognito group names allow `_`. */
export const WORKSPACE_GROUP_PREFIX = 'ws_';
export const workspaceGroupName = (workspaceId: string) => `${WORKSPACE_GROUP_PREFIX}${workspaceId}`;

export interface AgentPoolConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or cognito-local's `http://<host>:<port>/<poolId>`. */
  issuer: string;
  /** The app clients whose tokens are accepted (`aud` of an ID token, `client_id` of an access token). */
  clientIds: string[];
  /** Defaults to `<issuer>/.well-known/jwks.json`. */
  jwksUrl?: string;
}

/** What a verified token says about its agent. */
export interface AgentIdentity {
  /** The user's `sub`: stable, never reused; the agent id everywhere in Go!Chat. */
  agentId: string;
  email?: string;
  name?: string;
  /** The workspaces of the user's `ws_<id>` groups. */
  workspaceIds: string[];
}

export type AgentTokenVerifier = (token: string) => Promise<AgentIdentity>;

/** Tokens are small; anything longer is refused before it is parsed. */
const MAX_TOKEN_BYTES = 8192;
const SUB = /^[\w.@:+-]{1,128}$/;

const str = (v: unknown, max: number) => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined);

/** The identity in a verified payload, or an UnauthorizedError when the token is not one of ours. */
export function identityOf(payload: JWTPayload, clientIds: readonly string[]): AgentIdentity {
  const use = payload.token_use;
  const client = use === 'id' ? payload.aud : use === 'access' ? payload.client_id : undefined;
  const clients = Array.isArray(client) ? client : [client];
  if (!clients.some((c) => typeof c === 'string' && clientIds.includes(c)))
    throw new UnauthorizedError('the token was not issued to a Go!Chat client');
  if (typeof payload.sub !== 'string' || !SUB.test(payload.sub))
    throw new UnauthorizedError('the token has no valid sub');
  const groups = Array.isArray(payload['cognito:groups']) ? payload['cognito:groups'] : [];
  const workspaceIds = groups
    .filter((g): g is string => typeof g === 'string' && g.startsWith(WORKSPACE_GROUP_PREFIX))
    .map((g) => g.slice(WORKSPACE_GROUP_PREFIX.length))
    .filter((id) => /^[0-9A-Za-z_-]{1,64}$/.test(id));
  const email = str(payload.email, 254);
  const name = str(payload.name, 200);
  return { agentId: payload.sub, workspaceIds, ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

/**
 * A verifier for one user pool. The JWKS is fetched once and cached by jose (refetched when a token names
 * an unknown key), so a warm container verifies a token without a network call.
 */
export function createAgentTokenVerifier(config: AgentPoolConfig, keySet?: JWTVerifyGetKey): AgentTokenVerifier {
  const issuer = config.issuer.replace(/\/+$/, '');
  const jwks = keySet ?? createRemoteJWKSet(new URL(config.jwksUrl ?? `${issuer}/.well-known/jwks.json`));
  return async (token) => {
    if (!token || Buffer.byteLength(token) > MAX_TOKEN_BYTES) throw new UnauthorizedError('malformed agent token');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new UnauthorizedError('the agent token has expired');
      if (e instanceof joseErrors.JOSEError) throw new UnauthorizedError('invalid agent token');
      throw e;
    }
    return identityOf(payload, config.clientIds);
  };
}
