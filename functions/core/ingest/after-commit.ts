/**
 * Step 5 of ingest: what follows the commit (or a repeat delivery). Each effect is idempotent, so a
 * delivery that is retried, or a twin that finds the mail already stored, runs them again safely.
 */
import { matchBounce, originalMessageIds } from '../bounce-match.ts';
import type { Contact } from '../model.ts';
import type { DirectoryStore, DomainEvent, EventPublisher, ThreadStore } from '../ports.ts';
import { threadingCandidates } from '../threading.ts';
import type { Prepared } from './prepare.ts';

/**
 * Idempotent side effects: keywords (only for a repeat delivery: a commit writes them in its
 * transaction), a bounce's failing addresses, and clearing `failing` when real mail arrives from the
 * address. Inert mail (unverified, quarantined) adds no keyword and clears nothing; a bounce (always
 * from a non-contact) still counts when it names mail sent to the address.
 */
export async function afterCommit(
  deps: {
    threads: Pick<ThreadStore, 'indexKeywords' | 'findMessageIds'>;
    directory: Pick<DirectoryStore, 'markContactFailing' | 'clearContactFailing'>;
  },
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
    work.push(deps.threads.indexKeywords(workspaceId, threadId, p.keywords));
  const failed = p.classification.bounce?.recipients.some((r) => r.hard) ?? false;
  if (p.classification.classification === 'bounce' && p.authenticated && failed) {
    // A bounce counts only for a message this workspace sent to that address (bounce-match.ts).
    const referenced = [
      ...threadingCandidates(p.parsed.inReplyTo, p.parsed.references),
      ...originalMessageIds(p.parsed),
    ];
    const sent = referenced.length > 0 ? await deps.threads.findMessageIds(workspaceId, referenced) : [];
    for (const r of matchBounce(p.classification.bounce?.recipients ?? [], sent)) {
      const reason = `bounce${r.status ? ` ${r.status}` : ''}: ${p.classification.reason}`.slice(0, 500);
      work.push(deps.directory.markContactFailing(workspaceId, r.address, reason, p.at));
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
    work.push(deps.directory.clearContactFailing(workspaceId, p.sender.address, p.at));
  }
  await Promise.all(work);
}

/** Publishes the committed mail's domain events; a failure is a warning, never an error. */
export async function publishEvents(publisher: EventPublisher | undefined, warnings: string[], events: DomainEvent[]) {
  if (!publisher || events.length === 0) return;
  try {
    await publisher.publish(events);
  } catch (e) {
    // The message is committed; a retry would be a duplicate, so the failure is reported, not thrown.
    warnings.push(`domain events not published: ${(e as Error).message}`);
  }
}
