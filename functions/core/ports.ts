/**
 * The ports through which the core reaches the world. The AWS adapters in `functions/adapters`
 * implement them; locally the same adapters point at local endpoints.
 */
import type { AttachmentMeta, Contact, FeedItem, MessageItem, Thread, WorkspaceSettings } from './model.ts';

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  /** A new, time-sortable, unique id (ULID). */
  newId(): string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  cursor?: string;
}

export interface MessageIdEntry {
  messageId: string;
  threadId: string;
  itemId: string;
  direction: 'inbound' | 'outbound';
  /** Inbound: a hash of the mail's content, to tell a repeat delivery from a reused Message-ID. */
  contentHash?: string;
  /** Inbound: the message was inert (unverified sender, quarantined): a repeat re-runs no side effect. */
  inert?: boolean;
  /** Outbound: the addresses it was sent to, so that a bounce counts only for those. */
  sentTo?: string[];
}

/**
 * One atomic change to a thread: the thread's new state, the feed items it adds and the index
 * entries they need. The store writes it in one transaction, conditioned on `before.rev`
 * (or on the thread not existing when `before` is null), and keeps the list entries in step.
 */
export interface ThreadChange {
  before: Thread | null;
  /** `rev` is set by the store (before.rev + 1, or 1). */
  after: Thread;
  items: FeedItem[];
  /**
   * Message-ID index entries. An entry flagged `dedupe` must not exist yet: if it does, the whole
   * change is refused with DuplicateMessageError (a second delivery of the same mail).
   */
  messageIds?: Array<MessageIdEntry & { dedupe?: boolean }>;
  /** Attachment metadata items (for direct download by id). */
  attachments?: Array<AttachmentMeta & { itemId: string }>;
}

export interface ThreadStore {
  getThread(workspaceId: string, threadId: string): Promise<Thread | null>;
  findThreadIdByRef(workspaceId: string, ref: string): Promise<string | null>;
  /** Known Message-IDs among `messageIds` (one BatchGet). */
  findMessageIds(workspaceId: string, messageIds: string[]): Promise<MessageIdEntry[]>;
  /** Allocates the next short thread reference of the workspace. */
  nextThreadRef(workspaceId: string): Promise<string>;
  /** Throws ConcurrentUpdateError when `before.rev` is stale, DuplicateMessageError on a dedupe hit. */
  commit(change: ThreadChange): Promise<void>;
  /** Records search tokens for a thread (idempotent). */
  indexKeywords(workspaceId: string, threadId: string, tokens: string[]): Promise<void>;
  listFeed(workspaceId: string, threadId: string, page: { limit: number; cursor?: string }): Promise<Page<FeedItem>>;
  getMessage(workspaceId: string, threadId: string, at: string, itemId: string): Promise<MessageItem | null>;
  /** Sets the delivery state of an outbound message (idempotent overwrite of that attribute). */
  setDelivery(
    workspaceId: string,
    threadId: string,
    at: string,
    itemId: string,
    delivery: NonNullable<MessageItem['delivery']>,
  ): Promise<void>;
}

export interface DirectoryStore {
  /** Workspace that owns an inbound address, or null when the address is unknown. */
  routeAddress(address: string): Promise<string | null>;
  getSettings(workspaceId: string): Promise<WorkspaceSettings>;
  findContactByEmail(workspaceId: string, email: string): Promise<Contact | null>;
  customerIdsOfContact(workspaceId: string, contactId: string): Promise<string[]>;
  /**
   * Creates a contact for an unknown address, with a customer marked as created automatically and
   * their link, in one transaction. Idempotent: when the address is already known (a concurrent or
   * repeated delivery), it returns the existing contact and its customers instead.
   */
  ensureContact(
    workspaceId: string,
    input: { email: string; name?: string; contactId: string; customerId: string; at: string },
  ): Promise<{ contact: Contact; customerIds: string[]; created: boolean }>;
  markContactFailing(workspaceId: string, email: string, reason: string, at: string): Promise<void>;
  /** Real mail arrived from the address: it is not failing any more (idempotent). */
  clearContactFailing(workspaceId: string, email: string, at: string): Promise<void>;
  /** Keeps mail that no inbound address matched. */
  recordUnroutable(input: { sesMessageId: string; rawKey: string; recipients: string[]; at: string }): Promise<void>;
}

export interface MailStore {
  getRaw(key: string): Promise<Buffer>;
  putObject(key: string, body: Buffer, contentType: string): Promise<void>;
  /** A short-lived download URL for an attachment. */
  presignDownload(key: string, filename: string, expiresSeconds: number): Promise<string>;
}

export interface MailSender {
  /** Sends raw MIME; returns the provider's message id (SES MessageId). */
  sendRaw(input: { raw: Buffer; from: string; destinations: string[] }): Promise<{ providerMessageId: string }>;
  /** The Message-ID that the provider puts on the wire for `providerMessageId`. */
  wireMessageId(providerMessageId: string): string;
}

export interface WorkflowStarter {
  /** Starts the lifecycle execution `name`; starting an existing name is a no-op. */
  start(name: string, input: unknown): Promise<void>;
  /** Best-effort stop of a superseded execution. */
  stop(name: string): Promise<void>;
}

export type DomainEvent =
  | { type: 'thread.created'; workspaceId: string; threadId: string; at: string; detail: Record<string, unknown> }
  | { type: 'message.received'; workspaceId: string; threadId: string; at: string; detail: Record<string, unknown> }
  | { type: 'message.sent'; workspaceId: string; threadId: string; at: string; detail: Record<string, unknown> }
  | { type: 'status.changed'; workspaceId: string; threadId: string; at: string; detail: Record<string, unknown> }
  | { type: 'reminder.sent'; workspaceId: string; threadId: string; at: string; detail: Record<string, unknown> };

export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
