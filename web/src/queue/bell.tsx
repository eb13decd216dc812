import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bell as BellIcon, CheckCheck } from 'lucide-react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Link, useLocation } from 'wouter';
import { relativeTime } from '../../../design/format.ts';
import { api, unwrap } from '../api/client.ts';
import { locale, t } from '../i18n/index.ts';
import { Button } from '../ui/index.ts';
import { bellState, setBell, subscribeBell } from './bell-store.ts';
import { type Notice, queueQueries } from './queries.ts';
import { useTabBadge } from './tab-badge.ts';

const canNotify = () => typeof Notification !== 'undefined';
const titleOf = (n: Notice) => {
  const actor = n.actor && 'name' in n.actor && n.actor.name ? n.actor.name : '';
  return t(`bell.event.${n.event}`, { actor: actor || t('bell.someone') });
};

/**
 * Browser notifications for the notifications that arrive while this tab is open (not those already there
 * when it opened), for the ones whose rules include the browser channel, once the agent allowed them.
 */
function useDesktopNotices(items: Notice[] | undefined) {
  const seen = useRef<Set<string> | null>(null);
  const [, navigate] = useLocation();
  useEffect(() => {
    if (!items) return;
    if (!seen.current) {
      seen.current = new Set(items.map((n) => n.notificationId));
      return;
    }
    for (const n of items) {
      if (seen.current.has(n.notificationId)) continue;
      seen.current.add(n.notificationId);
      if (n.read || !n.channels.includes('browser') || !canNotify() || Notification.permission !== 'granted') continue;
      const note = new Notification(titleOf(n), { body: n.subject, tag: n.notificationId });
      note.onclick = () => {
        window.focus();
        navigate(`/inbox/${n.threadId}`);
        note.close();
      };
    }
  }, [items, navigate]);
}

/**
 * The bell in the top bar: the unread count (also in the tab's title and favicon), and a panel listing the
 * notifications, read and unread, each a link to its thread (opening it marks it read). Kept live: the
 * socket's `notification` change invalidates the query. Desktop notifications are asked for here, from a
 * button, never at sign-in.
 */
export function Bell() {
  const qc = useQueryClient();
  const query = useQuery(queueQueries.notifications());
  const { open, filter } = useSyncExternalStore(subscribeBell, bellState);
  const [permission, setPermission] = useState(canNotify() ? Notification.permission : 'denied');
  const root = useRef<HTMLDivElement>(null);
  const unread = query.data?.unreadCount ?? 0;
  const more = query.data?.unreadMore ?? false;
  useTabBadge(unread, more);
  useDesktopNotices(query.data?.items);
  const markRead = useMutation({
    mutationFn: async (notificationIds: string[]) =>
      unwrap(await api.POST('/v1/notifications/read', { body: { notificationIds } })),
    onSettled: () => {
      qc.invalidateQueries({ queryKey: queueQueries.notifications().queryKey });
      qc.invalidateQueries({ queryKey: queueQueries.views().queryKey });
    },
  });
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setBell({ open: false, filter });
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setBell({ open: false, filter });
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, filter]);
  const items = (query.data?.items ?? []).filter((n) => filter === 'all' || n.event === filter);
  const unreadIds = items.filter((n) => !n.read).map((n) => n.notificationId);
  const countText = more ? '99+' : String(unread);
  return (
    <div className="bell" ref={root}>
      <button
        type="button"
        className="btn btn-ghost btn-icon bell-button"
        aria-label={unread > 0 ? t('bell.labelUnread', { count: countText }) : t('bell.label')}
        title={t('bell.label')}
        aria-expanded={open}
        onClick={() => setBell({ open: !open, filter: 'all' })}
      >
        <BellIcon className="icon" aria-hidden="true" />
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {countText}
          </span>
        )}
      </button>
      {open && (
        <section className="popover bell-panel" aria-label={filter === 'all' ? t('bell.title') : t('views.mentions')}>
          <div className="bell-head">
            <h2>{filter === 'all' ? t('bell.title') : t('views.mentions')}</h2>
            <Button
              size="sm"
              variant="ghost"
              icon={CheckCheck}
              disabled={unreadIds.length === 0 || markRead.isPending}
              onClick={() => markRead.mutate(unreadIds.slice(0, 100))}
            >
              {t('bell.markAllRead')}
            </Button>
          </div>
          {permission === 'default' && (
            <Button
              size="sm"
              className="bell-enable"
              onClick={() => {
                void Notification.requestPermission().then(setPermission);
              }}
            >
              {t('bell.enableDesktop')}
            </Button>
          )}
          {query.isError && (
            <p role="alert" className="error">
              {t('bell.error', { message: query.error.message })}
            </p>
          )}
          {query.isSuccess && items.length === 0 && <p className="bell-empty">{t('bell.empty')}</p>}
          <ul className="bell-list">
            {items.map((n) => (
              <li key={n.notificationId} className={n.read ? 'read' : 'unread'}>
                <Link
                  href={`/inbox/${n.threadId}`}
                  onClick={() => {
                    if (!n.read) markRead.mutate([n.notificationId]);
                    setBell({ open: false, filter });
                  }}
                >
                  <span className="bell-what">
                    {!n.read && <span className="visually-hidden">{t('card.unread')}: </span>}
                    {titleOf(n)}
                  </span>
                  <span className="bell-subject">{n.subject || t('thread.noSubject')}</span>
                  {n.excerpt && <span className="bell-excerpt">{n.excerpt}</span>}
                  <time dateTime={n.at}>{relativeTime(n.at, undefined, locale())}</time>
                </Link>
                {!n.read && (
                  <Button size="sm" variant="ghost" onClick={() => markRead.mutate([n.notificationId])}>
                    {t('bell.markRead')}
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
