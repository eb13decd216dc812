import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { SearchX } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useShortcut } from '../app/shortcuts.ts';
import { t } from '../i18n/index.ts';
import { threadQueries } from '../thread/queries.ts';
import { EmptyState, Skeleton } from '../ui/index.ts';
import { BulkBar } from './bulk-bar.tsx';
import { type Filters, searchOf } from './filters.ts';
import { ThreadCardView } from './thread-card.tsx';

const ROW_ESTIMATE = 68;

/**
 * The list, newest update first, on the API's cursor: virtualised (only the visible cards are in the DOM),
 * and the next page is fetched as the end comes into view, so that 10,000 threads scroll smoothly.
 * `j`/`k` move the selection, `Enter` opens it. Cards are checked for bulk work with their checkbox (shift-click
 * checks the range from the last one clicked) or `x` on the focused card; the bulk bar then acts on them.
 */
export function ThreadList({
  filters,
  basePath,
  openThreadId,
  label,
}: {
  filters: Filters;
  basePath: string;
  openThreadId?: string;
  label: string;
}) {
  const query = useInfiniteQuery(threadQueries.list(filters));
  const cards = query.data?.pages.flatMap((p) => p.items) ?? [];
  const parentRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState(-1);
  const [, navigate] = useLocation();
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<number>();
  const toggle = useCallback(
    (index: number, range: boolean) => {
      const card = cards[index];
      if (!card) return;
      const on = !checked.has(card.threadId);
      const next = new Set(checked);
      const [from, to] =
        range && anchor !== undefined ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
      for (const c of cards.slice(from, to + 1)) {
        if (on) next.add(c.threadId);
        else next.delete(c.threadId);
      }
      setChecked(next);
      setAnchor(index);
    },
    [cards, checked, anchor],
  );
  const virtualizer = useVirtualizer({
    count: cards.length + (query.hasNextPage ? 1 : 0),
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  // Endless scrolling: the loader row coming into view fetches the next page.
  useEffect(() => {
    if (last && last.index >= cards.length - 1 && query.hasNextPage && !query.isFetchingNextPage) query.fetchNextPage();
  }, [last, cards.length, query]);

  const search = searchOf(filters);
  const hrefOf = useCallback((threadId: string) => `${basePath}/${threadId}${search}`, [basePath, search]);

  const move = useCallback(
    (delta: number) => {
      if (cards.length === 0) return;
      const from = selected >= 0 ? selected : cards.findIndex((c) => c.threadId === openThreadId);
      const next = Math.max(0, Math.min(cards.length - 1, from + delta));
      setSelected(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
      requestAnimationFrame(() => parentRef.current?.querySelector<HTMLElement>(`[data-index="${next}"] a`)?.focus());
    },
    [cards, selected, openThreadId, virtualizer],
  );
  useShortcut(
    'j',
    useCallback(() => move(1), [move]),
  );
  useShortcut(
    'k',
    useCallback(() => move(-1), [move]),
  );
  useShortcut(
    'Enter',
    useCallback(() => {
      const card = cards[selected];
      if (card) navigate(hrefOf(card.threadId));
    }, [cards, selected, navigate, hrefOf]),
    selected >= 0,
  );
  useShortcut(
    'x',
    useCallback(() => toggle(selected, false), [toggle, selected]),
    selected >= 0,
  );

  if (query.isError)
    return (
      <p role="alert" className="error">
        {t('inbox.listError', { message: query.error.message })}
      </p>
    );
  return (
    <>
      <BulkBar
        selected={[...checked]}
        subjectOf={(id) => cards.find((c) => c.threadId === id)?.subject || id}
        onDone={(results) => setChecked(new Set(results.filter((r) => r.result !== 'done').map((r) => r.threadId)))}
        onClear={() => setChecked(new Set())}
      />
      <div ref={parentRef} className="thread-list" aria-busy={query.isLoading}>
        {query.isPending && <Skeleton lines={8} label={t('inbox.loading')} />}
        {query.isSuccess && cards.length === 0 && <EmptyState icon={SearchX} title={t('inbox.noMatch')} />}
        <ul aria-label={label} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((row) => {
            const card = cards[row.index];
            return (
              <li
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className={`row${card?.threadId === openThreadId ? ' open' : ''}${row.index === selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${row.start}px)` }}
                aria-setsize={query.hasNextPage ? -1 : cards.length}
                aria-posinset={row.index + 1}
              >
                {card && (
                  <input
                    type="checkbox"
                    className="row-check"
                    aria-label={t('bulk.check', { subject: card.subject || t('thread.noSubject') })}
                    checked={checked.has(card.threadId)}
                    onChange={() => {}}
                    onClick={(e) => toggle(row.index, e.shiftKey)}
                  />
                )}
                {card ? (
                  <Link
                    href={hrefOf(card.threadId)}
                    aria-current={card.threadId === openThreadId ? 'page' : undefined}
                    onFocus={() => setSelected(row.index)}
                  >
                    <ThreadCardView card={card} />
                  </Link>
                ) : (
                  <span className="loading">{t('inbox.loadingMore')}</span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}
