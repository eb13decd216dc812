/**
 * API Gateway's WebSocket API on localhost, with the `ws` library: each handshake, frame and close
 * becomes the `$connect`, `$default` and `$disconnect` event that the live Lambda (functions/live.ts)
 * gets in AWS, and its result decides the handshake (a non-200 refuses it with that status) or is the
 * route response sent back to the client.
 *
 * It also serves the management API that the fan-out posts to (`POST|GET|DELETE /<stage>/@connections/{id}`),
 * so the fan-out's ApiGatewayManagementApi adapter is the very one that runs in AWS. On AWS that API
 * is IAM-signed; here, on loopback, it takes any (local) credentials.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { WebSocketRouteEvent, WebSocketRouteResult } from '#adapters/live-handlers.ts';
import { closeServer, listenOnLoopback, readBody } from './net.ts';

export type LiveHandler = (event: WebSocketRouteEvent) => Promise<WebSocketRouteResult>;

export interface LiveServerOptions {
  port?: number;
  /** The live Lambda's handler; resolved per event, so the server can start before the handler loads. */
  handler: () => LiveHandler;
  stage?: string;
  log?: (line: string) => void;
}

export interface LiveServer {
  /** Where clients connect: `ws://127.0.0.1:<port>`. */
  url: string;
  /** The management API endpoint (LIVE_ENDPOINT): `http://127.0.0.1:<port>/<stage>`. */
  endpoint: string;
  port: number;
  /** Open connections. */
  connections(): number;
  stop(): Promise<void>;
}

/** API Gateway's limit on one message; `ws` closes a connection that sends more (1009). */
const MAX_MESSAGE_BYTES = 128 * 1024;

interface Connection {
  socket?: WebSocket;
  /** Frames posted between a successful `$connect` and the end of the upgrade. */
  queue: string[];
  connectedAt: number;
  sourceIp: string;
  /** Frames are handled one at a time, in order, as API Gateway invokes per message. */
  chain: Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'Internal Server Error',
};

/** Like API Gateway's (`L0SM9cOFvHcCIhw=`): 16 characters, unique. */
const newConnectionId = () => randomBytes(12).toString('base64url');

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

function refuse(socket: Duplex, status: number, body: string | undefined): void {
  if (socket.destroyed) return;
  const text = body ?? '';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export async function startLiveServer(opts: LiveServerOptions): Promise<LiveServer> {
  const log = opts.log ?? (() => {});
  const stage = opts.stage ?? 'live';
  const open = new Map<string, Connection>();
  const protocols = new WeakMap<IncomingMessage, string | undefined>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (_offered, req) => protocols.get(req) ?? false,
  });

  const event = (
    routeKey: string,
    connectionId: string,
    extra: Partial<WebSocketRouteEvent> = {},
  ): WebSocketRouteEvent & Record<string, unknown> => ({
    requestContext: {
      routeKey,
      connectionId,
      requestId: randomUUID(),
      eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE',
      stage,
      apiId: 'local',
      domainName: '127.0.0.1',
      connectedAt: open.get(connectionId)?.connectedAt ?? Date.now(),
      requestTimeEpoch: Date.now(),
    } as WebSocketRouteEvent['requestContext'],
    isBase64Encoded: false,
    ...extra,
  });

  /** Route invocations still running: `stop()` waits for them, as the table goes down after us. */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  const disconnect = async (connectionId: string) => {
    const conn = open.get(connectionId);
    if (!conn) return;
    open.delete(connectionId);
    // After the frames that came before the close, as API Gateway orders a connection's routes.
    await track(
      conn.chain.then(() =>
        opts
          .handler()(event('$disconnect', connectionId))
          .then(() => undefined)
          .catch((e) => log(`live $disconnect failed: ${String(e)}`)),
      ),
    );
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws takes the socket, nothing listens for its errors: a client that gives up while $connect
    // runs (a browser renewing its token closes the attempt) resets it, and an unheard 'error' would
    // bring the whole local stack down (an uncaught ECONNRESET in a CI run).
    socket.on('error', (e) => log(`live handshake: ${e.message}`));
    const connectionId = newConnectionId();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const result = await opts.handler()(
      event('$connect', connectionId, {
        headers: headerRecord(req),
        queryStringParameters: Object.keys(query).length > 0 ? query : null,
      }),
    );
    if (result.statusCode !== 200) {
      refuse(socket, result.statusCode, result.body);
      return;
    }
    const conn: Connection = {
      queue: [],
      connectedAt: Date.now(),
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      chain: Promise.resolve(),
    };
    open.set(connectionId, conn);
    // The client left while $connect ran: API Gateway would call $disconnect for the connection it made.
    if (socket.destroyed) {
      await disconnect(connectionId);
      return;
    }
    const selected = Object.entries(result.headers ?? {}).find(([k]) => k.toLowerCase() === 'sec-websocket-protocol');
    protocols.set(req, selected?.[1]);
    wss.handleUpgrade(req, socket, head, (ws) => {
      conn.socket = ws;
      for (const data of conn.queue.splice(0)) ws.send(data);
      ws.on('message', (data, isBinary) => {
        const buffer = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        conn.chain = track(conn.chain).then(async () => {
          const answer = await opts
            .handler()(
              event('$default', connectionId, {
                body: isBinary ? buffer.toString('base64') : buffer.toString('utf8'),
                isBase64Encoded: isBinary,
              }),
            )
            .catch((e) => {
              log(`live $default failed: ${String(e)}`);
              return { statusCode: 500, body: JSON.stringify({ message: 'Internal server error' }) };
            });
          // The route response: API Gateway sends the integration's body back on the connection.
          if (answer.body !== undefined && ws.readyState === ws.OPEN) ws.send(answer.body);
        });
      });
      ws.on('close', () => void disconnect(connectionId));
      ws.on('error', (e) => log(`live connection ${connectionId}: ${e.message}`));
    });
  };

  /** The management API: POST a frame, GET the connection, DELETE it. */
  const manage = async (req: IncomingMessage, res: ServerResponse) => {
    const m = /\/@connections\/([^/?]+)$/.exec((req.url ?? '').split('?')[0]);
    const send = (status: number, body?: unknown, errorType?: string) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (!m) return send(404, { message: 'Not Found' }, 'NotFoundException');
    const connectionId = decodeURIComponent(m[1]);
    const conn = open.get(connectionId);
    if (!conn) return send(410, { message: 'Gone' }, 'GoneException');
    if (req.method === 'POST') {
      const body = await readBody(req, MAX_MESSAGE_BYTES);
      const text = body.toString('utf8');
      if (conn.socket) conn.socket.send(text);
      else conn.queue.push(text);
      return send(200);
    }
    if (req.method === 'DELETE') {
      conn.socket?.close(1000);
      return send(204);
    }
    if (req.method === 'GET')
      return send(200, {
        ConnectedAt: new Date(conn.connectedAt).toISOString(),
        Identity: { SourceIp: conn.sourceIp },
        LastActiveAt: new Date().toISOString(),
      });
    return send(405, { message: 'Method Not Allowed' });
  };

  const server: Server = createServer((req, res) => {
    manage(req, res).catch((e: unknown) => {
      log(`live management API: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error' }));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    upgrade(req, socket, head).catch((e: unknown) => {
      log(`live $connect failed: ${String(e)}`);
      refuse(socket, 500, JSON.stringify({ message: 'Internal server error' }));
    });
  });
  const port = await listenOnLoopback(server, opts.port ?? 0);
  return {
    url: `ws://127.0.0.1:${port}`,
    endpoint: `http://127.0.0.1:${port}/${stage}`,
    port,
    connections: () => open.size,
    async stop() {
      const ids = [...open.keys()];
      for (const c of open.values()) c.socket?.terminate();
      await Promise.all(ids.map(disconnect));
      await Promise.allSettled([...inFlight]);
      wss.close();
      await closeServer(server);
    },
  };
}
