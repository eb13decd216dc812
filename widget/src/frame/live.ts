/**
 * The widget on the live WebSocket (docs/live.md, "End users"): the widget token as a subprotocol,
 * `subscribe` to the end user's threads, new messages and agents' typing pushed as ids, `typing` sent
 * (throttled). Reconnects with a backoff (1 s, 2 s, … 30 s); every (re)connect is a catch-up, as the
 * data itself always comes from the REST API.
 */

export interface LiveHandlers {
  /** Connected (again): re-read over REST what may have changed meanwhile. */
  onOpen(): void;
  /** A message of a viewed thread was written. */
  onMessage(threadId: string): void;
  /** An agent types in a viewed thread. */
  onTyping(threadId: string): void;
  /** The socket state, for the slow fallback poll. */
  onState(open: boolean): void;
}

interface Changed {
  type: 'changed';
  events: { threadId: string; changes: { entity: string; id?: string }[] }[];
}

const PING_MS = 5 * 60_000;
/** One typing signal per thread this often at most (the server drops more anyway). */
export const TYPING_EVERY_MS = 3000;

export class LiveSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private ping: ReturnType<typeof setInterval> | undefined;
  private stopped = false;
  private threadIds: string[] = [];
  private lastTyping = new Map<string, number>();

  constructor(
    private readonly url: string,
    private readonly token: () => string | undefined,
    private readonly on: LiveHandlers,
  ) {
    this.connect();
  }

  private connect() {
    const token = this.token();
    if (this.stopped || !token) return;
    const ws = new WebSocket(this.url, ['gochat.v1', `gochat.widget.${token}`]);
    this.socket = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.subscribe(this.threadIds);
      this.ping = setInterval(() => ws.send('{"action":"ping"}'), PING_MS);
      this.on.onState(true);
      this.on.onOpen();
    };
    ws.onmessage = (m) => {
      let frame: Changed;
      try {
        frame = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (frame?.type !== 'changed' || !Array.isArray(frame.events)) return;
      for (const e of frame.events) {
        if (e.changes.some((c) => c.entity === 'feed')) this.on.onMessage(e.threadId);
        if (e.changes.some((c) => c.entity === 'typing')) this.on.onTyping(e.threadId);
      }
    };
    ws.onclose = () => {
      clearInterval(this.ping);
      if (this.socket === ws) this.socket = null;
      if (this.stopped) return;
      this.on.onState(false);
      this.retry = setTimeout(() => this.connect(), Math.min(30_000, 1000 * 2 ** this.attempt++));
    };
  }

  /** The threads whose messages this frame wants (the server keeps only the end user's own). */
  subscribe(threadIds: string[]) {
    this.threadIds = threadIds.slice(0, 20);
    if (this.socket?.readyState === WebSocket.OPEN)
      this.socket.send(JSON.stringify({ action: 'subscribe', threadIds: this.threadIds }));
  }

  /** The end user types in a thread: at most one signal every few seconds. */
  typing(threadId: string) {
    const now = Date.now();
    if (this.socket?.readyState !== WebSocket.OPEN || now - (this.lastTyping.get(threadId) ?? 0) < TYPING_EVERY_MS)
      return;
    this.lastTyping.set(threadId, now);
    this.socket.send(JSON.stringify({ action: 'typing', threadId }));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.ping);
    this.socket?.close();
    this.socket = null;
  }
}
