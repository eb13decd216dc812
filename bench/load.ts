/**
 * `npm run bench -- load`: a bounded load test of the stack that `npm start` runs, on loopback only.
 * `threads` first mails open the threads, then a burst of replies (In-Reply-To the first mail) over SMTP
 * brings the total to `mails`, while `clients` API clients list threads and add internal notes; then a
 * soak of `soakSeconds` keeps the clients and a trickle of mail going and samples the process's memory.
 * Checked at the end, through the API: every mail's Message-ID in its thread's feed exactly once (0 lost,
 * 0 duplicated), every note once, every thread's messageCount exact.
 *
 * SMTP → API latency: a poller lists the threads every 250 ms; when a thread's messageCount reaches k,
 * the k-th mail accepted (250) for that thread is counted as visible then (ingest may finish mails of one
 * thread out of order, so a single mail's figure is approximate; the distribution is what is reported).
 *
 *   npm run bench -- load [--mails 2000] [--threads 200] [--clients 50] [--soak 30]   (--soak 600: the 10-minute soak)
 *   npx tsx bench/load.ts [mails] [threads] [clients] [soakSeconds]                   (the same, positional)
 *
 * Threads default to a tenth of the mails and clients to one per 40 mails, so `--mails 200` is a tenth of
 * the default run in every dimension. Memory: every 10 s of the soak, after a full collection, RSS and the
 * heap that survives are sampled, and their least-squares slope (MB per minute) printed: flat is a slope near
 * 0 over a long soak (a 30 s soak has 3 samples and says little).
 */
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import nodemailer from 'nodemailer';
import { startLocalStack } from '#lib/local/stack.ts';

export interface LoadOptions {
  mails: number;
  threads: number;
  clients: number;
  soakSeconds: number;
  log?: (line: string) => void;
}

export interface LoadResult {
  options: Omit<LoadOptions, 'log'>;
  lost: number;
  duplicated: number;
  notesLost: number;
  notesDuplicated: number;
  countMismatches: number;
  smtpToApiMs: { p50: number; p95: number; max: number };
  apiMs: {
    p50: number;
    p95: number;
    requests: number;
    errors: number;
    rateLimited: number;
    /** 503 (a transient service error, Retry-After) or 409 idempotency_in_progress: retried, same key. */
    unavailable: number;
    /** Answers of 500 and more other than 503: none expected. */
    serverErrors: number;
  };
  burstSeconds: number;
  memory: {
    rssStartMb: number;
    rssEndMb: number;
    rssMaxMb: number;
    heapStartMb: number;
    heapEndMb: number;
    /** Least-squares slope over the soak's samples (every 10 s, after a full collection), in MB per minute. */
    rssSlopeMbPerMin: number;
    heapSlopeMbPerMin: number;
    samples: number;
  };
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const mb = (b: number) => Math.round(b / 1024 / 1024);
/** A full collection on demand (the soak samples the heap that survives it): V8's gc, exposed at run time. */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
/** The least-squares slope of `ys` over `xs`. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const log = opts.log ?? (() => {});
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const stack = await startLocalStack({ dataDir: 'memory', log: (l) => log(`stack: ${l}`) });
  const auth = { authorization: `Bearer ${stack.apiKey}`, 'x-agent-id': 'agent-load' };
  const apiTimes: number[] = [];
  let apiErrors = 0;
  let rateLimited = 0;
  let unavailable = 0;
  let serverErrors = 0;
  // A write carries an Idempotency-Key, so its retry after a 503 (or a lost answer) applies it once.
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const idempotency: Record<string, string> = method === 'POST' ? { 'idempotency-key': randomUUID() } : {};
    for (let attempt = 0; ; attempt++) {
      const t = performance.now();
      const res = await fetch(`${stack.api.url}${path}`, {
        method,
        headers: { ...auth, ...idempotency, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      apiTimes.push(performance.now() - t);
      if (res.status === 429 && attempt < 8) {
        rateLimited++;
        await sleep(100 * 2 ** attempt * Math.random());
        continue;
      }
      const inProgress = res.status === 409 && text.includes('idempotency_in_progress');
      if ((res.status === 503 || inProgress) && attempt < 8) {
        unavailable++;
        await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000 * (0.5 + Math.random()));
        continue;
      }
      if (res.status >= 500) serverErrors++;
      if (res.status >= 400) {
        apiErrors++;
        throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      }
      return text ? JSON.parse(text) : undefined;
    }
  };
  const transport = nodemailer.createTransport({
    host: stack.smtp.host,
    port: stack.smtp.port,
    ignoreTLS: true,
    pool: true,
    maxConnections: 10,
    maxMessages: Number.POSITIVE_INFINITY,
  });

  // Per thread (by its first Message-ID): the Message-IDs sent and when each was accepted.
  const sent = new Map<string, { ids: string[]; acceptedAt: number[] }>();
  const send = async (first: string, subject: string, customer: string, reply: boolean) => {
    const messageId = reply ? `<${randomUUID()}@load.example.com>` : first;
    await transport.sendMail({
      from: customer,
      to: stack.inboundAddress,
      subject: reply ? `Re: ${subject}` : subject,
      text: `Load test mail ${messageId}: the delivery address changed and the invoice is wrong.`,
      messageId,
      ...(reply ? { inReplyTo: first, references: [first] } : {}),
    });
    const entry = sent.get(first) ?? { ids: [], acceptedAt: [] };
    entry.ids.push(messageId);
    entry.acceptedAt.push(Date.now());
    sent.set(first, entry);
  };
  const pool = async <T>(items: T[], width: number, f: (x: T) => Promise<void>) => {
    let i = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (i < items.length) await f(items[i++]);
      }),
    );
  };

  try {
    // The threads: one first mail each, then their ids through the API.
    const seeds = Array.from({ length: opts.threads }, (_, i) => ({
      first: `<seed-${i}-${randomUUID()}@load.example.com>`,
      subject: `Load ${i} ${randomUUID().slice(0, 8)}`,
      customer: `customer-${i}@load.example.com`,
    }));
    await pool(seeds, 10, (s) => send(s.first, s.subject, s.customer, false));
    const threadOf = new Map<string, string>();
    const listAll = async () => {
      const all: any[] = [];
      let cursor: string | undefined;
      do {
        const page = await api('GET', `/v1/threads?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return all;
    };
    for (const deadline = Date.now() + 300_000; threadOf.size < opts.threads && Date.now() < deadline; ) {
      const bySubject = new Map((await listAll()).map((t) => [t.subject, t.threadId]));
      for (const s of seeds) if (bySubject.has(s.subject)) threadOf.set(s.first, bySubject.get(s.subject));
      await sleep(250);
    }
    if (threadOf.size < opts.threads) throw new Error(`only ${threadOf.size} of ${opts.threads} threads appeared`);
    log(`${opts.threads} threads open`);

    // The visibility poller: messageCount per thread → the k-th accepted mail is visible now.
    const latencies: number[] = [];
    const seen = new Map<string, number>();
    const firstOfThread = new Map([...threadOf].map(([first, id]) => [id, first]));
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const now = Date.now();
        for (const t of await listAll()) {
          const first = firstOfThread.get(t.threadId);
          if (!first) continue;
          const entry = sent.get(first)!;
          const before = seen.get(t.threadId) ?? 1;
          for (let k = before; k < Math.min(t.messageCount, entry.acceptedAt.length); k++)
            latencies.push(now - entry.acceptedAt[k]);
          seen.set(t.threadId, Math.max(before, Math.min(t.messageCount, entry.acceptedAt.length)));
        }
        await sleep(250);
      }
    })();

    // The API clients: list a page, and every fourth turn add a note to a thread.
    const notes = new Map<string, Set<string>>();
    let clientsOn = true;
    const threadIds = [...threadOf.values()];
    const clients = Array.from({ length: opts.clients }, async (_, c) => {
      for (let turn = 0; clientsOn; turn++) {
        try {
          if (turn % 4 === 3) {
            const threadId = threadIds[(c * 7 + turn) % threadIds.length];
            const body = `note ${randomUUID()}`;
            await api('POST', `/v1/threads/${threadId}/comments`, { body });
            const set = notes.get(threadId) ?? new Set<string>();
            set.add(body);
            notes.set(threadId, set);
          } else await api('GET', '/v1/threads?limit=25');
        } catch (e) {
          log(`client ${c}: ${(e as Error).message}`);
        }
      }
    });

    // The burst: replies round-robin over the threads, 10 SMTP connections at once.
    const burstStart = Date.now();
    const replies = Array.from({ length: opts.mails - opts.threads }, (_, i) => seeds[i % seeds.length]);
    await pool(replies, 10, (s) => send(s.first, s.subject, s.customer, true));
    const expectedCount = () => [...sent.values()].reduce((n, e) => n + e.ids.length, 0);
    for (let turn = 0, deadline = Date.now() + 600_000; Date.now() < deadline; turn++) {
      const visible = [...seen.values()].reduce((a, b) => a + b, 0);
      if (visible >= expectedCount()) break;
      if (turn % 40 === 0) log(`visible ${visible} of ${expectedCount()} accepted`);
      await sleep(250);
    }
    const burstSeconds = (Date.now() - burstStart) / 1000;
    log(`burst of ${replies.length} replies visible in ${burstSeconds.toFixed(1)} s`);

    // The soak: clients go on, a trickle of mail (2 a second), memory sampled every second.
    const gc = fullGc();
    gc();
    const start = process.memoryUsage();
    let rssMax = start.rss;
    const soakStart = Date.now();
    const soakEnd = soakStart + opts.soakSeconds * 1000;
    const at: number[] = [];
    const rss: number[] = [];
    const heap: number[] = [];
    let n = 0;
    while (Date.now() < soakEnd) {
      const s = seeds[n++ % seeds.length];
      await Promise.all([send(s.first, s.subject, s.customer, true), sleep(500)]);
      const m = process.memoryUsage();
      rssMax = Math.max(rssMax, m.rss);
      // Every 10 s: the heap that survives a full collection (a leak grows it; garbage does not), and RSS.
      if (n % 20 === 0) {
        gc();
        at.push((Date.now() - soakStart) / 60_000);
        rss.push(process.memoryUsage().rss / 1024 / 1024);
        heap.push(process.memoryUsage().heapUsed / 1024 / 1024);
      }
    }
    clientsOn = false;
    await Promise.all(clients);
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      if ([...seen.values()].reduce((a, b) => a + b, 0) >= expectedCount()) break;
      await sleep(250);
    }
    polling = false;
    await poller;
    gc();
    const end = process.memoryUsage();

    // The check: every Message-ID and note exactly once in its thread's feed, every messageCount exact.
    let lost = 0;
    let duplicated = 0;
    let notesLost = 0;
    let notesDuplicated = 0;
    let countMismatches = 0;
    const cards = new Map((await listAll()).map((t) => [t.threadId, t]));
    for (const [first, threadId] of threadOf) {
      const items: any[] = [];
      let cursor: string | undefined;
      do {
        const page = await api(
          'GET',
          `/v1/threads/${threadId}/feed?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const ids = items.filter((i) => i.type === 'message' && i.direction === 'inbound').map((i) => i.messageId);
      for (const id of sent.get(first)!.ids) {
        const times = ids.filter((x) => x === id).length;
        if (times === 0) lost++;
        if (times > 1) duplicated += times - 1;
      }
      const bodies = items.filter((i) => i.type === 'comment').map((i) => i.body);
      for (const body of notes.get(threadId) ?? []) {
        const times = bodies.filter((b) => b === body).length;
        if (times === 0) notesLost++;
        if (times > 1) notesDuplicated += times - 1;
      }
      if (cards.get(threadId)?.messageCount !== sent.get(first)!.ids.length) countMismatches++;
    }
    return {
      options: { mails: opts.mails, threads: opts.threads, clients: opts.clients, soakSeconds: opts.soakSeconds },
      lost,
      duplicated,
      notesLost,
      notesDuplicated,
      countMismatches,
      smtpToApiMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) },
      apiMs: {
        p50: Math.round(percentile(apiTimes, 50)),
        p95: Math.round(percentile(apiTimes, 95)),
        requests: apiTimes.length,
        errors: apiErrors,
        rateLimited,
        unavailable,
        serverErrors,
      },
      burstSeconds,
      memory: {
        rssStartMb: mb(start.rss),
        rssEndMb: mb(end.rss),
        rssMaxMb: mb(rssMax),
        heapStartMb: mb(start.heapUsed),
        heapEndMb: mb(end.heapUsed),
        rssSlopeMbPerMin: Math.round(slope(at, rss) * 10) / 10,
        heapSlopeMbPerMin: Math.round(slope(at, heap) * 10) / 10,
        samples: at.length,
      },
    };
  } finally {
    transport.close();
    await stack.stop();
  }
}

export function formatLoad(r: LoadResult): string {
  const o = r.options;
  return [
    `${o.mails} mails over SMTP into ${o.threads} threads (${o.threads} first mails, then a burst of ${o.mails - o.threads} replies), ${o.clients} API clients, ${o.soakSeconds} s soak:`,
    '',
    '| metric | value |',
    '|---|---|',
    `| mails lost / duplicated | ${r.lost} / ${r.duplicated} |`,
    `| notes lost / duplicated | ${r.notesLost} / ${r.notesDuplicated} |`,
    `| threads whose messageCount is wrong | ${r.countMismatches} |`,
    `| SMTP 250 → visible in the API, p50 / p95 / max | ${r.smtpToApiMs.p50} / ${r.smtpToApiMs.p95} / ${r.smtpToApiMs.max} ms |`,
    `| burst: last reply visible after | ${r.burstSeconds.toFixed(1)} s |`,
    `| API requests, p50 / p95 | ${r.apiMs.requests}: ${r.apiMs.p50} / ${r.apiMs.p95} ms (${r.apiMs.errors} failed, ${r.apiMs.rateLimited} rate-limited and retried, ${r.apiMs.unavailable} answered 503 or in progress and retried) |`,
    `| API answers ≥ 500 other than 503 | ${r.apiMs.serverErrors} |`,
    `| memory over the soak: RSS start / end / max | ${r.memory.rssStartMb} / ${r.memory.rssEndMb} / ${r.memory.rssMaxMb} MB |`,
    `| heap used, start / end of soak | ${r.memory.heapStartMb} / ${r.memory.heapEndMb} MB |`,
    `| memory slope over the soak (${r.memory.samples} samples, every 10 s after a full GC), RSS / heap | ${r.memory.rssSlopeMbPerMin} / ${r.memory.heapSlopeMbPerMin} MB per minute |`,
    '',
    passed(r) ? '**PASS**: 0 lost, 0 duplicated, every count exact, no 5xx but 503.' : '**FAIL**: see the rows above.',
  ].join('\n');
}

export const passed = (r: LoadResult) =>
  r.lost + r.duplicated + r.notesLost + r.notesDuplicated + r.countMismatches + r.apiMs.serverErrors === 0;

/**
 * The run's size: `--mails` (default 2,000), `--threads` (default a tenth of the mails), `--clients`
 * (default one per 40 mails, 50 for the default run), `--soak` seconds (default 30; 600 is the 10-minute
 * soak). GOCHAT_LOAD="mails threads clients soakSeconds" still works.
 */
export function loadOptions(flags: Record<string, string> = {}): Omit<LoadOptions, 'log'> {
  const env = (process.env.GOCHAT_LOAD ?? '').split(/\s+/).filter(Boolean).map(Number);
  const mails = Number(flags.mails ?? env[0] ?? 2000);
  const threads = Number(flags.threads ?? env[1] ?? Math.max(1, Math.round(mails / 10)));
  const clients = Number(flags.clients ?? env[2] ?? Math.max(1, Math.round(mails / 40)));
  const soakSeconds = Number(flags.soak ?? env[3] ?? 30);
  for (const [k, v] of Object.entries({ mails, threads, clients, soakSeconds }))
    if (!Number.isInteger(v) || v < (k === 'soakSeconds' ? 0 : 1)) throw new Error(`load: bad ${k}: ${v}`);
  if (threads >= mails) throw new Error('load: --threads must be fewer than --mails (each thread then gets replies)');
  return { mails, threads, clients, soakSeconds };
}

/** bench/run.ts: `npm run bench -- load [--mails N] [--threads N] [--clients N] [--soak seconds]`; fails on a loss. */
export async function run(flags: Record<string, string> = {}): Promise<string> {
  const r = await runLoad({ ...loadOptions(flags), log: (l) => console.error(l) });
  const table = formatLoad(r);
  if (!passed(r)) {
    console.log(table);
    throw new Error('load: lost, duplicated or miscounted mail or notes, or a 5xx other than 503');
  }
  return table;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mails, threads, clients, soak] = process.argv.slice(2);
  const flags = Object.fromEntries(
    Object.entries({ mails, threads, clients, soak }).filter(([, v]) => v !== undefined) as [string, string][],
  );
  runLoad({ ...loadOptions(flags), log: (l) => console.error(l) }).then(
    (r) => {
      console.log(formatLoad(r));
      process.exit(passed(r) ? 0 : 1);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
