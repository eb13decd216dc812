/**
 * Wall-clock time in an IANA time zone, on the platform's Intl (Node 22 ships full ICU): the offset of an
 * instant, and the instant of a local date and time, with DST gaps and overlaps resolved the way
 * Temporal's `disambiguation: 'compatible'` does (a time in a gap moves forward by the gap; a time in an
 * overlap takes the earlier instant).
 */

/** A local calendar date: year, month (1–12), day (1–31). */
export interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the platform knows `timeZone` as an IANA zone (or `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of `ms` in `timeZone`, as a UTC epoch of the same fields. */
function wallAsUtc(timeZone: string, ms: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const v: Record<string, number> = {};
  for (const p of parts) if (p.type !== 'literal') v[p.type] = Number(p.value);
  // Sub-second precision is not in the parts: add it back, so that the offset is a whole number of seconds.
  return Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second) + (((ms % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (positive east of Greenwich). */
export function offsetMs(timeZone: string, ms: number): number {
  return wallAsUtc(timeZone, ms) - ms;
}

/** The local date of instant `ms` in `timeZone`. */
export function localDateOf(timeZone: string, ms: number): LocalDate {
  const wall = new Date(wallAsUtc(timeZone, ms));
  return { y: wall.getUTCFullYear(), m: wall.getUTCMonth() + 1, d: wall.getUTCDate() };
}

/** The date `n` days after `date` (n may be negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: LocalDate) => new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();

/** `YYYY-MM-DD`. */
export const isoDate = (date: LocalDate) =>
  `${String(date.y).padStart(4, '0')}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;

/**
 * The instant at which the wall clock of `timeZone` shows `minute` minutes after midnight of `date`
 * (`minute` may be 1440: midnight of the next day).
 */
export function instantOf(timeZone: string, date: LocalDate, minute: number): number {
  const wall = Date.UTC(date.y, date.m - 1, date.d) + minute * 60_000;
  // Two offsets bracket any wall time: the one a day before and a day after (no zone changes twice a day).
  const before = offsetMs(timeZone, wall - 86_400_000);
  const after = offsetMs(timeZone, wall + 86_400_000);
  if (before === after) return wall - before; // no change within a day either side: the common case
  const candidates = [wall - before, wall - after].filter((t) => offsetMs(timeZone, t) === wall - t);
  if (candidates.length) return Math.min(...candidates); // an overlap has two: the earlier
  // A gap (spring forward): the wall time does not exist; move it forward by the gap's length.
  return wall - before;
}
