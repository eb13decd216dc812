/**
 * The ingest use case: one inbound mail (already stored raw by SES) becomes one message in each
 * workspace it was addressed to. A pipeline of named steps, one file each under `ingest/`:
 *   1. prepare (prepare.ts): parse, bound, classify, cut the reply text, once per mail;
 *   2. route (route.ts): the workspaces that the envelope recipients belong to;
 *   3. decide (decide.ts): per workspace, read the facts in one BatchGet and decide the thread;
 *   4. write plan (write-plan.ts): everything the mail writes, as data; carried out here (uploads, then
 *      ThreadStore.commit, one transaction);
 *   5. after commit (after-commit.ts): keywords of a repeat, a bounce's failing address, events.
 * This file runs them, with the contact, the merges and the retries of lost races in between.
 *
 * Every write is idempotent or conditioned, because SES/Lambda may deliver the same mail twice,
 * even concurrently: the Message-ID index entry (`dedupe: true`) lets exactly one commit win.
 */
import { ConcurrentUpdateError, ConflictError, DuplicateMessageError } from './errors.ts';
import { afterCommit, publishEvents } from './ingest/after-commit.ts';
import { decide, type HeaderFacts, lookupFacts, sameContent } from './ingest/decide.ts';
import { deterministicId } from './ingest/ids.ts';
import { type Prepared, prepareMail, validIso } from './ingest/prepare.ts';
import { RecipientRouter } from './ingest/route.ts';
import type { InboundMail, IngestDeps, IngestResult, WorkspaceOutcome } from './ingest/types.ts';
import { planWrite } from './ingest/write-plan.ts';
import type { ContactCard, MessageIdEntry } from './ports.ts';
import { baseAddress } from './reply-token.ts';
import { mergeThreads } from './thread-merge.ts';
import { subjectTagRef, type ThreadingDecision, threadingCandidates } from './threading.ts';

export { deterministicId } from './ingest/ids.ts';
export { MAX_BODY_BYTES, truncateUtf8 } from './ingest/prepare.ts';
export type {
  InboundMail,
  IngestDeps,
  IngestResult,
  ReplyTokenVerifier,
  Verdict,
  WorkspaceOutcome,
} from './ingest/types.ts';

const UPLOAD_CONCURRENCY = 4;

export class IngestMail {
  private readonly router: RecipientRouter;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly deps: IngestDeps) {
    this.router = new RecipientRouter(deps.directory, deps.clock, deps.routeCacheMs);
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
  }

  /** Ingests one inbound mail. Idempotent: a repeated or concurrent delivery adds nothing twice. */
  async ingest(input: InboundMail): Promise<IngestResult> {
    const at = validIso(input.receivedAt) ?? this.deps.clock.now().toISOString();
    const byWorkspace = await this.router.route(input.recipients);
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
    const prepared = await prepareMail(input, raw, at, this.deps.maxMailBytes);
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

  /** Steps 3 to 5 in one workspace: decide, then write the plan (retrying lost races), then after commit. */
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
        let found: Awaited<ReturnType<typeof lookupFacts>>;
        try {
          found = await lookupFacts(threads, workspaceId, p, {
            candidates,
            tokenThreadId,
            tagRef,
            hint,
            retryMissing: attempt < 3,
            readSender: !contactRead,
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
      const decision = decide(facts, contact, p, mayMerge);

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
        return await this.write(workspaceId, decision, contact, p, { ...input, recipients }, warnings, facts);
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

  /** Builds the write plan and carries it out: the uploads, the one conditional commit, then after commit. */
  private async write(
    workspaceId: string,
    decision: Exclude<ThreadingDecision, { kind: 'merge' }>,
    contact: ContactCard | null,
    p: Prepared,
    input: InboundMail,
    warnings: string[],
    facts: HeaderFacts,
  ): Promise<WorkspaceOutcome> {
    const { threads } = this.deps;
    // The one read a new thread needs first: its short reference (an atomic counter).
    const ref = decision.kind === 'new' ? await threads.nextThreadRef(workspaceId) : undefined;
    const plan = planWrite({
      workspaceId,
      decision,
      contact,
      p,
      rawKey: input.rawKey,
      // The mailbox it came in through (`input.recipients`: this workspace's only): answers go From it.
      mailbox: baseAddress(input.recipients[0]),
      facts,
      ...(ref !== undefined ? { ref } : {}),
    });
    await runLimited(
      plan.uploads.map((u) => () => this.deps.mail.putObject(u.key, u.content, u.contentType)),
      UPLOAD_CONCURRENCY,
    );
    await threads.commit(plan.change);
    await afterCommit(this.deps, workspaceId, plan.threadId, p, { keywords: false, inert: plan.quiet, contact });
    await publishEvents(this.deps.events, warnings, plan.events);
    return plan.outcome;
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
    await afterCommit(this.deps, workspaceId, existing.threadId, p, { keywords: !inert, inert, contact: null });
    return {
      workspaceId,
      threadId: existing.threadId,
      itemId: existing.itemId,
      classification: p.classification.classification,
      outcome: 'duplicate',
    };
  }
}

async function runLimited(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
