import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessSeconds,
  type BusinessHours,
  businessSecondsBetween,
  WEEKDAYS,
} from '#core/business-time/business-time.ts';
import { parseBusinessHours, parseSlaPolicy } from '#core/business-time/policy.ts';
import { instantOf, offsetMs } from '#core/business-time/zone.ts';
import { ValidationError } from '#core/errors.ts';

const H = 3600;
const nineToFive = { start: '09:00', end: '17:00' };
const PARIS: BusinessHours = {
  timeZone: 'Europe/Paris',
  week: { mon: [nineToFive], tue: [nineToFive], wed: [nineToFive], thu: [nineToFive], fri: [nineToFive] },
  holidays: ['2026-12-25'],
};
const ALL_DAY = { start: '00:00', end: '24:00' };
const PARIS_24_7: BusinessHours = {
  timeZone: 'Europe/Paris',
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, [ALL_DAY]])),
};
const at = (iso: string) => new Date(iso);

describe('zone', () => {
  it('gives the offset before and after a daylight-saving change', () => {
    expect(offsetMs('Europe/Paris', Date.parse('2026-10-25T00:59:59Z'))).toBe(2 * H * 1000);
    expect(offsetMs('Europe/Paris', Date.parse('2026-10-25T01:00:00Z'))).toBe(1 * H * 1000);
    expect(offsetMs('Asia/Kolkata', Date.parse('2026-06-01T00:00:00Z'))).toBe(5.5 * H * 1000);
  });

  it('resolves a wall time in a gap forward and one in an overlap to the earlier instant', () => {
    // 2026-03-29 02:30 does not exist in Paris (02:00 → 03:00): it becomes 03:30 CEST = 01:30Z.
    expect(new Date(instantOf('Europe/Paris', { y: 2026, m: 3, d: 29 }, 150)).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 2026-10-25 02:30 happens twice (03:00 → 02:00): the first, in CEST = 00:30Z.
    expect(new Date(instantOf('Europe/Paris', { y: 2026, m: 10, d: 25 }, 150)).toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});

describe('business seconds, hand-computed', () => {
  it('counts every second when no hours are set', () => {
    expect(businessSecondsBetween(undefined, at('2026-12-18T15:00:00Z'), at('2026-12-21T09:00:00Z'))).toBe(66 * H);
    expect(addBusinessSeconds(undefined, at('2026-12-18T15:00:00Z'), 90)?.toISOString()).toBe(
      '2026-12-18T15:01:30.000Z',
    );
  });

  it('skips a weekend: Friday 16:00 → Monday 10:00 (Paris, CET) is two business hours', () => {
    expect(businessSecondsBetween(PARIS, at('2026-12-18T15:00:00Z'), at('2026-12-21T09:00:00Z'))).toBe(2 * H);
  });

  it('skips a holiday: Thursday 24 Dec 16:00 → Monday 28 Dec 10:00 is two business hours', () => {
    expect(businessSecondsBetween(PARIS, at('2026-12-24T15:00:00Z'), at('2026-12-28T09:00:00Z'))).toBe(2 * H);
    // Without the holiday, Friday the 25th adds its eight hours.
    const noHoliday = { ...PARIS, holidays: [] };
    expect(businessSecondsBetween(noHoliday, at('2026-12-24T15:00:00Z'), at('2026-12-28T09:00:00Z'))).toBe(10 * H);
  });

  it('keeps a 9–5 day at eight hours across the autumn change (Fri CEST → Mon CET)', () => {
    // Fri 23 Oct 16:00 CEST = 14:00Z; Mon 26 Oct 10:00 CET = 09:00Z; 67 calendar hours.
    const from = at('2026-10-23T14:00:00Z');
    const to = at('2026-10-26T09:00:00Z');
    expect(businessSecondsBetween(undefined, from, to)).toBe(67 * H);
    expect(businessSecondsBetween(PARIS, from, to)).toBe(2 * H);
  });

  it('counts a day of 23 and one of 25 hours when every hour is business time', () => {
    // Sat 28 Mar 00:00 CET → Mon 30 Mar 00:00 CEST: 47 h; Sat 24 Oct 00:00 CEST → Mon 26 Oct 00:00 CET: 49 h.
    expect(businessSecondsBetween(PARIS_24_7, at('2026-03-27T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(47 * H);
    expect(businessSecondsBetween(PARIS_24_7, at('2026-10-23T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(49 * H);
  });

  it('finds the instant N business seconds later', () => {
    // Friday 16:00 + 8 h: 1 h on Friday, 7 h on Monday → Monday 16:00 CET = 15:00Z.
    expect(addBusinessSeconds(PARIS, at('2026-12-18T15:00:00Z'), 8 * H)?.toISOString()).toBe(
      '2026-12-21T15:00:00.000Z',
    );
    // Exactly the rest of the day ends at 17:00, not at the next morning.
    expect(addBusinessSeconds(PARIS, at('2026-12-18T15:00:00Z'), H)?.toISOString()).toBe('2026-12-18T16:00:00.000Z');
    // From a Saturday, the first second is Monday 09:00:01.
    expect(addBusinessSeconds(PARIS, at('2026-12-19T11:00:00Z'), 1)?.toISOString()).toBe('2026-12-21T08:00:01.000Z');
    // Over the holiday: Thursday 24 Dec 16:00 + 2 h → Monday 28 Dec 10:00 CET.
    expect(addBusinessSeconds(PARIS, at('2026-12-24T15:00:00Z'), 2 * H)?.toISOString()).toBe(
      '2026-12-28T09:00:00.000Z',
    );
    // Over the autumn change: Friday 23 Oct 16:00 CEST + 2 h → Monday 26 Oct 10:00 CET = 09:00Z.
    expect(addBusinessSeconds(PARIS, at('2026-10-23T14:00:00Z'), 2 * H)?.toISOString()).toBe(
      '2026-10-26T09:00:00.000Z',
    );
  });

  it('gives null for a schedule with no hours at all', () => {
    expect(addBusinessSeconds({ timeZone: 'UTC', week: {} }, at('2026-12-18T15:00:00Z'), 60)).toBeNull();
    expect(businessSecondsBetween({ timeZone: 'UTC', week: {} }, at('2026-12-18T15:00:00Z'), at('2027-01-01'))).toBe(0);
  });

  it('merges overlapping spans and a span that ends at 24:00', () => {
    const hours: BusinessHours = {
      timeZone: 'UTC',
      week: {
        mon: [
          { start: '08:00', end: '12:00' },
          { start: '10:00', end: '13:00' },
          { start: '22:00', end: '24:00' },
        ],
        tue: [{ start: '00:00', end: '01:00' }],
      },
    };
    // 2026-12-21 is a Monday: 08–13 (5 h) + 22–24 (2 h) + Tue 00–01 (1 h).
    expect(businessSecondsBetween(hours, at('2026-12-21T00:00:00Z'), at('2026-12-23T00:00:00Z'))).toBe(8 * H);
  });
});

// ------------------------------------------------------------------------------------------ properties

const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
const quarter = fc
  .integer({ min: 0, max: 96 })
  .map((q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`);
const spanArb = fc
  .tuple(quarter, quarter)
  .filter(([a, b]) => a < b)
  .map(([start, end]) => ({ start, end }));
const hoursArb: fc.Arbitrary<BusinessHours> = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  week: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, fc.array(spanArb, { maxLength: 3 })])), {
    requiredKeys: [],
  }),
  holidays: fc.array(
    fc
      .date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    { maxLength: 10 },
  ),
});
// Whole seconds across two years that include DST changes in both hemispheres.
const instant = fc
  .integer({ min: Date.parse('2026-01-01T00:00:00Z') / 1000, max: Date.parse('2027-12-01T00:00:00Z') / 1000 })
  .map((s) => new Date(s * 1000));
const within90Days = fc.integer({ min: 0, max: 90 * 86_400 });
const hasHours = (h: BusinessHours) => Object.values(h.week).some((spans) => spans && spans.length > 0);

describe('business seconds, properties', () => {
  it('adding N business seconds and measuring gives N back', () => {
    fc.assert(
      fc.property(hoursArb.filter(hasHours), instant, fc.integer({ min: 0, max: 30 * 86_400 }), (hours, start, n) => {
        const end = addBusinessSeconds(hours, start, n);
        if (end === null) return; // only when holidays cover three years: impossible with ≤ 10 of them
        expect(businessSecondsBetween(hours, start, end)).toBe(n);
        expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime() + n * 1000); // never faster than the clock
      }),
      { numRuns: 150 },
    );
  });

  it('is additive over a split, and never more than calendar time', () => {
    fc.assert(
      fc.property(hoursArb, instant, within90Days, within90Days, (hours, a, d1, d2) => {
        const b = new Date(a.getTime() + Math.min(d1, d2) * 1000);
        const c = new Date(a.getTime() + Math.max(d1, d2) * 1000);
        const ab = businessSecondsBetween(hours, a, b);
        const bc = businessSecondsBetween(hours, b, c);
        expect(ab + bc).toBe(businessSecondsBetween(hours, a, c));
        expect(ab).toBeLessThanOrEqual(businessSecondsBetween(undefined, a, b));
      }),
      { numRuns: 100 },
    );
  });

  it('is monotone: one more business second never comes earlier', () => {
    fc.assert(
      fc.property(hoursArb.filter(hasHours), instant, fc.integer({ min: 0, max: 7 * 86_400 }), (hours, start, n) => {
        const a = addBusinessSeconds(hours, start, n);
        const b = addBusinessSeconds(hours, start, n + 1);
        if (a && b) expect(b.getTime()).toBeGreaterThan(a.getTime());
      }),
      { numRuns: 100 },
    );
  });
});

describe('business hours and SLA settings', () => {
  it('accepts a schedule, sorts and dedupes holidays', () => {
    expect(
      parseBusinessHours({
        timeZone: 'Europe/Paris',
        week: { mon: [nineToFive] },
        holidays: ['2026-12-25', '2026-01-01', '2026-12-25'],
      }),
    ).toEqual({
      timeZone: 'Europe/Paris',
      week: { mon: [nineToFive] },
      holidays: ['2026-01-01', '2026-12-25'],
    });
  });

  it.each([
    [{ timeZone: 'Mars/Olympus', week: {} }, 'body.businessHours.timeZone'],
    [{ timeZone: 'UTC', week: { mon: [{ start: '17:00', end: '09:00' }] } }, 'body.businessHours.week.mon.0'],
    [{ timeZone: 'UTC', week: { mon: [{ start: '9:00', end: '17:00' }] } }, 'body.businessHours.week.mon.0.start'],
    [{ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '24:30' }] } }, 'body.businessHours.week.mon.0.end'],
    [{ timeZone: 'UTC', week: { funday: [] } }, 'body.businessHours.week'],
    [{ timeZone: 'UTC', week: {}, holidays: ['2026-02-30'] }, 'body.businessHours.holidays.0'],
    [
      { timeZone: 'UTC', week: {}, holidays: Array.from({ length: 101 }, () => '2026-01-01') },
      'body.businessHours.holidays',
    ],
    [{ timeZone: 'UTC', week: { mon: Array.from({ length: 5 }, () => nineToFive) } }, 'body.businessHours.week.mon'],
  ])('refuses %j at %s', (input, path) => {
    try {
      parseBusinessHours(input);
      expect.unreachable('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect(JSON.stringify((e as ValidationError).details)).toContain(path);
    }
  });

  it('accepts each SLA target alone, and refuses a zero or fractional one', () => {
    expect(parseSlaPolicy({ firstResponseMinutes: 60 })).toEqual({ firstResponseMinutes: 60 });
    expect(() => parseSlaPolicy({ resolutionMinutes: 0 })).toThrow(ValidationError);
    expect(() => parseSlaPolicy({ nextResponseMinutes: 1.5 })).toThrow(ValidationError);
    expect(() => parseSlaPolicy({ breachMinutes: 5 })).toThrow(ValidationError);
  });
});
