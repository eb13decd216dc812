/**
 * The HTTP side of the API, free of API Gateway: a request as the routes see it, the response they
 * return, the caller's context, and the zod helpers that turn bad input into a ValidationError (400).
 *
 * The schemas are zod/mini, as in the core: the classic API builds every schema with all its methods
 * attached, which made building the routes' schemas the largest single cost of the API's cold start
 * (docs/performance.md). The English messages are the classic API's own, configured once here.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { Principal } from '#auth/authenticate.ts';
import type { Scope } from '#core/access.ts';
import { ValidationError } from '#core/errors.ts';
import { AGENT_ID_PATTERN, ID_PATTERN } from '#core/ids.ts';

// zod/mini loads no locale by itself; the classic API configures this one on import. Imported by its
// own path: `z.locales.en` would bundle all 48 locales.
z.config(en());

export interface ApiRequest {
  method: string;
  path: string;
  /** Path parameters, already checked to be well-formed ids. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The caller's address as API Gateway saw it (the anonymous rate limits' bucket). */
  sourceIp?: string;
}

export interface ApiResponse {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A document rather than JSON (the widget's frame): sent as is, as text/html. */
  html?: string;
}

/** Who is calling: the workspace, the agent or key, its scopes, and the actor that the feed records. */
export type CallerContext = Principal;

export { AGENT_ID_PATTERN, ID_PATTERN };
export const id = () => z.string().check(z.regex(ID_PATTERN, 'must be an id'));
export const agentId = () =>
  z.string().check(z.regex(AGENT_ID_PATTERN, 'must be an agent id: 1-128 of [A-Za-z0-9_.@:+-]'));

/** Parses `value` with `schema`, or throws a ValidationError whose details list zod's issues. */
export function parse<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'header',
): z.output<S> {
  const out = schema.safeParse(value);
  if (out.success) return out.data;
  throw new ValidationError(
    `invalid ${where}`,
    out.error.issues.slice(0, 20).map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
  );
}

/** Page size and cursor, shared by every list route. */
export const pageQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

export const ok = (body: unknown, statusCode = 200): ApiResponse => ({ statusCode, body });
export const noContent = (): ApiResponse => ({ statusCode: 204 });

/** `{ items, nextCursor? }`: the shape of every list. */
export function listBody<T, V>(page: { items: T[]; cursor?: string }, view: (t: T) => V) {
  return { items: page.items.map(view), ...(page.cursor ? { nextCursor: page.cursor } : {}) };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route: the method and path template (OpenAPI style, `{name}`) and what it runs. */
export interface Route<D = unknown> {
  method: HttpMethod;
  /** Under /v1, with `{param}` segments; the OpenAPI document lists exactly these. */
  path: string;
  operationId: string;
  /**
   * The scope a caller needs (403 without it); the OpenAPI document lists it under `x-scope`. The widget's
   * routes take an end user's widget token instead (`endUser`), or nothing (`public`: the session, the frame).
   */
  scope: Scope | 'endUser' | 'public';
  run(req: ApiRequest, ctx: CallerContext, deps: D): Promise<ApiResponse>;
}
