/**
 * Live updates (docs/live.md): one WebSocket per signed-in tab. Events carry only ids; each one just
 * invalidates the queries it names, and the data comes from the REST API as always.
 */
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { appConfig } from '../app/config.ts';
import { currentSession, refreshSession, sessionExpiring } from '../auth/session.ts';
import { queueQueries } from '../queue/queries.ts';
import { threadQueries } from '../thread/queries.ts';

export type LiveState = 'off' | 'connecting' | 'open' | 'closed';

interface ChangedFrame {
  type: 'changed';
  events: { threadId: string; rev?: number; changes: { entity: string; id?: string; removed?: boolean }[] }[];
}

let viewed: string[] = [];
let socket: WebSocket | null = null;

function sendSubscribe() {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'subscribe', threadIds: viewed }));
}

/** The threads this tab views (their drafts and presence are pushed only to viewers). */
export function setViewedThreads(threadIds: string[]) {
  viewed = threadIds.slice(0, 20);
  sendSubscribe();
}

// ---- typing (docs/live.md, "Typing"): ephemeral, never in the query cache ----

/** How long a typing signal shows after it came (the sender repeats it every few seconds while typing). */
export const TYPING_SHOWN_MS = 6000;
/** One signal per thread this often at most; the server drops more anyway. */
export const TYPING_EVERY_MS = 3000;

let typists: { threadId: string; id: string; until: number }[] = [];
const typingListeners = new Set<() => void>();
const lastTyping = new Map<string, number>();

export function subscribeTyping(listener: () => void) {
  typingListeners.add(listener);
  return () => typingListeners.delete(listener);
}

/** Who types in the thread now: `customer:<contactId>`, `agent:<id>`, … */
export function typistsOf(threadId: string, now = Date.now()): string[] {
  return typists.filter((t) => t.threadId === threadId && t.until > now).map((t) => t.id);
}

function noteTyping(threadId: string, id: string) {
  const until = Date.now() + TYPING_SHOWN_MS;
  typists = [
    ...typists.filter((t) => t.until > Date.now() && !(t.threadId === threadId && t.id === id)),
    { threadId, id, until },
  ];
  for (const l of typingListeners) l();
  setTimeout(() => {
    for (const l of typingListeners) l();
  }, TYPING_SHOWN_MS + 50);
}

/** The agent types a public answer in the thread (never called for a comment): throttled. */
export function sendTyping(threadId: string) {
  const now = Date.now();
  if (socket?.readyState !== WebSocket.OPEN || now - (lastTyping.get(threadId) ?? 0) < TYPING_EVERY_MS) return;
  lastTyping.set(threadId, now);
  socket.send(JSON.stringify({ action: 'typing', threadId }));
}

export function applyChanges(qc: QueryClient, frame: ChangedFrame) {
  let lists = false;
  for (const event of frame.events) {
    for (const change of event.changes) {
      switch (change.entity) {
        case 'typing':
          if (change.id) noteTyping(event.threadId, change.id);
          break;
        case 'feed':
        case 'attachment':
          qc.invalidateQueries({ queryKey: threadQueries.feed(event.threadId).queryKey });
          break;
        case 'draft':
          qc.invalidateQueries({ queryKey: threadQueries.drafts(event.threadId).queryKey });
          break;
        case 'presence':
          qc.invalidateQueries({ queryKey: threadQueries.presence(event.threadId).queryKey });
          break;
        case 'notification':
          // The bell (and the Mentions view's count) of this agent: only its own connections get it.
          qc.invalidateQueries({ queryKey: queueQueries.notifications().queryKey });
          qc.invalidateQueries({ queryKey: queueQueries.views().queryKey });
          break;
        default:
          lists = true;
          qc.invalidateQueries({ queryKey: threadQueries.one(event.threadId).queryKey });
          qc.invalidateQueries({ queryKey: threadQueries.feed(event.threadId).queryKey });
      }
    }
  }
  if (lists) {
    qc.invalidateQueries({ queryKey: threadQueries.lists() });
    qc.invalidateQueries({ queryKey: queueQueries.views().queryKey });
  }
}

const PING_MS = 5 * 60_000;

export function useLiveUpdates(): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>(appConfig().liveUrl ? 'connecting' : 'off');
  useEffect(() => {
    const url = appConfig().liveUrl;
    if (!url || !currentSession()) return;
    let stopped = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let ping: ReturnType<typeof setInterval> | undefined;
    const connect = async () => {
      // Each (re)connection presents the current token: the one of the first connection may have expired.
      if (sessionExpiring()) await refreshSession();
      const session = currentSession();
      if (stopped || !session) return;
      setState('connecting');
      const target = new URL(url);
      if (session.workspaceId) target.searchParams.set('workspaceId', session.workspaceId);
      // Browsers cannot set headers on a WebSocket: the token travels as a subprotocol, never in the URL.
      const ws = new WebSocket(target, ['gochat.v1', `gochat.bearer.${session.token}`]);
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        setState('open');
        sendSubscribe();
        // Catch up on whatever changed while disconnected: the lists and the viewed threads are refetched.
        qc.invalidateQueries({ queryKey: threadQueries.all() });
        qc.invalidateQueries({ queryKey: queueQueries.all() });
        ping = setInterval(() => ws.send(JSON.stringify({ action: 'ping' })), PING_MS);
      };
      ws.onmessage = (m) => {
        try {
          const frame = JSON.parse(String(m.data));
          if (frame?.type === 'changed' && Array.isArray(frame.events)) applyChanges(qc, frame as ChangedFrame);
        } catch {
          // Not JSON: ignored.
        }
      };
      ws.onclose = () => {
        clearInterval(ping);
        if (socket === ws) socket = null;
        if (stopped) return;
        setState('closed');
        const delay = Math.min(30_000, 1000 * 2 ** attempt++);
        retry = setTimeout(() => void connect(), delay);
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(ping);
      socket?.close();
      socket = null;
    };
  }, [qc]);
  return state;
}
