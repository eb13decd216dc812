/**
 * EventBridge on loopback, for the domain events (thread created, message received or sent, status
 * changed, reminder sent): it answers PutEvents as AWS does and keeps the events, so that the same
 * publisher adapter runs locally and a person or a test can see what integrators would receive.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { closeServer, listenOnLoopback, readBody } from './net.ts';

export interface LocalEvent {
  at: string;
  source?: string;
  detailType?: string;
  eventBusName?: string;
  detail: unknown;
}

export interface EventBridgeLocal {
  endpoint: string;
  port: number;
  events(): LocalEvent[];
  stop(): Promise<void>;
}

/** Keeps at most this many events in memory. */
const MAX_EVENTS = 1000;

export async function startEventBridgeLocal(
  opts: { port?: number; onEvent?: (e: LocalEvent) => void } = {},
): Promise<EventBridgeLocal> {
  const events: LocalEvent[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const body = raw.toString('utf8');
        const target = String(req.headers['x-amz-target'] ?? '');
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(payload));
        };
        if (target !== 'AWSEvents.PutEvents') {
          return reply(400, { __type: 'UnknownOperationException', message: `local EventBridge: ${target}` });
        }
        const entries: Array<Record<string, unknown>> = JSON.parse(body || '{}').Entries ?? [];
        for (const entry of entries) {
          let detail: unknown = entry.Detail;
          try {
            detail = JSON.parse(String(entry.Detail));
          } catch {
            // Kept as the string it was.
          }
          const event: LocalEvent = {
            at: new Date().toISOString(),
            source: entry.Source as string | undefined,
            detailType: entry.DetailType as string | undefined,
            eventBusName: entry.EventBusName as string | undefined,
            detail,
          };
          events.push(event);
          if (events.length > MAX_EVENTS) events.shift();
          opts.onEvent?.(event);
        }
        reply(200, { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) });
      })
      .catch((e) => {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ValidationException', message: String(e) }));
      });
  });
  const port = await listenOnLoopback(server, opts.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    events: () => [...events],
    stop: () => closeServer(server),
  };
}
