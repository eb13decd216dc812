/**
 * Daily rollups: what the metrics events add to the counters of one day, per workspace and per agent,
 * tag, mailbox and channel; and the report's figures from the rollups of a range of days. A rollup is a
 * flat set of counters and histogram buckets, so the adapter adds to it with one `ADD` per attribute.
 */
import { localDateOf } from '../business-time/zone.ts';
import { addTo, bucketOf, countOf, type Histogram, quantile } from './histogram.ts';
import type { MetricsEvent, SlaTarget } from './metrics.ts';

export const DIMENSIONS = ['workspace', 'agent', 'tag', 'mailbox', 'channel'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The counters of a rollup; histograms are attributes `<h>_<bucket>` (h: frc, frb, rsc, rsb). */
export const COUNTERS = [
  'created',
  'resolved',
  'reopened',
  'merged',
  'replies',
  'firstResponses',
  'nextResponses',
  'slaMet',
  'slaBreached',
] as const;
export type Counter = (typeof COUNTERS)[number];

/** First response and resolution times, calendar (c) and business (b). */
export const HISTOGRAMS = ['frc', 'frb', 'rsc', 'rsb'] as const;
export type HistogramName = (typeof HISTOGRAMS)[number];

/** Additions to one rollup item. */
export interface RollupDelta {
  dimension: Dimension;
  /** The agent id, tag, mailbox or channel; `-` for the workspace. */
  value: string;
  day: string;
  add: Record<string, number>;
}

/** The day of an instant, in the workspace's time zone (UTC without business hours). */
export const dayOf = (at: string, timeZone = 'UTC') => {
  const d = localDateOf(timeZone, Date.parse(at));
  return `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
};

const slaCounter = (target: SlaTarget, outcome: 'met' | 'breached') =>
  `${outcome === 'met' ? 'slaMet' : 'slaBreached'}_${target}`;

/** What one event adds to the counters of each rollup it counts in (the same for every dimension). */
function additions(e: MetricsEvent): Record<string, number> {
  const add: Record<string, number> = {};
  const inc = (name: string, n = 1) => {
    add[name] = (add[name] ?? 0) + n;
  };
  switch (e.type) {
    case 'created':
      inc('created');
      break;
    case 'reopened':
      inc('reopened');
      break;
    case 'merged':
      inc('merged');
      break;
    case 'firstResponse':
      inc('replies');
      inc('firstResponses');
      inc(`frc_${bucketOf(e.seconds ?? 0)}`);
      inc(`frb_${bucketOf(e.businessSeconds ?? 0)}`);
      break;
    case 'reply':
      inc('replies');
      if (e.seconds !== undefined) inc('nextResponses');
      break;
    case 'resolved':
      inc('resolved');
      inc(`rsc_${bucketOf(e.seconds ?? 0)}`);
      inc(`rsb_${bucketOf(e.businessSeconds ?? 0)}`);
      break;
    default:
      break;
  }
  // A breach counted when its timer fired (`slaBreached`) is not counted again at the late answer.
  if (e.sla && !e.sla.countedAtDue) {
    inc(e.sla.outcome === 'met' ? 'slaMet' : 'slaBreached');
    inc(slaCounter(e.sla.target, e.sla.outcome));
  }
  return add;
}

/** The rollup deltas of a batch of events, merged per (dimension, value, day). */
export function rollupDeltas(events: MetricsEvent[], timeZone?: string): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const e of events) {
    const add = additions(e);
    if (Object.keys(add).length === 0) continue;
    const day = dayOf(e.at, timeZone);
    const targets: Array<[Dimension, string]> = [
      ['workspace', '-'],
      ['channel', e.channel],
    ];
    if (e.agent) targets.push(['agent', e.agent]);
    if (e.mailbox) targets.push(['mailbox', e.mailbox]);
    for (const t of new Set(e.tags)) targets.push(['tag', t]);
    for (const [dimension, value] of targets) {
      const key = `${dimension}\u0000${value}\u0000${day}`;
      const delta = byKey.get(key) ?? { dimension, value, day, add: {} };
      for (const [name, n] of Object.entries(add)) delta.add[name] = (delta.add[name] ?? 0) + n;
      byKey.set(key, delta);
    }
  }
  return [...byKey.values()];
}

// ------------------------------------------------------------------------------------------ the report

/** A rollup item as stored: its value, its day, and its counters. */
export interface StoredRollup {
  value: string;
  day: string;
  counters: Record<string, number>;
}

export interface DurationFigures {
  count: number;
  /** Seconds, by nearest rank, within ±4.4 % (core/reports/histogram.ts). */
  median: number | null;
  p90: number | null;
}

export interface ReportFigures {
  created: number;
  resolved: number;
  reopened: number;
  merged: number;
  replies: number;
  /** Reopened ÷ resolved, 0–1 (null with nothing resolved). */
  reopenRate: number | null;
  firstResponse: { calendar: DurationFigures; business: DurationFigures };
  resolution: { calendar: DurationFigures; business: DurationFigures };
  sla: {
    met: number;
    breached: number;
    /** Met ÷ (met + breached) × 100, one decimal (null with no target reached or missed). */
    metPercent: number | null;
    byTarget: Record<SlaTarget, { met: number; breached: number }>;
  };
}

function durations(h: Histogram): DurationFigures {
  return { count: countOf(h), median: quantile(h, 0.5), p90: quantile(h, 0.9) };
}

/** The figures of a set of rollups (one dimension value over a range of days). */
export function figuresOf(rollups: StoredRollup[]): ReportFigures {
  const sum: Record<string, number> = {};
  const hist: Record<HistogramName, Histogram> = { frc: {}, frb: {}, rsc: {}, rsb: {} };
  for (const r of rollups)
    for (const [name, n] of Object.entries(r.counters)) {
      const m = /^(frc|frb|rsc|rsb)_(\d+)$/.exec(name);
      if (m) addTo(hist[m[1] as HistogramName], { [Number(m[2])]: n });
      else sum[name] = (sum[name] ?? 0) + n;
    }
  const n = (name: string) => sum[name] ?? 0;
  const met = n('slaMet');
  const breached = n('slaBreached');
  const target = (t: SlaTarget) => ({ met: n(`slaMet_${t}`), breached: n(`slaBreached_${t}`) });
  return {
    created: n('created'),
    resolved: n('resolved'),
    reopened: n('reopened'),
    merged: n('merged'),
    replies: n('replies'),
    reopenRate: n('resolved') ? Math.round((n('reopened') / n('resolved')) * 1000) / 1000 : null,
    firstResponse: { calendar: durations(hist.frc), business: durations(hist.frb) },
    resolution: { calendar: durations(hist.rsc), business: durations(hist.rsb) },
    sla: {
      met,
      breached,
      metPercent: met + breached ? Math.round((met / (met + breached)) * 1000) / 10 : null,
      byTarget: {
        firstResponse: target('firstResponse'),
        nextResponse: target('nextResponse'),
        resolution: target('resolution'),
      },
    },
  };
}

/** The figures per day (for trends) and in total, of the rollups of one dimension value. */
export function seriesOf(rollups: StoredRollup[]): Array<{ day: string; figures: ReportFigures }> {
  const byDay = new Map<string, StoredRollup[]>();
  for (const r of rollups) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, rs]) => ({ day, figures: figuresOf(rs) }));
}
