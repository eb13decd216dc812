/** The reports (docs/reports.md): the overview, the same figures by a dimension, and the threads behind a figure. */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '../api/client.ts';

export type Dimension = 'agent' | 'tag' | 'mailbox' | 'channel';
export type Metric = 'created' | 'resolved' | 'reopened' | 'merged' | 'firstResponse';
export type Figures = Schemas['ReportFigures'];
export type Range = { from: string; to: string };
export type Drill = { metric: Metric; dimension?: Dimension; value?: string };

export const reportQueries = {
  all: () => ['reports'] as const,
  overview: (range: Range) =>
    queryOptions({
      queryKey: ['reports', 'overview', range] as const,
      queryFn: async () => unwrap(await api.GET('/v1/reports/overview', { params: { query: range } })),
    }),
  by: (dimension: Dimension, range: Range) =>
    queryOptions({
      queryKey: ['reports', 'by', dimension, range] as const,
      queryFn: async () =>
        unwrap(await api.GET('/v1/reports/by/{dimension}', { params: { path: { dimension }, query: range } })),
    }),
  threads: (drill: Drill, range: Range) =>
    infiniteQueryOptions({
      queryKey: ['reports', 'threads', drill, range] as const,
      initialPageParam: undefined as string | undefined,
      queryFn: async ({ pageParam }) =>
        unwrap(
          await api.GET('/v1/reports/threads', {
            params: { query: { ...range, ...drill, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          }),
        ),
      getNextPageParam: (page) => page.nextCursor,
    }),
};
