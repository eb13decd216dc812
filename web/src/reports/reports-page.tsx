/**
 * The Reports page (docs/reports.md): a range of days, the team's figures for it, their trend per day, the
 * same figures by agent, tag, mailbox or channel, a CSV export, and for each figure the threads behind it.
 * Loaded on demand with its chart library (app/app.tsx).
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { fullTime } from '../../../design/format.ts';
import { avatarFor, useAgents } from '../agents/index.ts';
import { locale, type MessageKey, t } from '../i18n/index.ts';
import { threadQueries } from '../thread/queries.ts';
import { Badge, Button, EmptyState, ErrorBoundary, Field, Skeleton } from '../ui/index.ts';
import { download, figuresCsv } from './csv.ts';
import { type Dimension, type Drill, type Figures, type Metric, type Range, reportQueries } from './queries.ts';
import './reports.css';
import { type Series, TrendChart } from './trend-chart.tsx';

type Preset = '7' | '30' | 'custom';

const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The last `n` days, today included (the browser's calendar; the API counts them in the workspace's zone). */
export function lastDays(n: number, today = new Date()): Range {
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (n - 1));
  return { from: isoDay(from), to: isoDay(today) };
}

/** A duration in seconds, in the unit that reads best (s, min, h, days), in the page's language. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  const [unit, n] =
    seconds < 60
      ? (['second', seconds] as const)
      : seconds < 3600
        ? (['minute', seconds / 60] as const)
        : seconds < 172_800
          ? (['hour', seconds / 3600] as const)
          : (['day', seconds / 86_400] as const);
  return new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(n);
}

const percent = (fraction: number | null | undefined) =>
  fraction === null || fraction === undefined
    ? '—'
    : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
/** The API gives SLA met % as a percentage (0–100). */
const slaPercent = (p: number | null) => (p === null ? '—' : percent(p / 100));
const count = (n: number) => new Intl.NumberFormat(locale()).format(n);

/** The figures a tile shows, and the list of threads it leads to. */
type Tile = {
  id: string;
  label: MessageKey;
  metric: Metric;
  value: (f: Figures) => string;
  detail?: (f: Figures) => string;
};

const TILES: Tile[] = [
  { id: 'created', label: 'reports.created', metric: 'created', value: (f) => count(f.created) },
  { id: 'resolved', label: 'reports.resolved', metric: 'resolved', value: (f) => count(f.resolved) },
  { id: 'reopened', label: 'reports.reopened', metric: 'reopened', value: (f) => count(f.reopened) },
  {
    id: 'reopenRate',
    label: 'reports.reopenRate',
    metric: 'reopened',
    value: (f) => percent(f.reopenRate),
  },
  {
    id: 'firstResponse',
    label: 'reports.firstResponse',
    metric: 'firstResponse',
    value: (f) => duration(f.firstResponse.business.median),
    detail: (f) => times(f.firstResponse),
  },
  {
    id: 'resolution',
    label: 'reports.resolution',
    metric: 'resolved',
    value: (f) => duration(f.resolution.business.median),
    detail: (f) => times(f.resolution),
  },
  {
    id: 'sla',
    label: 'reports.slaMet',
    metric: 'firstResponse',
    value: (f) => slaPercent(f.sla.metPercent),
    detail: (f) => t('reports.slaCounts', { met: count(f.sla.met), breached: count(f.sla.breached) }),
  },
];

function times(d: Figures['firstResponse']) {
  return t('reports.times', {
    p90: duration(d.business.p90),
    median: duration(d.calendar.median),
    calendarP90: duration(d.calendar.p90),
  });
}

/** The days from `from` to `to` (YYYY-MM-DD, included), each with its figures when the API has a rollup for it. */
export function everyDay(from: string, to: string, days: { day: string; figures: Figures }[]) {
  const byDay = new Map(days.map((d) => [d.day, d.figures]));
  const out: { day: string; figures: Figures | undefined }[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    out.push({ day, figures: byDay.get(day) });
  }
  return out;
}

const DIMENSIONS: Dimension[] = ['agent', 'tag', 'mailbox', 'channel'];

export function ReportsPage() {
  const [preset, setPreset] = useState<Preset>('7');
  const [custom, setCustom] = useState<Range>(() => lastDays(7));
  const range = useMemo(() => (preset === 'custom' ? custom : lastDays(Number(preset))), [preset, custom]);
  const [drill, setDrill] = useState<Drill & { label: string }>();
  const valid = range.from <= range.to;
  return (
    <div className="page reports">
      <h1>{t('nav.reports')}</h1>
      <div className="reports-range">
        <Field label={t('reports.period')}>
          {(props) => (
            <select {...props} value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
              <option value="7">{t('reports.last7')}</option>
              <option value="30">{t('reports.last30')}</option>
              <option value="custom">{t('reports.custom')}</option>
            </select>
          )}
        </Field>
        {preset === 'custom' && (
          <>
            <Field label={t('reports.from')}>
              {(props) => (
                <input
                  {...props}
                  type="date"
                  value={custom.from}
                  max={custom.to}
                  onChange={(e) => e.target.value && setCustom((c) => ({ ...c, from: e.target.value }))}
                />
              )}
            </Field>
            <Field label={t('reports.to')}>
              {(props) => (
                <input
                  {...props}
                  type="date"
                  value={custom.to}
                  min={custom.from}
                  onChange={(e) => e.target.value && setCustom((c) => ({ ...c, to: e.target.value }))}
                />
              )}
            </Field>
          </>
        )}
      </div>
      {valid ? (
        <>
          <ErrorBoundary area={t('reports.overview')} resetKey={`${range.from}/${range.to}`}>
            <Overview range={range} drill={drill} onDrill={setDrill} />
          </ErrorBoundary>
          <ErrorBoundary area={t('reports.byDimension')} resetKey={`${range.from}/${range.to}`}>
            <ByDimension range={range} onDrill={setDrill} />
          </ErrorBoundary>
          {drill && (
            <ErrorBoundary area={t('reports.threads')} resetKey={JSON.stringify([drill, range])}>
              <DrillThreads range={range} drill={drill} onClose={() => setDrill(undefined)} />
            </ErrorBoundary>
          )}
        </>
      ) : (
        <p role="alert">{t('reports.badRange')}</p>
      )}
    </div>
  );
}

function Overview({
  range,
  drill,
  onDrill,
}: {
  range: Range;
  drill: (Drill & { label: string }) | undefined;
  onDrill: (d: Drill & { label: string }) => void;
}) {
  const overview = useQuery(reportQueries.overview(range));
  const headingId = useId();
  const data = overview.data;
  // Every day of the range, those without a rollup included (zero counts, no duration), so that the
  // trend's axis spans the range.
  const filled = useMemo(() => (data ? everyDay(data.from, data.to, data.days) : []), [data]);
  const days = useMemo(() => filled.map((d) => d.day), [filled]);
  const counts = useMemo<Series[]>(
    () => [
      { label: t('reports.created'), color: '--accent-9', values: filled.map((d) => d.figures?.created ?? 0) },
      { label: t('reports.resolved'), color: '--green-9', values: filled.map((d) => d.figures?.resolved ?? 0) },
      { label: t('reports.reopened'), color: '--amber-9', values: filled.map((d) => d.figures?.reopened ?? 0) },
    ],
    [filled],
  );
  const medians = useMemo<Series[]>(
    () => [
      {
        label: t('reports.firstResponse'),
        color: '--accent-9',
        values: filled.map((d) => d.figures?.firstResponse.business.median ?? null),
      },
      {
        label: t('reports.resolution'),
        color: '--green-9',
        values: filled.map((d) => d.figures?.resolution.business.median ?? null),
      },
    ],
    [filled],
  );
  if (overview.isError) throw overview.error;
  return (
    <section className="reports-section" aria-labelledby={headingId}>
      <div className="reports-section-head">
        <h2 id={headingId}>{t('reports.overview')}</h2>
        {data && (
          <Button
            variant="secondary"
            size="sm"
            icon={Download}
            onClick={() =>
              download(
                `gochat-report-${range.from}-${range.to}.csv`,
                figuresCsv('day', [
                  ...data.days.map((d) => ({ label: d.day, figures: d.figures })),
                  { label: 'total', figures: data.figures },
                ]),
              )
            }
          >
            {t('reports.exportCsv')}
          </Button>
        )}
      </div>
      {!data ? (
        <Skeleton lines={4} />
      ) : (
        <>
          <p className="reports-note">{t('reports.note', { zone: data.timeZone })}</p>
          <ul className="tiles" aria-label={t('reports.figures')}>
            {TILES.map((tile) => (
              <li key={tile.id}>
                <button
                  type="button"
                  className="tile"
                  aria-pressed={drill?.metric === tile.metric && !drill.dimension && drill.label === t(tile.label)}
                  onClick={() => onDrill({ metric: tile.metric, label: t(tile.label) })}
                >
                  <span className="tile-label">{t(tile.label)}</span>
                  <span className="tile-value">{tile.value(data.figures)}</span>
                  {tile.detail && <span className="tile-detail">{tile.detail(data.figures)}</span>}
                </button>
              </li>
            ))}
          </ul>
          <div className="trends">
            <TrendChart title={t('reports.trendCounts')} days={days} series={counts} format={count} />
            <TrendChart title={t('reports.trendTimes')} days={days} series={medians} format={duration} />
          </div>
          <details className="reports-days">
            <summary>{t('reports.perDay')}</summary>
            <FiguresTable
              first={t('reports.day')}
              rows={data.days.map((d) => ({ key: d.day, label: d.day, figures: d.figures }))}
            />
          </details>
        </>
      )}
    </section>
  );
}

function FiguresTable({
  first,
  rows,
  onDrill,
}: {
  first: string;
  rows: { key: string; label: string; figures: Figures }[];
  onDrill?: (key: string, metric: Metric, label: string) => void;
}) {
  const cell = (key: string, label: string, metric: Metric, text: string, what: MessageKey) =>
    onDrill ? (
      <button
        type="button"
        className="link-button"
        aria-label={`${t(what)}, ${label}: ${text}`}
        onClick={() => onDrill(key, metric, `${t(what)} — ${label}`)}
      >
        {text}
      </button>
    ) : (
      text
    );
  return (
    <div className="table-scroll">
      <table className="figures">
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">{t('reports.created')}</th>
            <th scope="col">{t('reports.resolved')}</th>
            <th scope="col">{t('reports.reopened')}</th>
            <th scope="col">{t('reports.reopenRate')}</th>
            <th scope="col">{t('reports.firstResponseMedian')}</th>
            <th scope="col">{t('reports.resolutionMedian')}</th>
            <th scope="col">{t('reports.slaMet')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, figures: f }) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td>{cell(key, label, 'created', count(f.created), 'reports.created')}</td>
              <td>{cell(key, label, 'resolved', count(f.resolved), 'reports.resolved')}</td>
              <td>{cell(key, label, 'reopened', count(f.reopened), 'reports.reopened')}</td>
              <td>{percent(f.reopenRate)}</td>
              <td>
                {cell(key, label, 'firstResponse', duration(f.firstResponse.business.median), 'reports.firstResponse')}
              </td>
              <td>{duration(f.resolution.business.median)}</td>
              <td>{slaPercent(f.sla.metPercent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ByDimension({ range, onDrill }: { range: Range; onDrill: (d: Drill & { label: string }) => void }) {
  const [dimension, setDimension] = useState<Dimension>('agent');
  const by = useQuery(reportQueries.by(dimension, range));
  const agents = useAgents();
  const headingId = useId();
  const tabsId = useId();
  if (by.isError) throw by.error;
  const name = (value: string) => (dimension === 'agent' ? avatarFor(value, agents.data).name : value);
  const rows = by.data?.items.map((i) => ({ key: i.value, label: name(i.value), figures: i.figures })) ?? [];
  return (
    <section className="reports-section" aria-labelledby={headingId}>
      <div className="reports-section-head">
        <h2 id={headingId}>{t('reports.byDimension')}</h2>
        {by.data && rows.length > 0 && (
          <Button
            variant="secondary"
            size="sm"
            icon={Download}
            onClick={() =>
              download(`gochat-report-${dimension}-${range.from}-${range.to}.csv`, figuresCsv(dimension, rows))
            }
          >
            {t('reports.exportCsvBy', { dimension: t(`reports.dim.${dimension}`) })}
          </Button>
        )}
      </div>
      <div role="tablist" aria-label={t('reports.byDimension')} className="tabs">
        {DIMENSIONS.map((d) => (
          <button
            key={d}
            type="button"
            role="tab"
            id={`${tabsId}-${d}`}
            aria-selected={d === dimension}
            aria-controls={`${tabsId}-panel`}
            tabIndex={d === dimension ? 0 : -1}
            onClick={() => setDimension(d)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = DIMENSIONS[(DIMENSIONS.indexOf(d) + step + DIMENSIONS.length) % DIMENSIONS.length]!;
              setDimension(next);
              document.getElementById(`${tabsId}-${next}`)?.focus();
            }}
          >
            {t(`reports.dim.${d}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${tabsId}-panel`} aria-labelledby={`${tabsId}-${dimension}`}>
        {!by.data ? (
          <Skeleton lines={3} />
        ) : rows.length === 0 ? (
          <EmptyState title={t('reports.noValues')} />
        ) : (
          <FiguresTable
            first={t(`reports.dim.${dimension}`)}
            rows={rows}
            onDrill={(value, metric, label) => onDrill({ metric, dimension, value, label })}
          />
        )}
      </div>
    </section>
  );
}

function DrillThreads({
  range,
  drill,
  onClose,
}: {
  range: Range;
  drill: Drill & { label: string };
  onClose: () => void;
}) {
  const { label, ...request } = drill;
  const list = useInfiniteQuery(reportQueries.threads(request, range));
  const agents = useAgents();
  const headingId = useId();
  const section = useRef<HTMLElement>(null);
  // The list opens below the tables: it is brought into view when a figure is picked.
  // A block body: Chromium's scrollIntoView returns a promise, which React would take for the effect's cleanup.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new figure is a new list to show.
  useEffect(() => {
    section.current?.scrollIntoView?.({ block: 'nearest' });
  }, [label]);
  if (list.isError) throw list.error;
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section ref={section} className="reports-section reports-threads" aria-labelledby={headingId}>
      <div className="reports-section-head">
        <h2 id={headingId}>{t('reports.threadsOf', { figure: label })}</h2>
        <Button variant="ghost" size="sm" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
      {!list.data ? (
        <Skeleton lines={3} />
      ) : items.length === 0 && !list.hasNextPage ? (
        <EmptyState title={t('reports.noThreads')} />
      ) : (
        <ul className="drill-list">
          {items.map((item) => (
            <li key={`${item.threadId}-${item.at}-${item.cycle}`}>
              <ThreadLink threadId={item.threadId} />
              <time dateTime={item.at}>{fullTime(item.at, locale())}</time>
              {item.agent && <span>{avatarFor(item.agent, agents.data).name}</span>}
              {item.businessSeconds !== undefined && (
                <span>{t('reports.took', { time: duration(item.businessSeconds) })}</span>
              )}
              {item.cycle > 1 && <span>{t('reports.cycle', { n: item.cycle })}</span>}
              {item.sla && (
                <Badge tone={item.sla === 'met' ? 'success' : 'danger'}>{t(`reports.sla.${item.sla}`)}</Badge>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <Button variant="secondary" size="sm" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {t('reports.more')}
        </Button>
      )}
    </section>
  );
}

/** A link to the thread, named by its subject once the thread has been read (its id until then). */
function ThreadLink({ threadId }: { threadId: string }) {
  const thread = useQuery(threadQueries.one(threadId));
  return (
    <Link href={`/inbox/${threadId}`} className="drill-thread">
      {thread.data ? thread.data.subject || t('thread.noSubject') : threadId}
    </Link>
  );
}
