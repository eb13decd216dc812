import { type InfiniteData, type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, type FeedItem, idempotencyKey, type Schemas, type Thread, unwrap } from '../api/client.ts';

export const threadKey = (threadId: string) => ['threads', 'one', threadId] as const;
export const feedKey = (threadId: string) => ['threads', 'feed', threadId] as const;

export const freshThread =
  (threadId: string) =>
  async ({ signal }: { signal?: AbortSignal }): Promise<Thread> =>
    unwrap(await api.GET('/v1/threads/{threadId}', { params: { path: { threadId } }, signal }));

export function useThread(threadId: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: threadKey(threadId),
    queryFn: async (ctx) => {
      const thread = await freshThread(threadId)(ctx);
      // Reading the thread marked it read for this agent (server side): the lists show it at once,
      // rather than when the live event of the read marker comes.
      markCardRead(qc, threadId);
      return thread;
    },
  });
}

type ListPage = { items: Array<{ threadId: string; unread?: boolean }> };

function markCardRead(qc: QueryClient, threadId: string) {
  qc.setQueriesData<InfiniteData<ListPage>>({ queryKey: ['threads', 'list'] }, (data) =>
    data?.pages.some((p) => p.items.some((c) => c.threadId === threadId && c.unread))
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            items: p.items.map((c) => (c.threadId === threadId && c.unread ? { ...c, unread: false } : c)),
          })),
        }
      : data,
  );
}

/** The feed is bounded per thread; its pages are read in one go, oldest first. */
const MAX_FEED_PAGES = 20;

export function useFeed(threadId: string) {
  return useQuery({
    queryKey: feedKey(threadId),
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
  });
}

export type ThreadPatch = Omit<Schemas['ThreadPatch'], 'version'>;

/** A header edit made on the version the agent saw; a stale one comes back as an ApiError 409 `version_conflict`. */
export function useUpdateThread(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ patch, version }: { patch: ThreadPatch; version: number }) =>
      unwrap(
        await api.PATCH('/v1/threads/{threadId}', {
          params: { path: { threadId } },
          body: { ...patch, version },
        }),
      ),
    onSuccess: (thread: Thread) => {
      qc.setQueryData(threadKey(threadId), thread);
      qc.invalidateQueries({ queryKey: feedKey(threadId) });
      qc.invalidateQueries({ queryKey: ['threads', 'list'] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409) qc.invalidateQueries({ queryKey: threadKey(threadId) });
    },
  });
}

export function useAddComment(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key }: { body: string; key: string }) =>
      unwrap(
        await api.POST('/v1/threads/{threadId}/comments', {
          params: { path: { threadId }, header: { 'Idempotency-Key': key } as never },
          body: { body },
        }),
      ),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: feedKey(threadId) });
      qc.invalidateQueries({ queryKey: threadKey(threadId) });
    },
  });
}

export const newKey = idempotencyKey;

/**
 * Merges the thread `from` into `into` (POST on the survivor, the merged one in the body). Every thread query
 * is invalidated: both feeds get an update, the merged thread is closed and leaves the lists.
 */
export function useMergeThread() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ from, into }: { from: string; into: string }) =>
      unwrap(
        await api.POST('/v1/threads/{threadId}/merge', {
          params: { path: { threadId: into } },
          body: { threadId: from },
        }),
      ),
    onSuccess: (thread: Thread) => {
      qc.setQueryData(threadKey(thread.threadId), thread);
      qc.invalidateQueries({ queryKey: ['threads'] });
    },
  });
}
