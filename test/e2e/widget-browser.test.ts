/**
 * The widget in a real browser (Debian's Chromium, driven by playwright-core) against the stack that
 * `npm start` runs: the demo host page, the loader, the frame, the API, the email fallback on the local
 * state machine (scaled clock) and the outbound mail captured by the local SES.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import nodemailer from 'nodemailer';
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarise } from '#lib/local/ses-local.ts';
import { type LocalStack, startLocalStack } from '#lib/local/stack.ts';
import { DEMO_USERS } from '#lib/local/widget-local.ts';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
/** One scaled minute (the fallback delay set below) passes in 4 s. */
const TIME_SCALE = 15;
const WAIT_MS = 20_000;

let stack: LocalStack;
let dataDir: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let threadId: string;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      'x-agent-id': 'agent-ada',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false) {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined && value !== false) return value as T;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const widgetFrame = (p: Page): Promise<Frame> =>
  until('the widget frame', () => p.frames().find((f) => f.url().includes('/v1/widget/frame/')));
const launcher = (p: Page) => p.locator('#gochat-widget button.gcw-launch');

async function openDemo(user: 'alice' | 'bob', ctx = context): Promise<{ page: Page; frame: Frame }> {
  const p = await ctx.newPage();
  await p.goto(`${stack.widget.demoUrl}?user=${user}`);
  const frame = await widgetFrame(p);
  return { page: p, frame };
}

/** The demo back end's own key (made at the first start, kept in the data folder). */
async function demoSign(claims: Record<string, unknown>, opts: { iat: number; exp: number }) {
  const pair = JSON.parse(readFileSync(join(dataDir, 'widget-demo-key.json'), 'utf8'));
  const key = await importJWK(pair.privateJwk, 'ES256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: pair.privateJwk.kid })
    .setSubject(String(claims.sub))
    .setAudience(stack.workspaceId)
    .setIssuedAt(opts.iat)
    .setExpirationTime(opts.exp)
    .sign(key);
}

const describeBrowser = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) console.warn('widget browser tests skipped: no Chromium (apt-get install chromium)');

describeBrowser('the widget in Chromium', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gochat-widget-e2e-'));
    stack = await startLocalStack({
      dataDir,
      timeScale: TIME_SCALE,
      ports: { api: 0, smtp: 0, ses: 0, widget: 0, demo: 0 },
    });
    const settings = await api('GET', '/v1/settings');
    const put = await api('PUT', '/v1/settings', { policy: { ...settings.json.policy, chatFallbackMinutes: 1 } });
    expect(put.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    context = await browser.newContext();
    page = (await openDemo('alice')).page;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the demo page loads the widget, and the end user starts a thread', async () => {
    await launcher(page).click();
    const frame = await widgetFrame(page);
    const message = frame.getByRole('textbox', { name: 'Message' });
    await message.waitFor({ timeout: WAIT_MS });
    await message.fill('Where is my order #1234?');
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame
      .getByRole('list', { name: 'Messages' })
      .getByText('Where is my order #1234?')
      .waitFor({ timeout: WAIT_MS });

    const list = await api('GET', `/v1/threads?customer=${DEMO_USERS.alice.customerId}`);
    expect(list.json.items).toHaveLength(1);
    threadId = list.json.items[0].threadId;
    const feed = await api('GET', `/v1/threads/${threadId}/feed`);
    expect(feed.json.items[0]).toMatchObject({
      type: 'message',
      direction: 'inbound',
      channel: 'chat',
      newText: 'Where is my order #1234?',
      from: { address: DEMO_USERS.alice.email },
    });
  });

  it('an agent replies through the API: the widget shows it live and the badge counts it', async () => {
    await launcher(page).click(); // closed: the reply stays unread
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false');
    const reply = await api('POST', `/v1/threads/${threadId}/chat`, { text: 'Your parcel ships today.' });
    expect(reply.status).toBe(201);
    await expect.poll(() => launcher(page).getAttribute('aria-label'), { timeout: WAIT_MS }).toBe('Support, 1 unread');
    await expect.poll(() => page.locator('#unread').textContent(), { timeout: WAIT_MS }).toBe('1');

    await launcher(page).click();
    const frame = await widgetFrame(page);
    await frame.getByText('Your parcel ships today.').waitFor({ timeout: WAIT_MS });
    await expect.poll(() => launcher(page).getAttribute('aria-label'), { timeout: WAIT_MS }).toBe('Support');
    // Seen in the widget: its fallback finds the read receipt and sends no mail.
    await new Promise((r) => setTimeout(r, (60_000 / TIME_SCALE) * 1.5));
    const mails = stack.ses.captured().filter((m) => summarise(m.raw).to?.includes(DEMO_USERS.alice.email));
    expect(mails).toEqual([]);
  });

  it('an agent message unseen for N scaled minutes is emailed; the emailed answer lands in the same thread', async () => {
    await launcher(page).click(); // closed again
    const sent = await api('POST', `/v1/threads/${threadId}/chat`, { text: 'Please confirm your address.' });
    expect(sent.status).toBe(201);
    const mail = await until('the fallback mail in the outbox', () =>
      stack.ses.captured().find((m) => summarise(m.raw).to?.includes(DEMO_USERS.alice.email)),
    );
    const head = summarise(mail.raw);
    expect(mail.raw.toString()).toContain('Please confirm your address.');
    expect(head.replyTo).toMatch(/\+.+@/);
    expect(head.inReplyTo).toBeTruthy();

    const transport = nodemailer.createTransport({
      host: stack.smtp.host,
      port: stack.smtp.port,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: DEMO_USERS.alice.email,
      to: head.replyTo,
      subject: `Re: ${head.subject}`,
      inReplyTo: head.messageId,
      references: [head.messageId!],
      text: 'Confirmed: 1 Main Street.\n\nOn Monday, Support wrote:\n> Please confirm your address.',
    });
    transport.close();
    const feed = await until('the emailed answer in the thread', async () => {
      const f = await api('GET', `/v1/threads/${threadId}/feed`);
      return f.json.items.some((i: any) => i.direction === 'inbound' && i.newText === 'Confirmed: 1 Main Street.') && f;
    });
    const copy = feed.json.items.find((i: any) => i.fallbackOf === sent.json.itemId);
    expect(copy).toMatchObject({ direction: 'outbound', delivery: { state: 'sent' } });
    // The widget shows the chat message once (not its email copy), and the emailed answer.
    await launcher(page).click();
    const frame = await widgetFrame(page);
    await frame.getByText('Confirmed: 1 Main Street.').waitFor({ timeout: WAIT_MS });
    expect(await frame.getByText('Please confirm your address.').count()).toBe(1);
  });

  it('an end user of another customer sees nothing of the first one\u2019s threads', async () => {
    const bob = await openDemo('bob');
    await launcher(bob.page).click();
    const message = bob.frame.getByRole('textbox', { name: 'Message' });
    await message.waitFor({ timeout: WAIT_MS });
    await bob.frame.getByRole('heading', { name: 'New conversation' }).waitFor({ timeout: WAIT_MS });
    await new Promise((r) => setTimeout(r, 2000)); // two polls
    const text = await bob.frame.locator('body').textContent();
    for (const alices of ['Where is my order', 'parcel ships', 'confirm your address', 'Main Street'])
      expect(text).not.toContain(alices);
    await bob.page.close();
  });

  it('refuses forged, expired and wrongly signed end-user tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'demo-alice', email: DEMO_USERS.alice.email, customerIds: [DEMO_USERS.alice.customerId] };
    const good = await demoSign(claims, { iat: now, exp: now + 300 });
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, customerIds: [DEMO_USERS.bob.customerId] })).toString('base64url')}.${s}`;
    const expired = await demoSign(claims, { iat: now - 900, exp: now - 600 });
    const other = await generateKeyPair('ES256');
    const wronglySigned = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'someone-else' })
      .setSubject('demo-alice')
      .setAudience(stack.workspaceId)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(other.privateKey);
    for (const [name, token] of Object.entries({ forged, expired, wronglySigned })) {
      const ctx = await browser.newContext();
      await ctx.route('**/token?*', (route) => route.fulfill({ json: { token } }));
      const { page: p, frame } = await openDemo('alice', ctx);
      await launcher(p).click();
      await frame
        .getByRole('status')
        .getByText(/Cannot connect: end-user token refused/)
        .waitFor({ timeout: WAIT_MS });
      expect(await frame.getByRole('textbox', { name: 'Message' }).count(), name).toBe(0);
      await ctx.close();
    }
  });

  it('ignores a postMessage from a foreign origin, on both sides', async () => {
    // A foreign origin inside the host page: it tries to set the badge, and to hand the frame Bob's token.
    const now = Math.floor(Date.now() / 1000);
    const bobToken = await demoSign(
      { sub: 'demo-bob', email: DEMO_USERS.bob.email, customerIds: [DEMO_USERS.bob.customerId] },
      { iat: now, exp: now + 300 },
    );
    await page.route('http://evil.example/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<script>
          parent.postMessage({ type: 'gochat:unread', count: 42 }, '*');
          for (let i = 0; i < parent.frames.length; i++) parent.frames[i].postMessage({ type: 'gochat:token', token: ${JSON.stringify(bobToken)} }, '*');
          document.title = 'posted';
        </script>`,
      }),
    );
    const frame = await widgetFrame(page);
    await frame.getByText('Confirmed: 1 Main Street.').waitFor({ timeout: WAIT_MS });
    await page.evaluate(
      `(() => { const evil = document.createElement('iframe'); evil.src = 'http://evil.example/'; document.body.appendChild(evil); })()`,
    );
    const evil = await until('the foreign frame', () => page.frames().find((f) => f.url() === 'http://evil.example/'));
    await until('the foreign frame to post', async () => (await evil.title()) === 'posted');
    await new Promise((r) => setTimeout(r, 2500)); // more than one poll of the widget
    expect(await launcher(page).getAttribute('aria-label')).not.toContain('42');
    expect(await page.locator('#unread').textContent()).not.toBe('42');
    // Still Alice's session: her conversation, nothing of Bob's.
    const messages = frame.getByRole('list', { name: 'Messages' });
    await messages.getByText('Where is my order #1234?').waitFor({ timeout: WAIT_MS });
    expect(await frame.getByRole('heading').textContent()).toBe('Where is my order #1234?');
  });

  it('the end user attaches a file: it goes to S3 (s3rver) by a presigned POST, and agents download it', async () => {
    const fresh = await openDemo('alice');
    await launcher(fresh.page).click();
    const frame = await widgetFrame(fresh.page);
    const content = '%PDF-1.4 my receipt';
    await frame
      .getByLabel('Attach a file')
      .setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: Buffer.from(content) });
    await frame.getByRole('textbox', { name: 'Message' }).fill('Here is my receipt');
    await frame.getByRole('button', { name: 'Send' }).click();
    await frame.getByRole('list', { name: 'Attachments' }).getByText('receipt.pdf').waitFor({ timeout: WAIT_MS });

    const threads = await api('GET', `/v1/threads?customer=${DEMO_USERS.alice.customerId}`);
    let found: { threadId: string; attachment: { attachmentId: string } } | undefined;
    for (const t of threads.json.items) {
      const feed = await api('GET', `/v1/threads/${t.threadId}/feed`);
      const m = feed.json.items.find((i: any) => i.type === 'message' && i.newText === 'Here is my receipt');
      if (m) {
        expect(m.attachments).toMatchObject([
          { filename: 'receipt.pdf', contentType: 'application/pdf', size: content.length },
        ]);
        found = { threadId: t.threadId, attachment: m.attachments[0] };
      }
    }
    expect(found).toBeDefined();
    const dl = await api('GET', `/v1/threads/${found!.threadId}/attachments/${found!.attachment.attachmentId}`);
    expect(dl.status).toBe(200);
    expect(await (await fetch(dl.json.url)).text()).toBe(content);
    await fresh.page.close();
  });

  it('the end user opens an agent\u2019s file and their own upload from the widget (a presigned download)', async () => {
    const label = '%PDF-1.4 your return label';
    const sent = await api('POST', `/v1/threads/${threadId}/messages`, {
      to: [DEMO_USERS.alice.email],
      text: 'Your return label is attached.',
      attachments: [
        {
          filename: 'return-label.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from(label).toString('base64'),
        },
      ],
    });
    expect(sent.status).toBe(201);
    const fresh = await openDemo('alice');
    await launcher(fresh.page).click();
    const frame = await widgetFrame(fresh.page);
    await frame.getByRole('combobox', { name: 'Conversation' }).selectOption({ label: 'Where is my order #1234?' });
    const files = frame.getByRole('list', { name: 'Attachments' });
    const agentsFile = files.getByRole('button', { name: /^return-label\.pdf/ });
    const ownFile = files.getByRole('button', { name: /^receipt\.pdf/ });
    await agentsFile.waitFor({ timeout: WAIT_MS });
    await ownFile.waitFor({ timeout: WAIT_MS });
    await agentsFile.scrollIntoViewIfNeeded();
    if (process.env.WIDGET_SCREENSHOT) await fresh.page.screenshot({ path: process.env.WIDGET_SCREENSHOT });

    for (const [button, filename, content] of [
      [agentsFile, 'return-label.pdf', label],
      [ownFile, 'receipt.pdf', '%PDF-1.4 my receipt'],
    ] as const) {
      const [download] = await Promise.all([fresh.page.waitForEvent('download', { timeout: WAIT_MS }), button.click()]);
      expect(download.suggestedFilename()).toBe(filename);
      expect(readFileSync(await download.path()).toString()).toBe(content);
    }
    // The frame stayed on the conversation (the bucket's Content-Disposition made it a download).
    expect(frame.url()).toContain('/v1/widget/frame/');
    await frame.getByText('Your return label is attached.').waitFor({ timeout: WAIT_MS });
    expect(await frame.getByRole('alert').count()).toBe(0);
    await fresh.page.close();
  });
});
