/**
 * The queue's views with their counts: Mine, Unassigned, All (open threads), Late (a breached SLA), Mentions
 * (unread), then the saved searches (the agent's own, then those shared with the workspace). Each view is a list
 * filter of GET /v1/threads; its count is one capped COUNT Query on its own list partition (one per shard of a
 * hot facet). A saved search whose filter is not exactly one list partition (keywords, unread, or a filter left
 * over) is not counted (`countable: false`): counting it would mean reading and filtering, which the side bar
 * never does.
 */
import * as z from 'zod/mini';
import type { SavedView } from '#adapters/dynamo/saved-view-store.ts';
import { chooseFacet } from '#adapters/dynamo/thread-queries.ts';
import { NotFoundError, ValidationError } from '#core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { type CallerContext, id, noContent, ok, parse, type Route } from '../http.ts';
import { listThreadsQuery, noQuery } from '../schemas.ts';
import { idempotently } from '../use-cases/idempotency.ts';

/** Counts stop here: the side bar shows "999+". */
export const VIEW_COUNT_CAP = 999;

/** The filters a saved search keeps: those of GET /v1/threads, without paging or `updatedSince`. */
const SAVED_FILTER_KEYS = ['status', 'assignee', 'tag', 'customer', 'hasAttachments', 'quarantined', 'q', 'unread'];
const filterValue = z.string().check(z.minLength(1), z.maxLength(500));
const savedFilter = z
  .strictObject(Object.fromEntries(SAVED_FILTER_KEYS.map((k) => [k, z.optional(filterValue)])))
  .check(
    z.refine((f) => listThreadsQuery.safeParse(f).success, 'must be a valid filter of GET /v1/threads'),
    z.refine((f) => Object.keys(f).length > 0, 'must hold at least one filter'),
  );
const viewName = z.string().check(z.trim(), z.minLength(1), z.maxLength(80));
const createBody = z.strictObject({ name: viewName, filter: savedFilter, shared: z.optional(z.boolean()) });
const patchBody = z
  .strictObject({ name: z.optional(viewName), filter: z.optional(savedFilter), shared: z.optional(z.boolean()) })
  .check(z.refine((b) => Object.keys(b).length > 0, 'must change something'));
const viewParams = z.strictObject({ viewId: id() });

/** The list partition that a saved filter is exactly, or null when counting it would need filtering. */
export function countableFacet(filter: Record<string, string>): string | null {
  if (filter.q !== undefined || filter.unread !== undefined) return null;
  const parsed = listThreadsQuery.safeParse(filter);
  if (!parsed.success) return null;
  const { limit: _l, cursor: _c, q: _q, unread: _u, updatedSince: _s, ...threadFilter } = parsed.data;
  const { facet, remaining } = chooseFacet(threadFilter);
  return Object.keys(remaining).length === 0 ? facet : null;
}

const agentOf = (ctx: CallerContext) => {
  if (ctx.actor.kind !== 'agent') throw new ValidationError('saved searches belong to an agent (X-Agent-Id)');
  return ctx.actor.id;
};
const store = (deps: ApiDeps) => {
  if (!deps.savedViews) throw new NotFoundError('saved searches are not enabled');
  return deps.savedViews;
};

const savedView = (v: SavedView, me: string | undefined) => ({
  id: v.viewId,
  kind: 'saved' as const,
  name: v.name,
  filter: v.filter,
  shared: v.shared,
  ownerId: v.ownerId,
  mine: v.ownerId === me,
  createdAt: v.createdAt,
});

const idempotencyKeyOf = (header: string | undefined) => {
  if (header !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(header))
    throw new ValidationError('Idempotency-Key must be 1-64 of [A-Za-z0-9_-]', { header: 'Idempotency-Key' });
  return header;
};

export const viewRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/views',
    operationId: 'listViews',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      const counts = deps.viewCounts;
      if (!counts) throw new NotFoundError('views are not enabled');
      const me = ctx.actor.kind === 'agent' ? ctx.actor.id : undefined;
      const ws = ctx.workspaceId;
      const counted = async (n: Promise<number>) => {
        const c = await n;
        return { countable: true, count: Math.min(c, VIEW_COUNT_CAP), countMore: c > VIEW_COUNT_CAP };
      };
      const view = async (id: string, name: string, filter: Record<string, string>, count: Promise<number>) => ({
        id,
        kind: 'builtin' as const,
        name,
        filter,
        ...(await counted(count)),
      });
      const builtins = Promise.all([
        ...(me
          ? [
              view(
                'mine',
                'Mine',
                { status: 'open', assignee: me },
                counts.countFacet(ws, `status=open&assignee=${me}`, VIEW_COUNT_CAP),
              ),
            ]
          : []),
        view(
          'unassigned',
          'Unassigned',
          { status: 'open', assignee: 'none' },
          counts.countFacet(ws, 'status=open&assignee=none', VIEW_COUNT_CAP),
        ),
        view('all', 'All', { status: 'open' }, counts.countFacet(ws, 'status=open', VIEW_COUNT_CAP)),
        // Threads with a breached SLA clock, not closed (issue 24): the sparse `late` facet.
        view('late', 'Late', { late: 'true' }, counts.countLate(ws, VIEW_COUNT_CAP)),
        ...(me
          ? [
              view(
                'mentions',
                'Mentions',
                { notifications: 'mentioned' },
                counts.countUnreadMentions(ws, me, VIEW_COUNT_CAP),
              ),
            ]
          : []),
      ]);
      const saved = deps.savedViews
        ? (async () => {
            const [own, shared] = await Promise.all([
              me ? deps.savedViews!.listOwn(ws, me) : Promise.resolve([]),
              deps.savedViews!.listShared(ws),
            ]);
            const others = shared.filter((v) => v.ownerId !== me);
            return Promise.all(
              [...own, ...others].map(async (v) => {
                const facet = countableFacet(v.filter);
                return {
                  ...savedView(v, me),
                  ...(facet ? await counted(counts.countFacet(ws, facet, VIEW_COUNT_CAP)) : { countable: false }),
                };
              }),
            );
          })()
        : Promise.resolve([]);
      return ok({ items: [...(await builtins), ...(await saved)] });
    },
  },
  {
    method: 'POST',
    path: '/v1/views',
    operationId: 'createSavedView',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const body = parse(createBody, req.body, 'body');
      const me = agentOf(ctx);
      const views = store(deps);
      const out = await idempotently(deps, ctx, {
        key: idempotencyKeyOf(req.headers['idempotency-key']),
        request: { operation: 'createSavedView', body },
        reserve: () => ({ viewId: deps.ids.newId() }),
        run: async ({ viewId }) => {
          const at = deps.clock.now().toISOString();
          const filter = Object.fromEntries(Object.entries(body.filter).filter(([, v]) => v !== undefined)) as Record<
            string,
            string
          >;
          const v = await views.create(ctx.workspaceId, {
            viewId,
            ownerId: me,
            name: body.name,
            filter,
            shared: body.shared ?? false,
            createdAt: at,
            updatedAt: at,
          });
          return { value: v, result: { viewId: v.viewId } };
        },
        replay: async ({ viewId }) => {
          const v = await views.get(ctx.workspaceId, me, viewId);
          if (!v) throw new NotFoundError(`saved search ${viewId} was deleted`);
          return v;
        },
      });
      const facet = countableFacet(out.value.filter);
      return {
        statusCode: 201,
        body: { ...savedView(out.value, me), countable: facet !== null },
        ...(out.replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/v1/views/{viewId}',
    operationId: 'updateSavedView',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const { viewId } = parse(viewParams, req.params, 'query');
      const body = parse(patchBody, req.body, 'body');
      const me = agentOf(ctx);
      const patch = {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.shared !== undefined ? { shared: body.shared } : {}),
        ...(body.filter !== undefined
          ? {
              filter: Object.fromEntries(Object.entries(body.filter).filter(([, v]) => v !== undefined)) as Record<
                string,
                string
              >,
            }
          : {}),
      };
      const v = await store(deps).update(ctx.workspaceId, me, viewId, patch, deps.clock.now().toISOString());
      return ok({ ...savedView(v, me), countable: countableFacet(v.filter) !== null });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/views/{viewId}',
    operationId: 'deleteSavedView',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const { viewId } = parse(viewParams, req.params, 'query');
      parse(noQuery, req.query, 'query');
      await store(deps).delete(ctx.workspaceId, agentOf(ctx), viewId);
      return noContent();
    },
  },
];
