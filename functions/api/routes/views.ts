/**
 * The queue's views with their counts: Mine, Unassigned, All (open threads), Late (a breached SLA), Mentions (unread). Each view
 * is a list filter of GET /v1/threads; its count is one capped COUNT Query on its own list partition.
 */
import { NotFoundError } from '#core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { ok, parse, type Route } from '../http.ts';
import { noQuery } from '../schemas.ts';

/** Counts stop here: the side bar shows "999+". */
export const VIEW_COUNT_CAP = 999;

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
      const view = async (id: string, name: string, filter: Record<string, string>, count: Promise<number>) => {
        const n = await count;
        return { id, name, filter, count: Math.min(n, VIEW_COUNT_CAP), countMore: n > VIEW_COUNT_CAP };
      };
      const views = await Promise.all([
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
      return ok({ items: views });
    },
  },
];
