/**
 * The shapes of outbound mail (outbound.ts): the send record, its store (a port), the dependencies and
 * the input of a send. Apart from the use case so that the message builder (outbound-message.ts) and the
 * send path share them without importing each other.
 */
import type { SenderIdentitySource } from './mailboxes.ts';
import type { Actor, MessageItem, UpdateField } from './model.ts';
import type {
  Clock,
  DirectoryStore,
  DomainEvent,
  EventPublisher,
  IdGenerator,
  MailSender,
  MailStore,
  ThreadStore,
} from './ports.ts';
import type { ReplyTokens } from './reply-token.ts';
import type { StatusTarget } from './thread-state.ts';

export type SendState = 'claimed' | 'sending' | 'sent' | 'failed';

/** One logical send. Keyed by `sendId`, so a retry of the same send finds it. */
export interface SendRecord {
  workspaceId: string;
  sendId: string;
  threadId: string;
  itemId: string;
  at: string;
  /** The Message-ID we generated (SES replaces it on the wire). */
  messageId: string;
  rawKey: string;
  from: string;
  destinations: string[];
  state: SendState;
  /** The thread's statusVersion when the send was claimed. */
  claimedStatusVersion: number;
  /** Timers only: the statusVersion that the commit sets; the mail leaves only while it still holds. */
  guardStatusVersion?: number;
  providerMessageId?: string;
  wireMessageId?: string;
  error?: string;
}

export type ClaimResult = 'claimed' | 'exists' | 'stale' | 'capped';

/**
 * Send records, cap counters and the workspace's sending address (`senderIdentity`, mailboxes.ts: the
 * thread's mailbox, its name and the signature layers).
 */
export interface SendStore extends SenderIdentitySource {
  get(workspaceId: string, sendId: string): Promise<SendRecord | null>;
  /**
   * Creates the record (state `claimed`) if absent, only while the thread's statusVersion equals
   * `guard.statusVersion` (and the thread is not closed), counting one mail per address against the cap,
   * all in one transaction.
   */
  claim(
    record: SendRecord,
    guard: { statusVersion: number },
    cap: { addresses: string[]; limit: number; windowSeconds: number; now: Date },
  ): Promise<ClaimResult>;
  /** claimed → sending; with `guard`, only while the thread's statusVersion still equals it. */
  markSending(record: SendRecord, guard?: { statusVersion: number }): Promise<'ok' | 'stale' | 'not-claimed'>;
  /** Sets the final state (sent or failed) and its details. */
  finish(
    record: SendRecord,
    patch: Pick<SendRecord, 'state'> & Partial<Pick<SendRecord, 'providerMessageId' | 'wireMessageId' | 'error'>>,
  ): Promise<void>;
}

export interface OutboundDeps {
  threads: ThreadStore;
  directory: DirectoryStore;
  mail: MailStore;
  sender: MailSender;
  sends: SendStore;
  events: EventPublisher;
  replyTokens: ReplyTokens;
  clock: Clock;
  ids: IdGenerator;
  log?: { warn(message: string, extra?: Record<string, unknown>): void };
}

export interface OutboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** An inline image: the HTML shows it as `<img src="cid:<contentId>">`. */
  contentId?: string;
}

export interface SendMessageInput {
  workspaceId: string;
  threadId: string;
  to: string[];
  cc?: string[];
  /** Blind copies: they get the mail (SES destinations) but no header names them. */
  bcc?: string[];
  /** Defaults to `Re: <thread subject>`; the `[#<ref>]` tag is added when missing. */
  subject?: string;
  /** The agent's answer as plain text: the text part, and (escaped) the HTML part when `html` is absent. */
  text: string;
  /** The agent's answer as HTML: sanitised (outbound-mime.ts) before it goes anywhere. */
  html?: string;
  attachments?: OutboundAttachment[];
  /** Quote the customer's last message under "On <date>, <name> wrote:" (default: true, but not for automated mail). */
  quote?: boolean;
  actor: Actor;
  /** Automated mail (reminders): `Auto-Submitted: auto-generated`, so auto-responders stay quiet. */
  automated?: boolean;
  /** Status after the send: reminder(1) by default (waiting when the policy has no reminders). */
  nextStatus?: StatusTarget | 'keep';
  /** The same key on a retry returns the first send's message and never sends twice. */
  idempotencyKey?: string;
}

/** Internal options of a send made by the workflow. */
export interface DeliverOptions {
  /** The send happens only while the thread's statusVersion equals this (a timer's version). */
  guardStatusVersion?: number;
  /** Extra update items committed with the message (the "reminder n sent" record). */
  extraUpdates?: Array<{ field: UpdateField; from: unknown; to: unknown }>;
  /** Extra events published once the mail is sent (reminder.sent). */
  sentEvents?: (message: MessageItem) => DomainEvent[];
}

export type DeliverOutcome =
  /** `message.delivery.state` tells sent or failed; `cancelled` when a reply superseded it before SES. */
  { kind: 'delivered'; message: MessageItem; statusVersion?: number } | { kind: 'superseded' };
