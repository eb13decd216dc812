/**
 * A WebSocket client of the live-updates protocol (docs/live.md) for tests: it records every frame
 * with its arrival time, and waits for a frame that matches, with a deadline.
 */
import WebSocket from 'ws';

export interface Received {
  at: number;
  frame: any;
}

export interface LiveClient {
  socket: WebSocket;
  frames: Received[];
  /** The `changed` events received so far, each with its frame's arrival time. */
  events(): Array<{ at: number; event: any }>;
  /** Resolves with the first frame (already received or to come) that `match` accepts. */
  next(match: (frame: any) => boolean, timeoutMs?: number): Promise<Received>;
  send(frame: unknown): void;
  close(): Promise<void>;
}

/**
 * Opens a connection as a browser does: the token as the `gochat.bearer.<token>` subprotocol (an end
 * user's widget token, `widget: true`, as `gochat.widget.<token>`).
 */
export function connectLive(
  url: string,
  token: string | undefined,
  opts: { workspaceId?: string; protocols?: string[]; headers?: Record<string, string>; widget?: boolean } = {},
): Promise<LiveClient> {
  const target = opts.workspaceId ? `${url}/?workspaceId=${encodeURIComponent(opts.workspaceId)}` : url;
  const scheme = opts.widget ? 'gochat.widget.' : 'gochat.bearer.';
  const protocols = opts.protocols ?? ['gochat.v1', ...(token ? [`${scheme}${token}`] : [])];
  const socket = new WebSocket(target, protocols, { headers: opts.headers });
  const frames: Received[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    let frame: unknown;
    try {
      frame = JSON.parse(String(data));
    } catch {
      frame = { unparsed: String(data) };
    }
    frames.push({ at: Date.now(), frame });
    for (const w of waiters) w();
  });
  const client: LiveClient = {
    socket,
    frames,
    events: () =>
      frames
        .filter((f) => f.frame.type === 'changed')
        .flatMap((f) => f.frame.events.map((event: unknown) => ({ at: f.at, event }))),
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find((f) => match(f.frame));
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.frame))}`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close(1000);
      }),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c;
      });
      res.on('end', () =>
        reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode, body })),
      );
    });
    socket.once('error', reject);
  });
}

/** The handshake's refusal: its HTTP status and error body, or a failure if it was accepted. */
export async function refusedHandshake(
  ...args: Parameters<typeof connectLive>
): Promise<{ status: number; body: any }> {
  try {
    const client = await connectLive(...args);
    await client.close();
  } catch (e) {
    const err = e as { status?: number; body?: string };
    if (err.status === undefined) throw e;
    return { status: err.status, body: err.body ? JSON.parse(err.body) : undefined };
  }
  throw new Error('the handshake was accepted');
}

/**
 * Live updates on a test API's table (test/support/api.ts): the local `ws` server with the live
 * handler built by its factory, and the fan-out reading the table's stream, as `npm start` wires them.
 */
export async function startTestLive(api: {
  endpoint: string;
  tableName: string;
  db: import('@aws-sdk/lib-dynamodb').DynamoDBDocumentClient;
  admin: import('#auth/authenticate.ts').AuthDeps['admin'];
  deps: {
    agents: import('#auth/authenticate.ts').AuthDeps['agents'];
    chat?: import('#auth/end-user.ts').EndUserAuthDeps['chat'];
  };
}) {
  const { createLiveSocketHandler, endUserLiveAuthenticator, liveAuthenticator } = await import(
    '#adapters/live-handlers.ts'
  );
  const { createLiveFanoutHandler } = await import('#adapters/live-fanout-handler.ts');
  const { DynamoConnectionStore, DynamoLiveSignals } = await import('#adapters/dynamo/connection-store.ts');
  const { ApiGatewayConnectionPoster, managementApiClient } = await import('#adapters/live-poster.ts');
  const { startLiveServer } = await import('#lib/local/live-server.ts');
  const { StreamPoller } = await import('#lib/local/stream-poller.ts');
  const connections = new DynamoConnectionStore(api.db, api.tableName);
  const signals = new DynamoLiveSignals(api.db, api.tableName);
  const errors: unknown[] = [];
  const socket = createLiveSocketHandler(
    {
      connections,
      authenticate: liveAuthenticator({ admin: api.admin, agents: api.deps.agents }),
      // End users (widget tokens, on the wall clock): the chat deps of the test API once a test enables them.
      authenticateEndUser: (token, workspaceId) =>
        endUserLiveAuthenticator({ clock: { now: () => new Date() }, chat: api.deps.chat })(token, workspaceId),
      threadAccess: signals,
      typing: signals,
      clock: { now: () => new Date() },
    },
    { error: (_m: string, e: unknown) => errors.push(e) },
  );
  const server = await startLiveServer({ handler: () => socket, log: (l) => errors.push(l) });
  const client = managementApiClient({ region: 'local', endpoint: server.endpoint, local: true });
  const fanout = createLiveFanoutHandler({ connections, poster: new ApiGatewayConnectionPoster(client) });
  const poller = new StreamPoller({
    endpoint: api.endpoint,
    tableName: api.tableName,
    region: 'local',
    handler: fanout,
    startAt: 'LATEST',
    intervalMs: 100,
    onError: (e) => errors.push(e),
  });
  await poller.start();
  return {
    url: server.url,
    server,
    connections,
    poller,
    /** Unexpected errors: 5xx causes, handler and poller failures. A test ends with none. */
    errors,
    async stop() {
      await poller.stop();
      await server.stop();
      client.destroy();
    },
  };
}
