/**
 * Step 3 of ingest: where the mail goes in one workspace. The facts are read in one consistent
 * BatchGet (its own Message-ID, the ids it names, the threads that matter, the sender's card), then
 * the threading rules (threading.ts) and the trust rules (inbound-trust.ts) decide: a new thread, an
 * append, or a merge of threads the mail proves to be one.
 */
import { ConcurrentUpdateError } from '../errors.ts';
import { quarantineDecision, trustedCustomerIds } from '../inbound-trust.ts';
import type { Thread } from '../model.ts';
import type { ContactCard, MessageIdEntry, ThreadStore } from '../ports.ts';
import { resolveThreads } from '../thread-merge.ts';
import { bestHeaderMatch, decideThread, type ThreadingDecision } from '../threading.ts';
import type { Prepared } from './prepare.ts';

/** What the headers (and token, and tag) name, as read in one lookup. */
export interface HeaderFacts {
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

/** Real Message-IDs are far shorter (RFC 5322 lines are at most 998 characters). */
const MAX_PLACEHOLDER_ID_BYTES = 250;

/** What one lookup asks for, besides the mail's own Message-ID. */
export interface LookupAsk {
  /** In-Reply-To and References, nearest first (threading.ts `threadingCandidates`). */
  candidates: string[];
  /** The thread that a verified reply token names. */
  tokenThreadId: string | null;
  /** The `[#ref]` of the subject. */
  tagRef: string | null;
  /** The thread that the last attempt aimed at: re-read in the same BatchGet. */
  hint: string | null;
  /** A thread named by an entry but not read is a race (ConcurrentUpdateError): only on the first attempts. */
  retryMissing: boolean;
  /** Reads the sender's contact card in the same BatchGet. */
  readSender: boolean;
}

/**
 * One BatchGet for this mail's own Message-ID (a repeat delivery, or a placeholder awaiting it), its
 * In-Reply-To/References and the threads already known to matter; then the threads they name,
 * followed through merges.
 */
export async function lookupFacts(
  threads: Pick<ThreadStore, 'lookup' | 'findMessageIds' | 'findThreadIdByRef'>,
  workspaceId: string,
  p: Prepared,
  ask: LookupAsk,
): Promise<(HeaderFacts & { sender?: ContactCard | null }) | { duplicate: MessageIdEntry }> {
  const { candidates, tokenThreadId, tagRef, hint, retryMissing } = ask;
  const read = { sender: ask.readSender };
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

/**
 * The decision for the mail, from the facts read. A sender whose SPF/DKIM/DMARC fail has no customers
 * here: never verified, no tag join, no merge. Quarantined mail never joins an existing thread (a thread
 * of its own), and merges nothing.
 */
export function decide(
  facts: HeaderFacts,
  sender: Pick<ContactCard, 'customerIds'> | null,
  p: Pick<Prepared, 'authenticated' | 'flags'>,
  mayMerge: boolean,
): ThreadingDecision {
  return quarantineDecision(
    decideThread({
      ...facts,
      senderCustomerIds: trustedCustomerIds(sender?.customerIds ?? [], p.authenticated),
      mayMerge,
    }),
    p.flags.quarantined === true,
  );
}

/** Same mail as the one indexed: a repeat delivery. An entry without a hash predates the hash. */
export const sameContent = (entry: Pick<MessageIdEntry, 'direction' | 'contentHash'>, p: Prepared) =>
  entry.direction === 'inbound' && (entry.contentHash === undefined || entry.contentHash === p.contentHash);

/** The index id of a different mail that reuses a known Message-ID. */
export const reuseId = (p: Prepared) => `<reuse.${p.contentHash}.${p.messageId.replace(/^<|>$/g, '')}>`;
