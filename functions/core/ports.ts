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
  /** Empty for a placeholder. */
  itemId: string;
  direction: 'inbound' | 'outbound';
  /** Inbound: a hash of the mail's content, to tell a repeat delivery from a reused Message-ID. */
  contentHash?: string;
  /** Inbound: the message was inert (unverified sender, quarantined): a repeat re-runs no side effect. */
  inert?: boolean;
  /** Outbound: the addresses it was sent to, so that a bounce counts only for those. */
  sentTo?: string[];
  /**
   * A Message-ID that some mail of `threadId` named in In-Reply-To/References before the mail itself
   * arrived (JWZ's empty container): the mail, when it comes, joins that thread.
   */
  placeholder?: boolean;
}

/** A Message-ID entry to write with a change, and the condition that guards it. */
export type MessageIdWrite = MessageIdEntry & {
  /** Must not exist as a real entry: if it does, the whole change is refused with DuplicateMessageError. */
  dedupe?: boolean;
  /** With `dedupe`: the placeholder (of this thread) that was read, and that this entry replaces. */
  replacesPlaceholderOf?: string;
};

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
  messageIds?: MessageIdWrite[];
  /** Attachment metadata items (for direct download by id). */
  attachments?: Array<AttachmentMeta & { itemId: string }>;
  /** Search tokens of the thread: in the transaction while it has room, else written right after it. */
  keywords?: string[];
}

/**
 * A merge of `merged` into `survivor`: both threads change in one transaction, each conditioned on the
 * `rev` that was read, and the merged thread's list entries disappear.
 */
export interface MergeChange {
  survivorBefore: Thread;
  survivorAfter: Thread;
  mergedBefore: Thread;
  mergedAfter: Thread;
  /** Feed items of the merge (an update in each thread). */
  items: FeedItem[];
}

export interface ThreadStore {
  getThread(workspaceId: string, threadId: string): Promise<Thread | null>;
  findThreadIdByRef(workspaceId: string, ref: string): Promise<string | null>;
  /** Known Message-IDs among `messageIds` (one BatchGet). */
  findMessageIds(workspaceId: string, messageIds: string[]): Promise<MessageIdEntry[]>;
  /**
   * One consistent BatchGet: the Message-ID entries (placeholders included) and the threads asked for.
   * Threads come back as stored (a merged thread with its `mergedInto`).
   */
  /**
   * One consistent read of Message-ID entries and threads; with `senderEmail`, also the sender's
   * contact card in the same request.
   */
  lookup(
    workspaceId: string,
    input: { messageIds: string[]; threadIds: string[]; senderEmail?: string },
  ): Promise<ThreadLookup>;
  /** Copies the feed items and attachment items of `fromThreadId` into `toThreadId` (idempotent). */
  copyFeed(workspaceId: string, fromThreadId: string, toThreadId: string): Promise<FeedItem[]>;
  /** Throws ConcurrentUpdateError when either thread's `rev` is stale. */
  commitMerge(change: MergeChange): Promise<void>;
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

export interface ThreadLookup {
  entries: MessageIdEntry[];
  threads: Thread[];
  /**
   * When `senderEmail` was asked: the sender's contact card, or null when the address is nobody's.
   * Undefined when it was not asked, or when the stored copy cannot say (read the DirectoryStore then).
   */
  sender?: ContactCard | null;
}

/** What ingest needs of a sender's contact: who they are on a card, and whose contact they are. */
export interface ContactCard {
  contact: Pick<Contact, 'contactId' | 'name' | 'externalId' | 'failing'>;
  customerIds: string[];
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
  /**
   * A presigned POST for a browser upload of exactly `key`: the policy fixes the key and the
   * Content-Type and bounds the size (content-length-range 1..maxBytes).
   */
  presignUpload?(
    key: string,
    opts: { contentType: string; maxBytes: number; expiresSeconds: number },
  ): Promise<{ url: string; fields: Record<string, string> }>;
  /** The origin that uploads are posted to (the frame's CSP `connect-src` names it). */
  uploadOrigin?(): Promise<string>;
  /** An object's size and type, or null when there is none. */
  headObject?(key: string): Promise<{ size: number; contentType?: string } | null>;
  /** Copies an object within the bucket (an attached upload leaves `uploads/`, which expires after a day). */
  copyObject?(from: string, to: string): Promise<void>;
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
  | { type: 'reminder.sent'; workspaceId: string; threadId: string; at: string; detail: Record<string, unknown> }
  | {
      type: 'sla.warning' | 'sla.breached';
      workspaceId: string;
      threadId: string;
      at: string;
      detail: Record<string, unknown>;
    };

export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
