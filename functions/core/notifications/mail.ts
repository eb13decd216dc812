/**
 * The notification mail: when a mail run's Wait ends, the agent's queued notifications of one thread
 * that they have not seen in the app go out as ONE mail, to the agent's own address, from a no-reply
 * sender, as text and HTML, with a link to the thread in the Inbox. It is never a message of the thread
 * and never goes to anyone but the agent.
 *
 * What arrived while a run worked stays queued; the queue's change comes back through the table's
 * stream, where the dispatcher schedules the next run (notification-stream.ts), so this step never
 * starts executions itself.
 */
import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import type { Clock, MailSender, ThreadStore } from '../ports.ts';
import type { NotificationEvent } from './rules.ts';
import type { AgentDirectory, Notification, NotificationStore } from './store.ts';

export const notifyMailInputSchema = z.object({
  action: z.literal('notifyMail'),
  workspaceId: z.string().check(z.minLength(1), z.maxLength(64)),
  agentId: z.string().check(z.minLength(1), z.maxLength(128)),
  threadId: z.string().check(z.minLength(1), z.maxLength(64)),
  runAt: z.string().check(z.minLength(1), z.maxLength(40)),
  delaySeconds: z.int().check(z.minimum(0)),
  inboxUrl: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export interface NotifyMailDeps {
  notifications: NotificationStore;
  agents: AgentDirectory;
  threads: Pick<ThreadStore, 'getThread'>;
  /** The agent's read marker of a thread (opened up to that message time). */
  readMarkers(workspaceId: string, threadIds: string[], agentId: string): Promise<Map<string, string>>;
  sender: MailSender;
  clock: Clock;
  /** The no-reply From address, e.g. `Go!Chat <no-reply@example.com>`. */
  from: string;
  /** The Inbox's address: the mail links to `<inboxUrl>/inbox/<threadId>`, the thread's route in the Inbox. */
  inboxUrl: string;
}

export type NotifyMailResult =
  | { outcome: 'superseded' | 'seen' | 'alreadySent' | 'noAddress' }
  | { outcome: 'mailed'; count: number; mailId: string };

/** True when the agent has seen the notification in the app: read in the bell, or the thread opened after it. */
export function seenInApp(n: Notification, seenAt: string | undefined, readMarker: string | undefined): boolean {
  if (n.readAt) return true;
  if (seenAt && seenAt >= n.at) return true;
  // The read marker holds the time of the last message the agent opened: it covers a customer's answer.
  return n.event === 'answered' && readMarker !== undefined && readMarker >= n.at;
}

export async function runNotifyMail(deps: NotifyMailDeps, raw: unknown): Promise<NotifyMailResult> {
  const parsed = notifyMailInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('invalid notification mail input', parsed.error.issues);
  const { workspaceId, agentId, threadId, runAt, inboxUrl } = parsed.data;
  const queue = await deps.notifications.getMailQueue(workspaceId, agentId, threadId);
  if (!queue || queue.runAt !== runAt) return { outcome: 'superseded' };
  const mailId = `notify-${threadId}-${agentId}-${Date.parse(runAt)}`;
  const queued = await deps.notifications.getNotifications(workspaceId, agentId, queue.pending);
  const marker = (await deps.readMarkers(workspaceId, [threadId], agentId)).get(threadId);
  const unseen = queued.filter((n) => !n.emailedAt && !seenInApp(n, queue.seenAt, marker));
  const agent = unseen.length ? await deps.agents.getAgent(workspaceId, agentId) : null;
  const thread = unseen.length ? await deps.threads.getThread(workspaceId, threadId) : null;
  const ids = queue.pending;
  if (!agent || !thread || unseen.length === 0) {
    const done = await deps.notifications.finishMailRun(workspaceId, agentId, threadId, { runAt, ids });
    if (!done) return { outcome: 'superseded' };
    return { outcome: unseen.length === 0 ? 'seen' : 'noAddress' };
  }
  const now = deps.clock.now().toISOString();
  // Claimed before it is sent: a repeated run (a retried Task) finds the claim and never sends twice.
  if (!(await deps.notifications.claimMail(workspaceId, mailId, now))) {
    await deps.notifications.finishMailRun(workspaceId, agentId, threadId, { runAt, ids, mailedAt: now });
    return { outcome: 'alreadySent' };
  }
  const mail = renderNotificationMail({
    agentName: agent.name,
    subject: thread.subject,
    ref: thread.ref,
    link: threadLink(inboxUrl ?? deps.inboxUrl, threadId),
    notifications: unseen,
  });
  const raw2 = await composeMail({ from: deps.from, to: agent.email, mailId, ...mail });
  const sent = await deps.sender.sendRaw({ raw: raw2, from: addressOf(deps.from), destinations: [agent.email] });
  await deps.notifications.markMailSent(workspaceId, mailId, sent.providerMessageId);
  await deps.notifications.markEmailed(
    workspaceId,
    agentId,
    unseen.map((n) => n.notificationId),
    now,
  );
  await deps.notifications.finishMailRun(workspaceId, agentId, threadId, { runAt, ids, mailedAt: now });
  return { outcome: 'mailed', count: unseen.length, mailId };
}

export const threadLink = (inboxUrl: string, threadId: string) =>
  `${inboxUrl.replace(/\/+$/, '')}/inbox/${encodeURIComponent(threadId)}`;

const addressOf = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from;

const LABELS: Record<NotificationEvent, string> = {
  assigned: 'assigned this thread to you',
  answered: 'The customer answered',
  mentioned: 'mentioned you',
  newThread: 'New thread',
  slaWarning: 'SLA warning: a target is close',
  slaBreach: 'SLA breached: a target was missed',
};

function line(n: Notification): string {
  // Assignment on arrival (core/assignment.ts) is the system's, not "Someone"'s.
  if (n.event === 'assigned' && n.actor?.kind === 'system' && n.actor.id === 'assignment')
    return 'This new thread was assigned to you (round-robin among the available agents)';
  const who =
    n.actor?.kind === 'agent'
      ? (n.actor.name ?? n.actor.id)
      : n.actor?.kind === 'integration'
        ? 'An integration'
        : 'Go!Chat';
  const what = n.event === 'assigned' || n.event === 'mentioned' ? `${who} ${LABELS[n.event]}` : LABELS[n.event];
  return n.excerpt ? `${what}: “${n.excerpt}”` : what;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The mail's subject, text and HTML: plain, accessible, the same content in both. */
export function renderNotificationMail(input: {
  agentName: string;
  subject: string;
  ref: string;
  link: string;
  notifications: Notification[];
}): { subject: string; text: string; html: string } {
  const sorted = [...input.notifications].sort((a, b) => (a.at < b.at ? -1 : 1));
  const count = sorted.length;
  const subject = `[Go!Chat] ${count === 1 ? headline(sorted[0]) : `${count} updates`}: ${input.subject} [#${input.ref}]`;
  const lines = sorted.map(line);
  const text = [
    `Hello ${input.agentName},`,
    '',
    `${count === 1 ? 'There is news' : `There are ${count} updates`} on "${input.subject}" [#${input.ref}]:`,
    '',
    ...lines.map((l) => `- ${l}`),
    '',
    `Open the thread: ${input.link}`,
    '',
    // RFC 3676's signature separator ("-- "): clients grey out or trim what follows.
    '-- ',
    'Go!Chat sent this notification to you only; the customer does not see it.',
    'Do not reply to it: answer in the Inbox.',
    'To choose which notifications you get by email, change your preferences in the Inbox.',
  ].join('\n');
  // A plain layout that mail clients render alike: inline styles, fixed light colours (as outbound HTML).
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#ffffff;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px;line-height:1.5;color:#1f2328">
<div style="max-width:36em">
<p style="margin:0 0 16px">Hello ${escapeHtml(input.agentName)},</p>
<p style="margin:0 0 8px">${count === 1 ? 'There is news' : `There are ${count} updates`} on <strong>${escapeHtml(input.subject)}</strong> <span style="color:#57606a">[#${escapeHtml(input.ref)}]</span>:</p>
<ul style="margin:0 0 20px;padding-left:1.25em">${lines.map((l) => `<li style="margin:4px 0">${escapeHtml(l)}</li>`).join('')}</ul>
<p style="margin:0 0 24px;font-size:18px;font-weight:600"><a href="${escapeHtml(input.link)}">Open the thread in the Inbox</a></p>
<hr style="border:0;border-top:1px solid #d0d7de;margin:0 0 12px">
<p style="margin:0;font-size:14px;color:#57606a">Go!Chat sent this notification to you only; the customer does not see it.<br>
Do not reply to it: answer in the Inbox.<br>
To choose which notifications you get by email, change your preferences in the Inbox.</p>
</div></body></html>`;
  return { subject, text, html };
}

function headline(n: Notification): string {
  if (n.event === 'answered') return 'The customer answered';
  if (n.event === 'mentioned') return 'You were mentioned';
  if (n.event === 'assigned') return 'Assigned to you';
  if (n.event === 'newThread') return 'New thread';
  return n.event === 'slaBreach' ? 'SLA breached' : 'SLA warning';
}

/** Built by nodemailer's MIME builder (loaded on first use): multipart/alternative, automated, no reply path. */
async function composeMail(input: {
  from: string;
  to: string;
  mailId: string;
  subject: string;
  text: string;
  html: string;
}) {
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const domain = addressOf(input.from).split('@')[1] ?? 'gochat.invalid';
  return new MailComposer({
    from: input.from,
    to: input.to,
    subject: input.subject,
    text: input.text,
    html: input.html,
    messageId: `<${input.mailId}@${domain}>`,
    headers: {
      // RFC 3834: automated, so that auto-responders stay silent; no thread token, so a reply threads nowhere.
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-GoChat-Notification': 'true',
    },
  })
    .compile()
    .build();
}
