/**
 * Who an inbound mail may be trusted to come from, and what untrusted mail may change. The rules:
 * - authentication counts: a DMARC failure, or SPF and DKIM both failing, means the From is not
 *   verified, whoever it names (a forged From of a contact);
 * - unverified means inert: mail matched to a thread by a token, a header or a tag, from a sender who
 *   is not a verified contact of that thread's customers, is stored in the feed, flagged, and changes
 *   nothing a stranger could use: not the card (snippet, latest contact, attachment names, counters,
 *   last update), not the references or keywords of the thread, not its status;
 * - quarantined mail (a virus verdict) never joins an existing thread: it gets a thread of its own,
 *   linked to the one it matched, listed only in the quarantine view, with nothing on its card.
 */
import type { Thread } from './model.ts';
import type { ThreadingDecision } from './threading.ts';

export interface AuthVerdicts {
  spf?: string;
  dkim?: string;
  dmarc?: string;
}

const fails = (v: string | undefined) => v?.toUpperCase() === 'FAIL';

/** False when the verdicts say the From cannot be trusted: DMARC FAIL, or SPF and DKIM both FAIL. */
export function senderAuthenticated(v: AuthVerdicts | undefined): boolean {
  if (!v) return true;
  return !(fails(v.dmarc) || (fails(v.spf) && fails(v.dkim)));
}

/**
 * The sender's customers as threading may use them: none for mail that failed authentication, so
 * that a forged From of a contact is treated like a stranger (never verified, no subject-tag join).
 */
export function trustedCustomerIds(customerIds: string[], authenticated: boolean): string[] {
  return authenticated ? customerIds : [];
}

/** Quarantined mail never lands in an existing thread: it opens its own, linked to the match. */
export function quarantineDecision(decision: ThreadingDecision, quarantined: boolean): ThreadingDecision {
  if (!quarantined || decision.kind !== 'append') return decision;
  return { kind: 'new', linkedThreadId: decision.thread.threadId, reason: 'no-match', via: decision.via };
}

/**
 * The thread after an inert message: exactly the thread before it (the store still bumps `rev`).
 * The message itself is in the feed, flagged, where agents find it.
 */
export function inertThread(before: Thread): Thread {
  return { ...before };
}

/** The card of a quarantined mail's own thread: nothing from the mail is shown on it. */
export function quarantinedThread(thread: Thread): Thread {
  const { latestContact: _c, lastMessageId: _m, ...rest } = thread;
  return { ...rest, quarantined: true, snippet: '', attachmentNames: [], hasAttachments: false, references: [] };
}
