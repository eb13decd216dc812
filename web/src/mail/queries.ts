/** The workspace's mailboxes (its inbound addresses, with their names and From formats) and the signatures. */
import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const mailQueries = {
  mailboxes: () =>
    queryOptions({
      queryKey: ['mailboxes'] as const,
      queryFn: async () => unwrap(await api.GET('/v1/mailboxes')).items,
    }),
  workspaceSignature: () =>
    queryOptions({
      queryKey: ['signature', 'workspace'] as const,
      queryFn: async () => unwrap(await api.GET('/v1/signature')),
    }),
  mySignature: () =>
    queryOptions({
      queryKey: ['signature', 'me'] as const,
      queryFn: async () => unwrap(await api.GET('/v1/me/signature')),
    }),
};
