/**
 * The queue feature's queries (issue 21; docs/notifications.md): the side bar's views with their counts and
 * the bell's notifications. The live socket invalidates them (live/use-live-updates.ts).
 */
import { queryOptions } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client.ts';

export type View = Schemas['ViewList']['items'][number];
export type Notice = Schemas['Notification'];

export const queueQueries = {
  all: () => ['queue'] as const,
  /** GET /v1/views: Mine, Unassigned, All, Mentions, each with its count. */
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
};
