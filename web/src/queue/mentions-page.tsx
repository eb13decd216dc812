import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { AtSign } from 'lucide-react';
import { Link } from 'wouter';
import { relativeTime } from '../../../design/format.ts';
import { api, unwrap } from '../api/client.ts';
import { locale, t } from '../i18n/index.ts';
import { Button, EmptyState, Skeleton } from '../ui/index.ts';
import { type Notice, queueQueries } from './queries.ts';

/** One thread of the Mentions list: its newest mention, and whether any of its mentions is unread. */
interface MentionedThread {
  threadId: string;
  latest: Notice;
  unreadIds: string[];
  count: number;
}

/** Groups the mentions (newest first) by thread, in the order of each thread's newest mention. */
export function byThread(notices: Notice[]): MentionedThread[] {
  const threads = new Map<string, MentionedThread>();
  for (const n of notices) {
    const th = threads.get(n.threadId) ?? { threadId: n.threadId, latest: n, unreadIds: [], count: 0 };
    th.count++;
    if (!n.read) th.unreadIds.push(n.notificationId);
    threads.set(n.threadId, th);
  }
  return [...threads.values()];
}

/**
 * The Mentions view: the threads where the agent was mentioned (GET /v1/notifications?event=mentioned),
 * newest mention first, unread ones marked; opening a thread marks its mentions read. Kept live: a
 * notification change invalidates everything under the bell's key, this list included.
 */
export function MentionsPage() {
  const qc = useQueryClient();
  const query = useInfiniteQuery(queueQueries.mentions());
  const markRead = useMutation({
    mutationFn: async (notificationIds: string[]) =>
      unwrap(await api.POST('/v1/notifications/read', { body: { notificationIds } })),
    onSettled: () => qc.invalidateQueries({ queryKey: queueQueries.notifications().queryKey }),
  });
  const threads = byThread(query.data?.pages.flatMap((p) => p.items) ?? []);
  return (
    <div className="page mentions-page">
      <h1>{t('mentions.title')}</h1>
      {query.isPending && <Skeleton lines={4} />}
      {query.isError && (
        <p role="alert" className="error">
          {t('mentions.error', { message: query.error.message })}
        </p>
      )}
      {query.isSuccess && threads.length === 0 && <EmptyState icon={AtSign} title={t('mentions.empty')} />}
      {threads.length > 0 && (
        <ul className="mentions-list">
          {threads.map((th) => {
            const n = th.latest;
            const unread = th.unreadIds.length > 0;
            const actor = n.actor?.kind === 'agent' ? (n.actor.name ?? n.actor.id) : t('bell.someone');
            return (
              <li key={th.threadId} className={unread ? 'unread' : 'read'}>
                <Link
                  href={`/inbox/${th.threadId}`}
                  onClick={() => {
                    if (unread) markRead.mutate(th.unreadIds.slice(0, 100));
                  }}
                >
                  <span className="mention-subject">
                    {unread && <span className="visually-hidden">{t('card.unread')}: </span>}
                    {n.threadRef && <span className="mention-ref">#{n.threadRef} </span>}
                    {n.subject || t('thread.noSubject')}
                  </span>
                  <span className="mention-by">
                    {t('bell.event.mentioned', { actor })}
                    {th.count > 1 && ` (${th.count})`}
                  </span>
                  {n.excerpt && <span className="mention-excerpt">{n.excerpt}</span>}
                  <time dateTime={n.at}>{relativeTime(n.at, undefined, locale())}</time>
                </Link>
                {unread && (
                  <Button size="sm" variant="ghost" onClick={() => markRead.mutate(th.unreadIds.slice(0, 100))}>
                    {t('bell.markRead')}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {query.hasNextPage && (
        <Button variant="secondary" disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          {t('mentions.more')}
        </Button>
      )}
    </div>
  );
}
