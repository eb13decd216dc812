/**
 * Bulk work: one request changes up to 100 threads (assign, tag, status, close, snooze). Each thread is its own
 * versioned commit through `updateThread`, exactly as if the change had been made alone: its own feed
 * updates, its own statusVersion (so the dispatcher starts and supersedes its timer), its own live event.
 * One thread's conflict never blocks another's change; the answer says what happened to each.
 */
import { NotFoundError, ValidationError, VersionConflictError } from '#core/errors.ts';
import type { ThreadStatus } from '#core/model.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { type ThreadPatch, updateThread } from './threads.ts';

export const BULK_MAX_THREADS = 100;
/** Threads changed at once: enough to answer 100 in a few seconds, few enough to spare the table. */
const PARALLEL = 8;
/** Without a version, a thread that changes under the request is read again this many times. */
const UNVERSIONED_ATTEMPTS = 4;

export interface BulkChange {
  assignee?: string | null;
  addTags?: string[];
  removeTags?: string[];
  status?: ThreadStatus;
  /** With status `snoozed`: when the threads come back (each validated as a single snooze would be). */
  snoozedUntil?: string;
}

export interface BulkTarget {
  threadId: string;
  /** The version the caller saw: a thread changed since is a `conflict`. Absent: the current one. */
  version?: number;
}

export type BulkResult =
  | { threadId: string; result: 'done'; version: number; changed: boolean }
  | { threadId: string; result: 'conflict'; currentVersion?: number }
  | { threadId: string; result: 'notFound' }
  | { threadId: string; result: 'invalid'; message: string };

export async function bulkUpdate(
  deps: ApiDeps,
  ctx: CallerContext,
  targets: BulkTarget[],
  change: BulkChange,
): Promise<BulkResult[]> {
  const ids = targets.map((t) => t.threadId);
  if (new Set(ids).size !== ids.length) throw new ValidationError('each thread at most once in a bulk request');
  if (Object.values(change).every((v) => v === undefined))
    throw new ValidationError('a bulk request changes something');
  // Checked once for the whole request (a 400), not as 100 `invalid` results of the same mistake.
  if (change.status === 'snoozed' && change.snoozedUntil === undefined)
    throw new ValidationError('status snoozed needs snoozedUntil');
  if (change.snoozedUntil !== undefined && change.status !== 'snoozed')
    throw new ValidationError('snoozedUntil goes with status: snoozed');
  const results: BulkResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      results[i] = await applyOne(deps, ctx, targets[i], change);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, targets.length) }, worker));
  return results;
}

async function applyOne(
  deps: ApiDeps,
  ctx: CallerContext,
  target: BulkTarget,
  change: BulkChange,
): Promise<BulkResult> {
  const { threadId } = target;
  for (let attempt = 1; ; attempt++) {
    const thread = await deps.threads.getThread(ctx.workspaceId, threadId);
    if (!thread || thread.mergedInto) return { threadId, result: 'notFound' };
    if (target.version !== undefined && thread.rev !== target.version)
      return { threadId, result: 'conflict', currentVersion: thread.rev };
    const patch: ThreadPatch = { version: thread.rev };
    if (change.assignee !== undefined) patch.assignee = change.assignee;
    if (change.status !== undefined) patch.status = change.status;
    if (change.snoozedUntil !== undefined) patch.snoozedUntil = change.snoozedUntil;
    if (change.addTags || change.removeTags) {
      const remove = new Set((change.removeTags ?? []).map((t) => t.trim().toLowerCase()));
      patch.tags = [...new Set([...thread.tags, ...(change.addTags ?? [])].map((t) => t.trim().toLowerCase()))].filter(
        (t) => !remove.has(t),
      );
    }
    try {
      const after = await updateThread(deps, ctx, threadId, patch);
      return { threadId, result: 'done', version: after.rev, changed: after.rev !== thread.rev };
    } catch (e) {
      if (e instanceof NotFoundError) return { threadId, result: 'notFound' };
      if (e instanceof VersionConflictError) {
        if (target.version === undefined && attempt < UNVERSIONED_ATTEMPTS) continue;
        return { threadId, result: 'conflict' };
      }
      if (e instanceof ValidationError) return { threadId, result: 'invalid', message: e.message };
      throw e;
    }
  }
}
