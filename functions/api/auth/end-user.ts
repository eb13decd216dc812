/**
 * The widget's callers: an end user with a widget token (X-Widget-Token: never an API key, an agent's
 * token, a URL or a cookie), within the rate limits per end user and per workspace; and the public
 * routes (the session exchange and the frame document), which name no one.
 */
import { RateLimitedError } from '../../adapters/http-errors.ts';
import type { ApiDeps } from '../deps.ts';
import { chatDeps } from '../use-cases/widget.ts';
import type { Principal } from './authenticate.ts';

/** Requests per minute on the widget routes, unless the deployment sets others. */
export const DEFAULT_RATE_LIMITS = { perEndUser: 120, perWorkspace: 6000 };

/** Counts one request of `scope` in the current minute; 429 past the limit. */
export async function rateLimit(deps: ApiDeps, workspaceId: string, scope: string, perMinute: number) {
  const ok = await chatDeps(deps).store.hit(workspaceId, scope, perMinute, 60, deps.clock.now());
  if (!ok) throw new RateLimitedError('too many requests: try again in a minute', { scope: scope.split(':')[0] });
}

/** The end user of a valid widget token (compared in constant time by WidgetTokens.verify). */
export async function authenticateEndUser(deps: ApiDeps, token: string | undefined): Promise<Principal> {
  const chat = chatDeps(deps);
  const endUser = (await chat.widgetTokens()).verify(token, deps.clock.now());
  const limits = chat.rateLimits ?? DEFAULT_RATE_LIMITS;
  await rateLimit(deps, endUser.workspaceId, `user:${endUser.contactId}`, limits.perEndUser);
  await rateLimit(deps, endUser.workspaceId, 'workspace', limits.perWorkspace);
  return {
    workspaceId: endUser.workspaceId,
    kind: 'endUser',
    role: 'endUser',
    scopes: [],
    actor: { kind: 'customer', contactId: endUser.contactId },
    endUser,
  };
}

/** The caller of a public widget route: no workspace, no scope, nothing to act as. */
export const PUBLIC_PRINCIPAL: Principal = {
  workspaceId: '',
  kind: 'public',
  role: 'public',
  scopes: [],
  actor: { kind: 'system', id: 'ingest' },
};
