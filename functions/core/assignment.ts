/**
 * Assignment on arrival (docs/assignment.md): when a workspace turns it on, a customer's NEW thread (mail or
 * chat) is assigned round-robin among the agents marked available, skipping those away.
 *
 * Fair and race-safe under concurrent arrivals and repeated stream deliveries:
 * - the workspace has one rotation cursor, a counter; each thread claims exactly one slot of it
 *   (`AssignmentStore.claim`: the thread's claim is created once, and only its creator advances the
 *   counter), so 30 arrivals on 3 agents are 10/10/10 whatever their interleaving;
 * - a thread's claim is written once: a repeated delivery finds it and reuses its agent, never a new slot;
 * - the assignment itself is an ordinary versioned commit of the thread (an `assignee` update in the feed,
 *   by the system), made only while the thread has no assignee: an agent who took it first wins.
 */
import type { AgentProfile } from './agents.ts';
import { ConcurrentUpdateError } from './errors.ts';
import type { Actor, Thread } from './model.ts';
import type { Clock, IdGenerator, ThreadStore } from './ports.ts';
import { updateItem, withItem } from './thread-state.ts';

export type Availability = 'available' | 'away';
export const AVAILABILITIES: readonly Availability[] = ['available', 'away'];

/** An agent without a stored availability is available (a workspace that turns assignment on needs no set-up). */
export const availabilityOf = (a: Pick<AgentProfile, 'availability'>): Availability => a.availability ?? 'available';

export const ASSIGNMENT_ACTOR: Actor = { kind: 'system', id: 'assignment' };

/**
 * The agents the rotation goes through: available, and allowed to answer (a read-only agent cannot), in a
 * stable order (by id), so that slot n names the same agent on every Lambda.
 */
export function rotationOf(agents: AgentProfile[]): string[] {
  return agents
    .filter((a) => a.role !== 'readonly' && availabilityOf(a) === 'available')
    .map((a) => a.agentId)
    .sort();
}

/** The agent of slot `slot` of the rotation. */
export function agentOfSlot(rotation: string[], slot: number): string {
  if (rotation.length === 0) throw new Error('an empty rotation has no agent');
  return rotation[((slot % rotation.length) + rotation.length) % rotation.length];
}

/** A thread that assignment on arrival takes: a customer's new thread that nobody has. */
export function arrivesForAssignment(t: Thread): boolean {
  return t.messageCount >= 1 && !t.quarantined && !t.mergedInto && !t.assignee && t.status !== 'closed';
}

/** A thread's claim of a slot of the rotation: written once per thread. */
export interface AssignmentClaim {
  slot: number;
  agentId: string;
  /** `done` once the assignment was committed (or found unnecessary): a later delivery does nothing. */
  state: 'claimed' | 'done';
}

export interface AssignmentStore {
  /**
   * Claims the next slot of the workspace's rotation for `threadId`, or returns the claim it already has.
   * `pick` names the agent of a slot. A thread takes one slot, whatever the number of calls for it.
   */
  claim(workspaceId: string, threadId: string, pick: (slot: number) => string): Promise<AssignmentClaim>;
  markDone(workspaceId: string, threadId: string): Promise<void>;
}

export interface AssignmentDeps {
  assignments: AssignmentStore;
  threads: Pick<ThreadStore, 'getThread' | 'commit'>;
  /** The workspace's agents (profiles with their availability). */
  listAgents(workspaceId: string): Promise<AgentProfile[]>;
  /** Whether the workspace assigns on arrival (its settings). */
  assignsOnArrival(workspaceId: string): Promise<boolean>;
  clock: Clock;
  ids: IdGenerator;
}

export type AssignmentOutcome =
  | { outcome: 'off' | 'notNew' | 'noAgentAvailable' | 'alreadyDone' | 'taken' }
  | { outcome: 'assigned'; agentId: string; slot: number };

/** Commits that may meet a concurrent write (a customer's second mail, an agent's change) before giving up. */
const COMMIT_ATTEMPTS = 5;

/**
 * Assigns a newly arrived thread (the thread as inserted). Idempotent: run again for the same thread it
 * assigns nothing more and takes no other slot.
 */
export async function assignOnArrival(deps: AssignmentDeps, inserted: Thread): Promise<AssignmentOutcome> {
  const { workspaceId, threadId } = inserted;
  if (!arrivesForAssignment(inserted)) return { outcome: 'notNew' };
  if (!(await deps.assignsOnArrival(workspaceId))) return { outcome: 'off' };
  const current = await deps.threads.getThread(workspaceId, threadId);
  if (!current || !arrivesForAssignment(current)) return { outcome: 'taken' };
  const rotation = rotationOf(await deps.listAgents(workspaceId));
  if (rotation.length === 0) return { outcome: 'noAgentAvailable' };
  const claim = await deps.assignments.claim(workspaceId, threadId, (slot) => agentOfSlot(rotation, slot));
  if (claim.state === 'done') return { outcome: 'alreadyDone' };

  for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
    const before = attempt === 1 ? current : await deps.threads.getThread(workspaceId, threadId);
    // Someone assigned it (or it closed) meanwhile: theirs wins; the slot stays spent, as a manual pick.
    if (!before || !arrivesForAssignment(before)) {
      await deps.assignments.markDone(workspaceId, threadId);
      return { outcome: 'taken' };
    }
    const at = deps.clock.now().toISOString();
    const item = updateItem(before, {
      itemId: deps.ids.newId(),
      at,
      actor: ASSIGNMENT_ACTOR,
      field: 'assignee',
      from: null,
      to: claim.agentId,
    });
    try {
      await deps.threads.commit({ before, after: withItem({ ...before, assignee: claim.agentId }, at), items: [item] });
      await deps.assignments.markDone(workspaceId, threadId);
      return { outcome: 'assigned', agentId: claim.agentId, slot: claim.slot };
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError) || attempt === COMMIT_ATTEMPTS) throw e;
    }
  }
  throw new Error('unreachable');
}
