/**
 * The widget's callers: an end user with a widget token (X-Widget-Token: never an API key, an agent's
 * token, a URL or a cookie), within the rate limits per end user and per workspace; and the public
 * routes (the session exchange and the frame document), which name no one.
 */
import { NotFoundError, RateLimitedError, UnauthorizedError } from '#core/errors.ts';
import type { Clock } from '#core/ports.ts';
import {
  END_USER_TOKEN_REFUSED,
  keySetFingerprint,
  type WidgetSettings,
  type WidgetTokens,
} from '#core/widget-identity.ts';
import type { Principal } from './authenticate.ts';

/**
 * Requests per minute on the widget routes, unless the deployment sets others; session attempts per source
 * address (counted before any token is checked, apart from every workspace); uploads per day per end user
 * and per workspace.
 */
export const DEFAULT_RATE_LIMITS = {
  perEndUser: 120,
  perWorkspace: 6000,
  sessionsPerSourceAddress: 30,
  uploadsPerEndUserPerDay: 200,
  uploadsPerWorkspacePerDay: 20_000,
};

export type RateLimits = Partial<typeof DEFAULT_RATE_LIMITS>;
export const limitsOf = (chat: { rateLimits?: RateLimits }) => ({ ...DEFAULT_RATE_LIMITS, ...chat.rateLimits });

/** Counts one request in a fixed window of `windowSeconds`; false past `limit` (the chat store). */
export interface RateLimitCounter {
  hit(workspaceId: string, scope: string, limit: number, windowSeconds: number, now: Date): Promise<boolean>;
}

/** What the widget's callers are checked with; the API's dependencies fit as they are. */
export interface EndUserAuthDeps {
  clock: Clock;
  /** Absent when chat and the widget are not enabled here: their routes answer 404. */
  chat?: {
    store: RateLimitCounter & { getWidgetSettings(workspaceId: string): Promise<WidgetSettings> };
    widgetTokens(): Promise<WidgetTokens>;
    rateLimits?: RateLimits;
  };
}

/** How long a container trusts what it read of a workspace's widget settings (on, and which host keys). */
export const WIDGET_SETTINGS_CACHE_MS = 60_000;
const settingsCache = new Map<string, { until: number; enabled: boolean; keySet: string }>();

/**
 * Whether the widget is still on with the host key set that the widget token was issued under: a token
 * dies within 60 s of the admin turning the widget off or changing its keys, not 15 minutes later.
 */
async function stillValid(
  deps: EndUserAuthDeps,
  workspaceId: string,
  keySet: string | undefined,
  at: Date,
): Promise<boolean> {
  const now = at.getTime();
  let entry = settingsCache.get(workspaceId);
  if (!entry || entry.until <= now) {
    const settings = await widgetEnabled(deps).store.getWidgetSettings(workspaceId);
    entry = { until: now + WIDGET_SETTINGS_CACHE_MS, enabled: settings.enabled, keySet: keySetFingerprint(settings) };
    settingsCache.delete(workspaceId);
    settingsCache.set(workspaceId, entry);
    // Bounded: the oldest entry goes first.
    if (settingsCache.size > 1000) settingsCache.delete(settingsCache.keys().next().value as string);
  }
  return entry.enabled && keySet !== undefined && entry.keySet === keySet;
}

/** The chat dependencies, or a 404 when chat and the widget are not enabled here. */
export function widgetEnabled<C>(deps: { chat?: C }): C {
  if (!deps.chat) throw new NotFoundError('chat and the widget are not enabled here');
  return deps.chat;
}

/** Counts one request of `scope` in the current minute; 429 past the limit. */
export async function rateLimit(
  deps: EndUserAuthDeps,
  workspaceId: string,
  scope: string,
  perMinute: number,
  now: Date = deps.clock.now(),
) {
  const ok = await widgetEnabled(deps).store.hit(workspaceId, scope, perMinute, 60, now);
  if (!ok) throw new RateLimitedError('too many requests: try again in a minute', { scope: scope.split(':')[0] });
}

/** The end user of a valid widget token (compared in constant time by WidgetTokens.verify). */
export async function authenticateEndUser(deps: EndUserAuthDeps, token: string | undefined): Promise<Principal> {
  const chat = widgetEnabled(deps);
  const now = deps.clock.now();
  const endUser = (await chat.widgetTokens()).verify(token, now);
  if (!(await stillValid(deps, endUser.workspaceId, endUser.keySet, now)))
    throw new UnauthorizedError('widget token no longer valid: open a new session');
  const limits = limitsOf(chat);
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

/**
 * Counts one anonymous attempt (a widget session) from `sourceAddress`, in a bucket of no workspace; 429
 * past the limit. Runs before any token is checked, so junk costs the sender, not a workspace.
 */
export async function rateLimitAnonymous(
  deps: EndUserAuthDeps & {
    chat?: { store: { hitAnonymous(b: string, l: number, w: number, n: Date): Promise<boolean> } };
  },
  sourceAddress: string,
  now: Date = deps.clock.now(),
) {
  const chat = widgetEnabled(deps);
  const ok = await chat.store.hitAnonymous(
    `session:${sourceAddress}`,
    limitsOf(chat).sessionsPerSourceAddress,
    60,
    now,
  );
  if (!ok) throw new RateLimitedError('too many requests: try again in a minute', { scope: 'session' });
}

export { END_USER_TOKEN_REFUSED };

/** The caller of a public widget route: no workspace, no scope, nothing to act as. */
export const PUBLIC_PRINCIPAL: Principal = {
  workspaceId: '',
  kind: 'public',
  role: 'public',
  scopes: [],
  actor: { kind: 'system', id: 'ingest' },
};
