/**
 * The settings of business time and SLA, as an admin sends them on `PUT /v1/settings`: validated and
 * bounded here (the byte budget of each is below), so that the settings item stays small whatever comes in.
 */
import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import { type BusinessHours, minuteOf, WEEKDAYS } from './business-time.ts';
import { isTimeZone } from './zone.ts';

/** Budgets: 7 days × 4 spans × 2 × 5 bytes, 100 holidays × 10 bytes, a zone name of 64 bytes: under 2 KB. */
export const BUSINESS_LIMITS = { spansPerDay: 4, holidays: 100, timeZoneChars: 64 } as const;

/** A workspace's SLA targets, in business minutes; each is optional. */
export interface SlaPolicy {
  firstResponseMinutes?: number;
  nextResponseMinutes?: number;
  resolutionMinutes?: number;
  /** The warning comes at this share of the target (80 when absent). */
  warningPercent?: number;
}

const hhmm = z.string().check(
  z.refine((s: string) => !Number.isNaN(minuteOf(s)), 'must be HH:MM between 00:00 and 24:00'),
  z.maxLength(5),
);
const span = z
  .strictObject({ start: hhmm, end: hhmm })
  .check(z.refine((s) => minuteOf(s.start) < minuteOf(s.end), 'start must be before end'));
const day = z.optional(z.array(span).check(z.maxLength(BUSINESS_LIMITS.spansPerDay)));
const date = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  z.refine((s: string) => {
    const t = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === s;
  }, 'must be a real date'),
);

export const businessHoursSchema = z.strictObject({
  timeZone: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(BUSINESS_LIMITS.timeZoneChars),
      z.refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Paris'),
    ),
  week: z.strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, day])) as Record<(typeof WEEKDAYS)[number], typeof day>,
  ),
  holidays: z.optional(z.array(date).check(z.maxLength(BUSINESS_LIMITS.holidays))),
});

const minutes = z.optional(z.number().check(z.int(), z.gte(1), z.lte(366 * 24 * 60)));
export const slaPolicySchema = z.strictObject({
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes,
  resolutionMinutes: minutes,
  warningPercent: z.optional(z.number().check(z.int(), z.gte(1), z.lte(99))),
});

function parseWith<T>(schema: z.ZodMiniType<T>, input: unknown, what: string, path: string): T {
  const out = schema.safeParse(input);
  if (!out.success)
    throw new ValidationError(
      `invalid ${what}`,
      out.error.issues.map((i) => ({ path: [path, ...i.path].join('.'), message: i.message })),
    );
  return out.data;
}

/** Business hours from the API, or a ValidationError (400) that names each bad field. */
export function parseBusinessHours(input: unknown): BusinessHours {
  const hours = parseWith(businessHoursSchema, input, 'business hours', 'body.businessHours');
  const week = Object.fromEntries(Object.entries(hours.week).filter(([, spans]) => spans !== undefined));
  return { ...hours, week, ...(hours.holidays ? { holidays: [...new Set(hours.holidays)].sort() } : {}) };
}

/** An SLA policy from the API, or a ValidationError (400). */
export function parseSlaPolicy(input: unknown): SlaPolicy {
  return parseWith(slaPolicySchema, input, 'SLA policy', 'body.sla');
}

/**
 * The business hours and SLA that a settings update leaves: a field left out keeps its value, `null`
 * clears it, anything else is validated.
 */
export function businessTimeSettings(
  current: { businessHours?: BusinessHours; sla?: SlaPolicy },
  input: { businessHours?: unknown; sla?: unknown },
): { businessHours?: BusinessHours; sla?: SlaPolicy } {
  const businessHours =
    input.businessHours === undefined
      ? current.businessHours
      : input.businessHours === null
        ? undefined
        : parseBusinessHours(input.businessHours);
  const sla = input.sla === undefined ? current.sla : input.sla === null ? undefined : parseSlaPolicy(input.sla);
  return { ...(businessHours ? { businessHours } : {}), ...(sla ? { sla } : {}) };
}
