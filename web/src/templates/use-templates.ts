import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client.ts';
import { templateQueries } from './queries.ts';

export const useTemplates = () => useQuery(templateQueries.list());

export const useTemplatePreview = (templateId: string | undefined, body: Schemas['PreviewRequest']) =>
  useQuery(templateQueries.preview(templateId, body));

export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ templateId, input }: { templateId?: string; input: Schemas['TemplateInput'] }) =>
      templateId
        ? unwrap(await api.PUT('/v1/templates/{templateId}', { params: { path: { templateId } }, body: input }))
        : unwrap(await api.POST('/v1/templates', { body: input })),
    onSuccess: () => qc.invalidateQueries({ queryKey: templateQueries.all() }),
  });
}

export async function deleteTemplate(templateId: string) {
  const r = await api.DELETE('/v1/templates/{templateId}', { params: { path: { templateId } } });
  if (!r.response.ok) unwrap(r);
}
