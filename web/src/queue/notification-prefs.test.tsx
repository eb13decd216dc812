/**
 * The notification preferences (an agent's own) and the workspace's defaults (admins) against a mocked
 * API (MSW): a table of checkboxes, event × channel, each named for a screen reader; saving sends only
 * the cells that changed (the rest keeps following the layer below); in French too. And the Mentions
 * list: one entry per thread, unread marked, opening one marks its mentions read.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../i18n/index.ts';
import { renderWithApi, server } from '../testing/render.tsx';
import { MentionsPage } from './mentions-page.tsx';
import { MyNotificationPrefs, NotificationDefaults } from './notification-prefs.tsx';

const on = { app: true, browser: true, email: true };
const off = { app: false, browser: false, email: false };
const rules = () => ({ assigned: on, answered: on, mentioned: on, newThread: off, slaWarning: off, slaBreach: off });
const patches: { url: string; body: unknown }[] = [];

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
beforeEach(() => {
  patches.length = 0;
  let mine = { rules: rules(), followedViews: [] as string[] };
  server.use(
    http.get('*/v1/notifications/preferences', () => HttpResponse.json(mine)),
    http.patch('*/v1/notifications/preferences', async ({ request }) => {
      const body = (await request.json()) as { rules?: Record<string, Record<string, boolean>> };
      patches.push({ url: request.url, body });
      const next = rules() as Record<string, Record<string, boolean>>;
      for (const [e, c] of Object.entries(body.rules ?? {})) next[e] = { ...next[e], ...c };
      mine = { ...mine, rules: next as ReturnType<typeof rules> };
      return HttpResponse.json(mine);
    }),
    http.get('*/v1/settings/notifications', () => HttpResponse.json({ rules: rules(), followedViews: ['unassigned'] })),
    http.patch('*/v1/settings/notifications', async ({ request }) => {
      const body = await request.json();
      patches.push({ url: request.url, body });
      return HttpResponse.json({ rules: rules(), followedViews: [] });
    }),
  );
});
afterEach(() => {
  cleanup();
  server.resetHandlers();
  setLanguage('en');
});
afterAll(() => server.close());

const box = (name: string) => screen.getByRole('checkbox', { name }) as HTMLInputElement;

describe('Notification preferences', () => {
  it('shows the rules as a table of named checkboxes and saves only what changed', async () => {
    renderWithApi(<MyNotificationPrefs />);
    const table = await screen.findByRole('table', { name: 'My notifications' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Event', 'In the app', 'Browser', 'Email']);
    expect(within(table).getAllByRole('checkbox')).toHaveLength(18);
    expect(box('I am mentioned: Email').checked).toBe(true);
    expect(box('SLA breach: Browser').checked).toBe(false);
    const save = screen.getByRole('button', { name: 'Save notifications' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    await userEvent.click(box('I am mentioned: Email'));
    await userEvent.click(box('SLA breach: In the app'));
    // Changed back: not sent.
    await userEvent.click(box('A thread is assigned to me: Browser'));
    await userEvent.click(box('A thread is assigned to me: Browser'));
    await userEvent.click(save);
    await screen.findByText('Saved');
    expect(patches).toEqual([
      {
        url: expect.stringMatching(/\/v1\/notifications\/preferences$/),
        body: { rules: { mentioned: { email: false }, slaBreach: { app: true } } },
      },
    ]);
    expect(box('I am mentioned: Email').checked).toBe(false);
    expect(save.disabled).toBe(true);
  });

  it('lets an admin change the workspace defaults, followed views included', async () => {
    renderWithApi(<NotificationDefaults />);
    await screen.findByRole('table', { name: 'Notification defaults' });
    const unassigned = screen.getByRole('checkbox', { name: 'Unassigned' }) as HTMLInputElement;
    expect(unassigned.checked).toBe(true);
    await userEvent.click(box('A new thread in a view I follow: Email'));
    await userEvent.click(unassigned);
    await userEvent.click(screen.getByRole('button', { name: 'Save notifications' }));
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]).toEqual({
      url: expect.stringMatching(/\/v1\/settings\/notifications$/),
      body: { rules: { newThread: { email: true } }, followedViews: [] },
    });
  });

  it('speaks French', async () => {
    setLanguage('fr');
    renderWithApi(<MyNotificationPrefs />);
    await screen.findByRole('table', { name: 'Mes notifications' });
    expect(box('On me mentionne : E-mail').checked).toBe(true);
    expect(screen.getByRole('button', { name: 'Enregistrer les notifications' })).toBeTruthy();
  });
});

describe('The Mentions list', () => {
  const mention = (n: number, threadId: string, read: boolean) => ({
    notificationId: `2026120600000000${n}-${'0'.repeat(15)}${n}`,
    threadId,
    event: 'mentioned',
    at: `2026-12-06T00:00:0${n}.000Z`,
    subject: `Contract ${threadId}`,
    threadRef: `R${threadId}`,
    excerpt: `@Ana look ${n}`,
    actor: { kind: 'agent', id: 'a2', name: 'Rea' },
    channels: ['app'],
    read,
  });

  it('lists each thread once, newest mention first, unread marked; opening one marks its mentions read', async () => {
    const queries: string[] = [];
    const reads: unknown[] = [];
    server.use(
      http.get('*/v1/notifications', ({ request }) => {
        queries.push(new URL(request.url).search);
        return HttpResponse.json({
          items: [mention(3, 'T1', false), mention(2, 'T2', true), mention(1, 'T1', false)],
          unreadCount: 2,
          unreadMore: false,
        });
      }),
      http.post('*/v1/notifications/read', async ({ request }) => {
        reads.push(await request.json());
        return HttpResponse.json({ marked: 2 });
      }),
    );
    renderWithApi(<MentionsPage />);
    const list = await screen.findByRole('list');
    const links = within(list).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/inbox/T1', '/inbox/T2']);
    expect(links[0]!.textContent).toContain('Unread: ');
    expect(links[0]!.textContent).toContain('Rea mentioned you (2)');
    expect(links[1]!.textContent).not.toContain('Unread');
    expect(queries[0]).toContain('event=mentioned');
    await userEvent.click(links[0]!);
    await waitFor(() =>
      expect(reads).toEqual([
        { notificationIds: [mention(3, 'T1', false).notificationId, mention(1, 'T1', false).notificationId] },
      ]),
    );
  });

  it('says so when nobody has mentioned the agent', async () => {
    server.use(
      http.get('*/v1/notifications', () => HttpResponse.json({ items: [], unreadCount: 0, unreadMore: false })),
    );
    renderWithApi(<MentionsPage />);
    expect(await screen.findByText('Nobody has mentioned you yet.')).toBeTruthy();
  });
});
