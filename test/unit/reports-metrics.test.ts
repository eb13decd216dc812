import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addTo, bucketOf, bucketValue, quantile } from '#core/reports/histogram.ts';
import { applyChange, type MetricsSettings, type ThreadMetricsState } from '#core/reports/metrics.ts';
import { figuresOf, rollupDeltas } from '#core/reports/rollup.ts';
import { slaTimerChanges } from '#core/reports/sla-timers.ts';
import { messageImage as message, T, threadImage as thread, WS } from '../support/metrics.ts';

describe('histogram', () => {
  it('reports any duration within ±4.4 % (half a bucket on a log scale)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 366 * 86_400 }), (s) => {
        const v = bucketValue(bucketOf(s));
        expect(Math.abs(v - s) / s).toBeLessThanOrEqual(2 ** (1 / 16) - 1 + 1 / s);
      }),
    );
    expect(bucketValue(bucketOf(0))).toBe(0);
  });

  it('merges by adding buckets, and takes the nearest rank', () => {
    const day1 = addTo({}, { [bucketOf(60)]: 1, [bucketOf(3600)]: 1 });
    const all = addTo(addTo({}, day1), { [bucketOf(7200)]: 2 });
    expect(quantile(all, 0.5)).toBe(bucketValue(bucketOf(3600)));
    expect(quantile(all, 0.9)).toBe(bucketValue(bucketOf(7200)));
    expect(quantile({}, 0.5)).toBeNull();
  });
});

const SETTINGS: MetricsSettings = { sla: { firstResponseMinutes: 60 } };

function play(steps: Parameters<typeof applyChange>[1][], settings = SETTINGS) {
  let state: ThreadMetricsState | null = null;
  const events = [];
  for (const step of steps) {
    const out = applyChange(state, step, settings);
    state = out.state;
    events.push(...out.events);
  }
  return { state: state as ThreadMetricsState, events };
}

describe('metrics rules', () => {
  it('never counts an integration, a reminder, a chat email copy or a merge copy as a response', () => {
    const { events, state } = play([
      { kind: 'thread', after: thread() },
      { kind: 'message', message: message({}) },
      {
        kind: 'message',
        message: message({ direction: 'outbound', fromCustomer: false, at: '2026-11-02T09:10:00.000Z' }),
      },
      {
        kind: 'message',
        message: message({
          direction: 'outbound',
          fromCustomer: false,
          agentId: 'a',
          automated: true,
          at: '2026-11-02T09:11:00.000Z',
        }),
      },
      {
        kind: 'message',
        message: message({
          direction: 'outbound',
          fromCustomer: false,
          agentId: 'a',
          copy: true,
          at: '2026-11-02T09:12:00.000Z',
        }),
      },
      { kind: 'message', message: message({ copy: true, at: '2026-11-02T09:13:00.000Z' }) },
    ]);
    expect(events.map((e) => e.type)).toEqual(['created', 'customerMessage']);
    expect(state.awaitingSince).toBe('2026-11-02T09:00:00.000Z');
  });

  it('ignores an auto-reply, and times a first response from the first waiting message', () => {
    const { events } = play([
      { kind: 'thread', after: thread() },
      { kind: 'message', message: message({}) },
      { kind: 'message', message: message({ fromCustomer: false, at: '2026-11-02T09:05:00.000Z' }) },
      { kind: 'message', message: message({ at: '2026-11-02T09:20:00.000Z' }) },
      {
        kind: 'message',
        message: message({
          direction: 'outbound',
          fromCustomer: false,
          agentId: 'bob',
          at: '2026-11-02T09:30:00.000Z',
        }),
      },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'firstResponse',
      agent: 'bob',
      seconds: 1800,
      sla: { outcome: 'met' },
    });
    expect(events.filter((e) => e.type === 'customerMessage')).toHaveLength(2);
  });

  it('starts a new cycle on reopening, and counts a merge as merged, not resolved', () => {
    const closed = thread({ status: 'closed', statusVersion: 2, updatedAt: '2026-11-02T10:00:00.000Z' });
    const reopened = thread({ status: 'open', statusVersion: 3, updatedAt: '2026-11-02T11:00:00.000Z' });
    const { events, state } = play([
      { kind: 'thread', after: thread() },
      { kind: 'thread', before: thread(), after: closed },
      { kind: 'thread', before: closed, after: reopened },
    ]);
    expect(events.map((e) => [e.type, e.cycle])).toEqual([
      ['created', 1],
      ['statusChanged', 1],
      ['resolved', 1],
      ['statusChanged', 1],
      ['reopened', 2],
    ]);
    expect(state).toMatchObject({
      cycle: 2,
      cycleStartedAt: '2026-11-02T11:00:00.000Z',
      awaitingSince: '2026-11-02T11:00:00.000Z',
    });
    const merged = play([
      { kind: 'thread', after: thread() },
      { kind: 'thread', before: thread(), after: { ...closed, mergedInto: 'T2' } },
    ]);
    expect(merged.events.map((e) => e.type)).toEqual(['created', 'statusChanged', 'merged']);
    expect(
      figuresOf(
        rollupDeltas(merged.events)
          .filter((d) => d.dimension === 'workspace')
          .map((d) => ({ value: '-', day: d.day, counters: d.add })),
      ),
    ).toMatchObject({
      created: 1,
      merged: 1,
      resolved: 0,
    });
  });

  it('starts an SLA execution per running clock and stops the superseded ones', () => {
    const first = play([
      { kind: 'thread', after: thread() },
      { kind: 'message', message: message({}) },
    ]);
    const { start, stop } = slaTimerChanges(WS, T, null, first.state);
    expect(start.map((s) => s.name)).toEqual([`sla-T1-v${first.state.slaVersion}-firstResponse`]);
    expect(start[0].input).toMatchObject({ dueAt: '2026-11-02T10:00:00.000Z', warnAt: '2026-11-02T09:48:00.000Z' });
    expect(stop).toEqual([]);
    const answered = applyChange(
      first.state,
      {
        kind: 'message',
        message: message({ direction: 'outbound', fromCustomer: false, agentId: 'a', at: '2026-11-02T09:30:00.000Z' }),
      },
      SETTINGS,
    ).state;
    expect(slaTimerChanges(WS, T, first.state, answered)).toEqual({
      start: [],
      stop: [`sla-T1-v${first.state.slaVersion}-firstResponse`],
    });
  });
});
