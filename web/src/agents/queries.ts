/** The agents of the workspace (GET /v1/agents), with the avatars the Inbox draws. */
import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const agentQueries = {
  list: () =>
    queryOptions({
      queryKey: ['agents'] as const,
      staleTime: 5 * 60_000,
      queryFn: async () => unwrap(await api.GET('/v1/agents')).items,
    }),
  /** The caller: its role, scopes and, for an agent, its profile (with its availability). */
  me: () =>
    queryOptions({
      queryKey: ['me'] as const,
      queryFn: async () => unwrap(await api.GET('/v1/me')),
    }),
};
