/**
 * The one API layer: openapi-fetch typed from openapi/openapi.yaml (schema.d.ts is generated, never edited).
 * The API sits on the app's own origin under /v1 (CloudFront locally played by the web server), so no CORS.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { currentSession, refreshSession, sessionExpiring, signOut } from '../auth/session.ts';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ThreadCard = Schemas['ThreadCard'];
export type Thread = Schemas['Thread'];
export type FeedItem = Schemas['FeedItem'];
export type Message = Schemas['Message'];
export type Status = Schemas['Status'];

/** An error answer of the API, in its one shape `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function authorize(request: Request): Request {
  const session = currentSession();
  if (session) {
    request.headers.set('Authorization', `Bearer ${session.token}`);
    if (session.workspaceId) request.headers.set('X-Workspace-Id', session.workspaceId);
  }
  return request;
}

const auth: Middleware = {
  async onRequest({ request }) {
    // A token about to expire (a laptop that slept through the scheduled renewal) is renewed first.
    if (sessionExpiring()) await refreshSession();
    return authorize(request);
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || !currentSession()) return response;
    // A token the API refuses: renew it once. A read is sent again; a write is not (its body is gone), and
    // its error stays for the screen to show, with the session going on.
    if (await refreshSession()) return request.method === 'GET' ? fetch(authorize(new Request(request))) : response;
    signOut('Your session has ended: please sign in again.');
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(auth);

/** The data of an openapi-fetch result, or an ApiError with the API's code and message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = result.error as { error?: { code?: string; message?: string; details?: unknown } } | undefined;
    throw new ApiError(
      result.response.status,
      body?.error?.code ?? 'http_error',
      body?.error?.message ?? `${result.response.status} ${result.response.statusText}`,
      body?.error?.details,
    );
  }
  return result.data as T;
}

/** A fresh key for one user action, so that a retried POST creates nothing twice (Idempotency-Key). */
export const idempotencyKey = () => crypto.randomUUID().replace(/-/g, '');
