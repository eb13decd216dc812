/**
 * Saved searches in the side bar against a mocked API (MSW): listed under the built-in views with their
 * counts (or "not counted"), the "+" saves the list's current filters under a name in ONE request, the
 * owner renames one and deletes it (hidden at once, Undo takes it back, the DELETE goes when the toast does);
 * a search shared by someone else has no rename or delete.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithApi, server } from '../testing/render.tsx';
import { ViewLinks } from './view-links.tsx';

const builtin = (id: string, filter: Record<string, string>, count: number) => ({
  id,
  kind: 'builtin',
  name: id,
  filter,
  countable: true,
  count,
  countMore: false,
});
const saved = (id: string, name: string, filter: Record<string, string>, extra: Record<string, unknown>) => ({
  id,
  kind: 'saved',
  name,
  filter,
  shared: false,
  ownerId: 'me',
  mine: true,
  createdAt: '2026-12-06T00:00:00.000Z',
  ...extra,
});

let views: unknown[];
const requests: { method: string; url: string; body?: unknown; key?: string | null }[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
beforeEach(() => {
  requests.length = 0;
  views = [
    builtin('mine', { status: 'open', assignee: 'me' }, 3),
    builtin('unassigned', { status: 'open', assignee: 'none' }, 1000),
    builtin('all', { status: 'open' }, 12),
    builtin('mentions', { notifications: 'mentioned' }, 1),
    saved('V1', 'KYC', { tag: 'kyc' }, { countable: true, count: 2, countMore: false }),
    saved('V2', 'Contracts', { q: 'contrat' }, { countable: false, shared: true, ownerId: 'rea', mine: false }),
  ];
  // The unassigned count is past the cap.
  (views[1] as { count: number; countMore: boolean }).count = 999;
  (views[1] as { countMore: boolean }).countMore = true;
  server.use(
    http.get('*/v1/views', () => HttpResponse.json({ items: views })),
    http.post('*/v1/views', async ({ request }) => {
      const body = (await request.json()) as { name: string; filter: Record<string, string>; shared: boolean };
      requests.push({ method: 'POST', url: request.url, body, key: request.headers.get('Idempotency-Key') });
      const made = saved('V3', body.name, body.filter, { shared: body.shared, countable: true, count: 0 });
      views = [...views, { ...made, countMore: false }];
      const { count: _c, ...answer } = made as typeof made & { count: number };
      return HttpResponse.json(answer, { status: 201 });
    }),
    http.patch('*/v1/views/:id', async ({ request, params }) => {
      const body = (await request.json()) as { name: string };
      requests.push({ method: 'PATCH', url: request.url, body });
      views = views.map((v) => ((v as { id: string }).id === params.id ? { ...(v as object), name: body.name } : v));
      const v = views.find((x) => (x as { id: string }).id === params.id) as Record<string, unknown>;
      const { count: _c, countMore: _m, ...answer } = v;
      return HttpResponse.json(answer);
    }),
    http.delete('*/v1/views/:id', ({ request, params }) => {
      requests.push({ method: 'DELETE', url: request.url });
      views = views.filter((v) => (v as { id: string }).id !== params.id);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  window.history.replaceState(null, '', '/inbox?status=open&tag=kyc');
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

/** A view link's accessible name, "KYC, 2" (happy-dom puts a space before the screen-reader comma). */
const view = (name: string, count: string) => new RegExp(`^${name}\\s*,\\s*${count.replace('+', '\\+')}$`);

const renderLinks = () =>
  renderWithApi(
    <nav aria-label="Main">
      <ul>
        <ViewLinks onNavigate={() => {}} />
      </ul>
    </nav>,
  );

describe('Saved searches in the side bar', () => {
  it('lists them under the built-in views, with a count or "not counted", actions only on the own ones', async () => {
    renderLinks();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const kyc = await within(nav).findByRole('link', { name: view('KYC', '2') });
    expect(kyc.getAttribute('href')).toBe('/inbox?tag=kyc');
    const links = within(nav)
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(links).toEqual([
      'Mine, 3',
      'Unassigned, 999+',
      'All, 12',
      'Mentions, 1',
      'KYC, 2',
      'Contracts–, not counted, shared',
    ]);
    expect(
      within(nav)
        .getByRole('link', { name: /^Mentions/ })
        .getAttribute('href'),
    ).toBe('/mentions');
    expect(within(nav).getByRole('button', { name: 'Rename KYC' })).toBeTruthy();
    expect(within(nav).getByRole('button', { name: 'Delete KYC' })).toBeTruthy();
    expect(within(nav).queryByRole('button', { name: 'Rename Contracts' })).toBeNull();
    expect(within(nav).queryByRole('button', { name: 'Delete Contracts' })).toBeNull();
  });

  it('"+" saves the list’s current filters under a name, shared if asked, in one request', async () => {
    renderLinks();
    await screen.findByRole('link', { name: view('KYC', '2') });
    await userEvent.click(screen.getByRole('button', { name: 'Save this search' }));
    const dialog = screen.getByRole('dialog', { name: 'Save this search' });
    expect(dialog.textContent).toContain('Filters: Status: open, Tag: kyc');
    const save = within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Open KYC');
    await userEvent.click(within(dialog).getByLabelText('Share with the workspace'));
    await userEvent.click(save);
    expect(await screen.findByRole('link', { name: /^Open KYC\s*,\s*0\s*,\s*shared$/ })).toBeTruthy();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      body: { name: 'Open KYC', filter: { status: 'open', tag: 'kyc' }, shared: true },
    });
    expect(requests[0]!.key).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('explains that there is nothing to save when the list has no filters', async () => {
    window.history.replaceState(null, '', '/inbox');
    renderLinks();
    await screen.findByRole('link', { name: view('KYC', '2') });
    await userEvent.click(screen.getByRole('button', { name: 'Save this search' }));
    const dialog = screen.getByRole('dialog', { name: 'Save this search' });
    expect(dialog.textContent).toContain('Filter the list first');
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Nothing');
    expect((within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('renames its own search', async () => {
    renderLinks();
    await userEvent.click(await screen.findByRole('button', { name: 'Rename KYC' }));
    const dialog = screen.getByRole('dialog', { name: 'Rename the saved search' });
    const name = within(dialog).getByLabelText('Name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Know your customer');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('link', { name: view('Know your customer', '2') })).toBeTruthy();
    expect(requests).toEqual([
      expect.objectContaining({ method: 'PATCH', body: { name: 'Know your customer', shared: false } }),
    ]);
    expect(requests[0]!.url).toMatch(/\/v1\/views\/V1$/);
  });

  it('deletes its own search: hidden at once, Undo brings it back, otherwise the DELETE goes with the toast', async () => {
    renderLinks();
    await userEvent.click(await screen.findByRole('button', { name: 'Delete KYC' }));
    expect(screen.queryByRole('link', { name: view('KYC', '2') })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(screen.getByRole('link', { name: view('KYC', '2') })).toBeTruthy();
    expect(requests).toEqual([]);

    vi.useFakeTimers({ shouldAdvanceTime: true });
    act(() => screen.getByRole('button', { name: 'Delete KYC' }).click());
    expect(screen.queryByRole('link', { name: view('KYC', '2') })).toBeNull();
    act(() => vi.advanceTimersByTime(10_000));
    await waitFor(() => expect(requests.map((r) => r.method)).toEqual(['DELETE']));
    expect(requests[0]!.url).toMatch(/\/v1\/views\/V1$/);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Delete KYC' })).toBeNull());
  });
});
