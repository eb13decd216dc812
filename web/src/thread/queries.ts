/**
 * The thread feature's queries: the one place where their keys are written. Everything about threads
 * sits under `['threads']`, so that a reconnect refetches it all with one invalidation.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type FeedItem, type Thread, type ThreadCard, unwrap } from '../api/client.ts';

/** The list's filters, as they are in the URL (inbox/filters.ts). */
export type ListFilters = Partial<Record<string, string>>;
export type ListCard = ThreadCard & { unread?: boolean };
export type ListPage = { items: ListCard[]; nextCursor?: string };

export const PAGE_SIZE = 50;
/** The feed is bounded per thread; its pages are read in one go, oldest first. */
const MAX_FEED_PAGES = 20;

export const fetchThread = async (threadId: string, signal?: AbortSignal): Promise<Thread> =>
  unwrap(await api.GET('/v1/threads/{threadId}', { params: { path: { threadId } }, signal }));

export const threadQueries = {
  all: () => ['threads'] as const,
  lists: () => ['threads', 'list'] as const,
  /** The list on its cursor: one GET /v1/threads per page, the filters passed as they are in the URL. */
  list: (filters: ListFilters) =>
    infiniteQueryOptions({
      queryKey: [...threadQueries.lists(), filters] as const,
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam, signal }) => {
        const query = { ...filters, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) };
        return unwrap(await api.GET('/v1/threads', { params: { query: query as never }, signal })) as ListPage;
      },
      getNextPageParam: (last) => last.nextCursor,
    }),
  /** A short keyword search (the merge dialog's), not the list's pages. */
  search: (q: string) =>
    queryOptions({
      queryKey: ['threads', 'search', q] as const,
      queryFn: async ({ signal }) =>
        unwrap(
          await api.GET('/v1/threads', { params: { query: { ...(q ? { q } : {}), limit: 20 } as never }, signal }),
        ) as ListPage,
    }),
  one: (threadId: string) =>
    queryOptions({
      queryKey: ['threads', 'one', threadId] as const,
      queryFn: ({ signal }) => fetchThread(threadId, signal),
    }),
  feed: (threadId: string) =>
    queryOptions({
      queryKey: ['threads', 'feed', threadId] as const,
      queryFn: async ({ signal }) => {
        const items: FeedItem[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < MAX_FEED_PAGES; page++) {
          const res = unwrap(
            await api.GET('/v1/threads/{threadId}/feed', {
              params: { path: { threadId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
              signal,
            }),
          );
          items.push(...res.items);
          cursor = res.nextCursor;
          if (!cursor) break;
        }
        return { items, truncated: cursor !== undefined };
      },
    }),
  /** The thread's drafts (who writes what); the composer restores the agent's own from here. */
  drafts: (threadId: string) =>
    queryOptions({
      queryKey: ['threads', 'drafts', threadId] as const,
      queryFn: async ({ signal }) =>
        unwrap(await api.GET('/v1/threads/{threadId}/drafts', { params: { path: { threadId } }, signal })).items,
    }),
  presence: (threadId: string) =>
    queryOptions({
      queryKey: ['threads', 'presence', threadId] as const,
      queryFn: async ({ signal }) =>
        unwrap(await api.GET('/v1/threads/{threadId}/presence', { params: { path: { threadId } }, signal })).items,
    }),
};
