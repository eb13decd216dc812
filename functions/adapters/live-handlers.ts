/**
 * The live-updates WebSocket route handler as a factory over its ports (API Gateway WebSocket
 * `$connect`, `$disconnect`, `$default`): functions/live.ts binds it to AWS clients, and the local `ws`
 * server (lib/local/live-server.ts) calls that entry file's handler with the same events. The fan-out
 * is in live-fanout-handler.ts, apart, so that its bundle carries no authentication code.
 */
import { type AuthDeps, authenticate, requireScope } from '#auth/authenticate.ts';
import { authenticateEndUser, type EndUserAuthDeps } from '#auth/end-user.ts';
import { UnauthorizedError, ValidationError } from '#core/errors.ts';
import {
  answerFrame,
  type ConnectionStore,
  type LiveCaller,
  type LiveThreadAccess,
  openConnection,
  type TypingSignals,
} from '#core/live.ts';
import type { Clock } from '#core/ports.ts';
import { WIDGET_TOKEN_SECONDS } from '#core/widget-identity.ts';
import { CONNECTION_ID } from './dynamo/connection-store.ts';
import { type ErrorLogger, toHttpError } from './http-errors.ts';

/** The API Gateway WebSocket event, as much of it as the handler reads. */
export interface WebSocketRouteEvent {
  requestContext: { routeKey: string; connectionId: string; requestId?: string };
  headers?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface WebSocketRouteResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Verifies a token (the REST API's: an integration key or an agent's token) for a workspace. */
export type LiveAuthenticator = (token: string, workspaceId: string | undefined) => Promise<LiveCaller>;

/**
 * The REST API's authentication for a connection: an integration key or an agent's token (for the
 * workspace asked for, when the agent has several). Events name threads, so it takes `threads:read`.
 */
export function liveAuthenticator(deps: AuthDeps): LiveAuthenticator {
  return async (token, workspaceId) => {
    const principal = await authenticate(deps, {
      authorization: `Bearer ${token}`,
      ...(workspaceId ? { 'x-workspace-id': workspaceId } : {}),
    });
    requireScope(principal, 'threads:read');
    return {
      workspaceId: principal.workspaceId,
      actor: principal.actor,
      ...(principal.keyId ? { keyId: principal.keyId } : {}),
      ...(principal.scopes.includes('threads:write') ? { mayType: true } : {}),
    };
  };
}

/**
 * An end user's connection (the widget): the widget token, checked by the widget routes' own code (its
 * signature and expiry, the widget still on with the same host keys, the rate limits). The connection
 * lives no longer than the token.
 */
export function endUserLiveAuthenticator(deps: EndUserAuthDeps): LiveAuthenticator {
  return async (token) => {
    const principal = await authenticateEndUser(deps, token);
    const user = principal.endUser!;
    return {
      workspaceId: principal.workspaceId,
      actor: principal.actor,
      endUser: { customerIds: user.customerIds },
      mayType: true,
      expiresAt: new Date(deps.clock.now().getTime() + tokenSecondsLeft(token, deps.clock.now()) * 1000),
    };
  };
}

/** Seconds until a (verified) widget token expires: its `exp`, never more than a token's life. */
function tokenSecondsLeft(token: string, now: Date): number {
  try {
    const exp = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).exp;
    if (typeof exp === 'number') return Math.max(0, Math.min(WIDGET_TOKEN_SECONDS, exp - now.getTime() / 1000));
  } catch {
    // verified already: unreachable in practice
  }
  return WIDGET_TOKEN_SECONDS;
}
export const LIVE_SUBPROTOCOL = 'gochat.v1';
const BEARER_SUBPROTOCOL = 'gochat.bearer.';
/** An end user's widget token (the widget's X-Widget-Token), as a subprotocol. */
const WIDGET_SUBPROTOCOL = 'gochat.widget.';
const MAX_TOKEN_BYTES = 8192;
const WORKSPACE_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** The token and the subprotocol to answer with, from the handshake's headers (docs/live.md). */
export function handshakeOf(
  headers: Record<string, string | undefined> | null | undefined,
  query: Record<string, string | undefined> | null | undefined,
): { token: string; protocol?: string; workspaceId?: string; widget?: true } {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') h[k.toLowerCase()] = v;
  const offered = (h['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bearers = offered.filter((p) => p.startsWith(BEARER_SUBPROTOCOL) || p.startsWith(WIDGET_SUBPROTOCOL));
  if (offered.length > 0 && !offered.includes(LIVE_SUBPROTOCOL))
    throw new ValidationError(`the subprotocol ${LIVE_SUBPROTOCOL} is required when subprotocols are offered`);
  const header = h.authorization;
  if (bearers.length + (header !== undefined ? 1 : 0) > 1)
    throw new ValidationError(
      'give the token once: in Authorization or in one gochat.bearer.<token> or gochat.widget.<token> subprotocol',
    );
  let token: string | undefined;
  const widget = bearers.length === 1 && bearers[0].startsWith(WIDGET_SUBPROTOCOL);
  if (bearers.length === 1) token = bearers[0].slice((widget ? WIDGET_SUBPROTOCOL : BEARER_SUBPROTOCOL).length);
  else if (header !== undefined) token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token || token.length > MAX_TOKEN_BYTES) throw new UnauthorizedError('missing or malformed token');
  const workspaceId = query?.workspaceId;
  if (workspaceId !== undefined && !WORKSPACE_ID.test(workspaceId))
    throw new ValidationError('workspaceId must be an id', { query: 'workspaceId' });
  return {
    token,
    ...(offered.length > 0 ? { protocol: LIVE_SUBPROTOCOL } : {}),
    ...(workspaceId ? { workspaceId } : {}),
    ...(widget ? { widget: true as const } : {}),
  };
}

const json = (statusCode: number, body: unknown, headers?: Record<string, string>): WebSocketRouteResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export function createLiveSocketHandler(
  deps: {
    connections: ConnectionStore;
    authenticate: LiveAuthenticator;
    /** End users' widget tokens; without it, a widget token is refused (401). */
    authenticateEndUser?: LiveAuthenticator;
    threadAccess?: LiveThreadAccess;
    typing?: TypingSignals;
    clock: Clock;
  },
  logger?: ErrorLogger,
) {
  return async (event: WebSocketRouteEvent): Promise<WebSocketRouteResult> => {
    const { routeKey, connectionId } = event.requestContext;
    try {
      if (!CONNECTION_ID.test(connectionId ?? '')) throw new ValidationError('malformed connection id');
      if (routeKey === '$connect') {
        const handshake = handshakeOf(event.headers, event.queryStringParameters);
        const verify = handshake.widget ? deps.authenticateEndUser : deps.authenticate;
        if (!verify) throw new UnauthorizedError('widget tokens are not accepted here');
        const caller = await verify(handshake.token, handshake.workspaceId);
        await openConnection(deps, {
          connectionId,
          caller,
          ...(handshake.workspaceId ? { requestedWorkspaceId: handshake.workspaceId } : {}),
        });
        return {
          statusCode: 200,
          ...(handshake.protocol ? { headers: { 'Sec-WebSocket-Protocol': handshake.protocol } } : {}),
        };
      }
      if (routeKey === '$disconnect') {
        await deps.connections.removeConnection(connectionId);
        return { statusCode: 200 };
      }
      const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
      const answer = await answerFrame(deps, connectionId, raw);
      // A frame on a connection that is already gone: API Gateway drops the answer anyway.
      if (answer === 'gone') return json(410, { error: { code: 'gone', message: 'connection closed', details: null } });
      return json(200, answer);
    } catch (e) {
      const mapped = toHttpError(e, logger);
      return json(mapped.statusCode, mapped.body, mapped.headers);
    }
  };
}
