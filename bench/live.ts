/**
 * Live updates: how soon a change reaches connected clients on the stack that `npm start` runs (a
 * write → the table's stream → the fan-out → the local `ws` server), and what one fan-out batch costs.
 *
 *   npx tsx bench/live.ts
 *
 * Locally the stream is polled every 100 ms (lib/local/stack.ts); on AWS the event source mapping's
 * own delay replaces that part. The cost per batch is counted, not timed: one Query of the workspace's
 * connections per workspace in the batch, one post per connection that receives something.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import {
  type ConnectionPoster,
  type ConnectionStore,
  fanOut,
  type LiveConnection,
  type ThreadItemChange,
} from '#core/live.ts';
import { startLocalStack } from '#lib/local/stack.ts';
import { connectLive } from '../test/support/live.ts';
import type { BenchRow } from './run.ts';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Latency from a write's response (or SMTP's 250) to the frame, at each of `clients` connections. */
async function endToEnd(opts: { clients: number; changes: number; mails: number }) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const stack = await startLocalStack({ dataDir: 'memory' });
  const sockets = await Promise.all(
    Array.from({ length: opts.clients }, () => connectLive(stack.live.url, stack.apiKey)),
  );
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return (await res.json()) as any;
  };
  const seen = (threadId: string, rev: number) => (f: any) =>
    f.type === 'changed' && f.events.some((e: any) => e.threadId === threadId && e.rev >= rev);
  try {
    const mailLatencies: number[] = [];
    let threadId = '';
    const known = new Set<string>();
    for (let i = 0; i < opts.mails; i++) {
      const transport = nodemailer.createTransport({ host: stack.smtp.host, port: stack.smtp.port, ignoreTLS: true });
      const subject = `Bench ${randomUUID()}`;
      await transport.sendMail({ from: `b-${i}@example.com`, to: stack.inboundAddress, subject, text: 'hi' });
      transport.close();
      const at = Date.now();
      // Each mail starts a new thread: the first event of a thread not seen before is this mail's.
      const fresh = (f: any) => f.type === 'changed' && f.events.some((e: any) => !known.has(e.threadId));
      const frames = await Promise.all(sockets.map((s) => s.next(fresh, 15_000)));
      for (const f of frames) mailLatencies.push(f.at - at);
      threadId = frames[0].frame.events.find((e: any) => !known.has(e.threadId)).threadId;
      known.add(threadId);
    }
    const apiLatencies: number[] = [];
    let version = (await api('GET', `/v1/threads/${threadId}`)).version as number;
    for (let i = 0; i < opts.changes; i++) {
      const out = await api('PATCH', `/v1/threads/${threadId}`, { version, tags: [`t${i}`] });
      const at = Date.now();
      version = out.version;
      const frames = await Promise.all(sockets.map((s) => s.next(seen(threadId, version), 15_000)));
      for (const f of frames) apiLatencies.push(f.at - at);
      for (const s of sockets) s.frames.length = 0;
    }
    return { mailLatencies, apiLatencies };
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await stack.stop();
  }
}

/** One fan-out batch of `threads` changes to `connections` connections, counted on in-memory ports. */
async function batchCost(connections: number, threads: number) {
  let queries = 0;
  let posts = 0;
  let bytes = 0;
  const all: LiveConnection[] = Array.from({ length: connections }, (_, i) => ({
    connectionId: `c${i}`,
    workspaceId: 'W1',
    actor: { kind: 'integration', keyId: 'k' },
    connectedAt: '',
    threadIds: i % 10 === 0 ? ['T0'] : [],
  }));
  const store: ConnectionStore = {
    saveConnection: async () => {},
    findConnection: async () => undefined,
    setSubscriptions: async () => true,
    removeConnection: async () => {},
    connectionsOf: async () => {
      queries++;
      return all;
    },
  };
  const poster: ConnectionPoster = {
    post: async (_id, data) => {
      posts++;
      bytes += Buffer.byteLength(data);
      return 'sent';
    },
  };
  const changes: ThreadItemChange[] = [];
  for (let t = 0; t < threads; t++) {
    changes.push({
      workspaceId: 'W1',
      threadId: `T${t}`,
      entity: 'thread',
      rev: 2,
      updatedAt: new Date().toISOString(),
    });
    changes.push({ workspaceId: 'W1', threadId: `T${t}`, entity: 'feed', id: `I${t}` });
    changes.push({ workspaceId: 'W1', threadId: `T${t}`, entity: 'listEntry' });
  }
  changes.push({ workspaceId: 'W1', threadId: 'T0', entity: 'presence', id: 'ana' });
  const started = performance.now();
  const stats = await fanOut({ connections: store, poster }, changes);
  return { queries, posts, bytes, stats, cpuMs: performance.now() - started };
}

export async function run(): Promise<BenchRow[]> {
  const clients = 5;
  const { mailLatencies, apiLatencies } = await endToEnd({ clients, changes: 20, mails: 5 });
  const small = await batchCost(100, 1);
  const big = await batchCost(1000, 25);
  return [
    {
      metric: 'mail in over SMTP → frame at each client',
      value: `median ${ms(percentile(mailLatencies, 50))}`,
      note: `p95 ${ms(percentile(mailLatencies, 95))}, max ${ms(Math.max(...mailLatencies))}; ${mailLatencies.length} deliveries (5 mails × ${clients} clients)`,
    },
    {
      metric: 'API change (PATCH) → frame at each client',
      value: `median ${ms(percentile(apiLatencies, 50))}`,
      note: `p95 ${ms(percentile(apiLatencies, 95))}, max ${ms(Math.max(...apiLatencies))}; ${apiLatencies.length} deliveries (20 changes × ${clients} clients)`,
    },
    {
      metric: 'batch: 1 thread changed, 100 connections',
      value: `${small.queries} Query, ${small.posts} posts`,
      note: `${small.bytes} bytes posted; core ${small.cpuMs.toFixed(1)} ms`,
    },
    {
      metric: 'batch: 25 threads changed, 1,000 connections',
      value: `${big.queries} Query, ${big.posts} posts`,
      note: `one frame per connection (${(big.bytes / big.posts).toFixed(0)} bytes each); core ${big.cpuMs.toFixed(1)} ms`,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./run.ts');
  printTable('live updates', await run());
  process.exit(0);
}
