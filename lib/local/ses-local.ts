/**
 * Local SES for outbound mail: aws-ses-v2-local (its web page shows the captured mail), behind a small
 * proxy on loopback that keeps what it drops. aws-ses-v2-local stores a parsed summary without the
 * threading headers, so the proxy keeps the raw MIME of every SendRawEmail (v1) and v2 SendEmail with
 * Raw content, and writes it as an `.eml` file into the outbox folder, with the Message-ID replaced by
 * the one SES puts on the wire, as SES does.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { closeServer, freePort, listenOnLoopback, readBody, waitFor } from './net.ts';

export interface CapturedMail {
  /** The SES MessageId returned to the sender. */
  sesMessageId: string;
  /** When the local SES accepted it. */
  at: string;
  /** The MIME as it would go out on the wire (Message-ID replaced). */
  raw: Buffer;
  /** The `.eml` file in the outbox folder, when one is configured. */
  file?: string;
}

export interface SesLocal {
  /** The endpoint for AWS_ENDPOINT_URL_SES. */
  endpoint: string;
  port: number;
  /** The web page that lists the captured mail. */
  webUrl: string;
  outboxDir?: string;
  /** Mail captured since start (newest last); `listOutbox` reads the folder across restarts. */
  captured(): CapturedMail[];
  stop(): Promise<void>;
}

export interface SesLocalOptions {
  port?: number;
  /** Folder for the `.eml` files; none are written without it. */
  outboxDir?: string;
  /** The Message-ID that SES puts on the wire for a MessageId (the sender adapter's own rule). */
  wireMessageId?: (sesMessageId: string) => string;
}

const defaultWireMessageId = (id: string) => `${id}@email.amazonses.com`;

/** Replaces (or adds) the Message-ID header of a raw mail, leaving the rest byte for byte. */
export function replaceMessageId(raw: Buffer, messageId: string): Buffer {
  const text = raw.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  const end = match ? match.index : text.length;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.slice(0, end).split(/\r?\n/);
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (skipping && /^[ \t]/.test(line)) continue;
    skipping = /^message-id\s*:/i.test(line);
    if (!skipping) out.push(line);
  }
  out.unshift(`Message-ID: <${messageId.replace(/^<|>$/g, '')}>`);
  return Buffer.from(out.join(eol) + text.slice(end), 'latin1');
}

/** The raw MIME of a send request, for the two SES operations that carry one. */
function rawOfRequest(method: string, path: string, body: Buffer): Buffer | undefined {
  if (method !== 'POST') return undefined;
  try {
    if (path === '/' || path.startsWith('/?')) {
      const form = new URLSearchParams(body.toString('utf8'));
      const data = form.get('RawMessage.Data');
      return form.get('Action') === 'SendRawEmail' && data ? Buffer.from(data, 'base64') : undefined;
    }
    if (path.startsWith('/v2/email/outbound-emails')) {
      const data = JSON.parse(body.toString('utf8'))?.Content?.Raw?.Data;
      return typeof data === 'string' ? Buffer.from(data, 'base64') : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const messageIdOfResponse = (body: string): string | undefined =>
  /<MessageId>([^<]+)<\/MessageId>/.exec(body)?.[1] ?? /"MessageId"\s*:\s*"([^"]+)"/.exec(body)?.[1];

/** Starts aws-ses-v2-local and its capturing proxy, both on 127.0.0.1. */
export async function startSesLocal(opts: SesLocalOptions = {}): Promise<SesLocal> {
  const wireMessageId = opts.wireMessageId ?? defaultWireMessageId;
  if (opts.outboxDir) mkdirSync(opts.outboxDir, { recursive: true });
  // aws-ses-v2-local is CommonJS with an `exports.default`; take the function whichever way it loads.
  const mod: any = await import('aws-ses-v2-local');
  const startInner: (c: { host: string; port: number }) => Promise<Server> =
    typeof mod.default === 'function' ? mod.default : mod.default.default;
  const innerPort = await freePort();
  const inner = await startInner({ host: '127.0.0.1', port: innerPort });
  const captured: CapturedMail[] = [];

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: any; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request(
        { host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    (async () => {
      if (req.method === 'GET' && req.url?.startsWith('/outbox')) return serveOutbox(req.url, res);
      const body = await readBody(req);
      const answer = await forward(req, body);
      const raw = rawOfRequest(req.method ?? 'GET', req.url ?? '/', body);
      const sesMessageId = raw && answer.status === 200 ? messageIdOfResponse(answer.body.toString('utf8')) : undefined;
      if (raw && sesMessageId) {
        const at = new Date().toISOString();
        const mail: CapturedMail = { sesMessageId, at, raw: replaceMessageId(raw, wireMessageId(sesMessageId)) };
        if (opts.outboxDir) {
          mail.file = join(opts.outboxDir, `${at.replace(/[:.]/g, '-')}-${sesMessageId}.eml`);
          writeFileSync(mail.file, mail.raw);
        }
        captured.push(mail);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch((e) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`local SES proxy: ${String(e)}`);
    });
  });
  /** `GET /outbox`: the captured mail as JSON; `GET /outbox/<sesMessageId>.eml`: one raw mail. */
  function serveOutbox(url: string, res: ServerResponse): void {
    const one = /^\/outbox\/([\w.-]+)\.eml$/.exec(url.split('?')[0]);
    if (one) {
      const mail = captured.find((m) => m.sesMessageId === one[1]);
      res.writeHead(mail ? 200 : 404, { 'content-type': mail ? 'message/rfc822' : 'text/plain' });
      res.end(mail ? mail.raw : 'not found');
      return;
    }
    const emails = captured.map((m) => ({ sesMessageId: m.sesMessageId, at: m.at, file: m.file, ...summarise(m.raw) }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ emails }));
  }

  const port = opts.port ?? (await freePort());
  try {
    await listenOnLoopback(proxy, port);
  } catch (e) {
    await closeServer(inner);
    throw e;
  }
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  await waitFor(async () => {
    const r = await fetch(`${endpoint}/health-check`);
    if (!r.ok) throw new Error(`health check ${r.status}`);
  }, 10_000);
  return {
    endpoint,
    port,
    webUrl: `${endpoint}/`,
    outboxDir: opts.outboxDir,
    captured: () => [...captured],
    stop: async () => {
      await closeServer(proxy);
      await closeServer(inner);
    },
  };
}

export interface MailSummary {
  messageId?: string;
  from?: string;
  to?: string;
  replyTo?: string;
  subject?: string;
  inReplyTo?: string;
  references?: string;
}

export interface OutboxEntry extends MailSummary {
  file: string;
  at: string;
}

/** The main headers of a raw mail, unfolded. */
export function summarise(raw: Buffer | string): MailSummary {
  const head = raw
    .toString()
    .split(/\r?\n\r?\n/, 1)[0]
    .replace(/\r?\n[ \t]+/g, ' ');
  const header = (h: string) => new RegExp(`^${h}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim();
  return {
    messageId: header('Message-ID'),
    from: header('From'),
    to: header('To'),
    replyTo: header('Reply-To'),
    subject: header('Subject'),
    inReplyTo: header('In-Reply-To'),
    references: header('References'),
  };
}

/** The `.eml` files of the outbox folder, oldest first, with their main headers (`npm run outbox`). */
export function listOutbox(outboxDir: string): OutboxEntry[] {
  let files: string[];
  try {
    files = readdirSync(outboxDir).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
  return files.sort().map((name) => {
    const file = join(outboxDir, name);
    const stamp = /^(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)-(\d{3})Z/.exec(name);
    return {
      file,
      at: stamp ? `${stamp[1]}:${stamp[2]}:${stamp[3]}.${stamp[4]}Z` : '',
      ...summarise(readFileSync(file)),
    };
  });
}
