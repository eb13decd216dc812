/**
 * Pure transitions of a thread's state and card. Ingest, the API and the workflow all change threads
 * through these, so the card and the counters mean the same thing whoever writes.
 */
import { LIMITS } from './limits.ts';
import type { Actor, Contact, MessageItem, Thread, ThreadStatus, UpdateField, UpdateItem } from './model.ts';

const SNIPPET_LENGTH = LIMITS.snippetChars;
/** References are capped so the thread item stays far below DynamoDB's 400 KB. */
const MAX_REFERENCES = LIMITS.threadReferences;

export interface StatusTarget {
  status: ThreadStatus;
  /** 1-based, for status `reminder` only. */
  reminderIndex?: number;
  /** For status `snoozed` only: when the thread comes back. */
  snoozedUntil?: string;
}

/** Statuses that a customer's real reply ends (back to open): waiting for the customer, or snoozed. */
export function wakesOnReply(status: ThreadStatus): boolean {
  return status === 'reminder' || status === 'waiting' || status === 'snoozed';
}

/** `open`, `reminder(2)`, `waiting`, `closed`: the form the feed and the API show. */
export function statusLabel(t: StatusTarget): string {
  return t.status === 'reminder' ? `reminder(${t.reminderIndex ?? 1})` : t.status;
}

export function newThread(input: {
  workspaceId: string;
  threadId: string;
  ref: string;
  subject: string;
  customerIds: string[];
  at: string;
  linkedThreadId?: string;
  mailbox?: string;
}): Thread {
  return {
    workspaceId: input.workspaceId,
    threadId: input.threadId,
    ref: input.ref,
    subject: input.subject,
    customerIds: [...new Set(input.customerIds)],
    status: 'open',
    statusVersion: 1,
    rev: 0,
    snippet: '',
    tags: [],
    hasAttachments: false,
    attachmentNames: [],
    messageCount: 0,
    itemCount: 0,
    references: [],
    ...(input.linkedThreadId ? { linkedThreadId: input.linkedThreadId } : {}),
    ...(input.mailbox ? { mailbox: input.mailbox } : {}),
    createdAt: input.at,
    updatedAt: input.at,
  };
}

const later = (a: string | undefined, b: string) => (a && a > b ? a : b);

/**
 * Adds a message to the thread's card and counters. `contact` is the sender's contact (inbound mail):
 * the card shows its name and external id, the From display name standing in for a contact with no name.
 */
export function withMessage(
  thread: Thread,
  message: MessageItem,
  contact?: Pick<Contact, 'contactId' | 'name' | 'externalId'>,
): Thread {
  const names = [...thread.attachmentNames];
  for (const a of message.attachments) if (!a.inline && !names.includes(a.filename)) names.push(a.filename);
  const isLatest = !thread.lastMessageAt || message.at >= thread.lastMessageAt;
  const references = [...thread.references, message.messageId].slice(-MAX_REFERENCES);
  // A customer's real message (not automated, not from an unverified sender) is the one the next answer quotes.
  const fromCustomer =
    message.direction === 'inbound' &&
    message.classification === 'ordinary' &&
    !message.flags.unverifiedSender &&
    (!thread.lastCustomerMessage || message.at >= thread.lastCustomerMessage.at);
  return {
    ...thread,
    messageCount: thread.messageCount + 1,
    itemCount: thread.itemCount + 1,
    hasAttachments: thread.hasAttachments || message.attachments.some((a) => !a.inline),
    attachmentNames: names.slice(0, LIMITS.cardAttachmentNames),
    lastMessageAt: later(thread.lastMessageAt, message.at),
    updatedAt: later(thread.updatedAt, message.at),
    references,
    ...(fromCustomer
      ? { lastCustomerMessage: { at: message.at, itemId: message.itemId, channel: message.channel ?? 'email' } }
      : {}),
    ...(isLatest
      ? {
          snippet: message.newText.replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH),
          lastMessageId: message.messageId,
          latestContact:
            message.direction === 'inbound' && message.contactId
              ? latestContactOf(message, message.contactId, contact)
              : thread.latestContact,
        }
      : {}),
  };
}

function latestContactOf(
  message: MessageItem,
  contactId: string,
  contact: Pick<Contact, 'contactId' | 'name' | 'externalId'> | undefined,
): NonNullable<Thread['latestContact']> {
  const known = contact?.contactId === contactId ? contact : undefined;
  const name = known?.name || message.from.name;
  return {
    contactId,
    email: message.from.address,
    ...(name ? { name } : {}),
    ...(known?.externalId ? { externalId: known.externalId } : {}),
  };
}

/** Counts a comment or update in the card. */
export function withItem(thread: Thread, at: string): Thread {
  return { ...thread, itemCount: thread.itemCount + 1, updatedAt: later(thread.updatedAt, at) };
}

/** An update item for the feed (the audit trail). */
export function updateItem(
  thread: Thread,
  input: { itemId: string; at: string; actor: Actor; field: UpdateField; from: unknown; to: unknown },
): UpdateItem {
  return { type: 'update', workspaceId: thread.workspaceId, threadId: thread.threadId, ...input };
}

/**
 * A status change: increments `statusVersion` (which supersedes any running timer) and records an
 * update. Returns null when the thread already has that status, so repeats write nothing.
 */
export function withStatus(
  thread: Thread,
  target: StatusTarget,
  input: { itemId: string; at: string; actor: Actor },
): { thread: Thread; item: UpdateItem } | null {
  const reminderIndex = target.status === 'reminder' ? (target.reminderIndex ?? 1) : undefined;
  const snoozedUntil = target.status === 'snoozed' ? target.snoozedUntil : undefined;
  if (thread.status === target.status && thread.reminderIndex === reminderIndex && thread.snoozedUntil === snoozedUntil)
    return null;
  const item = updateItem(thread, {
    ...input,
    field: 'status',
    from: statusLabel(thread),
    to: statusLabel({ status: target.status, reminderIndex }),
  });
  const { reminderIndex: _old, snoozedUntil: _until, ...rest } = thread;
  return {
    thread: {
      ...withItem(rest as Thread, input.at),
      status: target.status,
      ...(reminderIndex ? { reminderIndex } : {}),
      ...(snoozedUntil ? { snoozedUntil } : {}),
      statusVersion: thread.statusVersion + 1,
    },
    item,
  };
}

/**
 * Restarts the timer of a thread that stays in `reminder` or `waiting` (an agent's second message):
 * a new statusVersion supersedes the running execution and starts one counting from now, without a
 * status update in the feed. Null for a status without a timer.
 */
export function withTimerRestart(thread: Thread): Thread | null {
  if (thread.status !== 'reminder' && thread.status !== 'waiting') return null;
  return { ...thread, statusVersion: thread.statusVersion + 1 };
}
