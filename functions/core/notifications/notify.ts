/**
 * The notification use case: a notice (from the table's stream, or from the SLA timers) → one stored
 * notification per concerned agent whose preferences want it, and, for email, the agent's mail queue
 * of the thread with one delayed run (docs/notifications.md explains the batching).
 *
 * Idempotent under repeated delivery: a notification's id is derived from (event, source, agent), its
 * write is conditional, the mail queue is a set, and the run is a named execution per run time.
 */
import { createHash } from 'node:crypto';
import { capBytes } from '../limits.ts';
import type { Thread } from '../model.ts';
import type { Clock, ThreadStore, WorkflowStarter } from '../ports.ts';
import { channelsFor, effectivePreferences, type Notice, type NotificationPreferences, recipientsOf } from './rules.ts';
import type { AgentDirectory, Notification, NotificationStore } from './store.ts';

/** At most one notification mail per agent and thread in this window. */
export const MAIL_WINDOW_SECONDS = 300;
/** A first mail waits this long, so that a burst (three answers in a row) makes one mail, and a look in the app none. */
export const DEFAULT_GATHER_SECONDS = 60;
const SUBJECT_BYTES = 300;

export interface NotifyDeps {
  notifications: NotificationStore;
  agents: AgentDirectory;
  threads: Pick<ThreadStore, 'getThread'>;
  /**
   * Starts mail runs. Absent (the SLA step, which has no starter): the mail is only queued, and the queue's
   * stream record (pending, no run) makes the dispatcher schedule the run (notification-stream.ts).
   */
  starter?: WorkflowStarter;
  clock: Clock;
  /** Seconds a first mail waits (DEFAULT_GATHER_SECONDS). */
  gatherSeconds?: number;
  /**
   * The Inbox's address, carried to the mail run in its input: on AWS the dispatcher knows the Inbox's
   * CloudFront URL, the workflow step cannot (that would be a dependency cycle; docs/deploy.md).
   */
  inboxUrl?: string;
}

/** The input of a mail run: the lifecycle state machine waits `delaySeconds`, then the workflow step runs it. */
export interface NotifyMailInput {
  action: 'notifyMail';
  workspaceId: string;
  agentId: string;
  threadId: string;
  runAt: string;
  delaySeconds: number;
  /** The Inbox's address the mail links to; absent: the workflow step's own (`INBOX_URL`). */
  inboxUrl?: string;
}

const hash = (s: string, n: number) => createHash('sha256').update(s).digest('hex').slice(0, n);

/** Time-sorted, and the same for the same (event, source, agent): a repeat delivery writes nothing new. */
export function notificationIdOf(notice: Pick<Notice, 'at' | 'event' | 'sourceId'>, agentId: string): string {
  const time = notice.at
    .replace(/[^0-9]/g, '')
    .slice(0, 17)
    .padEnd(17, '0');
  return `${time}-${hash(`${notice.event}\u0000${notice.sourceId}\u0000${agentId}`, 16)}`;
}

/** One execution per (agent, thread, run time): starting it again is a no-op. */
export function mailRunName(threadId: string, agentId: string, runAt: string): string {
  return `notify-${threadId}-${hash(agentId, 10)}-${Date.parse(runAt)}`;
}

export interface NotifyResult {
  notified: Array<{ agentId: string; notificationId: string; channels: string[] }>;
}

/** Raises the notice for every concerned agent; returns who got what. */
export async function notify(deps: NotifyDeps, notice: Notice): Promise<NotifyResult> {
  const thread = await deps.threads.getThread(notice.workspaceId, notice.threadId);
  if (!thread || thread.mergedInto || thread.quarantined) return { notified: [] };
  // The mail that opened the thread is not an answer (ingest stamps the thread with its time): `newThread` says it.
  if (notice.event === 'answered' && notice.at === thread.createdAt) return { notified: [] };
  const workspacePrefs = await deps.notifications.getWorkspacePreferences(notice.workspaceId);
  const followers =
    notice.event === 'answered' ? await deps.notifications.followers(notice.workspaceId, notice.threadId) : [];
  let viewFollowers: Array<{ agentId: string; followedViews: NotificationPreferences['followedViews'] }> | undefined;
  const prefsOf = new Map<string, NotificationPreferences>();
  if (notice.event === 'newThread') {
    viewFollowers = [];
    for (const agent of await deps.agents.listAgents(notice.workspaceId)) {
      const prefs = effectivePreferences(
        agent.role,
        workspacePrefs,
        await deps.notifications.getAgentPreferences(notice.workspaceId, agent.agentId),
      );
      prefsOf.set(agent.agentId, prefs);
      viewFollowers.push({ agentId: agent.agentId, followedViews: prefs.followedViews });
    }
  }
  const recipients = recipientsOf(notice, {
    ...(thread.assignee ? { assignee: thread.assignee } : {}),
    followers,
    ...(viewFollowers ? { viewFollowers } : {}),
  });
  const out: NotifyResult = { notified: [] };
  for (const agentId of recipients) {
    const agent = await deps.agents.getAgent(notice.workspaceId, agentId);
    if (!agent) continue; // not (or no longer) an agent of this workspace
    const prefs =
      prefsOf.get(agentId) ??
      effectivePreferences(
        agent.role,
        workspacePrefs,
        await deps.notifications.getAgentPreferences(notice.workspaceId, agentId),
      );
    const channels = channelsFor(prefs, notice.event);
    if (channels.length === 0) continue;
    const notification = notificationOf(notice, thread, agentId, channels);
    await deps.notifications.putNotification(notification);
    if (channels.includes('email')) await queueMail(deps, notification);
    out.notified.push({ agentId, notificationId: notification.notificationId, channels });
  }
  return out;
}

function notificationOf(
  notice: Notice,
  thread: Thread,
  agentId: string,
  channels: Notification['channels'],
): Notification {
  return {
    workspaceId: notice.workspaceId,
    agentId,
    notificationId: notificationIdOf(notice, agentId),
    threadId: notice.threadId,
    event: notice.event,
    at: notice.at,
    sourceId: notice.sourceId,
    ...(notice.actor ? { actor: notice.actor } : {}),
    subject: capBytes(thread.subject, SUBJECT_BYTES),
    threadRef: thread.ref,
    ...(notice.excerpt ? { excerpt: notice.excerpt } : {}),
    channels,
  };
}

/**
 * Puts the notification in the agent's mail queue of the thread and makes sure one run will mail it:
 * the first of a quiet thread after the gathering delay, a later one no sooner than 5 minutes after the
 * last mail. A run already scheduled takes it along; its execution is started again (a no-op by name),
 * so a start lost to a crash is made good by the stream's retry.
 */
export async function queueMail(
  deps: NotifyDeps,
  n: Pick<Notification, 'workspaceId' | 'agentId' | 'threadId' | 'notificationId'>,
) {
  const queue = await deps.notifications.enqueueMail(n.workspaceId, n.agentId, n.threadId, n.notificationId);
  if (deps.starter)
    await ensureMailRun({ ...deps, starter: deps.starter }, n.workspaceId, n.agentId, n.threadId, queue);
}

export async function ensureMailRun(
  deps: Pick<NotifyDeps, 'notifications' | 'clock' | 'gatherSeconds' | 'inboxUrl'> & { starter: WorkflowStarter },
  workspaceId: string,
  agentId: string,
  threadId: string,
  queue: { pending: string[]; runAt?: string; lastMailAt?: string },
): Promise<string | null> {
  if (queue.pending.length === 0 && !queue.runAt) return null;
  const now = deps.clock.now().getTime();
  let runAt = queue.runAt;
  if (!runAt) {
    const gather = now + (deps.gatherSeconds ?? DEFAULT_GATHER_SECONDS) * 1000;
    const windowEnd = queue.lastMailAt ? Date.parse(queue.lastMailAt) + MAIL_WINDOW_SECONDS * 1000 : 0;
    runAt = await deps.notifications.scheduleMailRun(
      workspaceId,
      agentId,
      threadId,
      new Date(Math.max(gather, windowEnd)).toISOString(),
    );
  }
  const input: NotifyMailInput = {
    action: 'notifyMail',
    workspaceId,
    agentId,
    threadId,
    runAt,
    delaySeconds: Math.max(0, Math.ceil((Date.parse(runAt) - now) / 1000)),
    ...(deps.inboxUrl ? { inboxUrl: deps.inboxUrl } : {}),
  };
  await deps.starter.start(mailRunName(threadId, agentId, runAt), input);
  return runAt;
}
