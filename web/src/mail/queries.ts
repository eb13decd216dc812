/** The workspace's mailboxes (its inbound addresses, with their names and From formats) and the signatures. */
import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const mailQueries = {
  mailboxes: () =>
    queryOptions({
      queryKey: ['mailboxes'] as const,
      queryFn: async () => unwrap(await api.GET('/v1/mailboxes')).items,
    }),
  /** A signature layer: the workspace's or the signed-in agent's own. */
  signature: (layer: 'workspace' | 'me') =>
    queryOptions({
      queryKey: ['signature', layer] as const,
      queryFn: async () =>
        unwrap(layer === 'workspace' ? await api.GET('/v1/signature') : await api.GET('/v1/me/signature')),
    }),
};
