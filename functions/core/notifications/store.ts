/**
 * The ports of notifications: where notification items, preferences, follows and the per-thread mail
 * queue are kept (functions/adapters/dynamo/notification-store.ts), and what they look like.
 */
import type { Actor } from '../model.ts';
import type { Page } from '../ports.ts';
import type { NotificationChannel, NotificationEvent, PreferencesPatch } from './rules.ts';

/** One notification of one agent: an item of the bell, and the unit of the mail batching. */
export interface Notification {
  workspaceId: string;
  agentId: string;
  /** `<time>-<hash of event, source and agent>`: time-sorted, and the same for a repeat delivery. */
  notificationId: string;
  threadId: string;
  event: NotificationEvent;
  at: string;
  sourceId: string;
  actor?: Actor;
  /** The thread's subject and ref when it was raised (capped). */
  subject: string;
  threadRef?: string;
  excerpt?: string;
  channels: NotificationChannel[];
  readAt?: string;
  emailedAt?: string;
}

/** The mail queue of one agent on one thread: what waits for the next mail, and when that mail may go. */
export interface MailQueue {
  /** Notification ids not yet mailed (or found seen). */
  pending: string[];
  /** The time of the run that will mail them, when one is scheduled. */
  runAt?: string;
  lastMailAt?: string;
  /** The agent opened the thread in the app at this time. */
  seenAt?: string;
}

export interface NotificationStore {
  getAgentPreferences(workspaceId: string, agentId: string): Promise<PreferencesPatch | undefined>;
  putAgentPreferences(workspaceId: string, agentId: string, prefs: PreferencesPatch): Promise<void>;
  getWorkspacePreferences(workspaceId: string): Promise<PreferencesPatch | undefined>;
  putWorkspacePreferences(workspaceId: string, prefs: PreferencesPatch): Promise<void>;

  /** Writes the notification unless it exists; false for a repeat (same id). */
  putNotification(n: Notification): Promise<boolean>;
  getNotifications(workspaceId: string, agentId: string, ids: string[]): Promise<Notification[]>;
  listNotifications(
    workspaceId: string,
    agentId: string,
    page: { limit: number; cursor?: string; unread?: boolean; event?: NotificationEvent },
  ): Promise<Page<Notification>>;
  /** Unread in-app notifications, counted up to `cap` (the bell shows "cap+" past it). */
  countUnread(workspaceId: string, agentId: string, cap: number): Promise<number>;
  /** Marks notifications read (idempotent: an earlier readAt stays); returns those that exist. */
  markRead(workspaceId: string, agentId: string, ids: string[], at: string): Promise<number>;
  markEmailed(workspaceId: string, agentId: string, ids: string[], at: string): Promise<void>;

  follow(workspaceId: string, threadId: string, agentId: string, at: string): Promise<void>;
  followers(workspaceId: string, threadId: string): Promise<string[]>;

  /** Adds a notification to the agent's mail queue of the thread (a set: idempotent); the queue after it. */
  enqueueMail(workspaceId: string, agentId: string, threadId: string, notificationId: string): Promise<MailQueue>;
  getMailQueue(workspaceId: string, agentId: string, threadId: string): Promise<MailQueue | undefined>;
  /** Sets the run time when none is set; the run time in place after it (ours or an earlier one). */
  scheduleMailRun(workspaceId: string, agentId: string, threadId: string, runAt: string): Promise<string>;
  /**
   * Ends the run `runAt`: removes `ids` from the queue and clears the run, and with `mailedAt`, records
   * the mail. False when the queue's run is another one (a stale or repeated run).
   */
  finishMailRun(
    workspaceId: string,
    agentId: string,
    threadId: string,
    input: { runAt: string; ids: string[]; mailedAt?: string },
  ): Promise<boolean>;
  /** The agent opened the thread: notifications of it until now count as seen (only when a queue exists). */
  markThreadSeen(workspaceId: string, agentId: string, threadId: string, at: string): Promise<void>;
  /** Claims the one mail of a run; false when it was claimed before (a retry: never sent twice). */
  claimMail(workspaceId: string, mailId: string, at: string): Promise<boolean>;
  markMailSent(workspaceId: string, mailId: string, providerMessageId: string): Promise<void>;
}

/** Who the agents are: their address and role (the agent store). */
export interface AgentDirectory {
  getAgent(
    workspaceId: string,
    agentId: string,
  ): Promise<{ agentId: string; email: string; name: string; role: string } | null>;
  listAgents(workspaceId: string): Promise<Array<{ agentId: string; email: string; name: string; role: string }>>;
}
