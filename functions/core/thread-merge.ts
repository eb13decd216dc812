/**
 * Merging two threads that are one conversation: by hand (an agent, through the API) or automatically,
 * when a late mail proves it (its own Message-ID was awaited by one thread and its parent lives in the
 * other). See docs/threading.md for what a merge does and why.
 *
 * The survivor keeps its id, ref, subject, status and timer; it gains the merged thread's feed (copied,
 * so every message stays in time order), customers, tags, attachments and counters. The merged thread
 * becomes a closed forwarding address (`mergedInto`): lookups by its id, its `[#ref]`, its reply token
 * or its Message-IDs resolve to the survivor, and its statusVersion moves on so that none of its timers
 * can act any more.
 */
import { createHash } from 'node:crypto';
import { ConcurrentUpdateError, ConflictError, ThreadNotFoundError, ValidationError } from './errors.ts';
import { tokenize } from './keywords.ts';
import { LIMITS } from './limits.ts';
import type { Actor, FeedItem, Thread, UpdateItem } from './model.ts';
import type { ThreadStore } from './ports.ts';
import { updateItem } from './thread-state.ts';

const MAX_MERGED_FROM = 20;
const MAX_TAGS = 50;
/** The card's caps are those of ingest (limits.ts): a merge never makes a thread item outgrow its budget. */
const MAX_ATTACHMENT_NAMES = LIMITS.cardAttachmentNames;
const MAX_REFERENCES = LIMITS.threadReferences;
/** A chain of forwarding addresses longer than this is refused rather than followed forever. */
const MAX_HOPS = 8;

const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a > b ? a : b);
const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** The two threads' new state, and the update that each feed shows. Pure. */
export function mergedState(
  survivor: Thread,
  merged: Thread,
  input: { at: string; actor: Actor; itemIds: { survivor: string; merged: string } },
): { survivor: Thread; merged: Thread; items: UpdateItem[] } {
  const what = {
    from: { threadId: merged.threadId, ref: merged.ref, subject: merged.subject },
    to: { threadId: survivor.threadId, ref: survivor.ref, subject: survivor.subject },
  };
  // The card's face (snippet, latest contact, last Message-ID) is that of the thread with the latest message.
  const face = (merged.lastMessageAt ?? '') > (survivor.lastMessageAt ?? '') ? merged : survivor;
  const lastMessageAt = later(survivor.lastMessageAt, merged.lastMessageAt);
  const next: Thread = {
    ...survivor,
    customerIds: union(survivor.customerIds, merged.customerIds),
    tags: union(survivor.tags, merged.tags).slice(0, MAX_TAGS),
    hasAttachments: survivor.hasAttachments || merged.hasAttachments,
    attachmentNames: union(survivor.attachmentNames, merged.attachmentNames).slice(0, MAX_ATTACHMENT_NAMES),
    messageCount: survivor.messageCount + merged.messageCount,
    // The merged thread's items, plus the merge update itself.
    itemCount: survivor.itemCount + merged.itemCount + 1,
    ...(lastMessageAt ? { lastMessageAt } : {}),
    snippet: face.snippet,
    ...(face.latestContact ? { latestContact: face.latestContact } : {}),
    ...(face.lastMessageId ? { lastMessageId: face.lastMessageId } : {}),
    references: union(survivor.references, merged.references).slice(-MAX_REFERENCES),
    ...(survivor.assignee || merged.assignee ? { assignee: survivor.assignee ?? merged.assignee } : {}),
    mergedFrom: [...(survivor.mergedFrom ?? []), merged.threadId].slice(-MAX_MERGED_FROM),
    updatedAt: later(later(survivor.updatedAt, merged.updatedAt), input.at) as string,
  };
  if (face === survivor && !survivor.latestContact) delete next.latestContact;
  const { reminderIndex: _r, ...rest } = merged;
  const gone: Thread = {
    ...rest,
    status: 'closed',
    // Supersedes any timer of the merged thread: its statusVersion check fails, and the dispatcher stops it.
    statusVersion: merged.statusVersion + 1,
    mergedInto: survivor.threadId,
    itemCount: merged.itemCount + 1,
    updatedAt: later(merged.updatedAt, input.at) as string,
  };
  return {
    survivor: next,
    merged: gone,
    items: [
      updateItem(survivor, {
        itemId: input.itemIds.survivor,
        at: input.at,
        actor: input.actor,
        field: 'merge',
        ...what,
      }),
      updateItem(merged, { itemId: input.itemIds.merged, at: input.at, actor: input.actor, field: 'merge', ...what }),
    ],
  };
}

export interface MergeDeps {
  threads: Pick<ThreadStore, 'lookup' | 'copyFeed' | 'commitMerge' | 'indexKeywords'>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface MergeResult {
  survivor: Thread;
  /** False when the two ids already named one thread (a repeated request): nothing was written. */
  merged: boolean;
}

/** Follows `mergedInto` from each id to the live thread, in at most MAX_HOPS rounds of one BatchGet. */
export async function resolveThreads(
  threads: Pick<ThreadStore, 'lookup'>,
  workspaceId: string,
  ids: string[],
  known: Thread[] = [],
): Promise<Map<string, Thread>> {
  const byId = new Map(known.map((t) => [t.threadId, t]));
  const absent = new Set<string>();
  const follow = (id: string) => {
    let cur = id;
    for (let i = 0; i <= MAX_HOPS; i++) {
      const next = byId.get(cur)?.mergedInto;
      if (!next) break;
      cur = next;
    }
    return cur;
  };
  for (let round = 0; round <= MAX_HOPS; round++) {
    const missing = [...new Set(ids.map(follow))].filter((id) => !byId.has(id) && !absent.has(id));
    if (missing.length === 0) {
      const out = new Map<string, Thread>();
      for (const id of ids) {
        const t = byId.get(follow(id));
        if (t && !t.mergedInto) out.set(id, t);
      }
      return out;
    }
    const found = await threads.lookup(workspaceId, { messageIds: [], threadIds: missing });
    for (const t of found.threads) byId.set(t.threadId, t);
    for (const id of missing) if (!byId.has(id)) absent.add(id);
  }
  throw new ValidationError('thread merges form too long a chain');
}

/** The search tokens of copied messages, as ingest computes them, so the survivor is found by them. */
function keywordsOf(items: FeedItem[]): string[] {
  const tokens = new Set<string>();
  for (const i of items) {
    if (i.type !== 'message') continue;
    // Inert mail (an unverified sender, a quarantined mail) adds no keyword to a thread (inbound-trust.ts).
    if (i.flags.unverifiedSender || i.flags.quarantined) continue;
    const body = i.classification === 'ordinary' ? i.newText : '';
    for (const t of tokenize(`${i.subject} ${i.from.name ?? ''} ${i.from.address} ${body}`)) tokens.add(t);
  }
  return [...tokens];
}

/**
 * Merges `mergedId` into `survivorId`, both resolved first through earlier merges. Idempotent: merging
 * threads that are already one returns the survivor, with `merged: false`. Safe against concurrent
 * writers: the merged thread's feed is copied first, then one transaction conditioned on both threads'
 * `rev` switches them over; a write to either in between makes the transaction fail, and the copy is
 * made again.
 */
export async function mergeThreads(
  deps: MergeDeps,
  input: { workspaceId: string; survivorId: string; mergedId: string; actor: Actor; at: string },
): Promise<MergeResult> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const { workspaceId } = input;
  for (let attempt = 0; ; attempt++) {
    const live = await resolveThreads(deps.threads, workspaceId, [input.survivorId, input.mergedId]);
    const survivor = live.get(input.survivorId);
    const merged = live.get(input.mergedId);
    if (!survivor) throw new ThreadNotFoundError(`thread ${input.survivorId} not found`);
    if (!merged) throw new ThreadNotFoundError(`thread ${input.mergedId} not found`);
    if (survivor.threadId === merged.threadId) return { survivor, merged: false };
    // A quarantined mail's thread is listed in the quarantine view only: merging would either hide a live
    // conversation there or bring the quarantined mail into the inbox (inbound-trust.ts).
    if (survivor.quarantined || merged.quarantined)
      throw new ConflictError('a quarantined thread cannot be merged', {
        threadId: survivor.quarantined ? survivor.threadId : merged.threadId,
      });
    const copied = await deps.threads.copyFeed(workspaceId, merged.threadId, survivor.threadId);
    const seed = `merge:${workspaceId}:${merged.threadId}:${survivor.threadId}`;
    const change = mergedState(survivor, merged, {
      at: input.at,
      actor: input.actor,
      itemIds: { survivor: mergeItemId(input.at, `${seed}:s`), merged: mergeItemId(input.at, `${seed}:m`) },
    });
    try {
      await deps.threads.commitMerge({
        survivorBefore: survivor,
        survivorAfter: change.survivor,
        mergedBefore: merged,
        mergedAfter: change.merged,
        items: change.items,
      });
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError) || attempt >= 30) throw e;
      await sleep(Math.round(random() * Math.min(250, 10 * 2 ** Math.min(attempt, 8))));
      continue;
    }
    await deps.threads.indexKeywords(workspaceId, survivor.threadId, keywordsOf(copied));
    return { survivor: { ...change.survivor, rev: survivor.rev + 1 }, merged: true };
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id: time from `at`, the rest a hash of `seed` (a repeated merge builds the same items). */
function mergeItemId(at: string, seed: string): string {
  let time = Date.parse(at);
  let head = '';
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const digest = createHash('sha256').update(seed).digest();
  let tail = '';
  for (let i = 0; i < 16; i++) tail += CROCKFORD[digest[i] & 31];
  return head + tail;
}
