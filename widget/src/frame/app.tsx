/**
 * The widget's frame: the end user's conversations, one conversation's messages, a composer. Server
 * state comes from the REST API only; the live WebSocket (live.ts) says when to re-read it, with a slow
 * poll only while the socket is down (or when the deployment has none).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { bytes } from '../../../design/format.ts';
import {
  client,
  currentWidgetToken,
  downloadAttachment,
  hasSession,
  newClientMessageId,
  openSession,
  uploadFile,
  type WidgetMessage,
  type WidgetThread,
  whenUnauthorized,
} from '../api/client.ts';
import { Author } from './author.tsx';
import { fromHost, toHost } from './host.ts';
import { LiveSocket } from './live.ts';

/** Without the live socket (down, or none here): a slow poll as a fallback. */
const FALLBACK_POLL_MS = 15_000;
/** An agent's typing shows this long after their last signal. */
const TYPING_SHOWN_MS = 6000;

export function App({
  workspaceId,
  hostOrigin,
  liveUrl,
}: {
  workspaceId: string;
  hostOrigin: string | null;
  liveUrl?: string;
}) {
  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [visible, setVisible] = useState(false);
  const [threads, setThreads] = useState<WidgetThread[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [composing, setComposing] = useState(false);
  const [messages, setMessages] = useState<WidgetMessage[]>([]);
  const [readAt, setReadAt] = useState<string | undefined>();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  /** Bumped at each new widget token: the socket reconnects with it. */
  const [session, setSession] = useState(0);
  const [liveOpen, setLiveOpen] = useState(false);
  const [agentTyping, setAgentTyping] = useState<{ threadId: string; until: number } | null>(null);
  const live = useRef<LiveSocket | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const listEnd = useRef<HTMLLIElement>(null);

  useEffect(() => {
    if (!hostOrigin) return;
    whenUnauthorized(() => {
      setReady(false);
      toHost(hostOrigin, { type: 'gochat:token-request' });
    });
    const stop = fromHost(hostOrigin, (message) => {
      if (message.type === 'gochat:token')
        openSession(workspaceId, message.token).then(
          (opened) => {
            setFailure(null);
            setReady(true);
            setSession((n) => n + 1);
            // A fresh token a minute before this one ends: the live connection ends with its token.
            clearTimeout(renew);
            renew = setTimeout(
              () => toHost(hostOrigin, { type: 'gochat:token-request' }),
              Math.max(5000, Date.parse(opened.expiresAt) - Date.now() - 60_000),
            );
          },
          (e: Error) => setFailure(e.message),
        );
      else if (message.type === 'gochat:visibility') setVisible(message.open);
    });
    let renew: ReturnType<typeof setTimeout> | undefined;
    toHost(hostOrigin, { type: 'gochat:ready' });
    return () => {
      clearTimeout(renew);
      stop();
    };
  }, [workspaceId, hostOrigin]);

  const refresh = useCallback(async () => {
    if (!hasSession()) return;
    const list = await client.GET('/v1/widget/threads');
    if (!list.data) return;
    setThreads(list.data.items);
    const open = current ?? (composing ? null : (list.data.items[0]?.threadId ?? null));
    if (open && open !== current) setCurrent(open);
    if (!open) return;
    const page = await client.GET('/v1/widget/threads/{threadId}/messages', { params: { path: { threadId: open } } });
    if (!page.data) return;
    setMessages(page.data.items);
    setReadAt(page.data.readAt);
  }, [current, composing]);

  const refreshNow = useRef(refresh);
  refreshNow.current = refresh;
  const currentNow = useRef(current);
  currentNow.current = current;

  // The live socket: one per widget token; each (re)connect re-reads, each message event too.
  useEffect(() => {
    if (!ready || !liveUrl) return;
    const socket = new LiveSocket(liveUrl, currentWidgetToken, {
      onOpen: () => void refreshNow.current(),
      onMessage: (threadId) => {
        if (threadId === currentNow.current) setAgentTyping(null);
        void refreshNow.current();
      },
      onTyping: (threadId) => setAgentTyping({ threadId, until: Date.now() + TYPING_SHOWN_MS }),
      onState: setLiveOpen,
    });
    live.current = socket;
    return () => {
      socket.stop();
      live.current = null;
      setLiveOpen(false);
    };
  }, [ready, liveUrl, session]);

  const threadKey = threads
    .slice(0, 20)
    .map((t) => t.threadId)
    .join(',');
  useEffect(() => live.current?.subscribe(threadKey ? threadKey.split(',') : []), [threadKey, liveOpen]);

  // Read once on (re)open; poll slowly only while there is no live socket.
  useEffect(() => {
    if (!ready) return;
    void refresh();
    if (liveOpen) return;
    const timer = setInterval(() => void refresh(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [ready, refresh, liveOpen]);

  // The typing indicator goes away by itself.
  useEffect(() => {
    if (!agentTyping) return;
    const timer = setTimeout(() => setAgentTyping(null), Math.max(0, agentTyping.until - Date.now()));
    return () => clearTimeout(timer);
  }, [agentTyping]);

  // Unread: agents' messages after the read receipt. Seen once the frame is open on the conversation.
  const unread = messages.filter((m) => m.author === 'agent' && (!readAt || m.at > readAt));
  useEffect(() => {
    if (hostOrigin) toHost(hostOrigin, { type: 'gochat:unread', count: visible ? 0 : unread.length });
    if (visible && current && unread.length > 0) {
      const upTo = unread[unread.length - 1].at;
      void client
        .POST('/v1/widget/threads/{threadId}/read', { params: { path: { threadId: current } }, body: { upTo } })
        .then((r) => r.data && setReadAt(r.data.readAt));
    }
  }, [visible, current, unread.length, hostOrigin]);

  useEffect(() => listEnd.current?.scrollIntoView?.({ block: 'end' }), [messages.length]);

  async function send(event: Event) {
    event.preventDefault();
    const body = text.trim() || file?.name || '';
    if (!body || sending) return;
    setSending(true);
    let attachments: { uploadId: string }[] | undefined;
    if (file) {
      try {
        attachments = [{ uploadId: await uploadFile(file) }];
      } catch (e) {
        setSending(false);
        setFailure((e as Error).message);
        return;
      }
    }
    const clientMessageId = newClientMessageId();
    const out = current
      ? await client.POST('/v1/widget/threads/{threadId}/messages', {
          params: { path: { threadId: current } },
          body: { text: body, clientMessageId, attachments },
        })
      : await client.POST('/v1/widget/threads', { body: { text: body, clientMessageId, attachments } });
    setSending(false);
    if (out.data) {
      setText('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      setFailure(null);
      setComposing(false);
      setCurrent(out.data.thread.threadId);
      void refresh();
    } else setFailure(out.error?.error.message ?? 'not sent');
  }

  if (!hostOrigin) return <p role="alert">This site is not allowed to embed the support chat.</p>;
  if (!ready) return <p role="status">{failure ? `Cannot connect: ${failure}` : 'Connecting…'}</p>;
  const thread = threads.find((t) => t.threadId === current);
  return (
    <div class="gcw">
      <header>
        <h1>{composing || !thread ? 'New conversation' : thread.subject}</h1>
        <button
          type="button"
          onClick={() => toHost(hostOrigin, { type: 'gochat:close' })}
          aria-label="Close support chat"
        >
          ×
        </button>
      </header>
      <nav aria-label="Conversations">
        <button
          type="button"
          onClick={() => {
            setComposing(true);
            setCurrent(null);
            setMessages([]);
          }}
        >
          New conversation
        </button>
        {threads.length > 0 && (
          <select
            aria-label="Conversation"
            value={current ?? ''}
            onChange={(e) => {
              setComposing(false);
              setCurrent((e.target as HTMLSelectElement).value || null);
            }}
          >
            {composing && <option value="">New conversation</option>}
            {threads.map((t) => (
              <option key={t.threadId} value={t.threadId}>
                {t.subject}
              </option>
            ))}
          </select>
        )}
      </nav>
      <main>
        <ol aria-label="Messages" aria-live="polite">
          {(composing ? [] : messages).map((m) => (
            <li key={m.itemId} class={m.author === 'me' ? 'me' : 'them'}>
              <Author name={m.author === 'me' ? 'You' : (m.authorName ?? 'Support')} />
              <p>{m.text}</p>
              {m.attachments.length > 0 && (
                <ul class="files" aria-label="Attachments">
                  {m.attachments.map((a) => (
                    <li key={a.attachmentId}>
                      <button
                        type="button"
                        class="file"
                        title={`Download ${a.filename}`}
                        onClick={() =>
                          current &&
                          downloadAttachment(current, a.attachmentId).catch((e: Error) => setFailure(e.message))
                        }
                      >
                        <span aria-hidden="true">↓ </span>
                        {a.filename} <small>({bytes(a.size)})</small>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
          <li ref={listEnd} class="end" aria-hidden="true" />
        </ol>
        <p class="typing" role="status">
          {!composing && agentTyping && agentTyping.threadId === current ? 'Support is typing…' : ''}
        </p>
      </main>
      <form onSubmit={send}>
        <label for="gcw-text">Message</label>
        <textarea
          id="gcw-text"
          value={text}
          maxLength={20000}
          rows={2}
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            if (current && !composing) live.current?.typing(current);
          }}
        />
        <label for="gcw-file">Attach a file</label>
        <input
          id="gcw-file"
          ref={fileInput}
          type="file"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
        />
        <button type="submit" disabled={sending || (!text.trim() && !file)}>
          Send
        </button>
      </form>
      {failure && <p role="alert">{failure}</p>}
    </div>
  );
}
