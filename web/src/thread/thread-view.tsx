import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, PanelRight, Send } from 'lucide-react';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'wouter';
import type { Thread } from '../api/client.ts';
import { useShortcut } from '../app/shortcuts.ts';
import { currentSession } from '../auth/session.ts';
import { t } from '../i18n/index.ts';
import { setViewedThreads } from '../live/index.ts';
import { Button, ErrorBoundary, IconButton, readPref, Skeleton, writePref } from '../ui/index.ts';
import { CommentBar } from './comment-bar.tsx';
import { Composer } from './composer.tsx';
import { DetailsPanel } from './details-panel.tsx';
import { Feed } from './feed.tsx';
import { PresenceBar, useReportPresence } from './presence.tsx';
import { fetchThread, threadQueries } from './queries.ts';
import { ThreadHeader } from './thread-header.tsx';
import './thread.css';
import { type ThreadPatch, useFeed, useThread, useUpdateThread } from './use-thread.ts';

/**
 * The messages view: header, feed (messages, updates, comments in time order), comment bar, New message,
 * and the details panel (customer, contacts), open or closed as the agent left it. `backHref` is the list
 * this thread was opened from: on a phone, where one pane shows at a time, it is the way back.
 */
export function ThreadView({ threadId, backHref }: { threadId: string; backHref?: string }) {
  const detailsId = useId();
  // Open by default where there is room for it beside the thread; on a phone it is a drawer, closed at first.
  const [details, setDetails] = useState(() => {
    const saved = readPref('details');
    return saved ? saved === 'open' : (window.matchMedia?.('(width >= 56.25rem)').matches ?? true);
  });
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

  const t0 = thread.data;
  // A merged thread is read-only: no shortcut, composer or comment bar writes to it.
  const editable = Boolean(t0 && !t0.mergedInto);
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
        ...threadQueries.one(threadId),
        queryFn: ({ signal }) => fetchThread(threadId, signal),
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
        {t('thread.openError', { message: thread.error.message })}
      </p>
    );
  if (!t0) return <Skeleton lines={8} label={t('thread.loading')} />;
  const toggleDetails = () => {
    setDetails((d) => {
      writePref('details', d ? 'closed' : 'open');
      return !d;
    });
  };
  return (
    <div className={`thread-layout${details ? ' with-details' : ''}`}>
      <section className="thread" ref={heading} tabIndex={-1} aria-label={`${t('thread.label')} ${t0.subject}`}>
        {backHref && (
          <Link href={backHref} className="back-link phone-only">
            <ArrowLeft className="icon" aria-hidden="true" /> {t('thread.back')}
          </Link>
        )}
        <ThreadHeader thread={t0}>
          <IconButton
            label={t('details.title')}
            icon={PanelRight}
            variant={details ? 'secondary' : 'ghost'}
            aria-expanded={details}
            aria-controls={detailsId}
            onClick={toggleDetails}
          />
        </ThreadHeader>
        <PresenceBar threadId={threadId} />
        {update.isError && (
          <p role="alert" className="error">
            {update.error.message}
          </p>
        )}
        {feed.data ? (
          <Feed threadId={threadId} items={feed.data.items} />
        ) : (
          <Skeleton lines={6} label={t('thread.loadingFeed')} />
        )}
        {feed.data?.truncated && <p className="notice">{t('thread.truncated')}</p>}
        {editable && (
          <>
            <div className="thread-actions">
              {composing ? (
                <ErrorBoundary area={t('area.composer')}>
                  <Composer thread={t0} onClose={() => setComposing(false)} />
                </ErrorBoundary>
              ) : (
                <Button variant="primary" icon={Send} onClick={() => setComposing(true)}>
                  {t('composer.title')}
                </Button>
              )}
            </div>
            <CommentBar ref={comment} threadId={threadId} />
          </>
        )}
      </section>
      {details && (
        <ErrorBoundary area={t('area.details')}>
          <DetailsPanel thread={t0} id={detailsId} />
        </ErrorBoundary>
      )}
    </div>
  );
}
