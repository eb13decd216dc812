import { Download } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { bytes, dayKey, dayLabel, fullTime } from '../../../design/format.ts';
import { avatarFor, useAgents } from '../agents/index.ts';
import { api, type FeedItem, type Message, type Schemas, unwrap } from '../api/client.ts';
import { locale, t } from '../i18n/index.ts';
import { Badge, Button, Skeleton } from '../ui/index.ts';
import { CommentItem } from './comment-item.tsx';

// Mail HTML (and DOMPurify with it) loads only when an agent asks to see it.
const HtmlFrame = lazy(() => import('./html-frame.tsx').then((m) => ({ default: m.HtmlFrame })));

type Actor = Schemas['Actor'];

export function actorName(actor: Actor | undefined, agents: ReturnType<typeof useAgents>['data']): string {
  if (!actor) return t('actor.someone');
  switch (actor.kind) {
    case 'agent':
      return avatarFor(actor.id, agents).name;
    case 'integration':
      return t('actor.integration', { key: actor.keyId });
    case 'customer':
      return t('actor.customer');
    case 'system':
      return actor.id === 'workflow'
        ? t('actor.workflow')
        : actor.id === 'assignment'
          ? t('assign.actor')
          : t('actor.intake');
  }
}

type Update = Schemas['Update'];
type Row =
  | { kind: 'day'; key: string; label: string }
  | { kind: 'item'; item: FeedItem }
  | { kind: 'updates'; key: string; items: Update[] };

/** A run of updates longer than this shows its last few, the earlier ones behind a button. */
const RUN_SHOWN = 3;
const RUN_COLLAPSE_OVER = 5;

/** The feed as rows: a separator at each new day, and consecutive updates grouped into one run. */
export function feedRows(items: FeedItem[], now = new Date()): Row[] {
  const rows: Row[] = [];
  let day = '';
  for (const item of items) {
    const k = dayKey(item.at);
    if (k !== day) {
      day = k;
      rows.push({ kind: 'day', key: `day-${k}`, label: dayLabel(item.at, now, locale()) });
    }
    const last = rows[rows.length - 1];
    if (item.type === 'update') {
      if (last?.kind === 'updates') last.items.push(item);
      else rows.push({ kind: 'updates', key: item.itemId, items: [item] });
    } else rows.push({ kind: 'item', item });
  }
  return rows;
}

/** The messages view's feed: messages, updates and comments, in time order, by day. */
export function Feed({ threadId, items }: { threadId: string; items: FeedItem[] }) {
  const { data: agents } = useAgents();
  return (
    <ol className="feed" aria-label={t('feed.label')}>
      {feedRows(items).map((row) =>
        row.kind === 'day' ? (
          <li key={row.key} className="day-separator">
            <span>{row.label}</span>
          </li>
        ) : row.kind === 'updates' ? (
          <li key={row.key} className="feed-item feed-updates">
            <UpdateRun updates={row.items} agents={agents} />
          </li>
        ) : (
          <li key={row.item.itemId} className={`feed-item feed-${row.item.type}`}>
            {row.item.type === 'message' ? (
              <MessageItem threadId={threadId} message={row.item} agents={agents} />
            ) : row.item.type === 'comment' ? (
              <CommentItem threadId={threadId} comment={row.item} author={actorName(row.item.actor, agents)} />
            ) : null}
          </li>
        ),
      )}
    </ol>
  );
}

function UpdateRun({ updates, agents }: { updates: Update[]; agents: ReturnType<typeof useAgents>['data'] }) {
  const [all, setAll] = useState(false);
  const hidden = !all && updates.length > RUN_COLLAPSE_OVER ? updates.length - RUN_SHOWN : 0;
  return (
    <>
      {hidden > 0 && (
        <Button variant="ghost" size="sm" onClick={() => setAll(true)}>
          {t('feed.earlierUpdates', { n: hidden })}
        </Button>
      )}
      <ul className="updates">
        {updates.slice(hidden).map((u) => (
          <li key={u.itemId} className="update">
            <span>
              {actorName(u.actor, agents)} {describeUpdate(u, agents)}
            </span>{' '}
            <time dateTime={u.at}>{fullTime(u.at, locale())}</time>
          </li>
        ))}
      </ul>
    </>
  );
}

function show(value: unknown, field: string, agents: ReturnType<typeof useAgents>['data']): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return t('update.none');
  if (field === 'assignee' && typeof value === 'string') return avatarFor(value, agents).name;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** A merge update names each thread by `{threadId, ref, subject}`. */
function mergeName(v: unknown): string {
  const x = (v ?? {}) as { ref?: string; subject?: string };
  return `${x.subject || t('thread.noSubject')}${x.ref ? ` [#${x.ref}]` : ''}`;
}

function describeUpdate(u: Schemas['Update'], agents: ReturnType<typeof useAgents>['data']): string {
  if (u.field === 'merge') return t('update.merged', { from: mergeName(u.from), to: mergeName(u.to) });
  if (u.field === 'reminder') return t('update.reminder', { n: show(u.to, u.field, agents) });
  return t('update.changed', {
    field: u.field,
    from: show(u.from, u.field, agents),
    to: show(u.to, u.field, agents),
  });
}

function flagsOf(m: Message): string[] {
  const f: string[] = [];
  if (m.flags.unverifiedSender) f.push('Unverified sender');
  if (m.flags.spam) f.push('Spam');
  if (m.flags.quarantined) f.push('Quarantined');
  if (m.classification === 'bounce') f.push('Bounce');
  if (m.classification === 'auto_reply') f.push('Auto-reply');
  if (m.classification === 'complaint') f.push('Complaint');
  for (const a of m.flags.authFailures ?? []) f.push(`${a.toUpperCase()} failed`);
  if (m.flags.error) f.push(`Error: ${m.flags.error}`);
  if (m.delivery?.state === 'failed') f.push(`Delivery failed${m.delivery.error ? `: ${m.delivery.error}` : ''}`);
  return f;
}

function MessageItem({
  threadId,
  message: m,
  agents,
}: {
  threadId: string;
  message: Message;
  agents: ReturnType<typeof useAgents>['data'];
}) {
  const [quoted, setQuoted] = useState(false);
  const [showHtml, setShowHtml] = useState(false);
  const from = m.from.name ? `${m.from.name} <${m.from.address}>` : m.from.address;
  const flags = flagsOf(m);
  const hasQuoted = m.text.trim() !== m.newText.trim();
  const visible = m.attachments.filter((a) => !a.inline || !m.html);
  return (
    <article
      className={`message ${m.direction}`}
      aria-label={`${m.direction === 'inbound' ? t('feed.messageFrom') : t('feed.messageSentBy')} ${m.direction === 'outbound' && m.actor ? actorName(m.actor, agents) : from}`}
    >
      <header>
        <strong>{from}</strong>
        <span className="to">
          {' '}
          {t('feed.to')} {m.to.map((t) => t.address).join(', ')}
        </span>
        <time dateTime={m.at}>{fullTime(m.at, locale())}</time>
        {m.direction === 'outbound' && m.delivery?.state !== 'failed' && (
          <Badge tone={m.delivery?.state === 'sent' ? 'success' : 'neutral'}>
            {m.delivery?.state === 'sent' ? t('feed.sent') : t('feed.sending')}
          </Badge>
        )}
      </header>
      {flags.length > 0 && (
        <ul className="flags" aria-label={t('feed.flags')}>
          {flags.map((f) => (
            <li key={f}>
              <Badge tone="danger">{f}</Badge>
            </li>
          ))}
        </ul>
      )}
      <p className="subject">{m.subject}</p>
      <div className="body">{quoted ? m.text : m.newText || m.text}</div>
      <div className="message-actions">
        {hasQuoted && (
          <Button variant="ghost" size="sm" aria-expanded={quoted} onClick={() => setQuoted((q) => !q)}>
            {quoted ? t('feed.hideQuoted') : t('feed.showQuoted')}
          </Button>
        )}
        {m.html && (
          <Button variant="ghost" size="sm" aria-expanded={showHtml} onClick={() => setShowHtml((s) => !s)}>
            {showHtml ? t('feed.hideHtml') : t('feed.showHtml')}
          </Button>
        )}
      </div>
      {showHtml && m.html && (
        <Suspense fallback={<Skeleton lines={4} />}>
          <HtmlFrame html={m.html} title={`${t('feed.htmlOf')} ${from}`} />
        </Suspense>
      )}
      {visible.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          {visible.map((a) => (
            <li key={a.attachmentId}>
              <DownloadButton threadId={threadId} attachment={a} />
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

function DownloadButton({ threadId, attachment: a }: { threadId: string; attachment: Schemas['Attachment'] }) {
  const [error, setError] = useState<string>();
  const download = async () => {
    setError(undefined);
    try {
      const d = unwrap(
        await api.GET('/v1/threads/{threadId}/attachments/{attachmentId}', {
          params: { path: { threadId, attachmentId: a.attachmentId } },
        }),
      );
      window.open(d.url, '_blank', 'noopener');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        icon={Download}
        onClick={download}
        aria-label={`${t('feed.download')} ${a.filename}`}
      >
        {a.filename}
      </Button>{' '}
      <span className="size">{bytes(a.size)}</span>
      {error && <span role="alert"> {error}</span>}
    </>
  );
}
