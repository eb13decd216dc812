/**
 * The API's side of ending live connections: after a key is revoked or an agent removed or re-roled, their
 * WebSocket connections close (core/live-revocation.ts). A failure to close is logged, never fatal: the
 * revocation itself has happened, and the connection's own TTL still ends it.
 */
import { closeConnectionsOf, type LiveRevocation } from '#core/live-revocation.ts';
import type { ApiDeps } from '../deps.ts';

export async function closeLiveConnections(deps: ApiDeps, workspaceId: string, who: LiveRevocation): Promise<void> {
  if (!deps.live) return;
  try {
    await closeConnectionsOf(deps.live, workspaceId, who);
  } catch (e) {
    deps.log?.warn('closing live connections failed', { workspaceId, ...who, error: String(e) });
  }
}
