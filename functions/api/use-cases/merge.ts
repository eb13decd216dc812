/**
 * Merging two threads by hand: an agent (or the integration) says that two threads are one conversation.
 * The rules of a merge live in the core (functions/core/thread-merge.ts, docs/threading.md); this use
 * case checks the request and names the caller as the actor of the merge in both feeds.
 */
import { ValidationError } from '#core/errors.ts';
import type { Thread } from '#core/model.ts';
import { mergeThreads } from '#core/thread-merge.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';

/** Merges `mergedId` into `survivorId`; returns the survivor. Repeating it changes nothing. */
export async function mergeIntoThread(
  deps: ApiDeps,
  ctx: CallerContext,
  survivorId: string,
  mergedId: string,
): Promise<Thread> {
  if (survivorId === mergedId)
    throw new ValidationError('a thread cannot be merged into itself', { threadId: mergedId });
  const out = await mergeThreads(
    { threads: deps.threads },
    { workspaceId: ctx.workspaceId, survivorId, mergedId, actor: ctx.actor, at: deps.clock.now().toISOString() },
  );
  return out.survivor;
}
