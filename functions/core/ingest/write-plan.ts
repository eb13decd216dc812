/**
 * Step 4 of ingest: the write plan. Once the decision is made, everything the mail writes is worked out
 * here, as plain data and without a single read or write: the attachments to store, the one conditional
 * change of the thread (ThreadStore.commit turns it into one DynamoDB transaction), the domain events,
 * and the outcome. The pipeline (ingest.ts) then carries the plan out: uploads, commit, after commit.
 *
 * The conditions that make a repeat or concurrent delivery harmless are in the change itself: the thread
 * is written only at the `rev` read (or only if absent, for a new one), the mail's own Message-ID entry
 * only where none is (`dedupe`; or over the very placeholder read, `replacesPlaceholderOf`), and each
 * placeholder only where nothing is. Every id is deterministic (ids.ts): twin deliveries plan the same writes.
 */
import { inertThread, quarantinedThread } from '../inbound-trust.ts';
import { tokenize } from '../keywords.ts';
import type { AttachmentMeta, Contact, MessageFlags, MessageItem, Thread } from '../model.ts';
import type { DomainEvent, ThreadChange } from '../ports.ts';
import { newThread, wakesOnReply, withMessage, withStatus } from '../thread-state.ts';
import type { ThreadingDecision } from '../threading.ts';
import { type HeaderFacts, reuseId } from './decide.ts';
import { deterministicId, hashId } from './ids.ts';
import type { Prepared } from './prepare.ts';
import type { WorkspaceOutcome } from './types.ts';

/**
 * Placeholders written per mail, nearest ancestors first. They share the transaction (100 items) with
 * the thread, the message, its list entries, attachments and keywords.
 */
export const MAX_PLACEHOLDERS = 20;

/** An object to store in the mail store before the commit, under a deterministic key (a retry overwrites). */
export interface PlannedUpload {
  key: string;
  content: Buffer;
  contentType: string;
}

export interface IngestWritePlan {
  /** The attachments to store first: the message that lists them must never point at nothing. */
  uploads: PlannedUpload[];
  /** The one conditional change of the thread: thread, feed items, index entries, attachments, keywords. */
  change: ThreadChange;
  /** Published once committed. */
  events: DomainEvent[];
  /** The thread the message landed in. */
  threadId: string;
  /** Inert or quarantined: it leaves no trace a stranger could use (no placeholders, no keywords). */
  quiet: boolean;
  outcome: WorkspaceOutcome;
}

export interface WriteInput {
  workspaceId: string;
  decision: Exclude<ThreadingDecision, { kind: 'merge' }>;
  /** The sender's contact and customers; null for automated mail in an existing thread. */
  contact: { contact: Pick<Contact, 'contactId' | 'name' | 'externalId'>; customerIds: string[] } | null;
  p: Prepared;
  /** Key of the raw MIME in the mail store. */
  rawKey: string;
  /** The mailbox (inbound address) it came in through: a new thread belongs to it, and answers go From it. */
  mailbox?: string;
  facts: Pick<HeaderFacts, 'claim' | 'unknown'>;
  /** The new thread's short reference (ThreadStore.nextThreadRef): for a new thread only. */
  ref?: string;
}

/** The write plan of one mail in one workspace. Pure: the same input always gives the same plan. */
export function planWrite(input: WriteInput): IngestWritePlan {
  const { workspaceId, decision, contact, p, facts } = input;
  // A mail reusing a known Message-ID gets ids of its own (and an index entry of its own, below).
  const idSeed = p.flags.messageIdReused ? reuseId(p) : p.messageId;
  const itemId = deterministicId(p.at, `item:${workspaceId}:${idSeed}`, '0');
  let before: Thread | null;
  let base: Thread;
  if (decision.kind === 'append') {
    before = decision.thread;
    base = decision.thread;
  } else {
    if (input.ref === undefined) throw new Error('a new thread needs its ref');
    before = null;
    base = newThread({
      workspaceId,
      // Deterministic: two concurrent deliveries build the same new thread, and one commit wins.
      threadId: deterministicId(p.at, `thread:${workspaceId}:${idSeed}`),
      ref: input.ref,
      subject: p.parsed.subject.trim() || '(no subject)',
      customerIds: contact?.customerIds ?? [],
      at: p.at,
      ...(decision.linkedThreadId ? { linkedThreadId: decision.linkedThreadId } : {}),
      ...(input.mailbox ? { mailbox: input.mailbox } : {}),
    });
  }
  const verifiedSender = (decision.kind === 'new' || decision.verifiedSender) && p.authenticated;
  const flags: MessageFlags = { ...p.flags, ...(verifiedSender ? {} : { unverifiedSender: true }) };
  const { attachments, uploads, skipped } = planAttachments(workspaceId, base.threadId, p, idSeed, {
    quarantined: flags.quarantined === true,
    rawKey: input.rawKey,
  });
  if (skipped.length > 0) {
    const note = `attachments too large to store separately (kept in the raw mail): ${skipped.join(', ')}`;
    flags.error = flags.error ? `${flags.error}; ${note}` : note;
  }

  const message: MessageItem = {
    type: 'message',
    workspaceId,
    threadId: base.threadId,
    itemId,
    at: p.at,
    direction: 'inbound',
    messageId: p.messageId,
    from: p.sender,
    to: p.parsed.to,
    cc: p.parsed.cc,
    subject: p.parsed.subject,
    newText: p.newText,
    text: p.text,
    ...(p.html !== undefined ? { html: p.html } : {}),
    classification: p.classification.classification,
    flags,
    ...(p.auth ? { auth: p.auth } : {}),
    attachments,
    ...(contact ? { contactId: contact.contact.contactId } : {}),
    rawKey: input.rawKey,
    actor: contact ? { kind: 'customer', contactId: contact.contact.contactId } : { kind: 'system', id: 'ingest' },
  };

  let after = withMessage(base, message, contact?.contact);
  // Inert mail (inbound-trust.ts): an unverified sender in an existing thread changes nothing of it;
  // a quarantined mail's own thread shows nothing of the mail.
  const inert = decision.kind === 'append' && !verifiedSender;
  // Neither leaves a trace a stranger could use: no placeholders, no keywords (below).
  const quiet = inert || flags.quarantined === true;
  if (inert) after = inertThread(base);
  else if (flags.quarantined) after = quarantinedThread(after);
  else if (p.classification.classification !== 'ordinary') {
    // The latest contact is who reminders and default replies go to: never a mailer-daemon or an
    // auto-responder (no mail is ever sent back to automated mail).
    after = { ...after, latestContact: base.latestContact };
    if (!base.latestContact) delete after.latestContact;
  }
  const items: ThreadChange['items'] = [message];
  let reopened = false;
  // Only a customer's real reply reopens: never automated mail, a stranger, spam or a quarantined mail.
  if (
    decision.kind === 'append' &&
    verifiedSender &&
    contact &&
    p.classification.classification === 'ordinary' &&
    !flags.quarantined &&
    !flags.spam &&
    wakesOnReply(after.status)
  ) {
    const change = withStatus(
      after,
      { status: 'open' },
      {
        itemId: deterministicId(p.at, `status:${workspaceId}:${p.messageId}`, '1'),
        at: p.at,
        actor: { kind: 'customer', contactId: contact.contact.contactId },
      },
    );
    if (change) {
      after = change.thread;
      items.push(change.item);
      reopened = true;
    }
  }

  const change: ThreadChange = {
    before,
    after,
    items,
    messageIds: [
      {
        messageId: idSeed,
        threadId: base.threadId,
        itemId,
        direction: 'inbound',
        contentHash: p.contentHash,
        ...(quiet ? { inert: true } : {}),
        dedupe: true,
        // The mail that a placeholder awaited takes its place, whichever thread the mail lands in.
        ...(facts.claim?.placeholder ? { replacesPlaceholderOf: facts.claim.threadId } : {}),
      },
      // The ids this mail names that are not known yet: whoever carries them later joins this thread.
      // Inert and quarantined mail leaves none: a stranger must not steer later mail into a thread.
      ...(quiet ? [] : facts.unknown).slice(0, MAX_PLACEHOLDERS).map((messageId) => ({
        messageId,
        threadId: base.threadId,
        itemId: '',
        direction: 'inbound' as const,
        placeholder: true,
      })),
    ],
    ...(attachments.length > 0 && !flags.quarantined
      ? { attachments: attachments.map((a) => ({ ...a, itemId })) }
      : {}),
    // Keywords are written in the transaction; inert and quarantined mail adds none to the thread.
    ...(quiet ? {} : { keywords: newKeywords(before, p.keywords) }),
  };

  const events: DomainEvent[] = [
    ...(before
      ? []
      : [
          {
            type: 'thread.created' as const,
            workspaceId,
            threadId: base.threadId,
            at: p.at,
            detail: { ref: after.ref, subject: after.subject, linkedThreadId: after.linkedThreadId },
          },
        ]),
    {
      type: 'message.received',
      workspaceId,
      threadId: base.threadId,
      at: p.at,
      detail: { itemId, messageId: p.messageId, from: p.sender.address, classification: message.classification, flags },
    },
    ...(reopened
      ? [
          {
            type: 'status.changed' as const,
            workspaceId,
            threadId: base.threadId,
            at: p.at,
            detail: { from: before?.status, to: 'open', statusVersion: after.statusVersion },
          },
        ]
      : []),
  ];

  const common = { workspaceId, threadId: base.threadId, itemId, classification: message.classification };
  const outcome: WorkspaceOutcome =
    decision.kind === 'append'
      ? { ...common, outcome: 'appended', via: decision.via, verifiedSender, reopened }
      : {
          ...common,
          outcome: 'created',
          ...(decision.via ? { via: decision.via } : {}),
          ...(decision.linkedThreadId ? { linkedThreadId: decision.linkedThreadId } : {}),
        };
  return { uploads, change, events, threadId: base.threadId, quiet, outcome };
}

/**
 * The attachments (inline `cid:` parts included) under deterministic keys, and their uploads. A part cut
 * by the parser is not stored apart (`skipped`: the raw mail keeps it). Quarantined attachments are never
 * stored apart from the raw mail: nothing to download, nothing to upload.
 */
export function planAttachments(
  workspaceId: string,
  threadId: string,
  p: Pick<Prepared, 'parsed'>,
  idSeed: string,
  opts: { quarantined: boolean; rawKey: string },
): { attachments: AttachmentMeta[]; uploads: PlannedUpload[]; skipped: string[] } {
  if (opts.quarantined)
    return {
      attachments: p.parsed.attachments.map((a) => ({
        attachmentId: hashId(`${workspaceId}:${idSeed}:${a.filename}`),
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        key: opts.rawKey,
        inline: a.inline,
      })),
      uploads: [],
      skipped: [],
    };
  const attachments: AttachmentMeta[] = [];
  const uploads: PlannedUpload[] = [];
  const skipped: string[] = [];
  p.parsed.attachments.forEach((a, index) => {
    if (a.truncated) {
      skipped.push(a.filename);
      return;
    }
    const attachmentId = hashId(`${workspaceId}:${idSeed}:${index}`);
    const key = `attachments/${workspaceId}/${threadId}/${attachmentId}`;
    attachments.push({
      attachmentId,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      key,
      ...(a.contentId ? { contentId: a.contentId } : {}),
      inline: a.inline,
    });
    uploads.push({ key, content: a.content, contentType: a.contentType });
  });
  return { attachments, uploads, skipped };
}

/**
 * A reply's keywords without the tokens of its thread's subject: every path that names a thread's subject
 * indexes it (a new thread's first mail, the API's create and subject change, a chat's first message),
 * and `Re: <subject>` would write the same items again. A quarantined thread's mail indexed nothing, so
 * it keeps them all; so does a thread with no subject of its own.
 */
export function newKeywords(before: Thread | null, keywords: string[]): string[] {
  if (!before || before.quarantined || before.subject === '(no subject)') return keywords;
  const indexed = new Set(tokenize(before.subject));
  return keywords.filter((t) => !indexed.has(t));
}
