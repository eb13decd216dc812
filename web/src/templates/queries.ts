/** The templates feature's queries: the one place where their keys are written. */
import { queryOptions } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client.ts';

export const templateQueries = {
  all: () => ['templates'] as const,
  list: () =>
    queryOptions({
      queryKey: ['templates', 'list'] as const,
      queryFn: async () => unwrap(await api.GET('/v1/templates', { params: { query: { limit: 100 } } })).items,
    }),
  preview: (templateId: string | undefined, body: Schemas['PreviewRequest']) =>
    queryOptions({
      queryKey: ['templates', 'preview', templateId, body] as const,
      enabled: Boolean(templateId),
      queryFn: async () =>
        unwrap(
          await api.POST('/v1/templates/{templateId}/preview', { params: { path: { templateId: templateId! } }, body }),
        ),
    }),
};
