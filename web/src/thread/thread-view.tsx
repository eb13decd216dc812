import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Thread } from '../api/client.ts';
import { useShortcut } from '../app/shortcuts.ts';
import { currentSession } from '../auth/session.ts';
import { setViewedThreads } from '../live/use-live-updates.ts';
import { CommentBar } from './comment-bar.tsx';
import { Composer } from './composer.tsx';
import { Feed } from './feed.tsx';
import { PresenceBar, useReportPresence } from './presence.tsx';
import { ThreadHeader } from './thread-header.tsx';
import { freshThread, type ThreadPatch, threadKey, useFeed, useThread, useUpdateThread } from './use-thread.ts';

/** The messages view: header, feed (messages, updates, comments in time order), comment bar, New message. */
export function ThreadView({ threadId }: { threadId: string }) {
  const thread = useThread(threadId);
  const feed = useFeed(threadId);
  const update = useUpdateThread(threadId);
  const qc = useQueryClient();
  const [composing, setComposing] = useState(false);
  const comment = useRef<HTMLTextAreaElement>(null);
  const heading = useRef<HTMLElement>(null);

  useReportPresence(threadId, composing);
  useEffect(() => {
    setViewedThreads([threadId]);
    return () => setViewedThreads([]);
  }, [threadId]);

  // Focus moves to the opened thread, so that keyboard and screen reader users land on it.
  useEffect(() => {
    if (thread.isSuccess) heading.current?.focus({ preventScroll: true });
  }, [thread.isSuccess]);

  const t = thread.data;
  // A merged thread is read-only: no shortcut, composer or comment bar writes to it.
  const editable = Boolean(t && !t.mergedInto);
  useShortcut(
    'r',
    useCallback(() => setComposing(true), []),
    editable,
  );
  useShortcut(
    'c',
    useCallback(() => comment.current?.focus(), []),
    editable,
  );
  // `e` and `a` are whole intents ("close it", "it is mine"), not edits of what the agent saw: they apply
  // to the thread as it is now, read fresh, so that a change that just landed does not make them fail.
  const applyNow = useCallback(
    async (patchOf: (current: Thread) => ThreadPatch | undefined) => {
      const current = await qc.fetchQuery({
        queryKey: threadKey(threadId),
        queryFn: freshThread(threadId),
        staleTime: 0,
      });
      const patch = patchOf(current);
      if (patch) update.mutate({ patch, version: current.version });
    },
    [qc, threadId, update],
  );
  useShortcut(
    'e',
    useCallback(() => {
      applyNow((c) => (c.status === 'closed' ? undefined : { status: 'closed' }));
    }, [applyNow]),
    editable,
  );
  useShortcut(
    'a',
    useCallback(() => {
      const me = currentSession()?.agentId;
      applyNow((c) => (me && c.assignee !== me ? { assignee: me } : undefined));
    }, [applyNow]),
    editable,
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
      <PresenceBar threadId={threadId} />
      {update.isError && (
        <p role="alert" className="error">
          {update.error.message}
        </p>
      )}
      {feed.data ? <Feed threadId={threadId} items={feed.data.items} /> : <p aria-busy="true">Loading the feed…</p>}
      {feed.data?.truncated && <p className="notice">Only the first part of a very long feed is shown.</p>}
      {editable && (
        <>
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
        </>
      )}
    </section>
  );
}
