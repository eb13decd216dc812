/**
 * The Reports page against a mocked API (MSW): the overview's figures on screen, the CSV built from them, and
 * a figure clicked through to the threads behind it. uPlot draws on a canvas, which happy-dom lacks: it is
 * replaced by a recorder of the data it is handed (the real library is drawn in web/scripts/screenshots.ts).
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import type { Figures } from './queries.ts';
import { ReportsPage } from './reports-page.tsx';

const drawn = vi.hoisted(() => [] as unknown[][]);
vi.mock('uplot', () => {
  class FakePlot {
    static tzDate = (d: Date) => d;
    constructor(_opts: unknown, data: unknown[]) {
      drawn.push(data);
    }
    setSize() {}
    destroy() {}
  }
  return { default: FakePlot };
});

function figures(over: Partial<Figures> = {}): Figures {
  const none = { count: 0, median: null, p90: null };
  return {
    created: 0,
    resolved: 0,
    reopened: 0,
    merged: 0,
    replies: 0,
    reopenRate: null,
    firstResponse: { calendar: none, business: none },
    resolution: { calendar: none, business: none },
    sla: {
      met: 0,
      breached: 0,
      metPercent: null,
      byTarget: {
        firstResponse: { met: 0, breached: 0 },
        nextResponse: { met: 0, breached: 0 },
        resolution: { met: 0, breached: 0 },
      },
    },
    ...over,
  };
}

const DAY1 = figures({
  created: 3,
  resolved: 2,
  firstResponse: {
    calendar: { count: 2, median: 7200, p90: 10_800 },
    business: { count: 2, median: 1800, p90: 3600 },
  },
});
const DAY2 = figures({ created: 9, resolved: 8, reopened: 2, replies: 11 });
const TOTAL = figures({
  created: 12,
  resolved: 10,
  reopened: 2,
  replies: 11,
  reopenRate: 0.2,
  firstResponse: {
    calendar: { count: 2, median: 7200, p90: 10_800 },
    business: { count: 2, median: 1800, p90: 3600 },
  },
  sla: { ...figures().sla, met: 3, breached: 1, metPercent: 75 },
});

const requests: URL[] = [];

beforeAll(() => {
  server.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  requests.length = 0;
  drawn.length = 0;
});
afterAll(() => server.close());

function answer() {
  server.use(
    http.get('*/v1/reports/overview', ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      return HttpResponse.json({
        from: '2026-11-30',
        to: '2026-12-02',
        timeZone: 'Europe/Paris',
        figures: TOTAL,
        days: [
          { day: '2026-12-01', figures: DAY1 },
          { day: '2026-12-02', figures: DAY2 },
        ],
        links: {},
      });
    }),
    http.get('*/v1/reports/by/:dimension', ({ params }) =>
      HttpResponse.json({
        from: '2026-12-01',
        to: '2026-12-02',
        dimension: params.dimension as 'agent',
        timeZone: 'Europe/Paris',
        items: [{ value: 'a1', figures: DAY2, links: {} }],
      }),
    ),
    http.get('*/v1/agents', () =>
      HttpResponse.json({
        items: [
          { agentId: 'a1', name: 'Ada Lovelace', email: 'ada@example.com', role: 'agent', avatar: { initials: 'AL' } },
        ],
      }),
    ),
    http.get('*/v1/reports/threads', ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      return HttpResponse.json({
        items: [
          { threadId: 'th1', at: '2026-12-02T10:00:00.000Z', cycle: 1, agent: 'a1' },
          { threadId: 'th2', at: '2026-12-01T09:00:00.000Z', cycle: 2 },
        ],
      });
    }),
    http.get('*/v1/threads/:id', ({ params }) =>
      HttpResponse.json({ threadId: params.id, subject: params.id === 'th1' ? 'Documents KYC' : 'Facture' }),
    ),
  );
}

describe('ReportsPage', () => {
  it('shows the overview figures and their trend per day', async () => {
    answer();
    renderWithApi(<ReportsPage />);
    const tiles = await screen.findByRole('list', { name: 'Figures' });
    expect(within(tiles).getByRole('button', { name: /^Created/ }).textContent).toContain('12');
    expect(within(tiles).getByRole('button', { name: /^Reopen rate/ }).textContent).toContain('20%');
    expect(within(tiles).getByRole('button', { name: /^SLA met/ }).textContent).toMatch(/75%.*3 met, 1 breached/);
    const first = within(tiles).getByRole('button', { name: /^First response/ }).textContent!;
    expect(first).toContain('30 min'); // the business median
    expect(first).toContain('p90 1 hr');
    expect(first).toContain('calendar: median 2 hr, p90 3 hr');
    // The last 7 days by default.
    const from = new Date(requests[0]!.searchParams.get('from')!);
    const to = new Date(requests[0]!.searchParams.get('to')!);
    expect((to.getTime() - from.getTime()) / 86_400_000).toBe(6);
    // The charts get the per-day values, every day of the range (a day without a rollup counts zero and has
    // no duration): created, resolved, reopened; then the business medians.
    const x = [Date.UTC(2026, 10, 30) / 1000, Date.UTC(2026, 11, 1) / 1000, Date.UTC(2026, 11, 2) / 1000];
    expect(drawn).toContainEqual([x, [0, 3, 9], [0, 2, 8], [0, 0, 2]]);
    expect(drawn).toContainEqual([x, [null, 1800, null], [null, null, null]]);
    // By agent, named.
    const table = await screen.findByRole('tabpanel');
    await within(table).findByRole('rowheader', { name: 'Ada Lovelace' });
  });

  it('exports the figures per day as CSV, built in the browser', async () => {
    answer();
    const blobs: Blob[] = [];
    const create = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blobs.push(b as Blob);
      return 'blob:report';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    // happy-dom would follow the link (and leave the page's origin): the click is recorded instead.
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    renderWithApi(<ReportsPage />);
    await userEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    expect(create).toHaveBeenCalledOnce();
    expect(names).toEqual([expect.stringMatching(/^gochat-report-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/)]);
    const lines = (await blobs[0]!.text()).split('\r\n');
    expect(lines[0]).toBe(
      'day,created,resolved,reopened,merged,replies,reopen_rate,first_response_median_business_s,first_response_p90_business_s,first_response_median_calendar_s,first_response_p90_calendar_s,resolution_median_business_s,resolution_p90_business_s,resolution_median_calendar_s,resolution_p90_calendar_s,sla_met,sla_breached,sla_met_percent',
    );
    expect(lines[1]).toBe('2026-12-01,3,2,0,0,0,,1800,3600,7200,10800,,,,,0,0,');
    expect(lines[2]).toBe('2026-12-02,9,8,2,0,11,,,,,,,,,,0,0,');
    expect(lines[3]).toBe('total,12,10,2,0,11,0.2,1800,3600,7200,10800,,,,,3,1,75');
    expect(lines[4]).toBe('');
    vi.restoreAllMocks();
  });

  it('leads from a figure to the threads behind it', async () => {
    answer();
    renderWithApi(<ReportsPage />);
    const tiles = await screen.findByRole('list', { name: 'Figures' });
    await userEvent.click(within(tiles).getByRole('button', { name: /^Resolved/ }));
    const list = await screen.findByRole('region', { name: 'Threads: Resolved' });
    const link = await within(list).findByRole('link', { name: 'Documents KYC' });
    expect(link.getAttribute('href')).toBe('/inbox/th1');
    expect(await within(list).findByRole('link', { name: 'Facture' })).toBeTruthy();
    expect(within(list).getByText('Ada Lovelace')).toBeTruthy();
    expect(within(list).getByText('cycle 2')).toBeTruthy();
    const drill = requests.find((u) => u.pathname.endsWith('/reports/threads'))!;
    expect(drill.searchParams.get('metric')).toBe('resolved');
    expect(drill.searchParams.get('dimension')).toBeNull();

    // From the table by agent: the figure of one agent, with its dimension and value.
    const panel = screen.getByRole('tabpanel');
    await userEvent.click(await within(panel).findByRole('button', { name: 'Created, Ada Lovelace: 9' }));
    await screen.findByRole('region', { name: 'Threads: Created — Ada Lovelace' });
    const byAgent = requests.filter((u) => u.pathname.endsWith('/reports/threads')).at(-1)!;
    expect(Object.fromEntries(byAgent.searchParams)).toMatchObject({
      metric: 'created',
      dimension: 'agent',
      value: 'a1',
    });
  });
});
