import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client.ts';

export const templatesKey = ['templates'] as const;

export function useTemplates() {
  return useQuery({
    queryKey: templatesKey,
    queryFn: async () => unwrap(await api.GET('/v1/templates', { params: { query: { limit: 100 } } })).items,
  });
}

export function useTemplatePreview(templateId: string | undefined, body: Schemas['PreviewRequest']) {
  return useQuery({
    queryKey: [...templatesKey, 'preview', templateId, body],
    enabled: Boolean(templateId),
    queryFn: async () =>
      unwrap(
        await api.POST('/v1/templates/{templateId}/preview', { params: { path: { templateId: templateId! } }, body }),
      ),
  });
}

export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ templateId, input }: { templateId?: string; input: Schemas['TemplateInput'] }) =>
      templateId
        ? unwrap(await api.PUT('/v1/templates/{templateId}', { params: { path: { templateId } }, body: input }))
        : unwrap(await api.POST('/v1/templates', { body: input })),
    onSuccess: () => qc.invalidateQueries({ queryKey: templatesKey }),
  });
}

export function useDeleteTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (templateId: string) => {
      const r = await api.DELETE('/v1/templates/{templateId}', { params: { path: { templateId } } });
      if (!r.response.ok) unwrap(r);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: templatesKey }),
  });
}
