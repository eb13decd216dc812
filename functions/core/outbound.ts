/**
 * Outbound mail: the ONE path by which the system sends, used by agents' messages (the API) and by the
 * reminder timers alike.
 *
 * Order of a send, and why:
 * 1. claim a send record (`keys.send`), in one transaction with a condition on the thread's
 *    statusVersion and the per-address cap counters: a retry finds the record, a stale timer fails the
 *    condition, a capped address consumes nothing;
 * 2. store the MIME, then commit the outbound message (delivery pending), its Message-ID and the status
 *    move as ONE ThreadChange, conditioned on the thread's rev (a reply that lands in between wins: a timer
 *    gives up). The Message-ID entry is a dedupe entry: when two callers hold the same record (a retried
 *    Lambda running alongside the first), only one commit lands, so the counters count the message once;
 * 3. move the record claimed → sending, for timers with a condition on the statusVersion that step 2
 *    set: a reply committed after step 2 cancels the mail here. What remains is the SES call's own
 *    latency (tens of ms), during which a reply may be committed while the reminder is already leaving;
 * 4. SendRawEmail; record sent (or failed, with the reason) on the send record first, so a retry that
 *    finds `sending` (outcome unknown) never sends a second time;
 * 5. record the wire Message-ID that SES assigned in the Message-ID index (replies to it thread back),
 *    and the delivery state on the message.
 */
import {
  ConcurrentUpdateError,
  ContentTooLargeError,
  DuplicateMessageError,
  RecipientNotAllowedError,
  SendCapExceededError,
  ThreadClosedError,
  ThreadNotFoundError,
  ValidationError,
} from './errors.ts';
import { statusAfterAgentMessage } from './lifecycle.ts';
import { capBytes, LIMITS, utf8Bytes } from './limits.ts';
import type { Actor, AttachmentMeta, Contact, MessageItem, Thread, UpdateField, UpdateItem } from './model.ts';
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
import {
  type StatusTarget,
  statusLabel,
  updateItem,
  withMessage,
  withStatus,
  withTimerRestart,
} from './thread-state.ts';

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

/** Send records, cap counters and the workspace's sending address. */
export interface SendStore {
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
  /** The workspace's sending address (one of its inbound addresses), or null when it has none. */
  senderAddress(workspaceId: string): Promise<string | null>;
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
}

export interface SendMessageInput {
  workspaceId: string;
  threadId: string;
  to: string[];
  cc?: string[];
  /** Defaults to `Re: <thread subject>`; the `[#<ref>]` tag is added when missing. */
  subject?: string;
  text: string;
  html?: string;
  attachments?: OutboundAttachment[];
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

/** Thrown to a timer (never to the API): the thread moved on, so this send must not happen. */
const SUPERSEDED = { kind: 'superseded' } as const;

const MAX_ATTEMPTS = 6;
const MAX_RECIPIENTS = 50;

/**
 * Refuses a message that could not be stored (limits.ts): checked before anything is claimed, so a
 * refused message never uses up the address's send cap.
 */
function checkOutboundSize(input: Pick<SendMessageInput, 'text' | 'html'>): void {
  const body = utf8Bytes(input.text) + utf8Bytes(input.html ?? '');
  if (body > LIMITS.outboundBodyBytes)
    throw new ContentTooLargeError(
      `the message body is ${body} bytes of UTF-8 (text and HTML together); at most ${LIMITS.outboundBodyBytes}`,
      { bytes: body, limit: LIMITS.outboundBodyBytes },
    );
}

/**
 * Sends an agent's message on a thread: the ONE entry point of the API. Returns the outbound message
 * item, whose `delivery` says whether SES took it (`sent`) or refused it (`failed`, with the reason).
 *
 * @throws ThreadNotFoundError, ThreadClosedError, RecipientNotAllowedError, SendCapExceededError,
 * ValidationError (no recipients, no sending address).
 */
export async function sendMessage(deps: OutboundDeps, input: SendMessageInput): Promise<MessageItem> {
  const out = await deliverMessage(deps, input, {});
  if (out.kind === 'superseded') throw new ThreadClosedError('thread is closed'); // unreachable without a guard
  return out.message;
}

/** The send itself, shared by `sendMessage` and the reminder timer. */
export async function deliverMessage(
  deps: OutboundDeps,
  input: SendMessageInput,
  opts: DeliverOptions,
): Promise<DeliverOutcome> {
  checkOutboundSize(input);
  // A subject is cut, not refused: a rendered one (a template's `{{subject}}`, `Re: ` before the thread's
  // subject) may pass the budget by a little, and a reminder must not fail for it.
  if (input.subject !== undefined) input = { ...input, subject: capBytes(input.subject, LIMITS.subjectBytes) };
  const sendId = input.idempotencyKey ? `${input.threadId}-${input.idempotencyKey}` : deps.ids.newId();
  if (input.idempotencyKey) {
    const existing = await deps.sends.get(input.workspaceId, sendId);
    if (existing) return resume(deps, input, opts, existing);
  }
  if (opts.guardStatusVersion !== undefined) {
    // A stale timer stops here, before any other read.
    const current = await deps.threads.getThread(input.workspaceId, input.threadId);
    if (!current || current.statusVersion !== opts.guardStatusVersion) return SUPERSEDED;
  }
  const to = unique(input.to);
  const cc = unique(input.cc ?? []).filter((a) => !to.includes(a));
  if (to.length === 0) throw new ValidationError('a message needs at least one recipient');
  if (to.length + cc.length > MAX_RECIPIENTS) throw new ValidationError(`at most ${MAX_RECIPIENTS} recipients`);

  const settings = await deps.directory.getSettings(input.workspaceId);
  const from = await deps.sends.senderAddress(input.workspaceId);
  if (!from) throw new ValidationError('the workspace has no inbound address to send from');
  const ids = { itemId: deps.ids.newId(), at: deps.clock.now().toISOString() };
  const messageId = `<${ids.itemId.toLowerCase()}.${input.threadId.toLowerCase()}@${from.slice(from.indexOf('@') + 1)}>`;
  const rawKey = `outbound/${input.workspaceId}/${sendId}.eml`;
  let checkedCustomers = '';
  let recipient: Contact | undefined;

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const thread = await deps.threads.getThread(input.workspaceId, input.threadId);
    if (!thread) throw new ThreadNotFoundError(`thread ${input.threadId} not found`);
    if (opts.guardStatusVersion !== undefined && thread.statusVersion !== opts.guardStatusVersion) return SUPERSEDED;
    if (thread.status === 'closed') {
      if (opts.guardStatusVersion !== undefined) return SUPERSEDED;
      throw new ThreadClosedError('the thread is closed: reopen it before sending');
    }
    const customers = thread.customerIds.join(',');
    if (customers !== checkedCustomers) {
      recipient = (await checkRecipients(deps.directory, thread, [...to, ...cc], Boolean(input.automated)))[0];
      checkedCustomers = customers;
    }

    const target = nextStatusOf(input, settings.policy);
    const moves = target !== null && withStatus(thread, target, { itemId: 'x', at: ids.at, actor: input.actor });
    const record: SendRecord = {
      workspaceId: input.workspaceId,
      sendId,
      threadId: input.threadId,
      ...ids,
      messageId,
      rawKey,
      from,
      destinations: [...to, ...cc],
      state: 'claimed',
      claimedStatusVersion: thread.statusVersion,
      ...(opts.guardStatusVersion !== undefined ? { guardStatusVersion: thread.statusVersion + (moves ? 1 : 0) } : {}),
    };
    const prepared = await prepare(deps, input, thread, record, { to, cc });

    const claim = await deps.sends.claim(
      record,
      { statusVersion: thread.statusVersion },
      {
        addresses: record.destinations,
        limit: settings.sendCapPerAddress,
        windowSeconds: settings.sendCapWindowSeconds,
        now: deps.clock.now(),
      },
    );
    if (claim === 'capped')
      throw new SendCapExceededError('too many mails to this address in the current window', {
        limit: settings.sendCapPerAddress,
        windowSeconds: settings.sendCapWindowSeconds,
      });
    if (claim === 'exists') {
      const existing = await deps.sends.get(input.workspaceId, sendId);
      if (existing) return resume(deps, input, opts, existing);
      continue;
    }
    if (claim === 'stale') continue; // the thread's status moved since we read it: re-read and decide again
    // Stored only once the record is ours: a caller that lost the claim must not overwrite the winner's MIME.
    await deps.mail.putObject(rawKey, prepared.raw, 'message/rfc822');
    return commitAndSend(deps, input, opts, record, prepared.message, prepared.raw, thread, recipient);
  }
  throw new ConcurrentUpdateError(`thread ${input.threadId} kept changing; send not claimed`);
}

/** Picks a send up where an earlier attempt (a Lambda retry, a repeated API call) left it. */
async function resume(
  deps: OutboundDeps,
  input: SendMessageInput,
  opts: DeliverOptions,
  record: SendRecord,
): Promise<DeliverOutcome> {
  const committed = await deps.threads.getMessage(record.workspaceId, record.threadId, record.at, record.itemId);
  switch (record.state) {
    case 'claimed': {
      if (committed) return transmit(deps, opts, record, committed);
      // Claimed but not committed (yet: the claimer may still be running): commit now, if the thread allows it.
      const thread = await deps.threads.getThread(record.workspaceId, record.threadId);
      if (!thread) throw new ThreadNotFoundError(`thread ${record.threadId} not found`);
      const stale = opts.guardStatusVersion !== undefined && thread.statusVersion !== record.claimedStatusVersion;
      if (stale || thread.status === 'closed') {
        // The thread moved: perhaps by the claimer's own commit, made after our first look.
        const late = await deps.threads.getMessage(record.workspaceId, record.threadId, record.at, record.itemId);
        if (late) return transmit(deps, opts, record, late);
        await deps.sends.finish(record, { state: 'failed', error: 'superseded before it was recorded' });
        if (stale || opts.guardStatusVersion !== undefined) return SUPERSEDED;
        throw new ThreadClosedError('the thread is closed: reopen it before sending');
      }
      const prepared = await prepare(deps, input, thread, record, {
        to: unique(input.to),
        cc: unique(input.cc ?? []).filter((a) => !unique(input.to).includes(a)),
      });
      await deps.mail.putObject(record.rawKey, prepared.raw, 'message/rfc822');
      return commitAndSend(deps, input, opts, record, prepared.message, prepared.raw, thread);
    }
    case 'sending':
      // SES may or may not have taken it: never risk a second copy.
      if (!committed) throw new Error(`send ${record.sendId} is sending but its message is missing`);
      await deps.sends.finish(record, { state: 'failed', error: 'interrupted while sending; not retried' });
      return { kind: 'delivered', message: await setDelivery(deps, committed, failed('interrupted while sending')) };
    default: {
      if (!committed) {
        if (record.state === 'failed') return SUPERSEDED;
        throw new Error(`send ${record.sendId} is ${record.state} but its message is missing`);
      }
      if (record.state === 'sent' && committed.delivery?.state !== 'sent')
        return finishSent(deps, opts, record, committed);
      return { kind: 'delivered', message: committed };
    }
  }
}

async function commitAndSend(
  deps: OutboundDeps,
  input: SendMessageInput,
  opts: DeliverOptions,
  record: SendRecord,
  message: MessageItem,
  raw: Buffer | null,
  first: Thread,
  recipient?: Contact,
): Promise<DeliverOutcome> {
  const settings = await deps.directory.getSettings(input.workspaceId);
  let thread = first;
  for (let attempt = 0; ; attempt++) {
    const target = nextStatusOf(input, settings.policy);
    let after = withMessage(thread, message);
    if (!after.latestContact && recipient) {
      // A thread that an agent started has no inbound mail yet: its reminders go to whom the agent wrote.
      const { contactId, email, name, externalId } = recipient;
      after = {
        ...after,
        latestContact: { contactId, email, ...(name ? { name } : {}), ...(externalId ? { externalId } : {}) },
      };
    }
    const items: Array<MessageItem | UpdateItem> = [message];
    for (const u of opts.extraUpdates ?? []) {
      items.push(updateItem(after, { itemId: deps.ids.newId(), at: message.at, actor: input.actor, ...u }));
      after = { ...after, itemCount: after.itemCount + 1 };
    }
    const moved = target
      ? withStatus(after, target, { itemId: deps.ids.newId(), at: message.at, actor: input.actor })
      : null;
    if (moved) {
      after = moved.thread;
      items.push(moved.item);
    } else if (target) {
      // Already in the target status (a second agent message): the delays count from this message.
      after = withTimerRestart(after) ?? after;
    }
    try {
      await deps.threads.commit({
        before: thread,
        after,
        items,
        messageIds: [
          {
            messageId: message.messageId,
            threadId: thread.threadId,
            itemId: message.itemId,
            direction: 'outbound',
            sentTo: sentTo(message),
            // One commit per send record: another caller holding the same record may have committed it.
            dedupe: true,
          },
        ],
        attachments: message.attachments.map((a) => ({ ...a, itemId: message.itemId })),
      });
    } catch (e) {
      // The other caller's commit landed (with the status move): who sends is decided by markSending.
      if (e instanceof DuplicateMessageError) return transmit(deps, opts, record, message, raw);
      if (!(e instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw e;
      const fresh = await deps.threads.getThread(thread.workspaceId, thread.threadId);
      if (!fresh) throw new ThreadNotFoundError(`thread ${thread.threadId} not found`);
      const statusMoved = fresh.statusVersion !== record.claimedStatusVersion;
      if ((opts.guardStatusVersion !== undefined && statusMoved) || fresh.status === 'closed') {
        const mine = await deps.threads.getMessage(record.workspaceId, record.threadId, record.at, record.itemId);
        if (mine) return transmit(deps, opts, record, mine, raw);
        // A reply (or a close) landed between the claim and the commit: it wins, nothing is sent.
        await deps.sends.finish(record, { state: 'failed', error: 'superseded before it was recorded' });
        if (opts.guardStatusVersion !== undefined) return SUPERSEDED;
        throw new ThreadClosedError('the thread was closed');
      }
      thread = fresh;
      continue;
    }
    if (moved) {
      await publish(deps, [
        {
          type: 'status.changed',
          workspaceId: after.workspaceId,
          threadId: after.threadId,
          at: message.at,
          detail: {
            from: statusLabel(thread),
            to: statusLabel(after),
            statusVersion: after.statusVersion,
            actor: input.actor,
          },
        },
      ]);
    }
    return transmit(deps, opts, record, message, raw, after.statusVersion);
  }
}

async function transmit(
  deps: OutboundDeps,
  opts: DeliverOptions,
  record: SendRecord,
  message: MessageItem,
  raw: Buffer | null = null,
  statusVersion?: number,
): Promise<DeliverOutcome> {
  const guard = record.guardStatusVersion !== undefined ? { statusVersion: record.guardStatusVersion } : undefined;
  const marked = await deps.sends.markSending(record, guard);
  if (marked === 'stale') {
    // The customer replied (or an agent acted) after the commit but before SES: cancel the mail.
    const reason = 'cancelled: the thread changed before it was sent';
    await deps.sends.finish(record, { state: 'failed', error: reason });
    return { kind: 'delivered', message: await setDelivery(deps, message, failed(reason)) };
  }
  if (marked === 'not-claimed') {
    const current = await deps.sends.get(record.workspaceId, record.sendId);
    if (!current) throw new Error(`send record ${record.sendId} vanished`);
    // Claimed a moment ago, sending now: another caller is handing it to SES. Resuming would mark
    // that live send failed; its caller records the outcome.
    if (current.state === 'sending') return { kind: 'delivered', message, ...(statusVersion ? { statusVersion } : {}) };
    return resume(deps, {} as SendMessageInput, opts, current);
  }
  let providerMessageId: string;
  try {
    const body = raw ?? (await deps.mail.getRaw(record.rawKey));
    ({ providerMessageId } = await deps.sender.sendRaw({
      raw: body,
      from: record.from,
      destinations: record.destinations,
    }));
  } catch (e) {
    const reason = errorText(e);
    deps.log?.warn('outbound send failed', { sendId: record.sendId, reason });
    await deps.sends.finish(record, { state: 'failed', error: reason });
    return { kind: 'delivered', message: await setDelivery(deps, message, failed(reason)), statusVersion };
  }
  const wireMessageId = deps.sender.wireMessageId(providerMessageId);
  const sent = { ...record, state: 'sent' as const, providerMessageId, wireMessageId };
  // The record says sent before anything else: from here on, no retry can send again.
  await deps.sends.finish(record, { state: 'sent', providerMessageId, wireMessageId });
  const out = await finishSent(deps, opts, sent, message);
  return statusVersion === undefined ? out : { ...out, statusVersion };
}

/** After SES took the mail: index the wire Message-ID, set the delivery, publish. Idempotent. */
async function finishSent(
  deps: OutboundDeps,
  opts: DeliverOptions,
  record: SendRecord,
  message: MessageItem,
): Promise<{ kind: 'delivered'; message: MessageItem }> {
  const wire = record.wireMessageId!;
  for (let attempt = 0; ; attempt++) {
    const thread = await deps.threads.getThread(record.workspaceId, record.threadId);
    if (!thread) break;
    // SES replaced our Message-ID: the next message must reference the one the customer saw.
    const swap = (id: string) => (sameId(id, message.messageId) ? wire : id);
    const references = thread.references.map(swap);
    try {
      await deps.threads.commit({
        before: thread,
        after: {
          ...thread,
          references,
          ...(thread.lastMessageId ? { lastMessageId: swap(thread.lastMessageId) } : {}),
        },
        items: [],
        messageIds: [
          {
            messageId: wire,
            threadId: record.threadId,
            itemId: record.itemId,
            direction: 'outbound',
            sentTo: sentTo(message),
          },
        ],
      });
      break;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
  const delivered = await setDelivery(deps, message, {
    state: 'sent',
    sesMessageId: record.providerMessageId!,
    wireMessageId: wire,
  });
  await publish(deps, [
    {
      type: 'message.sent',
      workspaceId: message.workspaceId,
      threadId: message.threadId,
      at: message.at,
      detail: {
        itemId: message.itemId,
        wireMessageId: wire,
        to: message.to.map((a) => a.address),
        automated: Boolean(message.automated),
        actor: message.actor,
      },
    },
    ...(opts.sentEvents?.(delivered) ?? []),
  ]);
  return { kind: 'delivered', message: delivered };
}

async function prepare(
  deps: OutboundDeps,
  input: SendMessageInput,
  thread: Thread,
  record: SendRecord,
  recipients: { to: string[]; cc: string[] },
): Promise<{ message: MessageItem; raw: Buffer }> {
  const tag = `[#${thread.ref}]`;
  const base = input.subject?.trim() || (/^re:/i.test(thread.subject) ? thread.subject : `Re: ${thread.subject}`);
  const subject = base.includes(tag) ? base : `${base} ${tag}`;
  const attachments: AttachmentMeta[] = [];
  for (const [i, a] of (input.attachments ?? []).entries()) {
    const attachmentId = `${record.itemId}-${i + 1}`;
    const key = `attachments/${thread.workspaceId}/${thread.threadId}/${attachmentId}`;
    await deps.mail.putObject(key, a.content, a.contentType);
    attachments.push({
      attachmentId,
      filename: a.filename,
      contentType: a.contentType,
      size: a.content.length,
      key,
      inline: false,
    });
  }
  const replyTo = deps.replyTokens.replyAddress(record.from, thread.workspaceId, thread.threadId);
  // nodemailer's MIME builder (138 KB) is evaluated on the first send, not at every cold start: most API
  // requests never send (docs/performance.md).
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const composer = new MailComposer({
    from: record.from,
    to: recipients.to,
    ...(recipients.cc.length ? { cc: recipients.cc } : {}),
    replyTo,
    subject,
    text: input.text,
    ...(input.html ? { html: input.html } : {}),
    messageId: record.messageId,
    date: new Date(record.at),
    ...(thread.lastMessageId ? { inReplyTo: thread.lastMessageId } : {}),
    ...(thread.references.length ? { references: thread.references } : {}),
    attachments: (input.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    // RFC 3834: automated mail says so, so that auto-responders do not answer it (no mail loops).
    ...(input.automated ? { headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } } : {}),
  });
  const raw = await composer.compile().build();
  const message: MessageItem = {
    type: 'message',
    workspaceId: thread.workspaceId,
    threadId: thread.threadId,
    itemId: record.itemId,
    at: record.at,
    direction: 'outbound',
    messageId: record.messageId,
    from: { address: record.from },
    to: recipients.to.map((address) => ({ address })),
    cc: recipients.cc.map((address) => ({ address })),
    subject,
    newText: input.text,
    text: input.text,
    ...(input.html ? { html: input.html } : {}),
    classification: 'ordinary',
    flags: {},
    attachments,
    rawKey: record.rawKey,
    delivery: { state: 'pending' },
    ...(input.automated ? { automated: true } : {}),
    actor: input.actor,
  };
  return { message, raw };
}

/**
 * Every recipient must be a contact of one of the thread's customers. Automated mail (reminders) also
 * skips an address that bounced: it would only bounce again. Returns the contacts, in order.
 */
async function checkRecipients(
  directory: DirectoryStore,
  thread: Thread,
  addresses: string[],
  automated: boolean,
): Promise<Contact[]> {
  const contacts: Contact[] = [];
  for (const address of addresses) {
    const contact = await directory.findContactByEmail(thread.workspaceId, address);
    const customers = contact ? await directory.customerIdsOfContact(thread.workspaceId, contact.contactId) : [];
    if (!contact || !customers.some((c) => thread.customerIds.includes(c)))
      throw new RecipientNotAllowedError(`${address} is not a contact of this thread's customers`, { address });
    if (automated && contact.failing) {
      const { since, reason } = contact.failing;
      throw new RecipientNotAllowedError(`${address} is failing since ${since}: ${reason}`, { address });
    }
    contacts.push(contact);
  }
  return contacts;
}

function nextStatusOf(input: SendMessageInput, policy: Parameters<typeof statusAfterAgentMessage>[0]) {
  if (input.nextStatus === 'keep') return null;
  return input.nextStatus ?? statusAfterAgentMessage(policy);
}

async function setDelivery(
  deps: OutboundDeps,
  message: MessageItem,
  delivery: NonNullable<MessageItem['delivery']>,
): Promise<MessageItem> {
  await deps.threads.setDelivery(message.workspaceId, message.threadId, message.at, message.itemId, delivery);
  return { ...message, delivery };
}

/** Events are a notification, not the record: a failure to publish is logged, never undoes a send. */
async function publish(deps: OutboundDeps, events: DomainEvent[]): Promise<void> {
  try {
    await deps.events.publish(events);
  } catch (e) {
    deps.log?.warn('event publish failed', { types: events.map((x) => x.type), error: errorText(e) });
  }
}

const failed = (error: string) => ({ state: 'failed' as const, error });
const unique = (addresses: string[]) => [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];
const bare = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();
const sameId = (a: string, b: string) => bare(a) === bare(b);
const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);

/** The addresses an outbound message went to, kept on its Message-ID entries: a bounce must name one. */
function sentTo(message: MessageItem): string[] {
  return [...message.to, ...message.cc].map((a) => a.address.trim().toLowerCase());
}
