import { Inbox as InboxIcon } from 'lucide-react';
import { useSearchParams } from 'wouter';
import { t } from '../i18n/index.ts';
import { ThreadView } from '../thread/index.ts';
import { EmptyState, ErrorBoundary, Panes } from '../ui/index.ts';
import { type Filters, filtersFrom, searchOf } from './filters.ts';
import './inbox.css';
import { SearchBar } from './search-bar.tsx';
import { ThreadList } from './thread-list.tsx';

/** The Inbox: the list (with its search in the URL) and, when a thread is selected, its messages view. */
export function InboxPage({ threadId }: { threadId?: string }) {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const onChange = (f: Filters) => setParams(new URLSearchParams(searchOf(f)));
  return (
    <Panes
      detailOpen={Boolean(threadId)}
      list={
        <section className="list-pane" aria-labelledby="inbox-title">
          <div className="pane-header">
            <h1 id="inbox-title">{t('inbox.title')}</h1>
            <SearchBar filters={filters} onChange={onChange} />
          </div>
          <ErrorBoundary area={t('area.list')} resetKey={searchOf(filters)}>
            <ThreadList filters={filters} basePath="/inbox" openThreadId={threadId} label={t('inbox.threads')} />
          </ErrorBoundary>
        </section>
      }
      detail={
        <section className="thread-pane" aria-label={t('thread.pane')}>
          <ErrorBoundary area={t('area.thread')} resetKey={threadId}>
            {threadId ? (
              <ThreadView key={threadId} threadId={threadId} backHref={`/inbox${searchOf(filters)}`} />
            ) : (
              <EmptyState icon={InboxIcon} title={t('inbox.select')} />
            )}
          </ErrorBoundary>
        </section>
      }
    />
  );
}
