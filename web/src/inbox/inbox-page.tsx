import { useSearchParams } from 'wouter';
import { ThreadView } from '../thread/thread-view.tsx';
import { type Filters, filtersFrom, searchOf } from './filters.ts';
import { SearchBar } from './search-bar.tsx';
import { ThreadList } from './thread-list.tsx';

/** The Inbox: the list (with its search in the URL) and, when a thread is selected, its messages view. */
export function InboxPage({ threadId }: { threadId?: string }) {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const onChange = (f: Filters) => setParams(new URLSearchParams(searchOf(f)));
  return (
    <div className="split">
      <section className="list-pane" aria-labelledby="inbox-title">
        <h1 id="inbox-title">Inbox</h1>
        <SearchBar filters={filters} onChange={onChange} />
        <ThreadList filters={filters} basePath="/inbox" openThreadId={threadId} label="Threads" />
      </section>
      <section className="thread-pane" aria-label="Messages view">
        {threadId ? <ThreadView key={threadId} threadId={threadId} /> : <p className="empty">Select a thread.</p>}
      </section>
    </div>
  );
}
