import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type ThreadCard, unwrap } from '../api/client.ts';
import type { Filters } from './filters.ts';

export const PAGE_SIZE = 50;
export const threadListKey = (filters: Filters) => ['threads', 'list', filters] as const;

/** The list on its cursor: one GET /v1/threads per page, the filters passed as they are in the URL. */
export function useThreadList(filters: Filters) {
  return useInfiniteQuery({
    queryKey: threadListKey(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam, signal }) => {
      const query = { ...filters, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) };
      return unwrap(await api.GET('/v1/threads', { params: { query: query as never }, signal })) as {
        items: (ThreadCard & { unread?: boolean })[];
        nextCursor?: string;
      };
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
