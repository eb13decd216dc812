/** The workspace's settings (the reminder policy). */
import { queryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../api/client.ts';

export const settingsQueries = {
  one: () =>
    queryOptions({ queryKey: ['settings'] as const, queryFn: async () => unwrap(await api.GET('/v1/settings')) }),
};
