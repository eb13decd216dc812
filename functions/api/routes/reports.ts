/** Routes of the reports (docs/reports.md): figures from the daily rollups, and the threads behind them. */
import { NotFoundError } from '#core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { ok, parse, type Route } from '../http.ts';
import { reportDimension, reportRangeQuery, reportThreadsQuery } from '../schemas.ts';
import * as reports from '../use-cases/reports.ts';

export const reportRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/reports/overview',
    operationId: 'getReportOverview',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const range = parse(reportRangeQuery, req.query, 'query');
      return ok(await reports.overview(deps, ctx, range));
    },
  },
  {
    method: 'GET',
    path: '/v1/reports/threads',
    operationId: 'listReportThreads',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const q = parse(reportThreadsQuery, req.query, 'query');
      return ok(await reports.threadsOf(deps, ctx, q));
    },
  },
  {
    method: 'GET',
    path: '/v1/reports/by/{dimension}',
    operationId: 'getReportByDimension',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const dimension = reportDimension.safeParse(req.params.dimension);
      if (!dimension.success) throw new NotFoundError('reports are by agent, tag, mailbox or channel');
      const range = parse(reportRangeQuery, req.query, 'query');
      return ok(await reports.byDimension(deps, ctx, dimension.data, range));
    },
  },
];
