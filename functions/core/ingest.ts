/**
 * The ingest use case: one inbound mail (already stored raw by SES) becomes one message in each
 * workspace it was addressed to. Routing, de-duplication, threading, classification, verdicts,
 * attachments, the customer-reply reopen and keyword indexing all happen here, through the ports.
 *
 * Every write is idempotent or conditioned, because SES/Lambda may deliver the same mail twice,
 * even concurrently: the Message-ID index entry (`dedupe: true`) lets exactly one commit win.
 */
import { createHash } from 'node:crypto';
import { matchBounce, originalMessageIds } from './bounce-match.ts';
import { classifyMail } from './classify.ts';
import { ConcurrentUpdateError, ConflictError, DuplicateMessageError } from './errors.ts';
import { boundForScan, boundParsedMail } from './inbound-limits.ts';
import {
  inertThread,
  quarantineDecision,
  quarantinedThread,
  senderAuthenticated,
  trustedCustomerIds,
} from './inbound-trust.ts';
import { tokenize } from './keywords.ts';
import { capBytes, LIMITS } from './limits.ts';
import { type ParsedMail, parseMail } from './mime.ts';
import type {
  AttachmentMeta,
  AuthResults,
  Contact,
  MailAddress,
  MessageClassification,
  MessageFlags,
  MessageItem,
  Thread,
} from './model.ts';
import type {
  Clock,
  ContactCard,
  DirectoryStore,
  DomainEvent,
  EventPublisher,
  MailStore,
  MessageIdEntry,
  ThreadChange,
  ThreadStore,
} from './ports.ts';
import { replyTextOf } from './reply-text/extract.ts';
import { baseAddress } from './reply-token.ts';
import { mergeThreads, resolveThreads } from './thread-merge.ts';
import { newThread, withMessage, withStatus } from './thread-state.ts';
import {
  bestHeaderMatch,
  decideThread,
  subjectTagRef,
  type ThreadingDecision,
  type ThreadingVia,
  threadingCandidates,
} from './threading.ts';

/** An SES verdict: `PASS`, `FAIL`, `GRAY` or `PROCESSING_FAILED`. */
export type Verdict = string;

/** One inbound mail as the SES receipt event describes it (no body: the raw MIME is in the mail store). */
export interface InboundMail {
  sesMessageId: string;
  /** Key of the raw MIME in the mail store (`inbound/<sesMessageId>`). */
  rawKey: string;
  /** Envelope recipients that the receipt rule matched (Bcc included). */
  recipients: string[];
  /** When SES received the mail (ISO 8601): the time of the message in the feed. */
  receivedAt?: string;
  /** Envelope MAIL FROM; empty for bounces. */
  source?: string;
  verdicts?: { spam?: Verdict; virus?: Verdict; spf?: Verdict; dkim?: Verdict; dmarc?: Verdict };
}

/** Checks reply tokens; `ReplyTokens` from reply-token.ts fits. */
export interface ReplyTokenVerifier {
  verify(address: string, workspaceId: string): string | null;
}

export interface IngestDeps {
  threads: ThreadStore;
  directory: DirectoryStore;
  mail: MailStore;
  tokens: ReplyTokenVerifier;
  clock: Clock;
  /** Domain events; skipped when absent. */
  events?: EventPublisher;
  /** Raw mail above this size is not parsed: the message records the error, the raw mail stays. */
  maxMailBytes: number;
  /** Optimistic-concurrency retries (a busy thread): attempts and backoff bounds. */
  retry?: { attempts?: number; baseMs?: number; capMs?: number };
  /** How long an address → workspace routing result is reused in this container. */
  routeCacheMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type WorkspaceOutcome = {
  workspaceId: string;
  threadId: string;
  itemId: string;
  classification: MessageClassification;
} & (
  | { outcome: 'created'; via?: ThreadingVia; linkedThreadId?: string }
  | { outcome: 'appended'; via: ThreadingVia; verifiedSender: boolean; reopened: boolean }
  | { outcome: 'duplicate' }
);

export interface IngestResult {
  sesMessageId: string;
  /** One entry per workspace the mail was routed to. */
  workspaces: WorkspaceOutcome[];
  /** True when no recipient routed: the mail was recorded as unroutable. */
  unroutable: boolean;
  /** Non-fatal problems after the commit (events not published, …), for the handler to log. */
  warnings: string[];
}

/** What the headers (and token, and tag) name, as read in one lookup. */
interface HeaderFacts {
  tokenThread: Thread | null;
  headerThreads: Thread[];
  tagThread: Thread | null;
  /** A placeholder awaiting this very mail, when one exists. */
  self: MessageIdEntry | null;
  /** In-Reply-To/References ids not known yet: they become placeholders of the thread this mail lands in. */
  unknown: string[];
  /** The placeholder that the mail's own index entry takes the place of (its Message-ID's, or its reuse id's). */
  claim: MessageIdEntry | null;
  /** The mail's Message-ID is already taken by a different mail (another content hash). */
  reused: boolean;
}

/**
 * Placeholders written per mail, nearest ancestors first. They share the transaction (100 items) with
 * the thread, the message, its list entries, attachments and keywords.
 */
const MAX_PLACEHOLDERS = 20;
/** Real Message-IDs are far shorter (RFC 5322 lines are at most 998 characters). */
const MAX_PLACEHOLDER_ID_BYTES = 250;

/** Stored text and HTML are cut beyond this many UTF-8 bytes each: DynamoDB items hold 400 KB. */
export const MAX_BODY_BYTES = LIMITS.bodyBytes;
const UPLOAD_CONCURRENCY = 4;

interface Prepared {
  parsed: ParsedMail;
  oversize: boolean;
  classification: ReturnType<typeof classifyMail>;
  sender: MailAddress;
  /** The de-duplication key: the Message-ID, or one made from the SES message id. */
  messageId: string;
  at: string;
  newText: string;
  text: string;
  html?: string;
  flags: MessageFlags;
  auth?: AuthResults;
  /** False when SPF/DKIM/DMARC say the From cannot be trusted (inbound-trust.ts). */
  authenticated: boolean;
  /** Tells a different mail that reuses a known Message-ID from a repeat delivery of the same one. */
  contentHash: string;
  keywords: string[];
}

export class IngestMail {
  private readonly routes = new Map<string, { workspaceId: string | null; until: number }>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
  }

  /** Ingests one inbound mail. Idempotent: a repeated or concurrent delivery adds nothing twice. */
  async ingest(input: InboundMail): Promise<IngestResult> {
    const at = validIso(input.receivedAt) ?? this.deps.clock.now().toISOString();
    const byWorkspace = await this.route(input.recipients);
    const result: IngestResult = { sesMessageId: input.sesMessageId, workspaces: [], unroutable: false, warnings: [] };
    if (byWorkspace.size === 0) {
      // The raw mail stays in the bucket; the record makes it findable and replayable.
      await this.deps.directory.recordUnroutable({
        sesMessageId: input.sesMessageId,
        rawKey: input.rawKey,
        recipients: input.recipients,
        at,
      });
      result.unroutable = true;
      return result;
    }
    const raw = await this.deps.mail.getRaw(input.rawKey);
    const prepared = await this.prepare(input, raw, at);
    // Workspaces are independent: one failing must not stop the others; the error is rethrown after,
    // so that the delivery is retried (and the workspaces that succeeded see a duplicate).
    const errors: unknown[] = [];
    for (const [workspaceId, recipients] of byWorkspace) {
      try {
        result.workspaces.push(await this.ingestInto(workspaceId, recipients, input, prepared, result.warnings));
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return result;
  }

  /** Groups envelope recipients by the workspace that owns their base address. */
  private async route(recipients: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const now = this.deps.clock.now().getTime();
    const ttl = this.deps.routeCacheMs ?? 60_000;
    await Promise.all(
      [...new Set(recipients.map((r) => r.trim()).filter(Boolean))].map(async (recipient) => {
        const base = baseAddress(recipient);
        let cached = this.routes.get(base);
        if (!cached || cached.until < now) {
          cached = { workspaceId: await this.deps.directory.routeAddress(base), until: now + ttl };
          this.routes.set(base, cached);
        }
        if (cached.workspaceId) {
          const list = out.get(cached.workspaceId) ?? [];
          list.push(recipient);
          out.set(cached.workspaceId, list);
        }
      }),
    );
    return out;
  }

  /** Parsing, classification and the workspace-independent parts of the message. */
  private async prepare(input: InboundMail, raw: Buffer, at: string): Promise<Prepared> {
    const oversize = raw.length > this.deps.maxMailBytes;
    // Oversize mail: only the header block is parsed (threading, sender, classification still work).
    // Every field a stranger controls is capped before it can reach an item or a key (limits.ts).
    const bounded = boundParsedMail(await parseMail(oversize ? headerBlock(raw) : raw));
    const parsed = bounded.mail;
    const classification = classifyMail(parsed);
    const flags: MessageFlags = {};
    const errors: string[] = [];
    if (oversize)
      errors.push(
        `mail is ${raw.length} bytes, over the ${this.deps.maxMailBytes}-byte limit: body and attachments were not processed; the raw mail is kept at ${input.rawKey}`,
      );
    if (parsed.parseError) errors.push(`MIME could not be parsed in full (${parsed.parseError}); the raw mail is kept`);
    if (bounded.capped.length > 0)
      errors.push(`over their size budgets, cut (the raw mail keeps them): ${bounded.capped.join(', ')}`);

    const v = input.verdicts ?? {};
    if (isFail(v.virus)) flags.quarantined = true;
    if (isFail(v.spam)) flags.spam = true;
    const authFailures = (['spf', 'dkim', 'dmarc'] as const).filter((k) => isFail(v[k]));
    if (authFailures.length > 0) flags.authFailures = [...authFailures];
    const auth: AuthResults = {};
    for (const k of ['spf', 'dkim', 'dmarc'] as const) if (v[k]) auth[k] = v[k].toLowerCase();

    const sender: MailAddress = parsed.from ??
      (input.source ? { address: input.source } : undefined) ?? { address: 'unknown-sender@invalid' };
    sender.address = sender.address.trim().toLowerCase();

    let newText = '';
    let scanCut = false;
    try {
      // Reply-text extraction sees bounded lines and a bounded body: its cost has a ceiling (limits.ts).
      const scan = 4 * MAX_BODY_BYTES;
      const scanned = boundForScan(parsed.text, scan);
      scanCut = scanned !== parsed.text;
      newText = await replyTextOf({
        text: scanned,
        ...(parsed.html !== undefined ? { html: boundForScan(parsed.html, scan) } : {}),
      });
    } catch (e) {
      newText = parsed.text;
      errors.push(`reply text could not be extracted: ${(e as Error).message}`);
    }
    const cut = { text: truncateUtf8(parsed.text, MAX_BODY_BYTES), newText: truncateUtf8(newText, MAX_BODY_BYTES) };
    const contentHash = createHash('sha256')
      .update(`${sender.address}\n${parsed.subject}\n${parsed.date ?? ''}\n`)
      // Trailing whitespace is transport noise (mbox splitting, a relay's final newline), not content.
      .update(parsed.text.trimEnd())
      .update(parsed.attachments.map((a) => `${a.filename}:${a.size}`).join('\n'))
      .digest('base64url')
      .slice(0, 22);
    const html = parsed.html === undefined ? undefined : truncateUtf8(parsed.html, MAX_BODY_BYTES);
    if (scanCut || cut.text !== parsed.text || html !== parsed.html || cut.newText !== newText) {
      // The raw mail in S3 keeps the full body; the message item must stay under 400 KB.
      flags.truncated = true;
    }
    if (errors.length > 0) flags.error = errors.join('; ');

    const messageId = parsed.messageId?.replace(/^<|>$/g, '').trim()
      ? `<${parsed.messageId.replace(/^<|>$/g, '').trim()}>`
      : `<${input.sesMessageId}@ses-inbound.invalid>`;
    return {
      parsed,
      oversize,
      classification,
      sender,
      messageId,
      at,
      newText: cut.newText,
      text: cut.text,
      ...(html !== undefined ? { html } : {}),
      flags,
      ...(Object.keys(auth).length > 0 ? { auth } : {}),
      authenticated: senderAuthenticated(v),
      contentHash,
      // Automated mail (DSN boilerplate, out-of-office text) is searchable by subject and sender only:
      // its body is noise in search, and every token is one more item written.
      keywords: tokenize(
        `${parsed.subject} ${sender.name ?? ''} ${sender.address} ${classification.classification === 'ordinary' ? cut.newText : ''}`,
      ),
    };
  }

  /** The message in one workspace: thread it, commit it (retrying lost races), then the side effects. */
  private async ingestInto(
    workspaceId: string,
    recipients: string[],
    input: InboundMail,
    prepared: Prepared,
    warnings: string[],
  ): Promise<WorkspaceOutcome> {
    const { threads } = this.deps;
    let p = prepared;
    const automated = p.classification.classification !== 'ordinary';
    const tokenThreadId = recipients.map((r) => this.deps.tokens.verify(r, workspaceId)).find(Boolean) ?? null;
    const candidates = threadingCandidates(p.parsed.inReplyTo, p.parsed.references);
    const tagRef = subjectTagRef(p.parsed.subject);

    // The sender's contact card is read once, in the first lookup's BatchGet; it is created only when
    // the message needs it (below).
    let contact: ContactCard | null = null;
    let contactRead = false;

    const attempts = this.deps.retry?.attempts ?? 80;
    // Only unflagged mail may prove that two threads are one (decideThread also wants a contact of both).
    // Automated mail may: list traffic carries `Precedence: junk/bulk` and is classified as automated.
    // A merge also needs a verified sender: authenticated (inbound-trust.ts) and a contact of every thread.
    let mayMerge =
      p.authenticated && !p.flags.spam && !p.flags.quarantined && (p.flags.authFailures?.length ?? 0) === 0;
    let facts: HeaderFacts | null = null;
    // The thread that the last attempt aimed at: re-read in the same BatchGet as the Message-IDs.
    let hint: string | null = null;
    for (let attempt = 0; ; attempt++) {
      if (!facts) {
        let found: Awaited<ReturnType<IngestMail['lookupFacts']>>;
        try {
          found = await this.lookupFacts(workspaceId, p, candidates, tokenThreadId, tagRef, hint, attempt < 3, {
            sender: !contactRead,
          });
        } catch (e) {
          if (!(e instanceof ConcurrentUpdateError) || attempt + 1 >= attempts) throw e;
          await this.sleep(this.backoff(attempt));
          continue;
        }
        if ('duplicate' in found) return this.duplicate(workspaceId, found.duplicate, p);
        // A different mail reusing a known Message-ID: stored, flagged, under an id of its own.
        if (found.reused && !p.flags.messageIdReused) p = { ...p, flags: { ...p.flags, messageIdReused: true } };
        facts = found;
        if (!contactRead) {
          // A card from before the copy on the email item: the contact and its links are read instead.
          contact = found.sender === undefined ? await this.findContact(workspaceId, p.sender.address) : found.sender;
          contactRead = true;
        }
      }
      // A sender whose SPF/DKIM/DMARC fail has no customers here: never verified, no tag join, no merge.
      // Quarantined mail never joins an existing thread (a thread of its own), and merges nothing.
      const decision = quarantineDecision(
        decideThread({
          ...facts,
          senderCustomerIds: trustedCustomerIds(contact?.customerIds ?? [], p.authenticated),
          mayMerge,
        }),
        p.flags.quarantined === true,
      );

      // Unknown senders get a contact (and an auto-created customer), except automated mail that
      // lands in an existing thread: a mailer-daemon is nobody's contact.
      if (!contact && (decision.kind === 'new' || !automated)) {
        contact = await this.ensureContact(workspaceId, p);
        continue;
      }
      if (decision.kind === 'merge') {
        if (attempt + 1 >= attempts) throw new ConcurrentUpdateError('threads kept changing while merging');
        // This mail links threads that arrived apart: merge them first, then thread it as usual.
        try {
          for (const other of decision.merged)
            await mergeThreads(
              { threads, sleep: this.sleep, random: this.random },
              {
                workspaceId,
                survivorId: decision.survivor.threadId,
                mergedId: other.threadId,
                actor: { kind: 'system', id: 'ingest' },
                at: p.at,
              },
            );
        } catch (e) {
          // Threads too big to merge (their list entries would not fit one transaction): the mail is
          // still threaded, without the merge, rather than failing until its retries run out.
          if (!(e instanceof ConflictError)) throw e;
          mayMerge = false;
          warnings.push(`threads not merged: ${e.message}`);
        }
        hint = decision.survivor.threadId;
        facts = null;
        continue;
      }

      try {
        return await this.commit(workspaceId, decision, contact, p, { ...input, recipients }, warnings, facts);
      } catch (e) {
        if (e instanceof DuplicateMessageError) {
          // A twin delivery committed first: a duplicate. A different mail that took this Message-ID at
          // the same moment is no duplicate: read again, and this one is stored as a reuse.
          const twin = e.existing;
          if (twin.direction === undefined || sameContent({ ...twin, direction: twin.direction }, p))
            return this.duplicate(workspaceId, twin, p);
          if (attempt + 1 >= attempts) throw e;
          facts = null;
          hint = null;
          continue;
        }
        if (!(e instanceof ConcurrentUpdateError) || attempt + 1 >= attempts) throw e;
        await this.sleep(this.backoff(attempt));
        // Lost a race: a busy thread, a placeholder claimed first, a merge. Everything is read again in
        // one BatchGet (the Message-IDs and the thread aimed at), and the decision is made again.
        hint = decision.kind === 'append' ? decision.thread.threadId : null;
        facts = null;
      }
    }
  }

  /**
   * One BatchGet for this mail's own Message-ID (a repeat delivery, or a placeholder awaiting it), its
   * In-Reply-To/References and the threads already known to matter; then the threads they name,
   * followed through merges.
   */
  private async lookupFacts(
    workspaceId: string,
    p: Prepared,
    candidates: string[],
    tokenThreadId: string | null,
    tagRef: string | null,
    hint: string | null,
    retryMissing: boolean,
    read: { sender: boolean },
  ): Promise<(HeaderFacts & { sender?: ContactCard | null }) | { duplicate: MessageIdEntry }> {
    const { threads } = this.deps;
    const look = await threads.lookup(workspaceId, {
      messageIds: [p.messageId, ...candidates],
      threadIds: [tokenThreadId, hint].filter((x): x is string => !!x),
      ...(read.sender ? { senderEmail: p.sender.address } : {}),
    });
    const found = bestHeaderMatch([p.messageId], look.entries);
    // A placeholder is not the same mail: it only says that a thread awaits this one.
    const real = found && !found.placeholder ? found : null;
    const self = real ? null : found;
    // The placeholder that this mail's own index entry replaces, if any.
    let claim: MessageIdEntry | null = self;
    if (real && sameContent(real, p)) return { duplicate: real };
    if (real) {
      // The Message-ID is taken by a different mail: this one is indexed under an id of its own, which
      // a repeat delivery of it finds (rare: one more read only on a reuse).
      const reuse = bestHeaderMatch([reuseId(p)], await threads.findMessageIds(workspaceId, [reuseId(p)]));
      if (reuse && !reuse.placeholder) return { duplicate: reuse };
      // A placeholder there was planted by some mail's References: it is replaced, and steers nothing.
      if (reuse) claim = reuse;
    }
    const named: string[] = [];
    const unknown: string[] = [];
    for (const c of candidates) {
      // A mail that names itself (References carrying its own id) gains nothing from it.
      if (bestHeaderMatch([c], [{ messageId: p.messageId, threadId: '', itemId: '', direction: 'inbound' }])) continue;
      const hit = bestHeaderMatch([c], look.entries);
      if (hit) named.push(hit.threadId);
      // A placeholder's key is made of the id: an absurdly long one is looked up, never written.
      else if (Buffer.byteLength(c) <= MAX_PLACEHOLDER_ID_BYTES) unknown.push(c);
    }
    if (self?.placeholder) named.push(self.threadId);
    const live = await resolveThreads(
      threads,
      workspaceId,
      [...(tokenThreadId ? [tokenThreadId] : []), ...named],
      look.threads,
    );
    // An entry is written in the same transaction as its thread, so its thread exists. A read that sees
    // the entry but not the thread overlapped that transaction (two requests are not one snapshot): read
    // again rather than thread without it.
    // Only a few times: an entry whose thread is really gone must not block the mail.
    if (retryMissing && named.some((id) => !live.has(id)))
      throw new ConcurrentUpdateError('a thread named by an entry was not read');
    const tokenThread = tokenThreadId ? (live.get(tokenThreadId) ?? null) : null;
    const headerThreads: Thread[] = [];
    if (!tokenThread)
      for (const id of named) {
        const t = live.get(id);
        if (t && !headerThreads.some((h) => h.threadId === t.threadId)) headerThreads.push(t);
      }
    let tagThread: Thread | null = null;
    if (!tokenThread && headerThreads.length === 0 && tagRef) {
      const id = await threads.findThreadIdByRef(workspaceId, tagRef);
      tagThread = id ? ((await resolveThreads(threads, workspaceId, [id])).get(id) ?? null) : null;
    }
    return {
      tokenThread,
      headerThreads,
      tagThread,
      self: self ?? null,
      claim,
      unknown,
      reused: real !== null,
      ...(read.sender ? { sender: look.sender } : {}),
    };
  }

  private backoff(attempt: number): number {
    const base = this.deps.retry?.baseMs ?? 10;
    const cap = this.deps.retry?.capMs ?? 250;
    // Full jitter: concurrent writers of one thread spread out instead of colliding again.
    return Math.round(this.random() * Math.min(cap, base * 2 ** Math.min(attempt, 10)));
  }

  private async findContact(workspaceId: string, email: string): Promise<ContactCard | null> {
    const found = await this.deps.directory.findContactByEmail(workspaceId, email);
    if (!found) return null;
    return {
      contact: found,
      customerIds: await this.deps.directory.customerIdsOfContact(workspaceId, found.contactId),
    };
  }

  private async ensureContact(workspaceId: string, p: Prepared) {
    const out = await this.deps.directory.ensureContact(workspaceId, {
      email: p.sender.address,
      ...(p.sender.name ? { name: p.sender.name } : {}),
      // Deterministic ids: a repeated delivery that races this one proposes the very same contact.
      contactId: deterministicId(p.at, `contact:${workspaceId}:${p.sender.address}`),
      customerId: deterministicId(p.at, `customer:${workspaceId}:${p.sender.address}`),
      at: p.at,
    });
    return { contact: out.contact, customerIds: out.customerIds };
  }

  private async commit(
    workspaceId: string,
    decision: ThreadingDecision,
    contact: { contact: Pick<Contact, 'contactId' | 'name' | 'externalId'>; customerIds: string[] } | null,
    p: Prepared,
    input: InboundMail,
    warnings: string[],
    facts: HeaderFacts,
  ): Promise<WorkspaceOutcome> {
    if (decision.kind === 'merge') throw new Error('a merge is carried out before the commit');
    const { threads } = this.deps;
    // A mail reusing a known Message-ID gets ids of its own (and an index entry of its own, below).
    const idSeed = p.flags.messageIdReused ? reuseId(p) : p.messageId;
    const itemId = deterministicId(p.at, `item:${workspaceId}:${idSeed}`, '0');
    let before: Thread | null;
    let base: Thread;
    if (decision.kind === 'append') {
      before = decision.thread;
      base = decision.thread;
    } else {
      before = null;
      base = newThread({
        workspaceId,
        // Deterministic: two concurrent deliveries build the same new thread, and one commit wins.
        threadId: deterministicId(p.at, `thread:${workspaceId}:${idSeed}`),
        ref: await threads.nextThreadRef(workspaceId),
        subject: p.parsed.subject.trim() || '(no subject)',
        customerIds: contact?.customerIds ?? [],
        at: p.at,
        ...(decision.linkedThreadId ? { linkedThreadId: decision.linkedThreadId } : {}),
        // The mailbox it came in through (`input.recipients`: this workspace's only): answers go From it.
        mailbox: baseAddress(input.recipients[0]),
      });
    }
    const verifiedSender = (decision.kind === 'new' || decision.verifiedSender) && p.authenticated;
    const flags: MessageFlags = { ...p.flags, ...(verifiedSender ? {} : { unverifiedSender: true }) };
    // Quarantined attachments are never stored apart from the raw mail: nothing to download.
    const attachments = flags.quarantined
      ? p.parsed.attachments.map((a) => ({
          attachmentId: hashId(`${workspaceId}:${idSeed}:${a.filename}`),
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          key: input.rawKey,
          inline: a.inline,
        }))
      : await this.storeAttachments(workspaceId, base.threadId, p, flags, idSeed);

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
      (after.status === 'reminder' || after.status === 'waiting')
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

    await threads.commit({
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
      ...(quiet ? {} : { keywords: p.keywords }),
    });

    await this.afterCommit(workspaceId, base.threadId, p, { keywords: false, inert: quiet, contact });
    await this.publish(warnings, [
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
        detail: {
          itemId,
          messageId: p.messageId,
          from: p.sender.address,
          classification: message.classification,
          flags,
        },
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
    ]);

    const common = { workspaceId, threadId: base.threadId, itemId, classification: message.classification };
    return decision.kind === 'append'
      ? { ...common, outcome: 'appended', via: decision.via, verifiedSender, reopened }
      : {
          ...common,
          outcome: 'created',
          ...(decision.via ? { via: decision.via } : {}),
          ...(decision.linkedThreadId ? { linkedThreadId: decision.linkedThreadId } : {}),
        };
  }

  /** A repeat delivery: nothing new is written, but the idempotent side effects are re-run. */
  private async duplicate(
    workspaceId: string,
    existing: Pick<MessageIdEntry, 'threadId' | 'itemId' | 'inert'>,
    p: Prepared,
  ): Promise<WorkspaceOutcome> {
    // A commit writes the keywords itself; a repeat re-writes them (the first run may have stopped short),
    // except for inert mail, which adds none.
    const inert = existing.inert === true;
    await this.afterCommit(workspaceId, existing.threadId, p, { keywords: !inert, inert, contact: null });
    return {
      workspaceId,
      threadId: existing.threadId,
      itemId: existing.itemId,
      classification: p.classification.classification,
      outcome: 'duplicate',
    };
  }

  /**
   * Idempotent side effects: keywords (only for a repeat delivery: a commit writes them in its
   * transaction), a bounce's failing addresses, and clearing `failing` when real mail arrives from the
   * address. Inert mail (unverified, quarantined) adds no keyword and clears nothing; a bounce (always
   * from a non-contact) still counts when it names mail sent to the address.
   */
  private async afterCommit(
    workspaceId: string,
    threadId: string,
    p: Prepared,
    opts: {
      keywords: boolean;
      inert: boolean;
      contact: { contact: Pick<Contact, 'contactId' | 'failing'> } | null;
    },
  ) {
    const work: Promise<unknown>[] = [];
    if (opts.keywords && !opts.inert && p.keywords.length > 0)
      work.push(this.deps.threads.indexKeywords(workspaceId, threadId, p.keywords));
    const failed = p.classification.bounce?.recipients.some((r) => r.hard) ?? false;
    if (p.classification.classification === 'bounce' && p.authenticated && failed) {
      // A bounce counts only for a message this workspace sent to that address (bounce-match.ts).
      const referenced = [
        ...threadingCandidates(p.parsed.inReplyTo, p.parsed.references),
        ...originalMessageIds(p.parsed),
      ];
      const sent = referenced.length > 0 ? await this.deps.threads.findMessageIds(workspaceId, referenced) : [];
      for (const r of matchBounce(p.classification.bounce?.recipients ?? [], sent)) {
        const reason = `bounce${r.status ? ` ${r.status}` : ''}: ${p.classification.reason}`.slice(0, 500);
        work.push(this.deps.directory.markContactFailing(workspaceId, r.address, reason, p.at));
      }
    }
    if (
      !opts.inert &&
      opts.contact?.contact.failing &&
      p.classification.classification === 'ordinary' &&
      p.authenticated &&
      !p.flags.spam
    ) {
      // Real mail from the address: it is not failing any more.
      work.push(this.deps.directory.clearContactFailing(workspaceId, p.sender.address, p.at));
    }
    await Promise.all(work);
  }

  private async publish(warnings: string[], events: DomainEvent[]) {
    if (!this.deps.events || events.length === 0) return;
    try {
      await this.deps.events.publish(events);
    } catch (e) {
      // The message is committed; a retry would be a duplicate, so the failure is reported, not thrown.
      warnings.push(`domain events not published: ${(e as Error).message}`);
    }
  }

  /** Uploads attachments (inline `cid:` parts included) under deterministic keys: a retry overwrites. */
  private async storeAttachments(
    workspaceId: string,
    threadId: string,
    p: Prepared,
    flags: MessageFlags,
    idSeed: string,
  ): Promise<AttachmentMeta[]> {
    const metas: AttachmentMeta[] = [];
    const uploads: Array<() => Promise<void>> = [];
    const skipped: string[] = [];
    p.parsed.attachments.forEach((a, index) => {
      if (a.truncated) {
        skipped.push(a.filename);
        return;
      }
      const attachmentId = hashId(`${workspaceId}:${idSeed}:${index}`);
      const key = `attachments/${workspaceId}/${threadId}/${attachmentId}`;
      metas.push({
        attachmentId,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        key,
        ...(a.contentId ? { contentId: a.contentId } : {}),
        inline: a.inline,
      });
      uploads.push(() => this.deps.mail.putObject(key, a.content, a.contentType));
    });
    if (skipped.length > 0) {
      const note = `attachments too large to store separately (kept in the raw mail): ${skipped.join(', ')}`;
      flags.error = flags.error ? `${flags.error}; ${note}` : note;
    }
    await runLimited(uploads, UPLOAD_CONCURRENCY);
    return metas;
  }
}

const isFail = (v: Verdict | undefined) => v?.toUpperCase() === 'FAIL';

/** Same mail as the one indexed: a repeat delivery. An entry without a hash predates the hash. */
const sameContent = (entry: Pick<MessageIdEntry, 'direction' | 'contentHash'>, p: Prepared) =>
  entry.direction === 'inbound' && (entry.contentHash === undefined || entry.contentHash === p.contentHash);

/** The index id of a different mail that reuses a known Message-ID. */
const reuseId = (p: Prepared) => `<reuse.${p.contentHash}.${p.messageId.replace(/^<|>$/g, '')}>`;

function validIso(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The header block of a raw mail (up to the first empty line, at most 256 KB). */
function headerBlock(raw: Buffer): Buffer {
  const head = raw.subarray(0, 256 * 1024);
  for (const sep of ['\r\n\r\n', '\n\n']) {
    const end = head.indexOf(sep);
    if (end >= 0) return Buffer.concat([head.subarray(0, end), Buffer.from(sep)]);
  }
  return head;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes, never in the middle of a character. */
export const truncateUtf8 = capBytes;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-shaped id whose time part is `at` and whose random part is a hash of `seed`: the same mail
 * always gets the same thread, item and contact ids, so a repeated delivery cannot create twins.
 * `lane` (one Crockford character) fixes the first random character, so that feed items written at
 * the same instant keep their order (the message, then the status change it caused).
 */
export function deterministicId(at: string, seed: string, lane?: string): string {
  let time = Date.parse(at);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const random = hashId(seed).toUpperCase();
  return head + (lane ? lane + random.slice(0, 15) : random.slice(0, 16));
}

/** 26 Crockford base32 characters of SHA-256. */
function hashId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += CROCKFORD[digest[i] & 31];
  return out.toLowerCase();
}

async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
