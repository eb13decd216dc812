import { useCallback, useEffect, useRef, useState } from 'react';
import { useShortcut } from '../app/shortcuts.ts';
import { currentSession } from '../auth/session.ts';
import { setViewedThreads } from '../live/use-live-updates.ts';
import { CommentBar } from './comment-bar.tsx';
import { Composer } from './composer.tsx';
import { Feed } from './feed.tsx';
import { ThreadHeader } from './thread-header.tsx';
import { useFeed, useThread, useUpdateThread } from './use-thread.ts';

/** The messages view: header, feed (messages, updates, comments in time order), comment bar, New message. */
export function ThreadView({ threadId }: { threadId: string }) {
  const thread = useThread(threadId);
  const feed = useFeed(threadId);
  const update = useUpdateThread(threadId);
  const [composing, setComposing] = useState(false);
  const comment = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLElement>(null);

  useEffect(() => {
    setViewedThreads([threadId]);
    return () => setViewedThreads([]);
  }, [threadId]);

  // Focus moves to the opened thread, so that keyboard and screen reader users land on it.
  useEffect(() => {
    if (thread.isSuccess) heading.current?.focus({ preventScroll: true });
  }, [thread.isSuccess]);

  const t = thread.data;
  useShortcut(
    'r',
    useCallback(() => setComposing(true), []),
    Boolean(t),
  );
  useShortcut(
    'c',
    useCallback(() => comment.current?.focus(), []),
    Boolean(t),
  );
  useShortcut(
    'e',
    useCallback(() => {
      if (t && t.status !== 'closed') update.mutate({ patch: { status: 'closed' }, version: t.version });
    }, [t, update]),
    Boolean(t),
  );
  useShortcut(
    'a',
    useCallback(() => {
      const me = currentSession()?.agentId;
      if (t && me && t.assignee !== me) update.mutate({ patch: { assignee: me }, version: t.version });
    }, [t, update]),
    Boolean(t),
  );

  if (thread.isError)
    return (
      <p role="alert" className="error">
        This thread could not be opened: {thread.error.message}
      </p>
    );
  if (!t) return <p aria-busy="true">Loading the thread…</p>;
  return (
    <section className="thread" ref={heading} tabIndex={-1} aria-label={`Thread ${t.subject}`}>
      <ThreadHeader thread={t} />
      {update.isError && (
        <p role="alert" className="error">
          {update.error.message}
        </p>
      )}
      {feed.data ? <Feed threadId={threadId} items={feed.data.items} /> : <p aria-busy="true">Loading the feed…</p>}
      {feed.data?.truncated && <p className="notice">Only the first part of a very long feed is shown.</p>}
      <div className="thread-actions">
        {composing ? (
          <Composer thread={t} onClose={() => setComposing(false)} />
        ) : (
          <button type="button" className="primary" onClick={() => setComposing(true)}>
            New message
          </button>
        )}
      </div>
      <CommentBar ref={comment} threadId={threadId} />
    </section>
  );
}
