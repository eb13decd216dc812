/**
 * docs/notification-mail.png: a real notification mail, as the workflow step builds it (runNotifyMail →
 * the MIME that SES would get), parsed back like a mail client does, its HTML part and its text part side by
 * side in Debian's Chromium (as test/browser drives it).
 *
 *   npx tsx web/scripts/notification-mail-screenshot.ts
 */
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import PostalMime from 'postal-mime';
import type { Thread } from '../../functions/core/model.ts';
import { runNotifyMail } from '../../functions/core/notifications/mail.ts';
import type { Notification } from '../../functions/core/notifications/store.ts';
import { REPO_ROOT } from '../../lib/paths.ts';
import { CHROMIUM } from '../../test/browser/harness.ts';

const WS = 'ws-demo';
const THREAD = '01JEX4R7Q2N8W6ZK3D5B9HT1AC';
const RUN_AT = '2026-12-07T09:14:00.000Z';
const base = {
  workspaceId: WS,
  agentId: 'ana',
  threadId: THREAD,
  subject: 'Invoice 2026-118 is wrong',
  threadRef: 'K7Q2',
};
const notifications: Notification[] = [
  {
    ...base,
    notificationId: 'n1',
    event: 'assigned',
    at: '2026-12-07T09:02:11.000Z',
    sourceId: 'i1',
    actor: { kind: 'system', id: 'assignment' },
    channels: ['app', 'browser', 'email'],
  },
  {
    ...base,
    notificationId: 'n2',
    event: 'answered',
    at: '2026-12-07T09:09:40.000Z',
    sourceId: 'i2',
    excerpt: 'I was charged twice for the November plan, and the VAT number on the invoice is not ours.',
    channels: ['app', 'browser', 'email'],
  },
  {
    ...base,
    notificationId: 'n3',
    event: 'mentioned',
    at: '2026-12-07T09:12:05.000Z',
    sourceId: 'i3',
    actor: { kind: 'agent', id: 'rea', name: 'Rea Okafor' },
    excerpt: '@Ana could you check the duplicate charge with billing?',
    channels: ['app', 'browser', 'email'],
  },
];

let raw: Buffer | undefined;
const out = await runNotifyMail(
  {
    notifications: {
      getMailQueue: async () => ({ pending: notifications.map((n) => n.notificationId), runAt: RUN_AT }),
      getNotifications: async () => notifications,
      claimMail: async () => true,
      markMailSent: async () => {},
      markEmailed: async () => {},
      finishMailRun: async () => true,
    } as never,
    agents: {
      getAgent: async () => ({
        workspaceId: WS,
        agentId: 'ana',
        name: 'Ana Silva',
        email: 'ana@acme.example',
        role: 'agent',
        createdAt: RUN_AT,
      }),
    } as never,
    threads: { getThread: async () => ({ threadId: THREAD, subject: base.subject, ref: base.threadRef }) as Thread },
    readMarkers: async () => new Map(),
    sender: {
      sendRaw: async (input) => {
        raw = input.raw;
        return { providerMessageId: 'demo' };
      },
      wireMessageId: (id) => `<${id}@email.amazonses.com>`,
    },
    clock: { now: () => new Date(RUN_AT) },
    from: 'Go!Chat <no-reply@support.acme.example>',
    inboxUrl: 'https://inbox.acme.example',
  },
  { action: 'notifyMail', workspaceId: WS, agentId: 'ana', threadId: THREAD, runAt: RUN_AT, delaySeconds: 0 },
);
if (out.outcome !== 'mailed' || !raw) throw new Error(`no mail: ${out.outcome}`);
const mail = await PostalMime.parse(raw);
if (!mail.html || !mail.text) throw new Error('the mail lacks its HTML or its text part');

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const header = (name: string, value: string) => `<div><span class="k">${name}</span> ${esc(value)}</div>`;
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
body{margin:0;font-family:system-ui,sans-serif;background:#f6f8fa;color:#1f2328}
.head{padding:16px 24px;background:#fff;border-bottom:1px solid #d0d7de;font-size:14px;line-height:1.6}
.head .k{display:inline-block;width:7em;color:#57606a}
.parts{display:grid;grid-template-columns:1fr 1fr;gap:16px;padding:16px 24px}
figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:6px;overflow:hidden}
figcaption{padding:6px 12px;font-size:12px;color:#57606a;border-bottom:1px solid #d0d7de;background:#f6f8fa}
iframe{border:0;width:100%;height:520px;display:block}
pre{margin:0;padding:16px;font-size:13px;line-height:1.5;white-space:pre-wrap;height:488px}
</style></head><body>
<div class="head">
${header('From', `${mail.from?.name ?? ''} <${mail.from?.address}>`)}
${header('To', mail.to?.map((a) => a.address).join(', ') ?? '')}
${header('Subject', mail.subject ?? '')}
${header(
  'Headers',
  mail.headers
    .filter((h) => /^(auto-submitted|x-auto-response-suppress)$/i.test(h.key))
    .map((h) => `${h.key}: ${h.value}`)
    .join(' · '),
)}
</div>
<div class="parts">
<figure><figcaption>text/html part</figcaption><iframe title="HTML part" srcdoc="${esc(mail.html)}"></iframe></figure>
<figure><figcaption>text/plain part</figcaption><pre>${esc(mail.text)}</pre></figure>
</div></body></html>`;

if (!CHROMIUM) throw new Error('Chromium is missing: run scripts/ensure-chromium.sh');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  const tab = await context.newPage();
  await tab.setContent(page, { waitUntil: 'load' });
  const file = join(REPO_ROOT, 'docs', 'notification-mail.png');
  await tab.screenshot({ path: file, fullPage: true });
  console.log(`wrote ${file}\n\n${mail.subject}\n\n${mail.text}`);
} finally {
  await browser.close();
}
