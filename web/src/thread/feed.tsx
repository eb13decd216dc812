import { useState } from 'react';
import { avatarFor, useAgents } from '../agents/use-agents.ts';
import { api, type FeedItem, type Message, type Schemas, unwrap } from '../api/client.ts';
import { bytes, fullTime } from '../ui/format.ts';
import { HtmlFrame } from './html-frame.tsx';

type Actor = Schemas['Actor'];

export function actorName(actor: Actor | undefined, agents: ReturnType<typeof useAgents>['data']): string {
  if (!actor) return 'Someone';
  switch (actor.kind) {
    case 'agent':
      return avatarFor(actor.id, agents).name;
    case 'integration':
      return `Integration ${actor.keyId}`;
    case 'customer':
      return 'The customer';
    case 'system':
      return actor.id === 'workflow' ? 'Reminder policy' : 'Mail intake';
  }
}

/** The messages view's feed: messages, updates and comments, in time order. */
export function Feed({ threadId, items }: { threadId: string; items: FeedItem[] }) {
  const { data: agents } = useAgents();
  return (
    <ol className="feed" aria-label="Feed">
      {items.map((item) => (
        <li key={item.itemId} className={`feed-item feed-${item.type}`}>
          {item.type === 'message' ? (
            <MessageItem threadId={threadId} message={item} agents={agents} />
          ) : item.type === 'update' ? (
            <p className="update">
              <span>
                {actorName(item.actor, agents)} {describeUpdate(item, agents)}
              </span>{' '}
              <time dateTime={item.at}>{fullTime(item.at)}</time>
            </p>
          ) : (
            <article className="comment" aria-label={`Comment by ${actorName(item.actor, agents)}`}>
              <header>
                <strong>{actorName(item.actor, agents)}</strong> commented{' '}
                <time dateTime={item.at}>{fullTime(item.at)}</time>
              </header>
              <p className="body">{item.body}</p>
            </article>
          )}
        </li>
      ))}
    </ol>
  );
}

function show(value: unknown, field: string, agents: ReturnType<typeof useAgents>['data']): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return 'none';
  if (field === 'assignee' && typeof value === 'string') return avatarFor(value, agents).name;
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** A merge update names each thread by `{threadId, ref, subject}`. */
function mergeName(v: unknown): string {
  const t = (v ?? {}) as { ref?: string; subject?: string };
  return `${t.subject || '(no subject)'}${t.ref ? ` [#${t.ref}]` : ''}`;
}

function describeUpdate(u: Schemas['Update'], agents: ReturnType<typeof useAgents>['data']): string {
  if (u.field === 'merge') return `merged ${mergeName(u.from)} into ${mergeName(u.to)}`;
  if (u.field === 'reminder') return `sent reminder ${show(u.to, u.field, agents)}`;
  return `changed ${u.field} from ${show(u.from, u.field, agents)} to ${show(u.to, u.field, agents)}`;
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
      aria-label={`${m.direction === 'inbound' ? 'Message from' : 'Message sent by'} ${m.direction === 'outbound' && m.actor ? actorName(m.actor, agents) : from}`}
    >
      <header>
        <strong>{from}</strong>
        <span className="to"> to {m.to.map((t) => t.address).join(', ')}</span>
        <time dateTime={m.at}>{fullTime(m.at)}</time>
        {m.direction === 'outbound' && m.delivery?.state !== 'failed' && (
          <span className="delivery">{m.delivery?.state === 'sent' ? 'Sent' : 'Sending'}</span>
        )}
      </header>
      {flags.length > 0 && (
        <ul className="flags" aria-label="Flags">
          {flags.map((f) => (
            <li key={f} className="flag">
              {f}
            </li>
          ))}
        </ul>
      )}
      <p className="subject">{m.subject}</p>
      <div className="body">{quoted ? m.text : m.newText || m.text}</div>
      <div className="message-actions">
        {hasQuoted && (
          <button type="button" aria-expanded={quoted} onClick={() => setQuoted((q) => !q)}>
            {quoted ? 'Hide quoted text' : 'Show quoted text'}
          </button>
        )}
        {m.html && (
          <button type="button" aria-expanded={showHtml} onClick={() => setShowHtml((s) => !s)}>
            {showHtml ? 'Hide HTML' : 'Show HTML'}
          </button>
        )}
      </div>
      {showHtml && m.html && <HtmlFrame html={m.html} title={`HTML of the message from ${from}`} />}
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
      <button type="button" className="link" onClick={download} aria-label={`Download ${a.filename}`}>
        {a.filename}
      </button>{' '}
      <span className="size">{bytes(a.size)}</span>
      {error && <span role="alert"> {error}</span>}
    </>
  );
}
