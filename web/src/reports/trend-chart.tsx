/**
 * A trend per day, drawn by uPlot (a small canvas chart library, loaded with this page only). The canvas is
 * a picture for the eye: its figures are in the page's per-day table, and the legend is plain HTML.
 * Colours come from the design tokens, resolved by the browser for the current theme.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { locale } from '../i18n/index.ts';
import { useTheme } from '../ui/index.ts';

export type Series = { label: string; color: string; values: (number | null)[] };

/** The colour a token stands for now (`light-dark()` resolved), as the canvas needs a plain colour. */
function resolve(host: HTMLElement, token: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${token})`;
  host.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

const HEIGHT = 220;

/** A tick of the day axis: the day and the month, in the page's language (the days are UTC dates). */
const dayLabel = (ts: number) =>
  new Date(ts * 1000).toLocaleDateString(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function TrendChart({
  title,
  days,
  series,
  format,
}: {
  title: string;
  days: string[];
  series: Series[];
  format: (v: number) => string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useTheme();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the theme changes the tokens' colours, so the canvas is redrawn.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const fg = resolve(el, '--color-muted');
    const grid = resolve(el, '--color-line');
    const x = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(el.clientWidth, 200),
        height: HEIGHT,
        legend: { show: false },
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: {
          x: { time: true, range: (_u, min, max) => (min === max ? [min - 43_200, max + 43_200] : [min, max]) },
          y: { range: (_u, _min, max) => [0, Math.max(max, 1)] },
        },
        axes: [
          { ...axis, space: 60, values: (_u, ticks) => ticks.map(dayLabel) },
          { ...axis, size: 64, values: (_u, ticks) => ticks.map(format) },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: resolve(el, s.color),
            width: 2,
            points: { show: days.length <= 31 },
            spanGaps: true,
          })),
        ],
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, format, theme]);
  return (
    <figure className="trend">
      <figcaption>{title}</figcaption>
      <ul className="trend-legend">
        {series.map((s) => (
          <li key={s.label}>
            <span className="swatch" style={{ background: `var(${s.color})` }} />
            {s.label}
          </li>
        ))}
      </ul>
      <div ref={host} className="trend-plot" aria-hidden="true" />
    </figure>
  );
}
