/**
 * The Inbox web app, locally, as CloudFront serves it on AWS: the built files of web/dist, `/config.json`,
 * and `/v1/*` forwarded to the API on the same origin (so no CORS), with the same security headers
 * (lib/web-security.ts). Unknown paths get index.html: the app routes in the browser.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../paths.ts';
import { contentSecurityPolicy, SECURITY_HEADERS } from '../web-security.ts';
import { closeServer, listenOnLoopback } from './net.ts';

export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface WebServerOptions {
  port?: number;
  /** The API's base URL (`http://127.0.0.1:<port>`), to which `/v1/*` is forwarded. */
  apiUrl: string;
  /** Served as /config.json (the app reads it at start). */
  config: Record<string, unknown>;
  /** Same-origin paths forwarded elsewhere (e.g. `/_cognito/` to the local user pool). */
  proxies?: Record<string, string>;
  /** Extra origins for connect-src (the live updates' WebSocket). */
  connect?: string[];
  dist?: string;
}

export interface WebServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Builds web/ with Vite (`npm run build -w web`): a second or two. */
export async function buildWebApp(): Promise<void> {
  await promisify(execFile)('npm', ['run', 'build', '-w', 'web', '--silent'], { cwd: REPO_ROOT });
}

function forward(req: IncomingMessage, res: ServerResponse, target: string, path: string) {
  const url = new URL(path, target);
  const headers = { ...req.headers, host: url.host };
  const upstream = request(url, { method: req.method, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'internal', message: 'upstream unavailable', details: null } }));
  });
  req.pipe(upstream);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const dist = resolve(opts.dist ?? WEB_DIST);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`the Inbox is not built: no ${dist}/index.html`);
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Security-Policy': contentSecurityPolicy({ connect: opts.connect }),
  };
  const config = JSON.stringify(opts.config);
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/v1/') || path === '/v1') return forward(req, res, opts.apiUrl, path);
    for (const [prefix, target] of Object.entries(opts.proxies ?? {}))
      if (path.startsWith(prefix)) return forward(req, res, target, `/${path.slice(prefix.length)}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers);
      return res.end();
    }
    const pathname = decodeURIComponent(new URL(path, 'http://x').pathname);
    if (pathname === '/config.json') {
      res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(config);
    }
    let file = normalize(join(dist, pathname));
    if (!file.startsWith(dist + sep) || !existsSync(file) || statSync(file).isDirectory())
      file = join(dist, 'index.html');
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
  });
  const port = await listenOnLoopback(server, opts.port ?? 0);
  return { url: `http://127.0.0.1:${port}`, port, stop: () => closeServer(server) };
}
