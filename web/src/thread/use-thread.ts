import { type InfiniteData, type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, type Schemas, type Thread, unwrap } from '../api/client.ts';
import { fetchThread, type ListPage, threadQueries } from './queries.ts';

export function useThread(threadId: string) {
  const qc = useQueryClient();
  const base = threadQueries.one(threadId);
  return useQuery({
    ...base,
    queryFn: async ({ signal }) => {
      const thread = await fetchThread(threadId, signal);
      // Reading the thread marked it read for this agent (server side): the lists show it at once,
      // rather than when the live event of the read marker comes.
      patchCards(qc, threadId, (c) => (c.unread ? { ...c, unread: false } : c));
      return thread;
    },
  });
}

/** Changes one thread's card in every cached list (an optimistic edit, or the read mark). */
function patchCards(
  qc: QueryClient,
  threadId: string,
  change: (card: ListPage['items'][number]) => ListPage['items'][number],
) {
  qc.setQueriesData<InfiniteData<ListPage>>({ queryKey: threadQueries.lists() }, (data) =>
    data?.pages.some((p) => p.items.some((c) => c.threadId === threadId))
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            items: p.items.map((c) => (c.threadId === threadId ? change(c) : c)),
          })),
        }
      : data,
  );
}

export const useFeed = (threadId: string) => useQuery(threadQueries.feed(threadId));

export type ThreadPatch = Omit<Schemas['ThreadPatch'], 'version'>;

/** Status and assignee show their new value at once; the rest waits for the server's answer. */
const OPTIMISTIC = ['status', 'assignee'] as const;

/**
 * A header edit made on the version the agent saw; a stale one comes back as an ApiError 409
 * `version_conflict`. Status and assignee changes are optimistic: the thread and its cards change at once,
 * and are rolled back (the snapshot restored, then refetched) when the server refuses, a 409 included.
 */
export function useUpdateThread(threadId: string) {
  const qc = useQueryClient();
  const key = threadQueries.one(threadId).queryKey;
  return useMutation({
    mutationFn: async ({ patch, version }: { patch: ThreadPatch; version: number }) =>
      unwrap(
        await api.PATCH('/v1/threads/{threadId}', {
          params: { path: { threadId } },
          body: { ...patch, version },
        }),
      ),
    onMutate: async ({ patch }) => {
      const optimistic = Object.fromEntries(OPTIMISTIC.filter((f) => f in patch).map((f) => [f, patch[f]]));
      if (Object.keys(optimistic).length === 0) return {};
      await qc.cancelQueries({ queryKey: key });
      const thread = qc.getQueryData<Thread>(key);
      const lists = qc.getQueriesData<InfiniteData<ListPage>>({ queryKey: threadQueries.lists() });
      if (thread) qc.setQueryData<Thread>(key, { ...thread, ...optimistic } as Thread);
      patchCards(qc, threadId, (c) => ({ ...c, ...optimistic }) as typeof c);
      return { thread, lists };
    },
    onSuccess: (thread: Thread) => {
      qc.setQueryData(key, thread);
      qc.invalidateQueries({ queryKey: threadQueries.feed(threadId).queryKey });
      qc.invalidateQueries({ queryKey: threadQueries.lists() });
    },
    onError: (e, _vars, context) => {
      if (context?.thread) qc.setQueryData(key, context.thread);
      for (const [k, data] of context?.lists ?? []) qc.setQueryData(k, data);
      if (e instanceof ApiError && e.status === 409) qc.invalidateQueries({ queryKey: key });
    },
  });
}

export function useAddComment(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, key, mentions }: { body: string; key: string; mentions?: string[] }) =>
      unwrap(
        await api.POST('/v1/threads/{threadId}/comments', {
          params: { path: { threadId }, header: { 'Idempotency-Key': key } as never },
          body: { body, ...(mentions?.length ? { mentions } : {}) },
        }),
      ),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: threadQueries.feed(threadId).queryKey });
      qc.invalidateQueries({ queryKey: threadQueries.one(threadId).queryKey });
    },
  });
}

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
      qc.setQueryData(threadQueries.one(thread.threadId).queryKey, thread);
      qc.invalidateQueries({ queryKey: threadQueries.all() });
    },
  });
}
