/**
 * The bell against a mocked API (MSW): the unread count on the button and in the tab's title, kept live by
 * the socket's `notification` change (applyChanges, as the live hook calls it), and marking one read.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyChanges } from '../live/index.ts';
import { server } from '../testing/render.tsx';
import { Bell } from './bell.tsx';
import { setBell } from './bell-store.ts';

const notice = (n: number, read = false) => ({
  notificationId: `2026120600000000${n}-${'0'.repeat(15)}${n}`,
  threadId: `t${n}`,
  event: 'mentioned',
  at: '2026-12-06T00:00:00.000Z',
  subject: `Contract ${n}`,
  actor: { kind: 'agent', id: 'a2', name: 'Rea' },
  channels: ['app', 'browser', 'email'],
  read,
});

let items = [notice(1), notice(2), notice(3, true)];
const reads: unknown[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  vi.unstubAllGlobals();
  setBell({ open: false, filter: 'all' });
});
afterAll(() => server.close());

function renderBell() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  server.use(
    http.get('*/v1/notifications', () =>
      HttpResponse.json({ items, unreadCount: items.filter((n) => !n.read).length, unreadMore: false }),
    ),
    http.get('*/v1/views', () => HttpResponse.json({ items: [] })),
    http.post('*/v1/notifications/read', async ({ request }) => {
      const body = (await request.json()) as { notificationIds: string[] };
      reads.push(body);
      items = items.map((n) => (body.notificationIds.includes(n.notificationId) ? { ...n, read: true } : n));
      return HttpResponse.json({ marked: body.notificationIds.length });
    }),
  );
  render(
    <QueryClientProvider client={qc}>
      <Bell />
    </QueryClientProvider>,
  );
  return qc;
}

describe('Bell', () => {
  it('counts the unread in the button and the tab title, live, and marks one read', async () => {
    document.title = 'Go!Chat Inbox';
    const icon = Object.assign(document.createElement('link'), { rel: 'icon', href: 'data:,' });
    document.head.append(icon);
    const qc = renderBell();
    expect(await screen.findByRole('button', { name: 'Notifications, 2 unread' })).toBeTruthy();
    expect(document.title).toBe('(2) Go!Chat Inbox');
    expect(decodeURIComponent(icon.getAttribute('href')!)).toMatch(/^data:image\/svg\+xml,.*>2<\/text>/);

    // A mention arrives: the socket's change invalidates the bell, which asks again.
    items = [notice(4), ...items];
    applyChanges(qc, {
      type: 'changed',
      events: [{ threadId: 't4', changes: [{ entity: 'notification', id: 'a1' }] }],
    });
    expect(await screen.findByRole('button', { name: 'Notifications, 3 unread' })).toBeTruthy();
    expect(document.title).toBe('(3) Go!Chat Inbox');

    await userEvent.click(screen.getByRole('button', { name: 'Notifications, 3 unread' }));
    const panel = screen.getByRole('region', { name: 'Notifications' });
    expect(panel.querySelectorAll('li.unread')).toHaveLength(3);
    expect(screen.getByText('Contract 4')).toBeTruthy();
    await userEvent.click(screen.getAllByRole('button', { name: 'Mark read' })[0]!);
    await waitFor(() => expect(document.title).toBe('(2) Go!Chat Inbox'));
    expect(decodeURIComponent(icon.getAttribute('href')!)).toMatch(/>2<\/text>/);
    expect(reads).toEqual([{ notificationIds: [notice(4).notificationId] }]);
  });

  it('leaves the title alone and shows no count when nothing is unread', async () => {
    document.title = 'Go!Chat Inbox';
    items = [notice(1, true)];
    renderBell();
    expect(await screen.findByRole('button', { name: 'Notifications' })).toBeTruthy();
    await waitFor(() => expect(document.title).toBe('Go!Chat Inbox'));
    expect(document.querySelector('link[rel="icon"]')?.getAttribute('href')).toBe('data:,');
  });

  it('asks for desktop notifications only from the panel, then shows the new ones that arrive, once', async () => {
    const shown: { title: string; body?: string }[] = [];
    let permission: NotificationPermission = 'default';
    const requestPermission = vi.fn(async () => {
      permission = 'granted';
      return permission;
    });
    vi.stubGlobal(
      'Notification',
      class {
        static get permission() {
          return permission;
        }
        static requestPermission = requestPermission;
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push({ title, body: options?.body });
        }
        close() {}
      },
    );
    items = [notice(1)];
    const qc = renderBell();
    const bell = await screen.findByRole('button', { name: 'Notifications, 1 unread' });
    expect(requestPermission).not.toHaveBeenCalled();
    await userEvent.click(bell);
    await userEvent.click(screen.getByRole('button', { name: 'Enable desktop notifications' }));
    expect(requestPermission).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Enable desktop notifications' })).toBeNull());

    items = [notice(5), ...items];
    applyChanges(qc, {
      type: 'changed',
      events: [{ threadId: 't5', changes: [{ entity: 'notification', id: 'a1' }] }],
    });
    await screen.findByRole('button', { name: 'Notifications, 2 unread' });
    applyChanges(qc, {
      type: 'changed',
      events: [{ threadId: 't5', changes: [{ entity: 'notification', id: 'a1' }] }],
    });
    await waitFor(() => expect(shown).toEqual([{ title: 'Rea mentioned you', body: 'Contract 5' }]));
    // The one already there when the tab opened is not shown again.
    expect(shown.some((n) => n.body === 'Contract 1')).toBe(false);
  });
});
