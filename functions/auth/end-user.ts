/**
 * The widget's callers: an end user with a widget token (X-Widget-Token: never an API key, an agent's
 * token, a URL or a cookie), within the rate limits per end user and per workspace; and the public
 * routes (the session exchange and the frame document), which name no one.
 */
import { NotFoundError, RateLimitedError } from '#core/errors.ts';
import type { Clock } from '#core/ports.ts';
import type { WidgetTokens } from '#core/widget-identity.ts';
import type { Principal } from './authenticate.ts';

/** Requests per minute on the widget routes, unless the deployment sets others. */
export const DEFAULT_RATE_LIMITS = { perEndUser: 120, perWorkspace: 6000 };

export type RateLimits = typeof DEFAULT_RATE_LIMITS;

/** Counts one request in a fixed window of `windowSeconds`; false past `limit` (the chat store). */
export interface RateLimitCounter {
  hit(workspaceId: string, scope: string, limit: number, windowSeconds: number, now: Date): Promise<boolean>;
}

/** What the widget's callers are checked with; the API's dependencies fit as they are. */
export interface EndUserAuthDeps {
  clock: Clock;
  /** Absent when chat and the widget are not enabled here: their routes answer 404. */
  chat?: { store: RateLimitCounter; widgetTokens(): Promise<WidgetTokens>; rateLimits?: RateLimits };
}

/** The chat dependencies, or a 404 when chat and the widget are not enabled here. */
export function widgetEnabled<C>(deps: { chat?: C }): C {
  if (!deps.chat) throw new NotFoundError('chat and the widget are not enabled here');
  return deps.chat;
}

/** Counts one request of `scope` in the current minute; 429 past the limit. */
export async function rateLimit(deps: EndUserAuthDeps, workspaceId: string, scope: string, perMinute: number) {
  const ok = await widgetEnabled(deps).store.hit(workspaceId, scope, perMinute, 60, deps.clock.now());
  if (!ok) throw new RateLimitedError('too many requests: try again in a minute', { scope: scope.split(':')[0] });
}

/** The end user of a valid widget token (compared in constant time by WidgetTokens.verify). */
export async function authenticateEndUser(deps: EndUserAuthDeps, token: string | undefined): Promise<Principal> {
  const chat = widgetEnabled(deps);
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
