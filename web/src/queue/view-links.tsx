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
    // The name is the visible text, "Mine, 3" read aloud (the comma is for screen readers only).
    const content = (
      <>
        <span>{name}</span>
        <span className="visually-hidden">, </span>
        <span className="view-count">{countText(v)}</span>
      </>
    );
    if (v.id === 'mentions')
      return (
        <li key={v.id}>
          <button
            type="button"
            className="view-link"
            onClick={() => {
              setBell({ open: true, filter: 'mentioned' });
              onNavigate();
            }}
          >
            {content}
          </button>
        </li>
      );
    const current = (location === '/inbox' || location.startsWith('/inbox/')) && sameFilter(search, v.filter);
    return (
      <li key={v.id}>
        <Link
          href={`/inbox?${new URLSearchParams(v.filter)}`}
          className="view-link"
          aria-current={current ? 'page' : undefined}
          onClick={onNavigate}
        >
          {content}
        </Link>
      </li>
    );
  });
}
