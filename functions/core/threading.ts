/**
 * The threading rule of inbound mail, as a pure decision over facts that the ingest use case has
 * already looked up. The order is the product's: (1) a valid reply token, (2) In-Reply-To and
 * References against the workspace's Message-ID index, (3) a subject tag `[#REF]` from a contact of
 * that thread's customers, (4) a new thread. A closed thread is never appended to: the mail opens a
 * new thread linked to it.
 *
 * Headers are matched as the JWZ algorithm does, independently of arrival order: a mail whose parent is
 * not known yet leaves placeholder entries for the ids it names, so the parent (or a sibling) joins it
 * later; and when one mail's headers name two live threads (its own Message-ID awaited by one, its
 * parent in the other), it proves they are one conversation, and they are merged (docs/threading.md).
 */
import type { Thread } from './model.ts';
import type { MessageIdEntry } from './ports.ts';

export type ThreadingVia = 'token' | 'header' | 'subject';

export interface ThreadingFacts {
  /** The thread named by a valid reply token in a recipient address (null: no token, or no such thread). */
  tokenThread: Thread | null;
  /**
   * The live threads that the headers name, best first: those of In-Reply-To and References (nearest
   * ancestor first), then the thread that awaits this mail's own Message-ID (a placeholder).
   */
  headerThreads: Thread[];
  /** The thread named by a `[#REF]` subject tag. */
  tagThread: Thread | null;
  /** Customers of the sender's contact; empty for an unknown sender. */
  senderCustomerIds: string[];
  /**
   * Whether this mail may merge threads: not spam or quarantined, no failed SPF/DKIM/DMARC.
   * It must also come from a contact of every thread involved: a stranger's headers merge nothing.
   */
  mayMerge?: boolean;
}

export type ThreadingDecision =
  | {
      kind: 'append';
      thread: Thread;
      via: ThreadingVia;
      /** False when the sender is not a contact of the thread's customers (possible hijacking). */
      verifiedSender: boolean;
    }
  | {
      /** The headers prove these threads are one: merge them into `survivor` (the oldest), then append. */
      kind: 'merge';
      survivor: Thread;
      merged: Thread[];
    }
  | {
      kind: 'new';
      /** Set when the mail matched a closed thread: the new thread links to it. */
      linkedThreadId?: string;
      /** Why no existing thread was used. */
      reason: 'no-match' | 'closed' | 'subject-tag-from-non-contact';
      via?: ThreadingVia;
    };

/** True when the sender is a contact of one of the thread's customers. */
export function isContactOfThread(thread: Thread, senderCustomerIds: string[]): boolean {
  return senderCustomerIds.some((c) => thread.customerIds.includes(c));
}

/** Decides where an inbound mail goes, from looked-up facts only. */
export function decideThread(facts: ThreadingFacts): ThreadingDecision {
  const [primary, ...others] = facts.headerThreads;
  const byHeaders: Array<[ThreadingVia, Thread | undefined | null]> = [
    ['token', facts.tokenThread],
    ['header', primary],
  ];
  for (const [via, thread] of byHeaders) {
    if (!thread) continue;
    if (thread.status === 'closed') return { kind: 'new', linkedThreadId: thread.threadId, reason: 'closed', via };
    if (via === 'header') {
      const rest = others.filter((t) => t.status !== 'closed' && t.threadId !== thread.threadId);
      const all = [thread, ...rest];
      if (rest.length > 0 && facts.mayMerge && all.every((t) => isContactOfThread(t, facts.senderCustomerIds))) {
        const survivor = oldest(all);
        return { kind: 'merge', survivor, merged: all.filter((t) => t !== survivor) };
      }
    }
    // A token or header match from a non-contact is stored in the thread, flagged (never dropped).
    return { kind: 'append', thread, via, verifiedSender: isContactOfThread(thread, facts.senderCustomerIds) };
  }
  const tagged = facts.tagThread;
  if (tagged) {
    // A subject tag is trivially forged: it counts only for a contact of that thread's customers.
    if (!isContactOfThread(tagged, facts.senderCustomerIds))
      return { kind: 'new', reason: 'subject-tag-from-non-contact', via: 'subject' };
    if (tagged.status === 'closed')
      return { kind: 'new', linkedThreadId: tagged.threadId, reason: 'closed', via: 'subject' };
    return { kind: 'append', thread: tagged, via: 'subject', verifiedSender: true };
  }
  return { kind: 'new', reason: 'no-match' };
}

/** The thread that survives a merge: the oldest, so that the same threads always merge the same way. */
export function oldest(threads: Thread[]): Thread {
  return threads.reduce((a, b) =>
    b.createdAt < a.createdAt || (b.createdAt === a.createdAt && b.threadId < a.threadId) ? b : a,
  );
}

/**
 * The Message-IDs to look up for threading, best first: In-Reply-To (the direct parent), then
 * References from the nearest ancestor back to the root. Capped, because a hostile mail can carry
 * thousands.
 */
export function threadingCandidates(inReplyTo: string | undefined, references: string[], max = 50): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of [...(inReplyTo ? [inReplyTo] : []), ...[...references].reverse()]) {
    const key = id.trim().replace(/^<|>$/g, '').toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(id.trim());
    if (out.length >= max) break;
  }
  return out;
}

/** The known entry of the best candidate (see {@link threadingCandidates}), or null. */
export function bestHeaderMatch(candidates: string[], known: MessageIdEntry[]): MessageIdEntry | null {
  const byId = new Map(known.map((e) => [comparable(e.messageId), e]));
  for (const c of candidates) {
    const hit = byId.get(comparable(c));
    if (hit) return hit;
  }
  return null;
}

const comparable = (messageId: string) => messageId.trim().replace(/^<|>$/g, '').toLowerCase();

/** The reference in a `[#REF]` subject tag (the last one, as replies prepend), or null. */
export function subjectTagRef(subject: string): string | null {
  const matches = [...subject.matchAll(/\[#([A-Za-z0-9][A-Za-z0-9-]{0,31})\]/g)];
  return matches.length > 0 ? matches[matches.length - 1][1] : null;
}
