/**
 * The entities of Go!Chat, as the product names them. Plain data: no AWS, no storage details.
 * Keys and storage shapes live in `functions/adapters/dynamo/keys.ts` only.
 */

import type { BusinessHours } from './business-time/business-time.ts';
import type { SlaPolicy } from './business-time/policy.ts';

export type { BusinessHours, SlaPolicy };

/** `snoozed`: put aside by an agent until `snoozedUntil`; it comes back open then, or at the customer's reply. */
export type ThreadStatus = 'open' | 'reminder' | 'waiting' | 'closed' | 'snoozed';

/** Who made a change: an agent (named by the API caller), the integration itself, a customer, or the system. */
export type Actor =
  | { kind: 'agent'; id: string; name?: string }
  | { kind: 'integration'; keyId: string }
  | { kind: 'customer'; contactId: string }
  | { kind: 'system'; id: 'ingest' | 'workflow' | 'assignment' };

export interface Workspace {
  workspaceId: string;
  name: string;
  createdAt: string;
}

/** What follows a status change: reminders, then waiting, then reopen or close. */
export interface StatusPolicy {
  /** Number of reminders sent before waiting (0 or more). */
  reminders: number;
  /** Delay, in seconds, before each reminder; its length is `reminders` (the last value repeats if shorter). */
  reminderDelaysSeconds: number[];
  /** Delay, in seconds, spent in waiting. */
  waitingDelaySeconds: number;
  /** What happens once waiting ends. */
  afterWaiting: 'open' | 'closed';
  /** Template id for reminder mails; the built-in reminder template when absent. */
  reminderTemplateId?: string;
  /** Minutes after which an agent's chat message that the end user has not seen is emailed (10 when absent). */
  chatFallbackMinutes?: number;
}

export interface WorkspaceSettings {
  policy: StatusPolicy;
  /** Cap on automated/outbound mails to one address within `sendCapWindowSeconds`. */
  sendCapPerAddress: number;
  sendCapWindowSeconds: number;
  /** Weekly hours, time zone and holidays; absent: every hour counts. */
  businessHours?: BusinessHours;
  /** SLA targets in business minutes; absent: no SLA. */
  sla?: SlaPolicy;
  /** New threads are assigned round-robin among the available agents (core/assignment.ts); absent: off. */
  assignOnArrival?: boolean;
}

export interface Customer {
  workspaceId: string;
  customerId: string;
  name: string;
  externalId?: string;
  /** True when ingest created it for an unknown sender; agents may relink later. */
  autoCreated: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Contact {
  workspaceId: string;
  contactId: string;
  email: string;
  name?: string;
  externalId?: string;
  /** Set by a bounce: mail to this address is failing. */
  failing?: { since: string; reason: string };
  createdAt: string;
  updatedAt: string;
}

/** The summary that a thread card (and every list page) shows. */
export interface ThreadCard {
  status: ThreadStatus;
  reminderIndex?: number;
  subject: string;
  snippet: string;
  assignee?: string;
  tags: string[];
  hasAttachments: boolean;
  attachmentNames: string[];
  messageCount: number;
  itemCount: number;
  lastMessageAt?: string;
  latestContact?: { contactId: string; name?: string; email: string; externalId?: string };
}

export interface Thread extends ThreadCard {
  workspaceId: string;
  threadId: string;
  /** Short human reference used in subject tags: `[#<ref>]`. */
  ref: string;
  customerIds: string[];
  /** While snoozed: when it comes back (open). */
  snoozedUntil?: string;
  /** Incremented by every status change; a timer acts only if it still matches. */
  statusVersion: number;
  /** Optimistic-concurrency revision: incremented by every write to the thread. */
  rev: number;
  /** Message-ID of the latest message, for In-Reply-To of the next outbound one. */
  lastMessageId?: string;
  /** All Message-IDs of the thread, oldest first, capped, for References. */
  references: string[];
  linkedThreadId?: string;
  /** Opened by a quarantined mail (virus verdict): listed only in the quarantine view. */
  quarantined?: boolean;
  /** Set when this thread was merged away: it is closed, and everything about it lives on in that thread. */
  mergedInto?: string;
  /** Threads merged into this one, latest last (capped). */
  mergedFrom?: string[];
  /** The mailbox (inbound address) the thread came in through or was started from: answers go From it. */
  mailbox?: string;
  /** The customer's latest real message: quoted in the next answer, and its channel is the answer's default. */
  lastCustomerMessage?: { at: string; itemId: string; channel: MessageChannel };
  createdAt: string;
  updatedAt: string;
}

export type MessageClassification = 'ordinary' | 'auto_reply' | 'bounce' | 'complaint';

export interface AttachmentMeta {
  attachmentId: string;
  filename: string;
  contentType: string;
  size: number;
  /** Object key in the mail bucket. */
  key: string;
  contentId?: string;
  inline: boolean;
}

export interface MailAddress {
  address: string;
  name?: string;
}

export interface AuthResults {
  spf?: string;
  dkim?: string;
  dmarc?: string;
}

export interface MessageFlags {
  unverifiedSender?: boolean;
  spam?: boolean;
  quarantined?: boolean;
  authFailures?: string[];
  /** Set when the message could not be processed in full (size limit, unparseable MIME). */
  error?: string;
  /** Stored text/HTML were cut to fit the 400 KB item limit; the raw mail keeps the full body. */
  truncated?: boolean;
  /** A different mail that reuses the Message-ID of one already stored: kept under ids of its own. */
  messageIdReused?: boolean;
}

export type OutboundState = 'pending' | 'sent' | 'failed';

/** How a message travelled: mail, the end-user widget (or an integrator's chat), or the API. Absent means email. */
export type MessageChannel = 'email' | 'chat' | 'api';

interface FeedItemBase {
  workspaceId: string;
  threadId: string;
  itemId: string;
  at: string;
}

export interface MessageItem extends FeedItemBase {
  type: 'message';
  direction: 'inbound' | 'outbound';
  messageId: string;
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  /** Outbound only: blind copies (never in the MIME's headers). */
  bcc?: MailAddress[];
  subject: string;
  /** The new text: quoted history and signature removed. What the feed shows. */
  newText: string;
  text: string;
  html?: string;
  classification: MessageClassification;
  flags: MessageFlags;
  auth?: AuthResults;
  attachments: AttachmentMeta[];
  contactId?: string;
  /** Raw MIME object key (inbound) or built MIME key (outbound). */
  rawKey?: string;
  /** Outbound only. */
  delivery?: { state: OutboundState; sesMessageId?: string; wireMessageId?: string; error?: string };
  /** Set on automated mail that the system sends (reminders). */
  automated?: boolean;
  actor?: Actor;
  /** Absent on mail (email). */
  channel?: MessageChannel;
  /** A chat message that went unseen and was emailed: the item id of the email copy. */
  emailedAs?: string;
  /** An email copy of a chat message (the fallback): the chat message's item id. */
  fallbackOf?: string;
}

export type UpdateField = 'status' | 'assignee' | 'tags' | 'customers' | 'subject' | 'reminder' | 'merge';

export interface UpdateItem extends FeedItemBase {
  type: 'update';
  actor: Actor;
  field: UpdateField;
  from: unknown;
  to: unknown;
}

export interface CommentItem extends FeedItemBase {
  type: 'comment';
  actor: Actor;
  body: string;
  /** Agents the comment mentions (their ids): each is told, and follows the thread. */
  mentions?: string[];
  /** Set when its author edited it: the feed shows an "edited" mark. */
  editedAt?: string;
  /** Set when its author deleted it: the feed keeps the item, without its body. */
  deletedAt?: string;
}

export type FeedItem = MessageItem | UpdateItem | CommentItem;

export interface Template {
  workspaceId: string;
  templateId: string;
  name: string;
  subject?: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}
