/**
 * The widget, locally, as CloudFront serves it in AWS: one Go!Chat origin with the widget's files under
 * `/widget/` and the API under `/v1/` (the same api handler, in process), plus a demo host site on
 * another origin (`localhost` rather than `127.0.0.1`) with the widget embedded and a tiny back end that
 * signs end-user tokens with a key pair made at the first start (`<data>/widget-demo-key.json`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import { AlreadyExistsError } from '#core/errors.ts';
import { REPO_ROOT } from '../paths.ts';
import { type ApiHandler, toProxyEvent } from './api-server.ts';
import { closeServer, listenOnLoopback, readBody } from './net.ts';
import { localLambdaContext } from './smtp-inbound.ts';

export const WIDGET_DIST = join(REPO_ROOT, 'widget', 'dist', 'widget');

/** The demo's end users: each of a customer of their own, so the demo shows that they see only theirs. */
export const DEMO_USERS = {
  alice: {
    sub: 'demo-alice',
    email: 'alice@demo.example',
    name: 'Alice Martin',
    customerId: 'demo-acme',
    customer: 'Acme (demo)',
  },
  bob: {
    sub: 'demo-bob',
    email: 'bob@demo.example',
    name: 'Bob Stone',
    customerId: 'demo-globex',
    customer: 'Globex (demo)',
  },
} as const;
export type DemoUser = keyof typeof DEMO_USERS;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Builds the widget (loader and frame app) when its files are missing or `force` is set. */
export function ensureWidgetBuilt(force = false): void {
  if (!force && existsSync(join(WIDGET_DIST, 'frame.js')) && existsSync(join(WIDGET_DIST, 'widget.js'))) return;
  execFileSync('npm', ['run', 'build', '-w', 'widget'], { cwd: REPO_ROOT, stdio: 'pipe' });
}

async function demoKey(file: string | undefined): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `demo-${Date.now().toString(36)}`;
  const pair = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
  if (file) writeFileSync(file, JSON.stringify(pair), { mode: 0o600 });
  return pair;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers = {}) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function demoPage(widgetOrigin: string, workspaceId: string, user: DemoUser): string {
  const u = DEMO_USERS[user];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo shop: ${u.name}</title>
<style>body{font:16px system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px}</style></head>
<body><header><h1>Demo shop</h1><p>Signed in as <strong>${u.name}</strong> (${u.customer}).
Switch: <a href="/?user=alice">Alice</a> · <a href="/?user=bob">Bob</a></p></header>
<main><p>This page plays an integrator's website. Its back end (<code>/token</code>) signs a short-lived
end-user token (ES256) that the Go!Chat widget exchanges for its own session.</p>
<p>Unread replies: <output id="unread">0</output></p></main>
<script src="${widgetOrigin}/widget/widget.js" data-workspace="${workspaceId}" data-token-url="/token?user=${user}"></script>
<script>document.addEventListener('gochat:unread', (e) => { document.getElementById('unread').textContent = String(e.detail.count); });</script>
</body></html>`;
}

export interface WidgetLocal {
  /** Go!Chat's origin for the widget: `/widget/widget.js`, the frame and the API under `/v1/`. */
  url: string;
  /** The demo host page (another origin), with the widget embedded. */
  demoUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the widget origin and the demo host; enables the widget on `workspaceId` with the demo's public
 * key and the demo origin as the one site allowed to embed it, and makes the demo customers.
 */
export async function startWidgetLocal(opts: {
  workspaceId: string;
  region: string;
  api: ApiHandler;
  admin: DynamoAdminStore;
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Where the demo key pair is kept across restarts; undefined keeps it in memory. */
  keyFile?: string;
  ports?: { widget?: number; demo?: number };
  log?: (line: string) => void;
}): Promise<WidgetLocal> {
  ensureWidgetBuilt();
  const log = opts.log ?? (() => {});
  const key = await demoKey(opts.keyFile);
  const privateKey = await importJWK(key.privateJwk, 'ES256');

  const widget = createServer((req, res) => {
    (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/v1/')) {
        // The same api handler, as CloudFront's /v1/* behaviour forwards to API Gateway.
        const body = await readBody(req, 10 * 1024 * 1024);
        const event = toProxyEvent(
          {
            method: req.method ?? 'GET',
            url: req.url ?? '/',
            headers: req.headers,
            remoteAddress: req.socket.remoteAddress,
          },
          body,
        );
        const result = await opts.api(event, localLambdaContext('gochat-api', opts.region));
        if (!result) return send(res, 502, 'application/json', '{"message":"Internal server error"}');
        res.writeHead(result.statusCode, result.headers as Record<string, string>);
        res.end(Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8'));
        return;
      }
      const file = normalize(url.pathname.replace(/^\/widget\//, ''));
      if (!url.pathname.startsWith('/widget/') || file.startsWith('..') || !TYPES[extname(file)])
        return send(res, 404, 'text/plain', 'not found');
      const path = join(WIDGET_DIST, file);
      if (!existsSync(path)) return send(res, 404, 'text/plain', 'not found');
      send(res, 200, TYPES[extname(file)], readFileSync(path), { 'access-control-allow-origin': '*' });
    })().catch((e: unknown) => {
      log(`widget ${req.method} ${req.url} failed: ${String(e)}`);
      if (!res.headersSent) send(res, 500, 'text/plain', 'error');
      else res.end();
    });
  });
  const widgetPort = await listenOnLoopback(widget, opts.ports?.widget ?? 0);
  const widgetOrigin = `http://127.0.0.1:${widgetPort}`;

  const demo = createServer((req, res) => {
    (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const user = (url.searchParams.get('user') ?? 'alice') as DemoUser;
      if (!(user in DEMO_USERS)) return send(res, 400, 'text/plain', 'unknown demo user');
      if (url.pathname === '/')
        return send(res, 200, 'text/html; charset=utf-8', demoPage(widgetOrigin, opts.workspaceId, user));
      if (url.pathname === '/token') {
        // The host's back end: it knows who is signed in and signs a token that lives five minutes.
        const u = DEMO_USERS[user];
        const token = await new SignJWT({ email: u.email, name: u.name, customerIds: [u.customerId] })
          .setProtectedHeader({ alg: 'ES256', kid: key.privateJwk.kid })
          .setSubject(u.sub)
          .setAudience(opts.workspaceId)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
        return send(res, 200, 'application/json', JSON.stringify({ token }));
      }
      send(res, 404, 'text/plain', 'not found');
    })().catch((e: unknown) => {
      log(`demo ${req.url} failed: ${String(e)}`);
      if (!res.headersSent) send(res, 500, 'text/plain', 'error');
    });
  });
  let demoPort: number;
  try {
    demoPort = await listenOnLoopback(demo, opts.ports?.demo ?? 0);
  } catch (e) {
    await closeServer(widget);
    throw e;
  }
  const demoOrigin = `http://localhost:${demoPort}`;

  const chat = new DynamoChatStore(opts.db, opts.tableName);
  await chat.putWidgetSettings(
    opts.workspaceId,
    {
      enabled: true,
      jwks: { keys: [key.publicJwk as Record<string, unknown>] },
      allowedOrigins: [demoOrigin],
      anonymous: false,
    },
    new Date().toISOString(),
  );
  const at = new Date().toISOString();
  for (const u of Object.values(DEMO_USERS))
    await opts.admin
      .putCustomer(
        {
          workspaceId: opts.workspaceId,
          customerId: u.customerId,
          name: u.customer,
          autoCreated: false,
          createdAt: at,
          updatedAt: at,
        },
        'create',
      )
      .catch((e) => {
        if (!(e instanceof AlreadyExistsError)) throw e;
      });

  return {
    url: widgetOrigin,
    demoUrl: `${demoOrigin}/`,
    stop: async () => {
      await closeServer(demo);
      await closeServer(widget);
    },
  };
}
