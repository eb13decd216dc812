/**
 * Business time: the seconds that count under a workspace's weekly hours, in its time zone, less its
 * holidays. With no business hours set, every second counts (calendar time).
 *
 * Hours are wall-clock times in the zone, so a 09:00–17:00 day stays eight hours across a daylight-saving
 * change, and a 00:00–24:00 day has 23 or 25 hours on the day the clocks move.
 */
import { addDays, instantOf, isoDate, type LocalDate, localDateOf, weekdayOf } from './zone.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One span of a day's hours, `HH:MM` wall-clock times; `end` may be `24:00`. */
export interface HoursSpan {
  start: string;
  end: string;
}

/** A workspace's business hours. */
export interface BusinessHours {
  /** IANA time zone, e.g. `Europe/Paris`. */
  timeZone: string;
  /** The weekly schedule: the spans of each day; a day left out has no hours. */
  week: Partial<Record<Weekday, HoursSpan[]>>;
  /** Local dates (`YYYY-MM-DD`) with no hours at all. */
  holidays?: string[];
}

/** Minutes after midnight of `HH:MM` (00:00–24:00), or NaN. */
export function minuteOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return Number.NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return Number.NaN;
  return h * 60 + min;
}

/** A schedule ready to compute with: spans in minutes, sorted and merged, holidays as a set. */
interface Compiled {
  timeZone: string;
  days: Array<Array<[number, number]>>;
  holidays: Set<string>;
  weeklyMinutes: number;
}

const compiledCache = new WeakMap<BusinessHours, Compiled>();

function compile(hours: BusinessHours): Compiled {
  const cached = compiledCache.get(hours);
  if (cached) return cached;
  const days = WEEKDAYS.map((day) => {
    const spans = (hours.week[day] ?? [])
      .map((s): [number, number] => [minuteOf(s.start), minuteOf(s.end)])
      .filter(([a, b]) => a < b) // NaN compares false: invalid spans drop out (validation refuses them first)
      .sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const s of spans) {
      const last = merged.at(-1);
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    }
    return merged;
  });
  const weeklyMinutes = days.flat().reduce((n, [a, b]) => n + b - a, 0);
  const compiled = { timeZone: hours.timeZone, days, holidays: new Set(hours.holidays ?? []), weeklyMinutes };
  compiledCache.set(hours, compiled);
  return compiled;
}

/** The business spans of one local date, as [start, end) instants in ms. */
function spansOn(c: Compiled, date: LocalDate): Array<[number, number]> {
  if (c.holidays.has(isoDate(date))) return [];
  const day = c.days[weekdayOf(date)];
  return day.map(([a, b]) => [instantOf(c.timeZone, date, a), instantOf(c.timeZone, date, b)]);
}

/** Whole seconds, rounding down: the figures are stored and compared in seconds. */
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The business seconds between two instants (0 when `to` is not after `from`). Calendar seconds when
 * `hours` is undefined.
 */
export function businessSecondsBetween(hours: BusinessHours | undefined, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  if (!hours) return seconds(b - a);
  const c = compile(hours);
  let total = 0;
  // A span of date D lies within D's local day, which starts at or before `from` only if D ≥ from's date.
  const last = localDateOf(c.timeZone, b);
  for (let date = localDateOf(c.timeZone, a); ; date = addDays(date, 1)) {
    for (const [s, e] of spansOn(c, date)) total += Math.max(0, Math.min(e, b) - Math.max(s, a));
    if (date.y === last.y && date.m === last.m && date.d === last.d) break;
  }
  return seconds(total);
}

/** How far ahead `addBusinessSeconds` looks before it gives up (holidays could fill any finite list). */
const HORIZON_DAYS = 3 * 366;

/**
 * The instant that is `n` business seconds after `start` (the end of the span in which the n-th second
 * falls, never inside non-business time). `start + n` seconds when `hours` is undefined. Null when the
 * schedule has no hours at all, or none within three years.
 */
export function addBusinessSeconds(hours: BusinessHours | undefined, start: Date, n: number): Date | null {
  const a = start.getTime();
  if (!hours) return new Date(a + n * 1000);
  if (n <= 0) return new Date(a);
  const c = compile(hours);
  if (c.weeklyMinutes === 0) return null;
  let remaining = n * 1000;
  let date = localDateOf(c.timeZone, a);
  for (let i = 0; i < HORIZON_DAYS; i++, date = addDays(date, 1)) {
    for (const [s, e] of spansOn(c, date)) {
      const from = Math.max(s, a);
      if (e <= from) continue;
      if (remaining <= e - from) return new Date(from + remaining);
      remaining -= e - from;
    }
  }
  return null;
}
