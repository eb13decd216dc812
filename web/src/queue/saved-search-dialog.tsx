import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, idempotencyKey, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button, Dialog, Field } from '../ui/index.ts';
import { queueQueries, type View } from './queries.ts';

/** The filters of GET /v1/threads that a saved search keeps (the list's URL holds them). */
export const SAVED_FILTER_KEYS = [
  'status',
  'assignee',
  'tag',
  'customer',
  'hasAttachments',
  'quarantined',
  'q',
  'unread',
];

/** A filter's name as the advanced search shows it (the API's name where it has none). */
const filterLabel = (key: string): string =>
  ({
    status: t('status.label'),
    assignee: t('thread.assignee'),
    tag: t('search.tag'),
    customer: t('search.customer'),
    hasAttachments: t('search.attachments'),
    q: t('search.label'),
    unread: t('search.unreadOnly'),
  })[key] ?? key;

/** The list's filters in a URL's search string, as a saved search keeps them. */
export function filterOf(search: string): Record<string, string> {
  const p = new URLSearchParams(search);
  const f: Record<string, string> = {};
  for (const k of SAVED_FILTER_KEYS) {
    const v = p.get(k)?.trim();
    if (v) f[k] = v;
  }
  return f;
}

/**
 * Saves the list's current filters under a name (`view` absent), or renames one of the agent's saved
 * searches (`view` given). One request each; the side bar's views are refetched after.
 */
export function SavedSearchDialog({
  open,
  onClose,
  filter,
  view,
}: {
  open: boolean;
  onClose: () => void;
  filter: Record<string, string>;
  view?: View;
}) {
  const qc = useQueryClient();
  const [name, setName] = useState(view?.name ?? '');
  const [shared, setShared] = useState(view?.shared ?? false);
  const [key] = useState(idempotencyKey);
  const save = useMutation({
    mutationFn: async () =>
      view
        ? unwrap(
            await api.PATCH('/v1/views/{viewId}', {
              params: { path: { viewId: view.id } },
              body: { name: name.trim(), shared },
            }),
          )
        : unwrap(
            await api.POST('/v1/views', {
              params: { header: { 'Idempotency-Key': key } },
              body: { name: name.trim(), filter, shared },
            }),
          ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queueQueries.views().queryKey });
      onClose();
    },
  });
  const empty = !view && Object.keys(filter).length === 0;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || empty) return;
    save.mutate();
  };
  return (
    <Dialog open={open} onClose={onClose} title={view ? t('saved.renameTitle') : t('saved.save')}>
      <form onSubmit={submit} className="saved-form">
        {empty ? (
          <p>{t('saved.noFilters')}</p>
        ) : (
          !view && (
            <p className="saved-filters">
              {t('saved.filters', {
                filters: Object.entries(filter)
                  .map(([k, v]) => `${filterLabel(k)}: ${v}`)
                  .join(', '),
              })}
            </p>
          )
        )}
        <Field
          label={t('saved.name')}
          error={save.error ? t('saved.error', { message: save.error.message }) : undefined}
        >
          {(control) => (
            <input
              {...control}
              value={name}
              maxLength={80}
              required
              autoFocus
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <label className="saved-shared">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
          {t('saved.shared')}
        </label>
        <div className="dialog-actions">
          <Button type="button" variant="secondary" onClick={onClose}>
            {t('saved.cancel')}
          </Button>
          <Button type="submit" variant="primary" disabled={empty || !name.trim() || save.isPending}>
            {t('saved.submit')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
