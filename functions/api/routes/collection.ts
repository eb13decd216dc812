/**
 * The five routes of a collection resource (templates, customers, contacts), in this order: list,
 * create, get, replace or update, delete. Each parses its input, runs one use case and renders the view.
 */
import type * as z from 'zod/mini';
import type { Scope } from '#core/access.ts';
import type { Page } from '#core/ports.ts';
import type { ApiDeps } from '../deps.ts';
import { type CallerContext, listBody, noContent, ok, parse, type Route } from '../http.ts';
import { noQuery } from '../schemas.ts';

type UseCase<A extends unknown[], R> = (deps: ApiDeps, ctx: CallerContext, ...args: A) => Promise<R>;

export interface Collection<T, Q extends z.ZodMiniType, C extends z.ZodMiniType, U extends z.ZodMiniType> {
  /** The collection's path, e.g. `/v1/customers`; an item's is `<path>/{<idParam>}`. */
  path: string;
  idParam: string;
  operationIds: { list: string; create: string; get: string; update: string; delete: string };
  /** The scope of the reads (list, get) and of the writes (create, update, delete). */
  scopes: { read: Scope; write: Scope };
  view: (item: T) => unknown;
  list: { query: Q; run: UseCase<[z.output<Q>], Page<T>> };
  create: { body: C; run: UseCase<[z.output<C>], T> };
  get: UseCase<[id: string], T>;
  update: { method: 'PUT' | 'PATCH'; body: U; run: UseCase<[id: string, z.output<U>], T> };
  delete: UseCase<[id: string], void>;
}

export function collectionRoutes<T, Q extends z.ZodMiniType, C extends z.ZodMiniType, U extends z.ZodMiniType>(
  c: Collection<T, Q, C, U>,
): Route<ApiDeps>[] {
  const itemPath = `${c.path}/{${c.idParam}}`;
  return [
    {
      method: 'GET',
      path: c.path,
      operationId: c.operationIds.list,
      scope: c.scopes.read,
      async run(req, ctx, deps) {
        const query = parse(c.list.query, req.query, 'query');
        return ok(listBody(await c.list.run(deps, ctx, query), c.view));
      },
    },
    {
      method: 'POST',
      path: c.path,
      operationId: c.operationIds.create,
      scope: c.scopes.write,
      async run(req, ctx, deps) {
        const body = parse(c.create.body, req.body, 'body');
        return ok(c.view(await c.create.run(deps, ctx, body)), 201);
      },
    },
    {
      method: 'GET',
      path: itemPath,
      operationId: c.operationIds.get,
      scope: c.scopes.read,
      async run(req, ctx, deps) {
        parse(noQuery, req.query, 'query');
        return ok(c.view(await c.get(deps, ctx, req.params[c.idParam])));
      },
    },
    {
      method: c.update.method,
      path: itemPath,
      operationId: c.operationIds.update,
      scope: c.scopes.write,
      async run(req, ctx, deps) {
        const body = parse(c.update.body, req.body, 'body');
        return ok(c.view(await c.update.run(deps, ctx, req.params[c.idParam], body)));
      },
    },
    {
      method: 'DELETE',
      path: itemPath,
      operationId: c.operationIds.delete,
      scope: c.scopes.write,
      async run(req, ctx, deps) {
        await c.delete(deps, ctx, req.params[c.idParam]);
        return noContent();
      },
    },
  ];
}
