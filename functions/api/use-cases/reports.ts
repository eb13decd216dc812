/**
 * Reports (docs/reports.md): the figures of a range of days from the daily rollups, a few Queries
 * whatever the volume; the threads behind each figure from the event log; a thread's SLA clocks.
 */
import { instantOf } from '#core/business-time/zone.ts';
import { NotFoundError, ValidationError } from '#core/errors.ts';
import type { Thread } from '#core/model.ts';
import { type MetricsEventType, slaStatesAt } from '#core/reports/metrics.ts';
import { type Dimension, figuresOf, type ReportFigures, seriesOf } from '#core/reports/rollup.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';

/** The longest range one report covers. */
export const MAX_REPORT_DAYS = 366;

export type ReportDimension = Exclude<Dimension, 'workspace'>;

/** Figures that lead to a list of threads, and the event type each lists. */
export const FIGURE_EVENTS: Record<string, MetricsEventType> = {
  created: 'created',
  resolved: 'resolved',
  reopened: 'reopened',
  merged: 'merged',
  firstResponse: 'firstResponse',
  // The breaches counted when their timers fired (an unanswered thread among them): the SLA figure's threads.
  slaBreached: 'slaBreached',
};

function metricsOf(deps: ApiDeps) {
  if (!deps.metrics) throw new NotFoundError('reports are not enabled');
  return deps.metrics;
}

function checkRange(from: string, to: string) {
  if (from > to) throw new ValidationError('from must not be after to', { path: 'query.from' });
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_REPORT_DAYS)
    throw new ValidationError(`a report covers at most ${MAX_REPORT_DAYS} days`, { path: 'query.to' });
}

const dateParts = (d: string) => ({ y: Number(d.slice(0, 4)), m: Number(d.slice(5, 7)), d: Number(d.slice(8, 10)) });

/** The instants that the days `from`–`to` cover in the workspace's zone: [start, end). */
function instantsOf(timeZone: string, from: string, to: string) {
  return {
    start: new Date(instantOf(timeZone, dateParts(from), 0)).toISOString(),
    end: new Date(instantOf(timeZone, dateParts(to), 1440)).toISOString(),
  };
}

function linksOf(range: { from: string; to: string }, match?: { dimension: ReportDimension; value: string }) {
  const q = (metric: string) => {
    const p = new URLSearchParams({ metric, from: range.from, to: range.to });
    if (match) {
      p.set('dimension', match.dimension);
      p.set('value', match.value);
    }
    return `/v1/reports/threads?${p.toString()}`;
  };
  return Object.fromEntries(Object.keys(FIGURE_EVENTS).map((f) => [f, q(f)]));
}

export async function overview(deps: ApiDeps, ctx: CallerContext, range: { from: string; to: string }) {
  checkRange(range.from, range.to);
  const [rollups, settings] = await Promise.all([
    metricsOf(deps).rollups(ctx.workspaceId, 'workspace', range.from, range.to),
    deps.admin.getSettings(ctx.workspaceId),
  ]);
  return {
    ...range,
    timeZone: settings.businessHours?.timeZone ?? 'UTC',
    figures: figuresOf(rollups),
    days: seriesOf(rollups),
    links: linksOf(range),
  };
}

export async function byDimension(
  deps: ApiDeps,
  ctx: CallerContext,
  dimension: ReportDimension,
  range: { from: string; to: string },
) {
  checkRange(range.from, range.to);
  const [rollups, settings] = await Promise.all([
    metricsOf(deps).rollups(ctx.workspaceId, dimension, range.from, range.to),
    deps.admin.getSettings(ctx.workspaceId),
  ]);
  const byValue = new Map<string, typeof rollups>();
  for (const r of rollups) byValue.set(r.value, [...(byValue.get(r.value) ?? []), r]);
  const items: Array<{ value: string; figures: ReportFigures; links: Record<string, string> }> = [...byValue.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([value, rs]) => ({ value, figures: figuresOf(rs), links: linksOf(range, { dimension, value }) }));
  return { ...range, dimension, timeZone: settings.businessHours?.timeZone ?? 'UTC', items };
}

export async function threadsOf(
  deps: ApiDeps,
  ctx: CallerContext,
  q: {
    metric: keyof typeof FIGURE_EVENTS;
    from: string;
    to: string;
    dimension?: ReportDimension;
    value?: string;
    limit: number;
    cursor?: string;
  },
) {
  checkRange(q.from, q.to);
  if ((q.dimension === undefined) !== (q.value === undefined))
    throw new ValidationError('dimension and value go together', { path: 'query.value' });
  const settings = await deps.admin.getSettings(ctx.workspaceId);
  const { start, end } = instantsOf(settings.businessHours?.timeZone ?? 'UTC', q.from, q.to);
  const endInclusive = new Date(Date.parse(end) - 1).toISOString();
  const page = await metricsOf(deps).listEventsOf(
    ctx.workspaceId,
    FIGURE_EVENTS[q.metric],
    { from: start, to: endInclusive },
    { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
    q.dimension && q.value !== undefined ? { dimension: q.dimension, value: q.value } : undefined,
  );
  return {
    items: page.items.map((e) => ({
      threadId: e.threadId,
      at: e.at,
      cycle: e.cycle,
      ...(e.agent ? { agent: e.agent } : {}),
      ...(e.seconds !== undefined ? { seconds: e.seconds } : {}),
      ...(e.businessSeconds !== undefined ? { businessSeconds: e.businessSeconds } : {}),
      ...(e.sla ? { sla: e.sla.outcome } : {}),
    })),
    ...(page.cursor ? { nextCursor: page.cursor } : {}),
  };
}

/** What a thread's read adds about its metrics: the first response of the cycle and the SLA clocks. */
export async function threadMetricsView(deps: ApiDeps, thread: Thread) {
  if (!deps.metrics) return {};
  const state = await deps.metrics.getState(thread.workspaceId, thread.threadId);
  if (!state) return {};
  const clocks = slaStatesAt(state.sla, deps.clock.now());
  return {
    ...(state.firstResponseAt
      ? {
          firstResponseAt: state.firstResponseAt,
          firstResponseSeconds: state.firstResponseSeconds ?? 0,
          firstResponseBusinessSeconds: state.firstResponseBusinessSeconds ?? 0,
        }
      : {}),
    ...(Object.keys(clocks).length ? { sla: { cycle: state.cycle, ...clocks } } : {}),
  };
}

/**
 * The SLA marks of a list page's cards: `late` when a clock of the cycle is breached (settled or past due),
 * `slaDueAt` the earliest due time still running. One BatchGetItem per page.
 */
export async function cardSlaMarks(deps: ApiDeps, workspaceId: string, threadIds: string[]) {
  const marks = new Map<string, { late: boolean; slaDueAt?: string }>();
  if (!deps.metrics || threadIds.length === 0) return marks;
  const states = await deps.metrics.getStates(workspaceId, threadIds);
  const now = deps.clock.now();
  for (const [threadId, state] of states) {
    const clocks = Object.values(slaStatesAt(state.sla ?? {}, now));
    if (clocks.length === 0) continue;
    const running = clocks.filter((c) => c.state === 'pending' || c.state === 'warning').map((c) => c.dueAt);
    marks.set(threadId, {
      late: clocks.some((c) => c.state === 'breached'),
      ...(running.length ? { slaDueAt: running.sort()[0] } : {}),
    });
  }
  return marks;
}
