/** The customers feature's queries: the one place where their keys are written. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const customerQueries = {
  all: () => ['customers'] as const,
  list: () =>
    infiniteQueryOptions({
      queryKey: ['customers', 'list'] as const,
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam }) =>
        unwrap(
          await api.GET('/v1/customers', {
            params: { query: { limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
          }),
        ),
      getNextPageParam: (last) => last.nextCursor,
    }),
  one: (customerId: string) =>
    queryOptions({
      queryKey: ['customers', 'one', customerId] as const,
      queryFn: async () => unwrap(await api.GET('/v1/customers/{customerId}', { params: { path: { customerId } } })),
    }),
  contacts: (customerId: string) =>
    queryOptions({
      queryKey: ['customers', 'contacts', customerId] as const,
      queryFn: async () =>
        unwrap(
          await api.GET('/v1/customers/{customerId}/contacts', {
            params: { path: { customerId }, query: { limit: 100 } },
          }),
        ).items,
    }),
};
