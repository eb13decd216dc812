/**
 * The API as one function of an API Gateway proxy event: authenticate, route, parse, run, and map the
 * outcome (or the error, through the one mapper) to the response. functions/api.ts wraps it in middy;
 * tests call it in-process with the same events.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ErrorLogger, MethodNotAllowedError, toHttpError } from '#adapters/http-errors.ts';
import { authenticate, requireScope } from '#auth/authenticate.ts';
import { authenticateEndUser, PUBLIC_PRINCIPAL } from '#auth/end-user.ts';
import { NotFoundError, ValidationError } from '#core/errors.ts';
import type { ApiDeps } from './deps.ts';
import { type ApiRequest, type ApiResponse, type CallerContext, ID_PATTERN, type Route } from './http.ts';
import { adminRoutes } from './routes/admin.ts';
import { agentRoutes } from './routes/agents.ts';
import { bulkRoutes } from './routes/bulk.ts';
import { chatRoutes } from './routes/chat.ts';
import { directoryRoutes } from './routes/directory.ts';
import { mailboxRoutes } from './routes/mailboxes.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { reportRoutes } from './routes/reports.ts';
import { threadRoutes } from './routes/threads.ts';
import { viewRoutes } from './routes/views.ts';
import { widgetRoutes } from './routes/widget.ts';

/** Every route of the API; the contract test checks that the OpenAPI document lists exactly these. */
export const routes: Route<ApiDeps>[] = [
  ...threadRoutes,
  ...directoryRoutes,
  ...adminRoutes,
  ...agentRoutes,
  ...chatRoutes,
  ...widgetRoutes,
  ...reportRoutes,
  ...notificationRoutes,
  ...bulkRoutes,
  ...viewRoutes,
  ...mailboxRoutes,
];

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** The route for a method and path, with its parameters; `method` when only the method is wrong. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route<ApiDeps>; params: Record<string, string> } | 'method' | null {
  const segments = path.replace(/\/+$/, '').split('/');
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i];
      if (p.startsWith('{')) {
        let value: string;
        try {
          value = decodeURIComponent(segments[i]);
        } catch {
          value = '';
        }
        // An id that cannot exist is simply not found: it never reaches a key.
        if (!ID_PATTERN.test(value)) ok = false;
        else params[p.slice(1, -1)] = value;
      } else ok = p === segments[i];
    }
    if (!ok) continue;
    if (route.method === method) return { route, params };
    pathMatched = true;
  }
  return pathMatched ? 'method' : null;
}

function lowerCaseHeaders(headers: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

function parseBody(event: APIGatewayProxyEvent): unknown {
  if (!BODY_METHODS.has(event.httpMethod) || event.body === null || event.body === undefined || event.body === '')
    return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError('the body is not valid JSON');
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };

function toResult(res: ApiResponse): APIGatewayProxyResult {
  if (res.html !== undefined)
    return {
      statusCode: res.statusCode,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...res.headers },
      body: res.html,
    };
  return {
    statusCode: res.statusCode,
    headers: { ...(res.body === undefined ? { 'Cache-Control': 'no-store' } : JSON_HEADERS), ...res.headers },
    body: res.body === undefined ? '' : JSON.stringify(res.body),
  };
}

export type ApiHandler = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

export function createApiHandler(deps: ApiDeps, logger?: ErrorLogger): ApiHandler {
  return async (event) => {
    try {
      const headers = lowerCaseHeaders(event.headers);
      // The widget's routes take an end user's widget token (or nothing), never a key or an agent token.
      const widget = String(event.path ?? '').startsWith('/v1/widget/');
      const principal = widget ? undefined : await authenticate(deps, headers);
      const method = String(event.httpMethod ?? '').toUpperCase();
      const match = matchRoute(method, String(event.path ?? ''));
      if (match === null) throw new NotFoundError(`no route ${method} ${event.path}`);
      if (match === 'method') throw new MethodNotAllowedError(`${method} is not allowed on ${event.path}`);
      const { scope } = match.route;
      let ctx: CallerContext;
      if (principal) {
        if (scope === 'endUser' || scope === 'public') throw new NotFoundError(`no route ${method} ${event.path}`);
        requireScope(principal, scope);
        ctx = principal;
      } else if (scope === 'public') ctx = PUBLIC_PRINCIPAL;
      else if (scope === 'endUser') ctx = await authenticateEndUser(deps, headers['x-widget-token']);
      else throw new NotFoundError(`no route ${method} ${event.path}`);
      const query: Record<string, string> = {};
      for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (typeof v === 'string') query[k] = v;
      const req: ApiRequest = {
        method,
        path: event.path,
        params: match.params,
        query,
        headers,
        body: parseBody(event),
        ...(event.requestContext?.identity?.sourceIp ? { sourceIp: event.requestContext.identity.sourceIp } : {}),
      };
      return toResult(await match.route.run(req, ctx, deps));
    } catch (e) {
      const mapped = toHttpError(e, logger);
      return {
        statusCode: mapped.statusCode,
        headers: { ...JSON_HEADERS, ...mapped.headers },
        body: JSON.stringify(mapped.body),
      };
    }
  };
}
