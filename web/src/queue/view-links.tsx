import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useSearch } from 'wouter';
import { t } from '../i18n/index.ts';
import { setBell } from './bell-store.ts';
import { queueQueries, type View } from './queries.ts';

const sameFilter = (search: string, filter: Record<string, string>) => {
  const p = new URLSearchParams(search);
  const keys = [...p.keys()];
  return keys.length === Object.keys(filter).length && keys.every((k) => p.get(k) === filter[k]);
};

export const countText = (v: Pick<View, 'count' | 'countMore'>) => (v.countMore ? '999+' : String(v.count));

/**
 * The side bar's views (GET /v1/views): Mine, Unassigned, All, each a link to the list with the view's
 * filters in the URL, and Mentions, which opens the bell on the agent's mentions. Each shows its count,
 * kept live: the socket's thread and notification changes invalidate the query.
 */
export function ViewLinks({ onNavigate }: { onNavigate: () => void }) {
  const views = useQuery(queueQueries.views());
  const [location] = useLocation();
  const search = useSearch();
  return (views.data ?? []).map((v) => {
    const name = t(`views.${v.id}`);
    const count = (
      <span className="view-count" aria-hidden="true">
        {countText(v)}
      </span>
    );
    const label = t('views.label', { name, count: countText(v) });
    if (v.id === 'mentions')
      return (
        <li key={v.id}>
          <button
            type="button"
            className="view-link"
            aria-label={label}
            onClick={() => {
              setBell({ open: true, filter: 'mentioned' });
              onNavigate();
            }}
          >
            <span>{name}</span>
            {count}
          </button>
        </li>
      );
    const current = (location === '/inbox' || location.startsWith('/inbox/')) && sameFilter(search, v.filter);
    return (
      <li key={v.id}>
        <Link
          href={`/inbox?${new URLSearchParams(v.filter)}`}
          className="view-link"
          aria-label={label}
          aria-current={current ? 'page' : undefined}
          onClick={onNavigate}
        >
          <span>{name}</span>
          {count}
        </Link>
      </li>
    );
  });
}
