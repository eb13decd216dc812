/**
 * The queue feature's queries (issue 21; docs/notifications.md): the side bar's views with their counts,
 * the bell's notifications, the Mentions list and the notification preferences. The live socket
 * invalidates them (live/use-live-updates.ts): everything under `['queue', 'notifications']` on a
 * notification change, the views on a thread change.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client.ts';

export type View = Schemas['ViewList']['items'][number];
export type Notice = Schemas['Notification'];
export type Rules = Schemas['NotificationRules'];
export type Preferences = Schemas['NotificationPreferences'];
export type Defaults = Schemas['NotificationDefaults'];

export const queueQueries = {
  all: () => ['queue'] as const,
  /** GET /v1/views: Mine, Unassigned, All, Mentions, then the saved searches, each with its count. */
  views: () =>
    queryOptions({
      queryKey: ['queue', 'views'] as const,
      queryFn: async ({ signal }) => unwrap(await api.GET('/v1/views', { signal })).items,
    }),
  /** The bell: the newest notifications and the unread count. */
  notifications: () =>
    queryOptions({
      queryKey: ['queue', 'notifications'] as const,
      queryFn: async ({ signal }) =>
        unwrap(await api.GET('/v1/notifications', { params: { query: { limit: 30 } }, signal })),
    }),
  /** The Mentions list: the agent's `mentioned` notifications, page by page (under the bell's key). */
  mentions: () =>
    infiniteQueryOptions({
      queryKey: ['queue', 'notifications', 'mentioned'] as const,
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ signal, pageParam }) =>
        unwrap(
          await api.GET('/v1/notifications', {
            params: { query: { limit: 50, event: 'mentioned', ...(pageParam ? { cursor: pageParam } : {}) } },
            signal,
          }),
        ),
      getNextPageParam: (last) => last.nextCursor,
    }),
  /** The agent's own notification rules (effective: theirs over the workspace's over the product's). */
  preferences: () =>
    queryOptions({
      queryKey: ['queue', 'preferences'] as const,
      queryFn: async ({ signal }) => unwrap(await api.GET('/v1/notifications/preferences', { signal })),
    }),
  /** The workspace's default rules (admins). */
  defaults: () =>
    queryOptions({
      queryKey: ['queue', 'defaults'] as const,
      queryFn: async ({ signal }) => unwrap(await api.GET('/v1/settings/notifications', { signal })),
    }),
};
