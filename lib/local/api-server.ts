/**
 * API Gateway on localhost: an HTTP server that turns each request into the REST API proxy event
 * (`/v1/{proxy+}`, stage `local`) that API Gateway gives the api Lambda, and its result back into an
 * HTTP response. The handler is the same one that runs in AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { closeServer, listenOnLoopback, readBody } from './net.ts';
import { localLambdaContext } from './smtp-inbound.ts';

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult | undefined>;

export interface ApiServerOptions {
  port?: number;
  region: string;
  handler: ApiHandler;
  stage?: string;
  /** Served at `GET /_local/info` (outside the API's `/v1`): what the demo needs to know of the stack. */
  info?: () => unknown;
  log?: (line: string) => void;
}

export interface ApiServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|x-www-form-urlencoded|javascript))/i;
/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The REST API proxy event for one HTTP request (exported for tests). */
export function toProxyEvent(
  req: { method: string; url: string; headers: IncomingMessage['headers']; remoteAddress?: string },
  body: Buffer,
  stage = 'local',
): APIGatewayProxyEvent {
  const url = new URL(req.url, 'http://localhost');
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    multiValueHeaders[name] = values;
    headers[name] = values[values.length - 1];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const hasQuery = Object.keys(query).length > 0;
  const contentType = headers['content-type'] ?? '';
  const binary = body.length > 0 && contentType !== '' && !TEXT_TYPES.test(contentType);
  const path = decodeURIComponent(url.pathname);
  const proxy = path.startsWith('/v1/') ? path.slice('/v1/'.length) : undefined;
  const now = new Date();
  return {
    resource: proxy !== undefined ? '/v1/{proxy+}' : path,
    path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: proxy !== undefined ? { proxy } : null,
    stageVariables: null,
    body: body.length === 0 ? null : body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      extendedRequestId: randomUUID(),
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/${stage}${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: proxy !== undefined ? '/v1/{proxy+}' : path,
      stage,
    },
  };
}

function sendResult(res: ServerResponse, result: APIGatewayProxyResult | undefined): void {
  if (!result) {
    res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Internal server error' }));
    return;
  }
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String);
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  res.writeHead(result.statusCode, headers);
  res.end(body);
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? (() => {});
  const server: Server = createServer((req, res) => {
    (async () => {
      if (req.method === 'GET' && req.url === '/_local/info' && opts.info) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(opts.info()));
        return;
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      const event = toProxyEvent(
        {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers: req.headers,
          remoteAddress: req.socket.remoteAddress,
        },
        body,
        opts.stage,
      );
      const result = await opts.handler(event, localLambdaContext('gochat-api', opts.region));
      sendResult(res, result);
      const status = result?.statusCode ?? 502;
      if (event.httpMethod !== 'GET' || status >= 400) log(`API ${event.httpMethod} ${req.url} → ${status}`);
    })().catch((e: unknown) => {
      const status = (e as { status?: number }).status ?? 502;
      // As API Gateway does when the integration fails: a generic message, the detail only in the log.
      log(`API ${req.method} ${req.url} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: status === 413 ? 'Request Too Long' : 'Internal server error' }));
    });
  });
  const port = await listenOnLoopback(server, opts.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () => closeServer(server),
  };
}
