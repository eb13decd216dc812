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
  SendCapExceededError,
  ThreadClosedError,
  ThreadNotFoundError,
  ValidationError,
} from './errors.ts';
import { statusAfterAgentMessage } from './lifecycle.ts';
import { capBytes, LIMITS, utf8Bytes } from './limits.ts';
import type { SenderIdentity } from './mailboxes.ts';
import type { Contact, MessageItem, Thread, UpdateItem } from './model.ts';
import { checkRecipients, prepareMessage, recipientsOf } from './outbound-message.ts';
import type { DeliverOptions, DeliverOutcome, OutboundDeps, SendMessageInput, SendRecord } from './outbound-types.ts';
import type { DomainEvent } from './ports.ts';
import { statusLabel, updateItem, withMessage, withStatus, withTimerRestart } from './thread-state.ts';

export type {
  ClaimResult,
  DeliverOptions,
  DeliverOutcome,
  OutboundAttachment,
  OutboundDeps,
  SendMessageInput,
  SendRecord,
  SendState,
  SendStore,
} from './outbound-types.ts';

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
  const recipients = recipientsOf(input);
  const { to, cc, bcc } = recipients;
  if (to.length === 0) throw new ValidationError('a message needs at least one recipient');
  if (to.length + cc.length + bcc.length > MAX_RECIPIENTS)
    throw new ValidationError(`at most ${MAX_RECIPIENTS} recipients`);

  const settings = await deps.directory.getSettings(input.workspaceId);
  const ids = { itemId: deps.ids.newId(), at: deps.clock.now().toISOString() };
  const rawKey = `outbound/${input.workspaceId}/${sendId}.eml`;
  let checkedCustomers = '';
  let recipient: Contact | undefined;
  let identity: SenderIdentity | undefined;

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
      recipient = (await checkRecipients(deps.directory, thread, [...to, ...cc, ...bcc], Boolean(input.automated)))[0];
      checkedCustomers = customers;
    }
    // The thread's mailbox: a customer who wrote to billing@ hears back from billing@. A thread with none:
    // the mailbox its first inbound mail was written to, else the workspace's default (fallbackMailbox).
    identity ??= await identityOf(deps, input, thread.mailbox, thread.mailbox ? undefined : thread);
    const from = identity.address;
    const messageId = `<${ids.itemId.toLowerCase()}.${input.threadId.toLowerCase()}@${from.slice(from.indexOf('@') + 1)}>`;

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
      destinations: [...to, ...cc, ...bcc],
      state: 'claimed',
      claimedStatusVersion: thread.statusVersion,
      ...(opts.guardStatusVersion !== undefined ? { guardStatusVersion: thread.statusVersion + (moves ? 1 : 0) } : {}),
    };
    const prepared = await prepareMessage(deps, input, thread, record, identity, recipients);

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
      const identity = await identityOf(deps, input, record.from);
      const prepared = await prepareMessage(deps, input, thread, record, identity, recipientsOf(input));
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

/**
 * Who the send goes out as; a workspace with no inbound address cannot send (a 400). `thread`, given for a
 * thread that names no mailbox, is read for the addresses its customer first wrote to.
 */
async function identityOf(deps: OutboundDeps, input: SendMessageInput, mailbox: string | undefined, thread?: Thread) {
  const agentId = input.actor.kind === 'agent' ? input.actor.id : undefined;
  const wroteTo = thread ? await firstInboundRecipients(deps, thread) : undefined;
  const identity = await deps.sends.senderIdentity(input.workspaceId, mailbox, agentId, wroteTo);
  if (!identity) throw new ValidationError('the workspace has no inbound address to send from');
  return identity;
}

/** How many of a thread's first feed items are read for its first inbound mail. */
const FIRST_ITEMS = 20;

/** The To, then the Cc, of the thread's first inbound mail (not a chat): the addresses the customer wrote to. */
async function firstInboundRecipients(deps: OutboundDeps, thread: Thread): Promise<string[]> {
  const page = await deps.threads.listFeed(thread.workspaceId, thread.threadId, { limit: FIRST_ITEMS });
  const first = page.items.find(
    (i): i is MessageItem => i.type === 'message' && i.direction === 'inbound' && (i.channel ?? 'email') === 'email',
  );
  return first ? [...first.to, ...first.cc].map((a) => a.address) : [];
}

const failed = (error: string) => ({ state: 'failed' as const, error });
const bare = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();
const sameId = (a: string, b: string) => bare(a) === bare(b);
const errorText = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);

/** The addresses an outbound message went to, kept on its Message-ID entries: a bounce must name one. */
function sentTo(message: MessageItem): string[] {
  return [...message.to, ...message.cc, ...(message.bcc ?? [])].map((a) => a.address.trim().toLowerCase());
}
