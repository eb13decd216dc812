/** The bulk route: one request, up to 100 threads, a result per thread (docs/api.md, "Bulk work"). */
import * as z from 'zod/mini';
import type { ApiDeps } from '../deps.ts';
import { agentId, id, ok, parse, type Route } from '../http.ts';
import { statusEnum, tag } from '../schemas.ts';
import { BULK_MAX_THREADS, bulkUpdate } from '../use-cases/bulk.ts';

const bulkBody = z.strictObject({
  threads: z
    .array(z.strictObject({ threadId: id(), version: z.optional(z.number().check(z.int(), z.gte(0))) }))
    .check(z.minLength(1), z.maxLength(BULK_MAX_THREADS, `at most ${BULK_MAX_THREADS} threads`)),
  assignee: z.optional(z.nullable(agentId())),
  addTags: z.optional(z.array(tag).check(z.maxLength(20))),
  removeTags: z.optional(z.array(tag).check(z.maxLength(20))),
  status: z.optional(statusEnum),
  /** With status `snoozed`: when the threads come back (ISO 8601, in the future, within a year). */
  snoozedUntil: z.optional(z.iso.datetime({ offset: true })),
});

export const bulkRoutes: Route<ApiDeps>[] = [
  {
    method: 'POST',
    path: '/v1/threads/bulk',
    operationId: 'bulkUpdateThreads',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const { threads, ...change } = parse(bulkBody, req.body, 'body');
      const results = await bulkUpdate(deps, ctx, threads, change);
      return ok({ results });
    },
  },
];
