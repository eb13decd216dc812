/**
 * The notification use cases of the API: an agent's bell (list, count, mark read), their preferences,
 * and the workspace's defaults (admins). The rules themselves live in functions/core/notifications.
 */
import { NotFoundError } from '#core/errors.ts';
import {
  effectivePreferences,
  mergeRules,
  type NotificationEvent,
  type PreferencesPatch,
  parsePreferencesPatch,
} from '#core/notifications/rules.ts';
import type { Notification, NotificationStore } from '#core/notifications/store.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { actingAgent } from './agent-work.ts';

/** The bell counts up to this many unread; past it, it shows "99+". */
export const UNREAD_CAP = 99;

export function notificationStore(deps: ApiDeps): NotificationStore {
  if (!deps.notifications) throw new NotFoundError('notifications are not enabled');
  return deps.notifications;
}

export async function listNotifications(
  deps: ApiDeps,
  ctx: CallerContext,
  query: { limit: number; cursor?: string; unread?: boolean; event?: NotificationEvent },
) {
  const { agentId } = actingAgent(ctx);
  const store = notificationStore(deps);
  const page = await store.listNotifications(ctx.workspaceId, agentId, query);
  const unread = await store.countUnread(ctx.workspaceId, agentId, UNREAD_CAP);
  return { page, unreadCount: Math.min(unread, UNREAD_CAP), unreadMore: unread > UNREAD_CAP };
}

export async function markNotificationsRead(deps: ApiDeps, ctx: CallerContext, ids: string[]) {
  const { agentId } = actingAgent(ctx);
  const marked = await notificationStore(deps).markRead(ctx.workspaceId, agentId, ids, deps.clock.now().toISOString());
  return { marked };
}

export async function getPreferences(deps: ApiDeps, ctx: CallerContext) {
  const { agentId } = actingAgent(ctx);
  const store = notificationStore(deps);
  const [own, workspace] = await Promise.all([
    store.getAgentPreferences(ctx.workspaceId, agentId),
    store.getWorkspacePreferences(ctx.workspaceId),
  ]);
  return effectivePreferences(ctx.role, workspace, own);
}

/** Merges the change into the agent's own choices (what they did not touch keeps following the workspace). */
export async function updatePreferences(deps: ApiDeps, ctx: CallerContext, body: unknown) {
  const { agentId } = actingAgent(ctx);
  const patch = parsePreferencesPatch(body);
  const store = notificationStore(deps);
  const own = await store.getAgentPreferences(ctx.workspaceId, agentId);
  await store.putAgentPreferences(ctx.workspaceId, agentId, mergePatch(own, patch));
  return getPreferences(deps, ctx);
}

export async function getWorkspaceDefaults(deps: ApiDeps, ctx: CallerContext) {
  const workspace = await notificationStore(deps).getWorkspacePreferences(ctx.workspaceId);
  const prefs = effectivePreferences('agent', workspace, undefined);
  return { rules: prefs.rules, ...(workspace?.followedViews ? { followedViews: workspace.followedViews } : {}) };
}

export async function updateWorkspaceDefaults(deps: ApiDeps, ctx: CallerContext, body: unknown) {
  const patch = parsePreferencesPatch(body);
  const store = notificationStore(deps);
  const current = await store.getWorkspacePreferences(ctx.workspaceId);
  await store.putWorkspacePreferences(ctx.workspaceId, mergePatch(current, patch));
  return getWorkspaceDefaults(deps, ctx);
}

function mergePatch(base: PreferencesPatch | undefined, patch: PreferencesPatch): PreferencesPatch {
  const rules: PreferencesPatch['rules'] = { ...base?.rules };
  for (const [event, channels] of Object.entries(patch.rules ?? {}))
    rules[event as keyof typeof rules] = { ...rules[event as keyof typeof rules], ...channels };
  const followedViews = patch.followedViews ?? base?.followedViews;
  return { rules, ...(followedViews ? { followedViews } : {}) };
}

export const notificationView = (n: Notification) => ({
  notificationId: n.notificationId,
  threadId: n.threadId,
  event: n.event,
  at: n.at,
  subject: n.subject,
  ...(n.threadRef ? { threadRef: n.threadRef } : {}),
  ...(n.excerpt ? { excerpt: n.excerpt } : {}),
  ...(n.actor ? { actor: n.actor } : {}),
  channels: n.channels,
  read: Boolean(n.readAt),
  ...(n.readAt ? { readAt: n.readAt } : {}),
});

export { mergeRules };
