/**
 * Chat: messages that travel by the end-user widget or an integrator's own chat system rather than by
 * mail. A customer's chat message is a real reply to the status rules (it reopens a reminder or waiting
 * thread, and the new statusVersion supersedes the timers). An agent's chat message moves the status as
 * an agent's mail does, is published with its content (so an integrator's chat system can deliver it),
 * and starts the email fallback timer: unseen after the policy's minutes, it is emailed through the one
 * outbound path (reply token, threading headers), and the emailed answer lands in the same thread.
 */
import * as z from 'zod/mini';
import {
  ConcurrentUpdateError,
  DuplicateMessageError,
  ThreadClosedError,
  ThreadNotFoundError,
  ValidationError,
} from './errors.ts';
import { tokenize } from './keywords.ts';
import { statusAfterAgentMessage } from './lifecycle.ts';
import type { Actor, AttachmentMeta, Contact, MessageChannel, MessageItem, StatusPolicy, Thread } from './model.ts';
import { deliverMessage, type OutboundDeps } from './outbound.ts';
import type {
  Clock,
  DomainEvent,
  EventPublisher,
  IdGenerator,
  ThreadChange,
  ThreadStore,
  WorkflowStarter,
} from './ports.ts';
import {
  newThread,
  type StatusTarget,
  statusLabel,
  wakesOnReply,
  withMessage,
  withStatus,
  withTimerRestart,
} from './thread-state.ts';

/** Byte budgets of chat input (docs/widget.md): the text is kept whole on the item, so it is capped here. */
export const CHAT_LIMITS = {
  textChars: 20_000,
  subjectChars: 200,
  attachments: 10,
  /** An end user's upload (docs/widget.md): at most this many bytes, checked on request and again on send. */
  uploadBytes: 10 * 1024 * 1024,
  uploadFilenameChars: 200,
  /** Seconds that an upload's presigned POST stays valid. */
  uploadPostSeconds: 300,
} as const;

/** The content types an end user may upload from the widget. */
export const UPLOAD_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

export const DEFAULT_CHAT_FALLBACK_MINUTES = 10;
const MAX_ATTEMPTS = 6;

/** Delivery and read receipts of one thread's chat: each holds up to (and including) a message time. */
export interface ChatReceipts {
  deliveredAt?: string;
  readAt?: string;
}

/** The chat's own storage: receipts per thread (monotonic, so a repeated or late receipt changes nothing). */
export interface ChatStore {
  getReceipts(workspaceId: string, threadId: string): Promise<ChatReceipts>;
  /** Moves the receipt forward to `upTo` (never back); returns the receipts after. */
  recordReceipt(workspaceId: string, threadId: string, kind: 'delivered' | 'read', upTo: string): Promise<ChatReceipts>;
  /** Links a chat message and its email copy both ways (`emailedAs`, `fallbackOf`); idempotent. */
  linkFallback(chat: MessageItem, email: Pick<MessageItem, 'at' | 'itemId'>): Promise<void>;
}

export interface ChatDeps {
  threads: ThreadStore;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  log?: { warn(message: string, extra?: Record<string, unknown>): void };
}

export const channelOf = (m: Pick<MessageItem, 'channel'>): MessageChannel => m.channel ?? 'email';

/** The Message-ID of a chat message: deterministic per (contact, client message id), so a retry is a duplicate. */
export function chatMessageId(workspaceId: string, contactId: string, clientMessageId: string): string {
  return `<chat.${contactId.toLowerCase()}.${clientMessageId.toLowerCase()}@${workspaceId.toLowerCase()}.gochat>`;
}

async function publish(deps: ChatDeps, events: DomainEvent[]) {
  try {
    await deps.events.publish(events);
  } catch (e) {
    // Events notify; the thread is the record.
    deps.log?.warn('event publish failed', { types: events.map((x) => x.type), error: String(e) });
  }
}

export interface CustomerMessageInput {
  workspaceId: string;
  contact: Pick<Contact, 'contactId' | 'email' | 'name' | 'externalId'>;
  /** The customers the contact writes for: a thread must share one; a new thread gets them all. */
  customerIds: string[];
  /** An existing thread, or absent for a new one. */
  threadId?: string;
  subject?: string;
  text: string;
  channel: 'chat' | 'api';
  /** The client's id of this message: the same one again gives the same message (idempotent). */
  clientMessageId: string;
  attachments?: AttachmentMeta[];
}

export interface CustomerMessageResult {
  thread: Thread;
  message: MessageItem;
  createdThread: boolean;
  reopened: boolean;
  duplicate: boolean;
}

/** True when the contact (through one of `customerIds`) may see and write in `thread`. */
export const sharesCustomer = (thread: Pick<Thread, 'customerIds'>, customerIds: string[]) =>
  thread.customerIds.some((c) => customerIds.includes(c));

/**
 * Posts a customer's chat (or API) message: into their thread, or a new one. On a closed thread it starts
 * a new thread linked to the old one, as inbound mail does. Idempotent per `clientMessageId`.
 *
 * @throws ThreadNotFoundError when the thread is not one of the contact's customers'.
 */
export async function postCustomerMessage(deps: ChatDeps, input: CustomerMessageInput): Promise<CustomerMessageResult> {
  const ws = input.workspaceId;
  const messageId = chatMessageId(ws, input.contact.contactId, input.clientMessageId);
  const actor: Actor = { kind: 'customer', contactId: input.contact.contactId };
  for (let attempt = 0; ; attempt++) {
    let before: Thread | null = null;
    let linkedThreadId: string | undefined;
    if (input.threadId) {
      const found = await deps.threads.getThread(ws, input.threadId);
      if (!found || !sharesCustomer(found, input.customerIds))
        throw new ThreadNotFoundError(`thread ${input.threadId} not found`);
      if (found.status === 'closed') linkedThreadId = found.threadId;
      else before = found;
    }
    const known = await deps.threads.findMessageIds(ws, [messageId]);
    if (known.length > 0) return duplicateOf(deps, ws, known[0].threadId, known[0].itemId);

    const at = deps.clock.now().toISOString();
    const itemId = deps.ids.newId();
    const subject = (input.subject?.trim() || firstLine(input.text)).slice(0, CHAT_LIMITS.subjectChars);
    const base =
      before ??
      newThread({
        workspaceId: ws,
        threadId: deps.ids.newId(),
        ref: await deps.threads.nextThreadRef(ws),
        subject,
        customerIds: input.customerIds,
        at,
        ...(linkedThreadId ? { linkedThreadId } : {}),
      });
    const message: MessageItem = {
      type: 'message',
      workspaceId: ws,
      threadId: base.threadId,
      itemId,
      at,
      direction: 'inbound',
      messageId,
      from: { address: input.contact.email, ...(input.contact.name ? { name: input.contact.name } : {}) },
      to: [],
      cc: [],
      subject: base.subject,
      newText: input.text,
      text: input.text,
      classification: 'ordinary',
      flags: {},
      attachments: input.attachments ?? [],
      contactId: input.contact.contactId,
      channel: input.channel,
      actor,
    };
    let after = withMessage(base, message, input.contact);
    const items: ThreadChange['items'] = [message];
    let reopened = false;
    // A customer's chat message is a real reply: it reopens a thread that waits for the customer.
    if (wakesOnReply(after.status)) {
      const moved = withStatus(after, { status: 'open' }, { itemId: deps.ids.newId(), at, actor });
      if (moved) {
        after = moved.thread;
        items.push(moved.item);
        reopened = true;
      }
    }
    try {
      await deps.threads.commit({
        before,
        after,
        items,
        messageIds: [{ messageId, threadId: base.threadId, itemId, direction: 'inbound', dedupe: true }],
        ...(message.attachments.length ? { attachments: message.attachments.map((a) => ({ ...a, itemId })) } : {}),
      });
    } catch (e) {
      if (e instanceof DuplicateMessageError) return duplicateOf(deps, ws, e.existing.threadId, e.existing.itemId);
      if (e instanceof ConcurrentUpdateError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    const committed: Thread = { ...after, rev: (before?.rev ?? 0) + 1 };
    await deps.threads.indexKeywords(ws, base.threadId, tokenize(`${before ? '' : base.subject} ${input.text}`));
    const events: DomainEvent[] = [];
    if (!before)
      events.push({
        type: 'thread.created',
        workspaceId: ws,
        threadId: base.threadId,
        at,
        detail: {
          ref: base.ref,
          subject: base.subject,
          channel: input.channel,
          ...(linkedThreadId ? { linkedThreadId } : {}),
        },
      });
    events.push({
      type: 'message.received',
      workspaceId: ws,
      threadId: base.threadId,
      at,
      detail: { itemId, messageId, channel: input.channel, from: message.from, contactId: input.contact.contactId },
    });
    if (reopened)
      events.push({
        type: 'status.changed',
        workspaceId: ws,
        threadId: base.threadId,
        at,
        detail: {
          from: statusLabel(before ?? base),
          to: 'open',
          statusVersion: committed.statusVersion,
          actor,
        },
      });
    await publish(deps, events);
    return { thread: committed, message, createdThread: !before, reopened, duplicate: false };
  }
}

async function duplicateOf(deps: ChatDeps, ws: string, threadId: string, itemId: string) {
  const thread = await deps.threads.getThread(ws, threadId);
  if (!thread) throw new ThreadNotFoundError(`thread ${threadId} not found`);
  // The Message-ID entry names the item but not its time: read the feed until it shows (rare: a retry).
  let message: MessageItem | undefined;
  let cursor: string | undefined;
  do {
    const page = await deps.threads.listFeed(ws, threadId, { limit: 100, ...(cursor ? { cursor } : {}) });
    message = page.items.find((i): i is MessageItem => i.type === 'message' && i.itemId === itemId);
    cursor = page.cursor;
  } while (!message && cursor);
  if (!message) throw new ThreadNotFoundError(`message ${itemId} not found`);
  return { thread, message, createdThread: false, reopened: false, duplicate: true };
}

const firstLine = (text: string) => {
  const line = text.trim().split('\n', 1)[0]?.trim() ?? '';
  return line.length > 0 ? line : 'Chat';
};

export interface AgentChatInput {
  workspaceId: string;
  threadId: string;
  text: string;
  actor: Actor;
  /** The thread's mailbox's name: what the end user sees as the author when no agent names it (a key). */
  mailboxName?: string;
  policy: StatusPolicy;
  /** Status after the message: as for mail, reminder(1) by default; `keep` leaves it. */
  nextStatus?: StatusTarget | 'keep';
}

/** The fallback timer's execution: one per chat message, so a second start is a no-op. */
export function fallbackExecutionName(threadId: string, itemId: string): string {
  return `${threadId}-chat-${itemId}`;
}

export const chatFallbackInputSchema = z.object({
  action: z.literal('chatFallback'),
  workspaceId: z.string().check(z.minLength(1), z.maxLength(64)),
  threadId: z.string().check(z.minLength(1), z.maxLength(64)),
  itemId: z.string().check(z.minLength(1), z.maxLength(64)),
  at: z.string().check(z.minLength(1), z.maxLength(40)),
  delaySeconds: z.int().check(z.minimum(0)),
});
export type ChatFallbackInput = z.infer<typeof chatFallbackInputSchema>;

/**
 * An agent's message on a chat thread: committed (the status moves as for an agent's mail), published
 * with its content for the integrator's chat system, and its email fallback timer started.
 *
 * @throws ThreadNotFoundError, ThreadClosedError.
 */
export async function postAgentChatMessage(
  deps: ChatDeps & { starter: WorkflowStarter },
  input: AgentChatInput,
): Promise<MessageItem> {
  const ws = input.workspaceId;
  for (let attempt = 0; ; attempt++) {
    const before = await deps.threads.getThread(ws, input.threadId);
    if (!before) throw new ThreadNotFoundError(`thread ${input.threadId} not found`);
    if (before.status === 'closed') throw new ThreadClosedError('the thread is closed: reopen it before sending');
    const at = deps.clock.now().toISOString();
    const itemId = deps.ids.newId();
    const contact = before.latestContact;
    // The end user sees a name, never an id: the agent's, else the mailbox's.
    const author = (input.actor.kind === 'agent' ? input.actor.name : undefined) ?? input.mailboxName;
    const message: MessageItem = {
      type: 'message',
      workspaceId: ws,
      threadId: before.threadId,
      itemId,
      at,
      direction: 'outbound',
      messageId: `<chat.${itemId.toLowerCase()}@${ws.toLowerCase()}.gochat>`,
      from: { address: 'chat@gochat.invalid', ...(author ? { name: author } : {}) },
      to: contact ? [{ address: contact.email, ...(contact.name ? { name: contact.name } : {}) }] : [],
      cc: [],
      subject: before.subject,
      newText: input.text,
      text: input.text,
      classification: 'ordinary',
      flags: {},
      attachments: [],
      channel: 'chat',
      actor: input.actor,
    };
    let after = withMessage(before, message);
    const items: ThreadChange['items'] = [message];
    const target = input.nextStatus === 'keep' ? null : (input.nextStatus ?? statusAfterAgentMessage(input.policy));
    const moved = target ? withStatus(after, target, { itemId: deps.ids.newId(), at, actor: input.actor }) : null;
    if (moved) {
      after = moved.thread;
      items.push(moved.item);
    } else if (target) after = withTimerRestart(after) ?? after;
    try {
      await deps.threads.commit({
        before,
        after,
        items,
        messageIds: [{ messageId: message.messageId, threadId: before.threadId, itemId, direction: 'outbound' }],
      });
    } catch (e) {
      if (e instanceof ConcurrentUpdateError && attempt < MAX_ATTEMPTS) continue;
      throw e;
    }
    await deps.threads.indexKeywords(ws, before.threadId, tokenize(input.text));
    const events: DomainEvent[] = [
      {
        type: 'message.sent',
        workspaceId: ws,
        threadId: before.threadId,
        at,
        // The content goes with the event: an integrator's own chat system delivers it from here.
        detail: {
          itemId,
          channel: 'chat',
          text: input.text,
          to: message.to.map((a) => a.address),
          ...(contact ? { contactId: contact.contactId, externalId: contact.externalId } : {}),
          actor: input.actor,
        },
      },
    ];
    if (moved)
      events.push({
        type: 'status.changed',
        workspaceId: ws,
        threadId: before.threadId,
        at,
        detail: {
          from: statusLabel(before),
          to: statusLabel(after),
          statusVersion: after.statusVersion,
          actor: input.actor,
        },
      });
    await publish(deps, events);
    const minutes = input.policy.chatFallbackMinutes ?? DEFAULT_CHAT_FALLBACK_MINUTES;
    const fallback: ChatFallbackInput = {
      action: 'chatFallback',
      workspaceId: ws,
      threadId: before.threadId,
      itemId,
      at,
      delaySeconds: minutes * 60,
    };
    try {
      await deps.starter.start(fallbackExecutionName(before.threadId, itemId), fallback);
    } catch (e) {
      // The message is recorded and published; only its email fallback is lost, and that is logged.
      deps.log?.warn('chat fallback timer not started', { threadId: before.threadId, itemId, error: String(e) });
    }
    return message;
  }
}

export type ChatFallbackResult =
  | { outcome: 'seen' | 'superseded' | 'alreadyEmailed' | 'noContact' | 'threadClosed' }
  | { outcome: 'emailed' | 'emailFailed'; emailItemId: string; reason?: string };

/**
 * The email fallback, when the timer fires: the chat message, if the end user has not read it, is
 * emailed to the thread's contact through outbound mail (so with the reply token and In-Reply-To and
 * References), once: the send's idempotency key is the chat message's id.
 */
export async function runChatFallback(
  deps: OutboundDeps & { chat: ChatStore },
  raw: unknown,
): Promise<ChatFallbackResult> {
  const parsed = chatFallbackInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError('invalid chat fallback input', parsed.error.issues);
  const input = parsed.data;
  const message = await deps.threads.getMessage(input.workspaceId, input.threadId, input.at, input.itemId);
  if (!message || channelOf(message) !== 'chat' || message.direction !== 'outbound') return { outcome: 'superseded' };
  if (message.emailedAs) return { outcome: 'alreadyEmailed' };
  const receipts = await deps.chat.getReceipts(input.workspaceId, input.threadId);
  if (receipts.readAt && receipts.readAt >= message.at) return { outcome: 'seen' };
  const thread = await deps.threads.getThread(input.workspaceId, input.threadId);
  if (!thread) return { outcome: 'superseded' };
  if (thread.status === 'closed') return { outcome: 'threadClosed' };
  const to = message.to[0]?.address ?? thread.latestContact?.email;
  if (!to) return { outcome: 'noContact' };
  const sent = await deliverMessage(
    deps,
    {
      workspaceId: input.workspaceId,
      threadId: input.threadId,
      to: [to],
      text: message.text,
      actor: message.actor ?? { kind: 'system', id: 'workflow' },
      nextStatus: 'keep',
      idempotencyKey: `fallback-${input.itemId}`,
    },
    {},
  );
  if (sent.kind === 'superseded') return { outcome: 'superseded' };
  await deps.chat.linkFallback(message, sent.message);
  return {
    outcome: sent.message.delivery?.state === 'failed' ? 'emailFailed' : 'emailed',
    emailItemId: sent.message.itemId,
    ...(sent.message.delivery?.error ? { reason: sent.message.delivery.error } : {}),
  };
}
