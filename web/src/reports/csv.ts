/**
 * The CSV export, built in the browser from the figures already on screen (RFC 4180: comma separated, CRLF,
 * fields quoted when they hold a comma, a quote or a line break). Durations in seconds, rates as fractions,
 * so that a spreadsheet computes on them; an empty field is a figure the API has no value for.
 */
import type { Figures } from './queries.ts';

export const CSV_COLUMNS = [
  'created',
  'resolved',
  'reopened',
  'merged',
  'replies',
  'reopen_rate',
  'first_response_median_business_s',
  'first_response_p90_business_s',
  'first_response_median_calendar_s',
  'first_response_p90_calendar_s',
  'resolution_median_business_s',
  'resolution_p90_business_s',
  'resolution_median_calendar_s',
  'resolution_p90_calendar_s',
  'sla_met',
  'sla_breached',
  'sla_met_percent',
] as const;

function values(f: Figures): (number | null)[] {
  return [
    f.created,
    f.resolved,
    f.reopened,
    f.merged,
    f.replies,
    f.reopenRate,
    f.firstResponse.business.median,
    f.firstResponse.business.p90,
    f.firstResponse.calendar.median,
    f.firstResponse.calendar.p90,
    f.resolution.business.median,
    f.resolution.business.p90,
    f.resolution.calendar.median,
    f.resolution.calendar.p90,
    f.sla.met,
    f.sla.breached,
    f.sla.metPercent,
  ];
}

const field = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** One row per label (a day, an agent, a tag…), its first column named `first`. */
export function figuresCsv(first: string, rows: { label: string; figures: Figures }[]): string {
  const lines = [[first, ...CSV_COLUMNS], ...rows.map((r) => [r.label, ...values(r.figures)])];
  return `${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`;
}

/** Hands the text to the browser as a file download. */
export function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
