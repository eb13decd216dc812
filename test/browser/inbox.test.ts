/**
 * The agent Inbox in a real browser (Debian's Chromium) against the stack that `npm start` runs: sign-in,
 * live list, thread view, reply with a template, comments, header edits and their conflicts, search, the
 * Customer Inbox, a second agent, the keyboard, merging threads, a chat answered from the Inbox into the
 * widget demo (live, typing both ways), and an axe scan of every screen. One stack, one browser,
 * one context per agent; the steps share the stack's data and run in order.
 */
import { simpleParser } from 'mailparser';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '#lib/local/widget-local.ts';
import { REPO_ROOT } from '#lib/paths.ts';
import { PNG_1X1 } from '../support/mail.ts';
import {
  api,
  type Harness,
  newContext,
  sendMail,
  seriousViolations,
  signedIn,
  startHarness,
  tabTo,
  until,
} from './harness.ts';

let h: Harness;
let page: Page;
let context: BrowserContext;
const run = Date.now().toString(36);
const SUBJECT = `Documents supplémentaires ${run}`;
const OTHER_SUBJECT = `Renouvellement du contrat ${run}`;
let threadId: string;
/** How the Inbox names the development agent: its profile name (GET /v1/agents), or its token's email. */
const DEV = '(Dev Agent|agent@gochat\\.localhost)';

/** The email answer's rich editor (TipTap), once its chunk has loaded in place of the plain box. */
const richMessage = (composer: Locator) => composer.locator('[contenteditable="true"][aria-label="Message"]');
const threadView = () => page.getByRole('region', { name: /^Thread / });
const card = (p: Page, subject: string) => p.getByRole('link', { name: new RegExp(subject) });
/** The header's status menu: the button names the current status; nothing is saved before an item is picked. */
const setStatus = async (view: Locator, status: string) => {
  await view.getByRole('button', { name: /^Status: / }).click();
  await view.getByRole('menuitemradio', { name: status }).click();
};

beforeAll(async () => {
  h = await startHarness();
  await api(h.stack, 'POST', '/v1/templates', {
    name: 'Greeting',
    body: 'Hello {{contactName}}, about [#{{threadRef}}]: we have your documents.',
  });
}, 180_000);

afterAll(async () => {
  await h?.stop();
});

describe('the Inbox in Chromium', () => {
  it('signs in with Email and Password, and refuses a wrong password', async () => {
    context = await newContext(h);
    page = await context.newPage();
    await page.goto(h.stack.web!.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Email').fill(h.devAgent.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await page.getByLabel('Password').fill(h.devAgent.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
    expect(await page.locator('header.topbar').innerText()).toMatch(/Dev Agent|agent@gochat\.localhost/);
  });

  it('asks for the authenticator code when the pool answers SOFTWARE_TOKEN_MFA (Cognito answered by page.route)', async () => {
    const mfa = await newContext(h);
    try {
      const p = await mfa.newPage();
      const calls: { target: string; body: any }[] = [];
      let tokens: unknown;
      await p.route(
        (url) => url.pathname.startsWith('/_cognito/'),
        async (route) => {
          const target = route.request().headers()['x-amz-target'];
          calls.push({ target, body: route.request().postDataJSON() });
          if (target.endsWith('.InitiateAuth')) {
            // cognito-local checks the password and makes the tokens; the browser gets a pool's MFA challenge.
            tokens = (await (await route.fetch()).json()).AuthenticationResult;
            const challenge = { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'mfa-session', ChallengeParameters: {} };
            return route.fulfill({ json: challenge });
          }
          return route.fulfill({ json: { AuthenticationResult: tokens, ChallengeParameters: {} } });
        },
      );
      await p.goto(h.stack.web!.url);
      await p.getByLabel('Email').fill(h.devAgent.email);
      await p.getByLabel('Password').fill(h.devAgent.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      const code = p.getByLabel('Authentication code');
      await code.waitFor();
      expect(await code.evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);
      expect(await seriousViolations(p)).toEqual([]);
      await p.keyboard.type('123456');
      await p.getByRole('button', { name: 'Verify' }).click();
      await p.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
      expect(calls.map((c) => c.target.split('.').pop())).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
      expect(calls[1].body).toMatchObject({
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: 'mfa-session',
        ChallengeResponses: { USERNAME: h.devAgent.email, SOFTWARE_TOKEN_MFA_CODE: '123456' },
      });
    } finally {
      await mfa.close();
    }
  });

  it('renews a refused or expired token with the refresh token, without asking to sign in again', async () => {
    const other = await newContext(h);
    try {
      const p = await other.newPage();
      await p.goto(h.stack.web!.url);
      await p.getByLabel('Email').fill(h.devAgent.email);
      await p.getByLabel('Password').fill(h.devAgent.password);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
      const stored = () =>
        p.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('gochat.session') ?? 'null'));
      const refreshes: string[] = [];
      p.on('request', (r) => {
        if (r.url().includes('/_cognito/') && (r.postData() ?? '').includes('REFRESH_TOKEN_AUTH'))
          refreshes.push(r.url());
      });
      const tamper = (change: Record<string, unknown>) =>
        p.evaluate((c) => {
          const store = (globalThis as any).sessionStorage;
          store.setItem('gochat.session', JSON.stringify({ ...JSON.parse(store.getItem('gochat.session')), ...c }));
        }, change);

      // A token the API refuses (its signature broken): the 401 renews it, and the list is read again.
      const first = await stored();
      await tamper({ token: `${first.token.slice(0, -6)}AAAAAA` });
      const listed = p.waitForResponse((r) => r.url().includes('/v1/threads') && r.status() === 200);
      await p.reload();
      await listed;
      await p.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
      expect(await p.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
      await until('a renewed token', async () => (await stored()).token !== `${first.token.slice(0, -6)}AAAAAA`);
      expect(refreshes.length).toBe(1);

      // A token past its expiry (a laptop that slept): renewed before any request goes out with it.
      await tamper({ expiresAt: Date.now() - 1000 });
      await p.reload();
      await p.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
      await until('a renewed expiry', async () => (await stored()).expiresAt > Date.now());
      expect(refreshes.length).toBe(2);
      expect(await p.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

      // A refresh token Cognito refuses ends the session, with the reason on the sign-in screen.
      await tamper({ token: 'x.y.z', refreshToken: 'revoked' });
      await p.reload();
      await p.getByRole('button', { name: 'Sign in' }).waitFor();
      await p.getByText('Your session has ended').waitFor();
    } finally {
      await other.close();
    }
  });

  it('shows a mail sent over SMTP in the open list without a reload, with the seed card', async () => {
    await page.getByText('Live', { exact: true }).waitFor();
    const before = page.url();
    await sendMail(h.stack, {
      from: 'Catherine Muller <catherine@example.com>',
      subject: SUBJECT,
      text: 'Bonjour,\nvoici les documents demandés.\n\nLe lun. 30 nov., Support a écrit :\n> Pouvez-vous envoyer les documents ?',
      html: '<p>Bonjour,<br>voici les documents demandés.</p><img src="https://tracker.example.com/pixel.png" alt="pixel">',
      attachments: [
        { filename: 'Carte identite.pdf', content: Buffer.from('%PDF-1.4 test'), contentType: 'application/pdf' },
      ],
    });
    const link = card(page, SUBJECT);
    await link.waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(before);
    const text = await link.innerText();
    expect(text).toContain('Catherine Muller');
    expect(text).toContain('1 item');
    expect(text).toContain('voici les documents');
    expect(text).toContain('Carte identite.pdf');
    expect(await link.getByRole('img', { name: 'Status: open' }).count()).toBe(1);
    expect(await link.getByRole('img', { name: 'Has attachments' }).count()).toBe(1);
    expect(await link.getByRole('img', { name: 'Several messages' }).count()).toBe(0);
    expect(await link.getByText('Unread', { exact: true }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('opens the thread: new text, quoted text on demand, sanitised HTML with remote images blocked, attachments', async () => {
    await card(page, SUBJECT).click();
    await threadView().waitFor();
    threadId = new URL(page.url()).pathname.split('/').pop()!;
    // Opening the thread marks it read for this agent.
    await until(
      'the unread mark to go',
      async () => (await card(page, SUBJECT).getByText('Unread', { exact: true }).count()) === 0,
    );
    const message = threadView().getByRole('article').first();
    await message.getByText('voici les documents demandés.').first().waitFor();
    expect(await message.innerText()).not.toContain('Pouvez-vous envoyer');
    await message.getByRole('button', { name: 'Show quoted text' }).click();
    await message.getByText(/Pouvez-vous envoyer/).waitFor();
    await message.getByRole('button', { name: 'Show HTML' }).click();
    await message.getByText('1 remote image was blocked.').waitFor();
    const frame = message.locator('iframe');
    expect(await frame.getAttribute('sandbox')).not.toContain('allow-scripts');
    const img = page.frameLocator('.html-mail iframe').getByRole('img', { name: 'pixel' });
    expect(await img.getAttribute('src')).toBeNull();
    await message.getByRole('button', { name: 'Show remote images' }).click();
    await until('the remote image to be allowed', async () => (await img.getAttribute('src'))?.includes('tracker'));
    await message.getByRole('button', { name: 'Download Carte identite.pdf' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('replies with a template, previewed with its variables: the captured outbound mail holds the reply', async () => {
    await threadView().getByRole('button', { name: 'New message' }).click();
    const composer = threadView().getByRole('form', { name: 'New message' });
    expect(await composer.getByRole('checkbox', { name: /catherine@example.com/ }).isChecked()).toBe(true);
    await composer.getByLabel('Template').selectOption({ label: 'Greeting' });
    const preview = composer.getByRole('region', { name: 'Preview' });
    await preview.getByText(/Hello Catherine Muller, about \[#/).waitFor();
    expect(await preview.getByRole('definition').allInnerTexts()).toContain('Catherine Muller');
    await composer.getByLabel('Status after sending').selectOption({ label: 'Waiting' });
    expect(await seriousViolations(page)).toEqual([]);
    const sent = h.stack.ses.captured().length;
    await composer.getByRole('button', { name: 'Send' }).click();
    await threadView()
      .getByRole('article', { name: new RegExp(`^Message sent by ${DEV}`) })
      .waitFor();
    const mail = await until('the outbound mail', () => h.stack.ses.captured()[sent]);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toContain('catherine@example.com');
    expect(parsed.text).toContain('Hello Catherine Muller, about [#');
    expect(parsed.text).toContain('we have your documents.');
    await threadView().getByRole('img', { name: 'Status: waiting' }).waitFor();
  });

  it('adds a comment from the comment bar, styled apart in the feed', async () => {
    await threadView().getByLabel('Comment', { exact: true }).fill('Checked the ID card, all good.');
    await threadView().getByRole('button', { name: 'Add comment' }).click();
    const comment = threadView().getByRole('article', { name: new RegExp(`^Comment by ${DEV}$`) });
    await comment.getByText('Checked the ID card, all good.').waitFor();
    expect(await comment.getAttribute('class')).toContain('comment');
  });

  it('changes status, assignee and tags from the header, each an update in the feed', async () => {
    const view = threadView();
    await setStatus(view, 'Open');
    await view.getByText('changed status from waiting to open').waitFor();
    await view.getByRole('button', { name: 'Assign to me' }).click();
    await view.getByText(/changed assignee from none to/).waitFor();
    await view.getByRole('button', { name: 'Edit tags' }).click();
    await view.getByLabel('Tags').fill('kyc, Urgent');
    await view.getByRole('button', { name: 'Save tags' }).click();
    await view.getByText('changed tags from none to kyc, urgent').waitFor();
    const thread = await api(h.stack, 'GET', `/v1/threads/${threadId}`);
    expect(thread).toMatchObject({ status: 'open', assignee: h.devAgent.agentId, tags: ['kyc', 'urgent'] });
    await page.screenshot({ path: `${REPO_ROOT}/docs/inbox-thread.png` });
  });

  it('filters and searches by keyword, with the search kept in the URL', async () => {
    await sendMail(h.stack, {
      from: 'Jean Dupont <jean@example.com>',
      subject: OTHER_SUBJECT,
      text: 'Je souhaite renouveler mon contrat.',
    });
    await card(page, OTHER_SUBJECT).waitFor({ timeout: 15_000 });
    await page.getByRole('searchbox', { name: 'Search' }).fill('contrat');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await until('the keyword search', async () => (await card(page, SUBJECT).count()) === 0);
    expect(new URL(page.url()).searchParams.get('q')).toBe('contrat');
    await card(page, OTHER_SUBJECT).waitFor();
    await page.reload();
    await card(page, OTHER_SUBJECT).waitFor();
    expect(await card(page, SUBJECT).count()).toBe(0);
    expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('contrat');

    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await page.getByRole('button', { name: 'Advanced search' }).click();
    await page.getByRole('group', { name: 'Advanced search' }).getByLabel('Tag').fill('kyc');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await until('the tag filter', async () => (await card(page, OTHER_SUBJECT).count()) === 0);
    await card(page, SUBJECT).waitFor();
    expect(new URL(page.url()).searchParams.get('tag')).toBe('kyc');
    await page.getByRole('group', { name: 'Advanced search' }).getByLabel('Tag').fill('');
    await page.getByRole('group', { name: 'Advanced search' }).getByLabel('Attachments').selectOption('false');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await until('the attachments filter', async () => (await card(page, SUBJECT).count()) === 0);
    await card(page, OTHER_SUBJECT).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${h.stack.web!.url}/inbox`);
    await card(page, SUBJECT).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${REPO_ROOT}/docs/inbox.png` });
  });

  it("shows the Customer Inbox from the customer's page", async () => {
    const thread = await api(h.stack, 'GET', `/v1/threads/${threadId}`);
    const customer = await api(h.stack, 'GET', `/v1/customers/${thread.customerIds[0]}`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: customer.name }).click();
    const inbox = page.getByRole('list', { name: `Threads of ${customer.name}` });
    await inbox.getByRole('link', { name: new RegExp(SUBJECT) }).waitFor();
    expect(await inbox.getByRole('link', { name: new RegExp(OTHER_SUBJECT) }).count()).toBe(0);
    await page.getByRole('listitem').filter({ hasText: 'catherine@example.com' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows a second agent the changes live, in a second browser context', async () => {
    const other = await signedIn(h, h.otherAgent);
    try {
      await card(other.page, SUBJECT).click();
      const view = other.page.getByRole('region', { name: /^Thread / });
      await view.getByRole('img', { name: 'Status: open' }).waitFor();
      await page.goto(`${h.stack.web!.url}/inbox/${threadId}`);
      const presence = view.getByRole('status').filter({ hasText: /is (viewing|writing)/ });
      await presence.getByText(/Dev Agent is viewing/).waitFor({ timeout: 5_000 });
      await threadView().getByRole('button', { name: 'New message' }).click();
      await presence.getByText(/Dev Agent is writing/).waitFor({ timeout: 5_000 });
      await threadView().getByRole('button', { name: 'Discard' }).click();
      await setStatus(threadView(), 'Waiting');
      await view.getByRole('img', { name: 'Status: waiting' }).waitFor({ timeout: 5_000 });
      await threadView().getByLabel('Comment', { exact: true }).fill('Ada, can you check the contract?');
      await threadView().getByRole('button', { name: 'Add comment' }).click();
      await view.getByText('Ada, can you check the contract?').waitFor({ timeout: 5_000 });
    } finally {
      await other.context.close();
    }
  });

  it('raises the bell and the tab title live when a colleague mentions the agent with @ in a comment', async () => {
    await page.goto(`${h.stack.web!.url}/inbox`);
    await page.getByRole('button', { name: /^Notifications/ }).waitFor();
    const before = Number(/^\((\d+)\)/.exec(await page.title())?.[1] ?? 0);
    const other = await signedIn(h, h.otherAgent);
    try {
      await other.page.goto(`${h.stack.web!.url}/inbox/${threadId}`);
      const box = other.page.getByLabel('Comment', { exact: true });
      await box.click();
      await box.pressSequentially('@');
      await other.page.getByRole('option', { name: new RegExp(DEV) }).click();
      await box.pressSequentially('could you check the contract?');
      await other.page.getByRole('button', { name: 'Add comment' }).click();
      const bell = page.getByRole('button', { name: `Notifications, ${before + 1} unread` });
      await bell.waitFor({ timeout: 15_000 });
      expect(await page.title()).toMatch(new RegExp(`^\\(${before + 1}\\) `));
      await bell.click();
      await page
        .getByRole('region', { name: 'Notifications' })
        .getByText(/mentioned you/)
        .first()
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
    } finally {
      await other.context.close();
      // The next steps work in the thread, where the steps before left the agent.
      await page.goto(`${h.stack.web!.url}/inbox/${threadId}`);
    }
  });

  it('shows a stale header edit as a conflict, and applies it again on the current version', async () => {
    const view = threadView();
    await view.getByRole('button', { name: 'Edit tags' }).click();
    await view.getByLabel('Tags').fill('kyc, urgent, contract');
    // Meanwhile, someone else changes the thread.
    const before = await api(h.stack, 'GET', `/v1/threads/${threadId}`);
    await api(h.stack, 'PATCH', `/v1/threads/${threadId}`, { version: before.version, status: 'open' });
    await view.getByRole('img', { name: 'Status: open' }).waitFor({ timeout: 5_000 });
    await view.getByRole('button', { name: 'Save tags' }).click();
    const conflict = view.getByRole('alert').filter({ hasText: 'Conflict' });
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('tags → kyc, urgent, contract');
    expect((await api(h.stack, 'GET', `/v1/threads/${threadId}`)).tags).toEqual(['kyc', 'urgent']);
    expect(await seriousViolations(page)).toEqual([]);
    await conflict.getByRole('button', { name: 'Apply my change' }).click();
    await view.getByText('changed tags from kyc, urgent to kyc, urgent, contract').waitFor();
    expect(await conflict.count()).toBe(0);
    expect((await api(h.stack, 'GET', `/v1/threads/${threadId}`)).tags).toEqual(['kyc', 'urgent', 'contract']);
  });

  it('saves the message being written as a draft, which a reload brings back', async () => {
    await page.goto(`${h.stack.web!.url}/inbox/${threadId}`);
    await threadView().getByRole('button', { name: 'New message' }).click();
    const composer = threadView().getByRole('form', { name: 'New message' });
    await richMessage(composer).fill('Draft: we still need the proof of address.');
    await composer.getByRole('status').getByText('Draft saved').waitFor();
    await page.reload();
    await threadView().getByRole('button', { name: 'New message' }).click();
    await until(
      'the draft to come back',
      async () => (await richMessage(composer).textContent()) === 'Draft: we still need the proof of address.',
    );
    await composer.getByRole('button', { name: 'Discard' }).click();
    await threadView().getByRole('button', { name: 'New message' }).waitFor();
    const drafts = await api(h.stack, 'GET', `/v1/threads/${threadId}/drafts`);
    expect(drafts.items).toEqual([]);
  });

  it('writes a rich email answer with a canned response (/), the toolbar and a pasted image: the mail has them all', async () => {
    await page.goto(`${h.stack.web!.url}/inbox/${threadId}`);
    await threadView().getByRole('button', { name: 'New message' }).click();
    const composer = threadView().getByRole('form', { name: 'New message' });
    expect(await composer.getByRole('radio', { name: 'Email' }).isChecked()).toBe(true);
    const editor = richMessage(composer);
    await editor.click();
    // Markdown shortcuts: **…** is bold.
    await page.keyboard.type('All **checked** ');
    await page.keyboard.press('Enter');
    await page.keyboard.type('/gree');
    const canned = composer.getByRole('listbox', { name: 'Canned responses' });
    await canned.getByRole('option', { name: 'Greeting' }).waitFor();
    await page.keyboard.press('Enter');
    await canned.waitFor({ state: 'hidden' });
    // The toolbar: Italic, then what follows is italic.
    await composer.getByRole('toolbar', { name: 'Formatting' }).getByRole('button', { name: 'Italic' }).click();
    await page.keyboard.type(' See the screen');
    // A pasted image becomes an inline image of the mail (a cid: part).
    await editor.evaluate((el, b64) => {
      // The page's own DOM classes (the test's TypeScript has no DOM library).
      const win = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
        ClipboardEvent: new (type: string, init: object) => Event;
      };
      const data = new win.DataTransfer();
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      data.items.add(new File([bytes], 'shot.png', { type: 'image/png' }));
      el.dispatchEvent(new win.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, PNG_1X1.toString('base64'));
    await editor.locator('img[alt="shot.png"][src^="data:image/png"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await composer.getByLabel('Status after sending').selectOption({ label: 'Keep the current status' });
    const sent = h.stack.ses.captured().length;
    await composer.getByRole('button', { name: 'Send' }).click();
    const raw = (await until('the rich answer', () => h.stack.ses.captured()[sent])).raw;
    const mail = await simpleParser(raw, { skipImageLinks: true });
    expect(mail.html || '').toContain('<strong>checked</strong>');
    expect(mail.html || '').toContain('<em> See the screen</em>');
    const image = mail.attachments.find((a) => a.filename === 'shot.png');
    expect(image?.contentDisposition).toBe('inline');
    expect(image?.cid).toMatch(/@inline$/);
    expect(mail.html || '').toContain(`<img src="cid:${image?.cid}" alt="shot.png" />`);
    expect(mail.text).toContain('All checked');
    expect(mail.text).toMatch(/Hello .*we have your documents\./);
    expect(mail.text).not.toContain('/gree');
    // The canned response came in with this thread's variables filled in (the template preview route).
    expect(mail.text).not.toContain('{{');
  });

  it('does the main flow by keyboard alone: search, move, open, assign, comment, reply, close, help', async () => {
    const kb = await signedIn(h, h.otherAgent);
    const p = kb.page;
    try {
      const view = p.getByRole('region', { name: /^Thread / });
      await card(p, SUBJECT).waitFor();
      await p.keyboard.press('/');
      await p.keyboard.type('documents');
      await p.keyboard.press('Enter');
      await until('the search', async () => (await card(p, OTHER_SUBJECT).count()) === 0);
      await card(p, SUBJECT).waitFor();
      await p.keyboard.press('Tab');
      await p.keyboard.press('j');
      await until('the first card to be focused', () =>
        p.evaluate(() => (globalThis as any).document.activeElement?.closest('li')?.getAttribute('data-index') === '0'),
      );
      await p.keyboard.press('Enter');
      await view.waitFor();
      await p.keyboard.press('a');
      await view
        .getByText(/changed assignee from Dev Agent to|changed assignee from .* to/)
        .last()
        .waitFor();
      await until(
        'the assignment',
        async () => (await api(h.stack, 'GET', `/v1/threads/${threadId}`)).assignee === h.otherAgent.agentId,
      );
      await p.keyboard.press('c');
      await p.keyboard.type('Handled by keyboard.');
      await p.keyboard.press('Control+Enter');
      await view.getByText('Handled by keyboard.').waitFor();
      await p.keyboard.press('Tab');
      await p.keyboard.press('r');
      await view.getByRole('form', { name: 'New message' }).waitFor();
      await tabTo(p, 'Message');
      await p.keyboard.type('Thank you, everything is in order.');
      await tabTo(p, 'Send');
      const sent = h.stack.ses.captured().length;
      await p.keyboard.press('Enter');
      const mail = await until('the keyboard reply', () => h.stack.ses.captured()[sent]);
      expect((await simpleParser(mail.raw)).text).toContain('Thank you, everything is in order.');
      await view.getByRole('button', { name: 'New message' }).waitFor();
      await p.keyboard.press('e');
      await view.getByRole('img', { name: 'Status: closed' }).waitFor();
      await p.keyboard.press('?');
      const help = p.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await help.waitFor();
      expect(await help.getByRole('row').count()).toBe(11);
      expect(await seriousViolations(p)).toEqual([]);
      await p.keyboard.press('Escape');
      await help.waitFor({ state: 'hidden' });
    } finally {
      await kb.context.close();
    }
  });

  it('shows the admin pages: templates, settings with the reminder policy timeline, inbound addresses', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { name: 'Greeting' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await nav.getByRole('link', { name: 'Settings' }).click();
    const timeline = page.getByRole('list', { name: 'Reminder policy timeline' });
    await timeline.waitFor();
    expect(await timeline.getByRole('listitem').allInnerTexts()).toEqual([
      'open',
      'reminder 1',
      '→ after 3 days: reminder 1 sent →\nreminder 2',
      '→ after 3 days: reminder 2 sent →\nwaiting',
      '→ after 3 days →\nreopen',
    ]);
    // The inbound address, listed and as a mailbox with its settings.
    await page.getByRole('listitem').filter({ hasText: h.stack.inboundAddress }).waitFor();
    await page.getByRole('form', { name: h.stack.inboundAddress }).getByLabel('Display name').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await nav.getByRole('link', { name: 'New thread' }).click();
    await page.getByRole('heading', { name: 'New thread' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('merges a thread into another from the header dialog; the merged one shows where it went', async () => {
    const [into, from] = [`Sinistre habitation ${run}`, `Photos du sinistre ${run}`];
    await sendMail(h.stack, { from: 'Paul Martin <paul@example.com>', subject: into, text: 'Dégât des eaux.' });
    await sendMail(h.stack, { from: 'Paul Martin <paul@example.com>', subject: from, text: 'Voici les photos.' });
    await page.goto(`${h.stack.web!.url}/inbox`);
    await card(page, from).click();
    await threadView().waitFor();
    const fromId = new URL(page.url()).pathname.split('/').pop()!;
    await threadView().getByRole('button', { name: 'Merge…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Merge .* into another thread$/ });
    const search = dialog.getByRole('searchbox', { name: 'Find a thread' });
    await search.waitFor();
    expect(await search.evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await threadView().getByRole('button', { name: 'Merge…' }).click();
    await search.fill('habitation');
    await dialog.getByRole('button', { name: 'Find' }).click();
    await dialog.getByRole('radio', { name: new RegExp(`${into}.*Paul Martin`) }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: new RegExp(`^Merge this thread into “${into}`) }).click();
    await until('the survivor to open', async () => !page.url().endsWith(fromId));
    const feed = threadView().getByRole('list', { name: 'Feed' });
    await feed.getByText('Voici les photos.').waitFor();
    await feed.getByText(new RegExp(`merged ${from} \\[#.*\\] into ${into}`)).waitFor();
    await page.goto(`${h.stack.web!.url}/inbox/${fromId}`);
    await threadView()
      .getByRole('link', { name: new RegExp(`^Merged into ${into}`) })
      .waitFor();
    expect(
      await threadView()
        .getByRole('button', { name: /Edit tags|New message|Merge…/ })
        .count(),
    ).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('answers a widget chat by chat: live in the widget under the agent’s name, typing both ways, no mail before the fallback delay', async () => {
    // The end user, on the demo host page (another origin), in a context of their own.
    const visitor = await newContext(h);
    const demo = await visitor.newPage();
    await demo.goto(`${h.stack.widget.demoUrl}?user=alice`);
    await demo.locator('#gochat-widget button.gcw-launch').click();
    const frame = await until('the widget frame', () =>
      demo.frames().find((f) => f.url().includes('/v1/widget/frame/')),
    );
    const question = `Is my parcel on its way? ${run}`;
    await frame.getByRole('textbox', { name: 'Message' }).fill(question);
    await frame.getByRole('button', { name: 'Send' }).click();
    const messages = frame.getByRole('list', { name: 'Messages' });
    await messages.getByText(question).waitFor();
    const chatThread = (await api(h.stack, 'GET', `/v1/threads?customer=${DEMO_USERS.alice.customerId}`)).items.find(
      (t: { subject: string }) => t.subject.startsWith('Is my parcel'),
    ).threadId as string;

    await page.goto(`${h.stack.web!.url}/inbox/${chatThread}`);
    await threadView().getByRole('list', { name: 'Feed' }).getByText(question).first().waitFor();
    // The end user types: the agent sees it in the thread view.
    await frame.getByRole('textbox', { name: 'Message' }).pressSequentially(' Also', { delay: 20 });
    await threadView()
      .getByText(/is typing…/)
      .waitFor();

    // The agent answers by chat (the default for a chat thread); the widget shows the typing meanwhile.
    const sent = h.stack.ses.captured().length;
    await threadView().getByRole('button', { name: 'New message' }).click();
    const composer = threadView().getByRole('form', { name: 'New message' });
    expect(await composer.getByRole('radio', { name: 'Chat' }).isChecked()).toBe(true);
    await composer.getByLabel('Message').pressSequentially('It left our warehouse this morning.', { delay: 15 });
    await frame.getByRole('status').getByText('Support is typing…').waitFor();
    await composer.getByRole('button', { name: 'Send' }).click();

    // Live into the widget (no reload), under the agent's name and initials, never an id.
    const answer = messages.getByRole('listitem').filter({ hasText: 'It left our warehouse this morning.' });
    await answer.waitFor();
    const author = (await answer.locator('.who').textContent()) ?? '';
    expect(author).toMatch(new RegExp(`^(DA|A)${DEV}$`));
    expect(author).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    // The answer ends the typing indicator.
    await until('the typing indicator to end', async () => (await frame.getByRole('status').textContent()) === '');
    // The email fallback waits for the policy's delay (10 minutes on this unscaled clock): no mail yet.
    expect(h.stack.ses.captured().length).toBe(sent);
    expect(
      (await api(h.stack, 'GET', `/v1/threads/${chatThread}/feed`)).items.filter((i: any) => i.fallbackOf),
    ).toEqual([]);
    await visitor.close();
  });

  it('shows the Reports page with its charts, leads from a figure to its threads, and is axe clean in both themes', async () => {
    // Self-contained (its own mail), so that it runs alone too: `-t "signs in|Reports page"`.
    const subject = `Rapport ${run}`;
    await sendMail(h.stack, { from: 'Ines Faure <ines@example.org>', subject, text: 'Une question.' });
    // The report reads the rollups and events the stream writes: the API says when the creation is in.
    const created = await until('the new thread', async () => {
      const { items } = await api(h.stack, 'GET', '/v1/threads');
      return items.find((c: { subject: string }) => c.subject === subject)?.threadId as string | undefined;
    });
    const today = new Date().toISOString().slice(0, 10);
    await until('its creation in the report', async () => {
      const { items } = await api(h.stack, 'GET', `/v1/reports/threads?metric=created&from=${today}&to=${today}`);
      return items.some((i: { threadId: string }) => i.threadId === created);
    });
    await page.goto(`${h.stack.web!.url}/reports`);
    const figures = page.getByRole('list', { name: 'Figures' });
    await figures.getByRole('button', { name: /^Created/ }).click();
    await page
      .getByRole('region', { name: 'Threads: Created' })
      .getByRole('link', { name: new RegExp(subject) })
      .waitFor();
    // The trend charts are drawn (uPlot's canvases, hidden from assistive technology: the table has the figures).
    expect(await page.locator('canvas').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByRole('region', { name: 'Threads: Created' })
      .getByRole('link', { name: new RegExp(subject) })
      .click();
    await threadView().getByText('Une question.').first().waitFor();
  });
});
