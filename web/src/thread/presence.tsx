import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { avatarFor, useAgents } from '../agents/index.ts';
import { api } from '../api/client.ts';
import { currentSession } from '../auth/session.ts';
import { t } from '../i18n/index.ts';
import { subscribeTyping, typistsOf } from '../live/index.ts';
import { threadQueries } from './queries.ts';

/** A presence lasts 60 s on the server: it is reported again every 20 s while the thread is open. */
const REPORT_MS = 20_000;

/** Reports that this agent views (or writes in) the thread, and leaves it on close. */
export function useReportPresence(threadId: string, writing: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    const state = writing ? 'writing' : 'viewing';
    const report = () =>
      api
        .PUT('/v1/threads/{threadId}/presence', { params: { path: { threadId } }, body: { state } })
        .then((r) => {
          if (r.data) qc.setQueryData(threadQueries.presence(threadId).queryKey, r.data.items);
        })
        .catch(() => {});
    report();
    const timer = setInterval(report, REPORT_MS);
    return () => clearInterval(timer);
  }, [threadId, writing, qc]);
  useEffect(
    () => () => {
      api.DELETE('/v1/threads/{threadId}/presence', { params: { path: { threadId } } }).catch(() => {});
    },
    [threadId],
  );
}

/** Who else views or writes in the thread, live (presence changes invalidate this query). */
export function PresenceBar({ threadId }: { threadId: string }) {
  const { data: agents } = useAgents();
  const me = currentSession()?.agentId;
  const presence = useQuery(threadQueries.presence(threadId));
  const others = (presence.data ?? []).filter((p) => p.agentId !== me);
  // Customers typing in the widget (live `typing` events): named as their messages in the feed name them.
  const feed = useQuery(threadQueries.feed(threadId));
  const typing = useSyncExternalStore(subscribeTyping, () => typistsOf(threadId).join(' '))
    .split(' ')
    .filter((id) => id.startsWith('customer:'))
    .map((id) => {
      const contactId = id.slice('customer:'.length);
      const from = feed.data?.items.find((i) => i.type === 'message' && i.contactId === contactId);
      const name = from?.type === 'message' ? from.from.name || from.from.address : undefined;
      return name ? t('typing.named', { name }) : t('typing.customer');
    });
  return (
    <p className="presence" role="status" aria-live="polite">
      {[
        ...others.map((p) =>
          t(p.state === 'writing' ? 'presence.writing' : 'presence.viewing', {
            name: p.agentName ?? avatarFor(p.agentId, agents).name,
          }),
        ),
        ...typing,
      ].join(' · ')}
    </p>
  );
}
