/**
 * Working the queue in Chromium (issue 21), the cases that test/browser/inbox.test.ts does not already show
 * (it shows the bell and the tab title counting a mention live): a browser notification shown when the
 * permission is granted, Mine/Unassigned counts moving live, shift-click selecting 20 threads and closing
 * them in ONE request, and a snoozed thread leaving the open view and coming back at its (scaled) time.
 * One stack on a scaled clock (a simulated minute of a Step Functions Wait is a real second), seeded
 * through the API; one signed-in agent whose page the steps share.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, newContext, seriousViolations, startHarness, until } from './harness.ts';

/** Simulated seconds per real second: a snooze two minutes ahead ends in about two seconds. */
const TIME_SCALE = 60;
const run = Date.now().toString(36);
let h: Harness;
let context: BrowserContext;
let page: Page;
const threads: { threadId: string; subject: string }[] = [];
/** The seeded thread that the bulk close leaves open: the snooze step's. */
let stillOpen: { threadId: string; subject: string };

/** The REST API with the workspace's key, as an agent (`X-Agent-Id`) when one is named. */
async function call(method: string, path: string, body?: unknown, agentId?: string): Promise<any> {
  const res = await fetch(`${h.stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${h.stack.apiKey}`,
      ...(agentId ? { 'x-agent-id': agentId } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const sidebar = () => page.getByRole('navigation', { name: 'Main' });
/** A view's count in the side bar, as its link's accessible name says it ("Mine, 3"). */
async function countOf(view: string): Promise<number> {
  const name = await sidebar()
    .getByRole('link', { name: new RegExp(`^${view}\\s*,`) })
    .textContent();
  return Number(/(\d+)\s*$/.exec(name ?? '')?.[1] ?? Number.NaN);
}
const list = () => page.getByRole('list', { name: 'Threads' });

beforeAll(async () => {
  h = await startHarness({ timeScale: TIME_SCALE });
  // 22 open threads nobody has, to one customer's three contacts (the send cap is per address).
  const { customerId } = await call('POST', '/v1/customers', { name: `Queue customer ${run}` });
  const contacts: string[] = [];
  for (let i = 0; i < 3; i++) {
    const email = `queue-${run}-${i}@customer.example`;
    const { contactId } = await call('POST', '/v1/contacts', { email, name: `Contact ${i}` });
    await call('PUT', `/v1/customers/${customerId}/contacts/${contactId}`);
    contacts.push(email);
  }
  // Eight at a time: each start sends its first mail through the local SES.
  const start = async (i: number) => {
    const subject = `Queue ${run} ${String(i).padStart(2, '0')}`;
    const out = await call('POST', '/v1/threads', {
      customerIds: [customerId],
      to: [contacts[i % 3]],
      subject,
      text: 'Bonjour',
      status: 'open',
    });
    return { threadId: out.thread.threadId as string, subject };
  };
  const made: { threadId: string; subject: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 22) {
        const i = next++;
        made[i] = await start(i);
      }
    }),
  );
  threads.push(...made);
  // The agent's tab, with desktop notifications granted and every one the page shows recorded.
  context = await newContext(h);
  await context.grantPermissions(['notifications'], { origin: h.stack.web!.url });
  await context.addInitScript(() => {
    const g = globalThis as any;
    const Real = g.Notification;
    g.__shown = [];
    class Recorded extends Real {
      constructor(title: string, options?: { body?: string }) {
        super(title, options);
        g.__shown.push({ title, body: options?.body });
      }
    }
    g.Notification = Recorded;
  });
  page = await context.newPage();
  await page.goto(h.stack.web!.url);
  await page.getByLabel('Email').fill(h.devAgent.email);
  await page.getByLabel('Password').fill(h.devAgent.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
}, 240_000);

afterAll(async () => {
  await context?.close();
  await h?.stop();
});

describe('the queue in Chromium', () => {
  it('shows a browser notification for a mention when the permission is granted', async () => {
    await page.getByRole('button', { name: /^Notifications/ }).waitFor();
    expect(await page.evaluate(() => (globalThis as any).Notification.permission)).toBe('granted');
    const before = Number(/^\((\d+)\)/.exec(await page.title())?.[1] ?? 0);
    await call(
      'POST',
      `/v1/threads/${threads[0]!.threadId}/comments`,
      { body: `@Dev Agent could you look? ${run}`, mentions: [h.devAgent.agentId] },
      h.otherAgent.agentId,
    );
    const shown = await until('the browser notification', async () => {
      const list: { title: string; body?: string }[] = await page.evaluate(() => (globalThis as any).__shown);
      return list.length > 0 && list;
    });
    // The key acts as the agent by id (X-Agent-Id), without a name: the notice names no one.
    expect(shown).toEqual([{ title: expect.stringMatching(/mentioned you$/), body: threads[0]!.subject }]);
    await page.getByRole('button', { name: `Notifications, ${before + 1} unread` }).waitFor();
  });

  it('moves the Mine and Unassigned counts live when a thread is assigned', async () => {
    await sidebar()
      .getByRole('link', { name: /^Mine\s*,/ })
      .waitFor();
    const mine = await countOf('Mine');
    const unassigned = await countOf('Unassigned');
    expect(unassigned).toBeGreaterThanOrEqual(22);
    const t = threads[21]!;
    const { version } = await call('GET', `/v1/threads/${t.threadId}`);
    await call('PATCH', `/v1/threads/${t.threadId}`, { version, assignee: h.devAgent.agentId }, h.otherAgent.agentId);
    await until('the counts to move', async () => (await countOf('Mine')) === mine + 1, 10_000);
    expect(await countOf('Unassigned')).toBe(unassigned - 1);
  });

  it('saves the list’s filters as a search in the side bar, and lists the mentions; the preferences save', async () => {
    await page.goto(`${h.stack.web!.url}/inbox?status=closed`);
    await sidebar().getByRole('button', { name: 'Save this search' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this search' });
    await dialog.getByLabel('Name').fill('Closed ones');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await sidebar()
      .getByRole('link', { name: /^Closed ones\s*,/ })
      .waitFor();
    expect(await countOf('Closed ones')).toBe(0);

    await sidebar()
      .getByRole('link', { name: /^Mentions\s*,/ })
      .click();
    await page.getByRole('heading', { name: 'Mentions', level: 1 }).waitFor();
    const mention = page.getByRole('link', { name: new RegExp(`Unread: .*${threads[0]!.subject}`) });
    await mention.waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${h.stack.web!.url}/me`);
    const table = page.getByRole('table', { name: 'My notifications' });
    await table.getByRole('checkbox', { name: 'SLA breach: Email' }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const prefs = await call('GET', '/v1/notifications/preferences', undefined, h.devAgent.agentId);
    expect(prefs.rules.slaBreach).toEqual({ app: false, browser: false, email: true });
  });

  it('selects 20 threads with a click and a shift-click and closes them in one request', async () => {
    // Tall enough for the virtual list to render 20 cards at once.
    await page.setViewportSize({ width: 1280, height: 2600 });
    await sidebar()
      .getByRole('link', { name: /^Unassigned\s*,/ })
      .click();
    const boxes = list().getByRole('checkbox');
    await boxes.nth(19).waitFor();
    const bulk: { threads: unknown[]; status?: string }[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/threads/bulk') bulk.push(r.postDataJSON());
    });
    // The first card, then the twentieth with Shift: the range between them is checked.
    await boxes.nth(0).click();
    await boxes.nth(19).click({ modifiers: ['Shift'] });
    const bar = page.getByRole('region', { name: 'Bulk actions' });
    await bar.getByText('20 selected').waitFor();
    await bar.getByRole('button', { name: 'Close', exact: true }).click();
    await bar.getByText('20 done, 0 in conflict, 0 not found.').waitFor();
    expect(bulk).toHaveLength(1);
    expect(bulk[0]!.threads).toHaveLength(20);
    const closed = bulk[0]!.threads.map((t) => (t as { threadId: string }).threadId);
    for (const id of closed) expect((await call('GET', `/v1/threads/${id}`)).status).toBe('closed');
    // Newest first: the twenty are the queue's seeded threads, and one of them (not assigned) is still open.
    const open = threads.slice(0, 21).filter((t) => !closed.includes(t.threadId));
    expect(open).toHaveLength(1);
    expect((await call('GET', `/v1/threads/${open[0]!.threadId}`)).status).toBe('open');
    stillOpen = open[0]!;
    // The saved search of closed threads counts them live.
    await until('the saved search to count the closed threads', async () => (await countOf('Closed ones')) === 20);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('takes a snoozed thread out of the open view and brings it back at its time', async () => {
    const t = stillOpen;
    await page.goto(`${h.stack.web!.url}/inbox/${t.threadId}?status=open`);
    const card = list().getByRole('link', { name: new RegExp(t.subject) });
    await card.waitFor();
    const view = page.getByRole('region', { name: /^Thread / });
    await view.getByRole('button', { name: /^Snooze/ }).click();
    await view.getByRole('menuitemradio', { name: 'Pick a date and time…' }).click();
    // Two minutes ahead, in the browser's local time (datetime-local): two seconds on the scaled clock.
    const at: string = await page.evaluate(() => {
      const d = new Date(Date.now() + 120_000);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    });
    await view.getByLabel('Snooze until').fill(at);
    await view.getByRole('button', { name: 'Snooze', exact: true }).click();
    await view.getByText(/^Snoozed until/).waitFor();
    await card.waitFor({ state: 'detached' });
    expect((await call('GET', `/v1/threads/${t.threadId}`)).status).toBe('snoozed');
    // Back, open, on its own: the workflow's wait ended and the live list shows it again.
    await card.waitFor({ timeout: 15_000 });
    const back = await call('GET', `/v1/threads/${t.threadId}`);
    expect(back.status).toBe('open');
    const feed = await call('GET', `/v1/threads/${t.threadId}/feed`);
    expect(
      feed.items.some(
        (i: { type: string; field?: string; to?: unknown; actor?: { kind: string } }) =>
          i.type === 'update' && i.field === 'status' && i.to === 'open' && i.actor?.kind === 'system',
      ),
    ).toBe(true);
  });
});
