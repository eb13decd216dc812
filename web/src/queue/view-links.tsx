import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { api, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { IconButton, useToast } from '../ui/index.ts';
import { queueQueries, type View } from './queries.ts';
import { filterOf, SavedSearchDialog } from './saved-search-dialog.tsx';

const sameFilter = (search: string, filter: Record<string, string>) => {
  const p = new URLSearchParams(search);
  const keys = [...p.keys()];
  return keys.length === Object.keys(filter).length && keys.every((k) => p.get(k) === filter[k]);
};

export const countText = (v: Pick<View, 'count' | 'countMore'>) => (v.countMore ? '999+' : String(v.count ?? 0));

/** A view's name and count: "Mine, 3" read aloud (the comma is for screen readers only). */
function ViewLabel({ view, name }: { view: View; name: string }) {
  return (
    <>
      <span className="view-name">{name}</span>
      {view.countable ? (
        <>
          <span className="visually-hidden">, </span>
          <span className="view-count">{countText(view)}</span>
        </>
      ) : (
        <span className="view-count" title={t('saved.notCountedHint')}>
          <span aria-hidden="true">–</span>
          <span className="visually-hidden">, {t('saved.notCounted')}</span>
        </span>
      )}
    </>
  );
}

/**
 * The side bar's views (GET /v1/views): Mine, Unassigned, All, each a link to the list with the view's
 * filters in the URL; Mentions, which opens the list of the agent's mentions; then the saved searches
 * (the agent's own, renamed and deleted here, and those the others shared), and "+" to save the list's
 * current filters. Each shows its count (or that it is not counted), kept live: the socket's thread and
 * notification changes invalidate the query.
 */
export function ViewLinks({ onNavigate }: { onNavigate: () => void }) {
  const views = useQuery(queueQueries.views());
  const [location] = useLocation();
  const search = useSearch();
  const [dialog, setDialog] = useState<{ view?: View } | null>(null);
  const inList = location === '/inbox' || location.startsWith('/inbox/');
  const all = views.data ?? [];
  const builtins = all.filter((v) => v.kind !== 'saved');
  const saved = all.filter((v) => v.kind === 'saved');
  return (
    <>
      {builtins.map((v) => {
        if (v.id === 'mentions')
          return (
            <li key={v.id}>
              <Link
                href="/mentions"
                className="view-link"
                aria-current={location === '/mentions' ? 'page' : undefined}
                onClick={onNavigate}
              >
                <ViewLabel view={v} name={t('views.mentions')} />
              </Link>
            </li>
          );
        return (
          <ViewLink
            key={v.id}
            view={v}
            name={t(`views.${v.id as 'mine' | 'unassigned' | 'all'}`)}
            current={inList && sameFilter(search, v.filter)}
            onNavigate={onNavigate}
          />
        );
      })}
      {saved.map((v) => (
        <ViewLink
          key={v.id}
          view={v}
          name={v.name}
          current={inList && sameFilter(search, v.filter)}
          onNavigate={onNavigate}
          onRename={v.mine ? () => setDialog({ view: v }) : undefined}
        />
      ))}
      <li>
        <button type="button" className="view-link view-save" onClick={() => setDialog({})}>
          <Plus className="icon" aria-hidden="true" />
          <span>{t('saved.save')}</span>
        </button>
      </li>
      {dialog && (
        <SavedSearchDialog
          open
          onClose={() => setDialog(null)}
          filter={inList ? filterOf(search) : {}}
          {...(dialog.view ? { view: dialog.view } : {})}
        />
      )}
    </>
  );
}

function ViewLink({
  view,
  name,
  current,
  onNavigate,
  onRename,
}: {
  view: View;
  name: string;
  current: boolean;
  onNavigate: () => void;
  onRename?: () => void;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [hidden, setHidden] = useState(false);
  if (hidden) return null;
  const remove = () => {
    // Hidden at once; the DELETE goes when the toast does, unless the agent takes it back.
    setHidden(true);
    toast({
      message: t('saved.deleted'),
      undo: () => setHidden(false),
      onExpire: async () => {
        unwrap(await api.DELETE('/v1/views/{viewId}', { params: { path: { viewId: view.id } } }));
        await qc.invalidateQueries({ queryKey: queueQueries.views().queryKey });
      },
    });
  };
  return (
    <li className={view.kind === 'saved' ? 'view-saved' : undefined}>
      <Link
        href={`/inbox?${new URLSearchParams(view.filter)}`}
        className="view-link"
        aria-current={current ? 'page' : undefined}
        onClick={onNavigate}
      >
        <ViewLabel view={view} name={name} />
        {view.kind === 'saved' && view.shared && <span className="visually-hidden">, {t('saved.sharedBy')}</span>}
      </Link>
      {onRename && (
        <span className="view-actions">
          <IconButton icon={Pencil} label={t('saved.rename', { name })} onClick={onRename} />
          <IconButton icon={Trash2} label={t('saved.delete', { name })} onClick={remove} />
        </span>
      )}
    </li>
  );
}
