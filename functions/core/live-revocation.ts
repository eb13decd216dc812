/**
 * Ending the live connections of a caller that lost its access: a revoked key, a removed agent, an agent
 * whose role changed. A WebSocket authenticates once, at `$connect`, and would otherwise keep receiving
 * the workspace's thread ids for the rest of its 2 hours.
 */
import type { ConnectionStore, LiveConnection } from './live.ts';

/** Ends a connection at the gateway: API Gateway's DeleteConnection, or the local ws server's. */
export interface ConnectionCloser {
  close(connectionId: string): Promise<void>;
}

/** Whose connections end: the connections a key opened, or those that act as an agent. */
export type LiveRevocation = { keyId: string } | { agentId: string };

const matches = (c: LiveConnection, who: LiveRevocation) =>
  'keyId' in who
    ? c.keyId === who.keyId || (c.actor.kind === 'integration' && c.actor.keyId === who.keyId)
    : c.actor.kind === 'agent' && c.actor.id === who.agentId;

/**
 * Closes every connection of `who` in the workspace and forgets it, so the fan-out stops at once even
 * before the gateway's `$disconnect` arrives. Returns how many it closed.
 */
export async function closeConnectionsOf(
  deps: { connections: ConnectionStore; closer: ConnectionCloser },
  workspaceId: string,
  who: LiveRevocation,
): Promise<number> {
  const doomed = (await deps.connections.connectionsOf(workspaceId)).filter((c) => matches(c, who));
  for (const c of doomed) {
    await deps.closer.close(c.connectionId);
    await deps.connections.removeConnection(c.connectionId);
  }
  return doomed.length;
}
