import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const customersKey = ['customers'] as const;

export function useCustomers() {
  return useInfiniteQuery({
    queryKey: [...customersKey, 'list'],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/v1/customers', {
          params: { query: { limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useCustomer(customerId: string) {
  return useQuery({
    queryKey: [...customersKey, customerId],
    queryFn: async () => unwrap(await api.GET('/v1/customers/{customerId}', { params: { path: { customerId } } })),
  });
}

export function useCustomerContacts(customerId: string) {
  return useQuery({
    queryKey: [...customersKey, customerId, 'contacts'],
    queryFn: async () =>
      unwrap(
        await api.GET('/v1/customers/{customerId}/contacts', {
          params: { path: { customerId }, query: { limit: 100 } },
        }),
      ).items,
  });
}
