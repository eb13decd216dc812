/**
 * The live-updates WebSocket route handler as a factory over its ports (API Gateway WebSocket
 * `$connect`, `$disconnect`, `$default`): functions/live.ts binds it to AWS clients, and the local `ws`
 * server (lib/local/live-server.ts) calls that entry file's handler with the same events. The fan-out
 * is in live-fanout-handler.ts, apart, so that its bundle carries no authentication code.
 */
import { type AuthDeps, authenticate, requireScope } from '#auth/authenticate.ts';
import { UnauthorizedError, ValidationError } from '#core/errors.ts';
import { answerFrame, type ConnectionStore, type LiveCaller, openConnection } from '#core/live.ts';
import type { Clock } from '#core/ports.ts';
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
    };
  };
}

export const LIVE_SUBPROTOCOL = 'gochat.v1';
const BEARER_SUBPROTOCOL = 'gochat.bearer.';
const MAX_TOKEN_BYTES = 8192;
const WORKSPACE_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** The token and the subprotocol to answer with, from the handshake's headers (docs/live.md). */
export function handshakeOf(
  headers: Record<string, string | undefined> | null | undefined,
  query: Record<string, string | undefined> | null | undefined,
): { token: string; protocol?: string; workspaceId?: string } {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') h[k.toLowerCase()] = v;
  const offered = (h['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const bearers = offered.filter((p) => p.startsWith(BEARER_SUBPROTOCOL));
  if (offered.length > 0 && !offered.includes(LIVE_SUBPROTOCOL))
    throw new ValidationError(`the subprotocol ${LIVE_SUBPROTOCOL} is required when subprotocols are offered`);
  const header = h.authorization;
  if (bearers.length + (header !== undefined ? 1 : 0) > 1)
    throw new ValidationError('give the token once: in Authorization or in one gochat.bearer.<token> subprotocol');
  let token: string | undefined;
  if (bearers.length === 1) token = bearers[0].slice(BEARER_SUBPROTOCOL.length);
  else if (header !== undefined) token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token || token.length > MAX_TOKEN_BYTES) throw new UnauthorizedError('missing or malformed token');
  const workspaceId = query?.workspaceId;
  if (workspaceId !== undefined && !WORKSPACE_ID.test(workspaceId))
    throw new ValidationError('workspaceId must be an id', { query: 'workspaceId' });
  return {
    token,
    ...(offered.length > 0 ? { protocol: LIVE_SUBPROTOCOL } : {}),
    ...(workspaceId ? { workspaceId } : {}),
  };
}

const json = (statusCode: number, body: unknown, headers?: Record<string, string>): WebSocketRouteResult => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export function createLiveSocketHandler(
  deps: { connections: ConnectionStore; authenticate: LiveAuthenticator; clock: Clock },
  logger?: ErrorLogger,
) {
  return async (event: WebSocketRouteEvent): Promise<WebSocketRouteResult> => {
    const { routeKey, connectionId } = event.requestContext;
    try {
      if (!CONNECTION_ID.test(connectionId ?? '')) throw new ValidationError('malformed connection id');
      if (routeKey === '$connect') {
        const handshake = handshakeOf(event.headers, event.queryStringParameters);
        const caller = await deps.authenticate(handshake.token, handshake.workspaceId);
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
