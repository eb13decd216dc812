/** Assignment on arrival: the rotation, and the use case against in-memory ports (functions/core/assignment.ts). */
import { describe, expect, it } from 'vitest';
import type { AgentProfile } from '#core/agents.ts';
import {
  type AssignmentClaim,
  type AssignmentDeps,
  agentOfSlot,
  arrivesForAssignment,
  assignOnArrival,
  rotationOf,
} from '#core/assignment.ts';
import { ConcurrentUpdateError } from '#core/errors.ts';
import type { FeedItem, Thread } from '#core/model.ts';
import { newThread } from '#core/thread-state.ts';

const agent = (agentId: string, extra: Partial<AgentProfile> = {}): AgentProfile => ({
  workspaceId: 'ws',
  agentId,
  name: agentId,
  email: `${agentId}@acme.example`,
  role: 'agent',
  createdAt: '2026-12-01T00:00:00.000Z',
  ...extra,
});

const thread = (threadId: string, extra: Partial<Thread> = {}): Thread => ({
  ...newThread({
    workspaceId: 'ws',
    threadId,
    ref: threadId,
    subject: 'Hi',
    customerIds: [],
    at: '2026-12-01T00:00:00.000Z',
  }),
  messageCount: 1,
  ...extra,
});

describe('the rotation', () => {
  it('holds the available agents who may answer, by id: away and read-only agents are skipped', () => {
    const agents = [
      agent('c'),
      agent('a', { availability: 'available' }),
      agent('d', { availability: 'away' }),
      agent('b', { role: 'admin' }),
      agent('e', { role: 'readonly' }),
    ];
    expect(rotationOf(agents)).toEqual(['a', 'b', 'c']);
    expect(rotationOf([agent('x', { availability: 'away' })])).toEqual([]);
  });

  it('gives each agent one slot in turn, so n slots are spread within one of each other', () => {
    const rotation = ['a', 'b', 'c'];
    expect([0, 1, 2, 3, 4, 5, 6].map((s) => agentOfSlot(rotation, s))).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
    const counts: Record<string, number> = {};
    for (let s = 0; s < 31; s++) counts[agentOfSlot(rotation, s)] = (counts[agentOfSlot(rotation, s)] ?? 0) + 1;
    expect(counts).toEqual({ a: 11, b: 10, c: 10 });
    expect(() => agentOfSlot([], 0)).toThrow(/empty rotation/);
  });

  it("takes a customer's new thread nobody has; not an agent's empty one, a quarantined, merged, assigned or closed one", () => {
    expect(arrivesForAssignment(thread('t'))).toBe(true);
    expect(arrivesForAssignment(thread('t', { messageCount: 0 }))).toBe(false);
    expect(arrivesForAssignment(thread('t', { quarantined: true }))).toBe(false);
    expect(arrivesForAssignment(thread('t', { mergedInto: 'u' }))).toBe(false);
    expect(arrivesForAssignment(thread('t', { assignee: 'a' }))).toBe(false);
    expect(arrivesForAssignment(thread('t', { status: 'closed' }))).toBe(false);
  });
});

/** In-memory ports: a thread store with rev checks, a claim store with one cursor. */
function fakes(opts: { agents: AgentProfile[]; on?: boolean; threads: Thread[] }) {
  const threads = new Map(opts.threads.map((t) => [t.threadId, t]));
  const feed: FeedItem[] = [];
  const claims = new Map<string, AssignmentClaim>();
  let cursor = 0;
  let interfere: ((threadId: string) => void) | undefined;
  const deps: AssignmentDeps = {
    assignments: {
      async claim(_ws, threadId, pick) {
        const found = claims.get(threadId);
        if (found) return found;
        const claim: AssignmentClaim = { slot: cursor, agentId: pick(cursor), state: 'claimed' };
        cursor++;
        claims.set(threadId, claim);
        return claim;
      },
      async markDone(_ws, threadId) {
        const c = claims.get(threadId);
        if (c) c.state = 'done';
      },
    },
    threads: {
      async getThread(_ws, id) {
        return threads.get(id) ?? null;
      },
      async commit({ before, after, items }) {
        const b = before as Thread;
        interfere?.(b.threadId);
        if (threads.get(b.threadId)?.rev !== b.rev) throw new ConcurrentUpdateError('stale');
        threads.set(b.threadId, { ...after, rev: b.rev + 1 });
        feed.push(...items);
      },
    },
    listAgents: async () => opts.agents,
    assignsOnArrival: async () => opts.on ?? true,
    clock: { now: () => new Date('2026-12-01T10:00:00.000Z') },
    ids: {
      newId: (() => {
        let n = 0;
        return () => `id-${n++}`;
      })(),
    },
  };
  return {
    deps,
    threads,
    feed,
    claims,
    setInterfere: (f: (threadId: string) => void) => {
      interfere = f;
    },
  };
}

describe('assignOnArrival', () => {
  const agents = [agent('a'), agent('b'), agent('c'), agent('z', { availability: 'away' })];

  it('assigns 30 arrivals 10/10/10 (none to the away agent), each once, by the system, and repeats do nothing', async () => {
    const ts = Array.from({ length: 30 }, (_, i) => thread(`t${String(i).padStart(2, '0')}`));
    const f = fakes({ agents, threads: ts });
    const outcomes = await Promise.all(ts.map((t) => assignOnArrival(f.deps, t)));
    expect(outcomes.every((o) => o.outcome === 'assigned')).toBe(true);
    const counts: Record<string, number> = {};
    for (const t of f.threads.values()) counts[t.assignee ?? '-'] = (counts[t.assignee ?? '-'] ?? 0) + 1;
    expect(counts).toEqual({ a: 10, b: 10, c: 10 });
    expect(f.feed).toHaveLength(30);
    expect(f.feed[0]).toMatchObject({
      type: 'update',
      field: 'assignee',
      from: null,
      actor: { kind: 'system', id: 'assignment' },
    });
    // A repeated delivery (of the insertion as it was: unassigned) takes no other slot and writes nothing.
    const again = await Promise.all(ts.map((t) => assignOnArrival(f.deps, t)));
    expect(new Set(again.map((o) => o.outcome))).toEqual(new Set(['taken']));
    expect(f.feed).toHaveLength(30);
  });

  it('a repeat that finds its claim done does nothing, even if the thread was unassigned since', async () => {
    const t = thread('t1');
    const f = fakes({ agents, threads: [t] });
    expect(await assignOnArrival(f.deps, t)).toMatchObject({ outcome: 'assigned', agentId: 'a' });
    const now = f.threads.get('t1') as Thread;
    const { assignee: _a, ...unassigned } = now;
    f.threads.set('t1', { ...unassigned, rev: now.rev + 1 } as Thread);
    expect(await assignOnArrival(f.deps, t)).toEqual({ outcome: 'alreadyDone' });
    expect(f.threads.get('t1')?.assignee).toBeUndefined();
  });

  it('is off unless the workspace turns it on; with nobody available it leaves the thread unassigned', async () => {
    const t = thread('t1');
    const off = fakes({ agents, on: false, threads: [t] });
    expect(await assignOnArrival(off.deps, t)).toEqual({ outcome: 'off' });
    const away = fakes({ agents: [agent('z', { availability: 'away' })], threads: [t] });
    expect(await assignOnArrival(away.deps, t)).toEqual({ outcome: 'noAgentAvailable' });
    expect(away.claims.size).toBe(0);
  });

  it('an agent who takes the thread during the assignment wins; a customer reply in between is retried over', async () => {
    const t = thread('t1');
    const f = fakes({ agents, threads: [t] });
    let once = true;
    f.setInterfere((id) => {
      if (!once) return;
      once = false;
      const cur = f.threads.get(id) as Thread;
      f.threads.set(id, { ...cur, assignee: 'b', rev: cur.rev + 1 });
    });
    expect(await assignOnArrival(f.deps, t)).toEqual({ outcome: 'taken' });
    expect(f.threads.get('t1')?.assignee).toBe('b');
    expect(f.claims.get('t1')?.state).toBe('done');

    const g = fakes({ agents, threads: [thread('t2')] });
    let replies = 2;
    g.setInterfere((id) => {
      if (replies-- <= 0) return;
      const cur = g.threads.get(id) as Thread;
      g.threads.set(id, { ...cur, messageCount: cur.messageCount + 1, rev: cur.rev + 1 });
    });
    expect(await assignOnArrival(g.deps, thread('t2'))).toMatchObject({ outcome: 'assigned', agentId: 'a' });
    expect(g.threads.get('t2')).toMatchObject({ assignee: 'a', messageCount: 3 });
  });
});

describe('the notification mail of an assignment on arrival', () => {
  it('says the thread was assigned round-robin, not by "Someone"', async () => {
    const { renderNotificationMail } = await import('#core/notifications/mail.ts');
    const mail = renderNotificationMail({
      agentName: 'Ana',
      subject: 'Hi',
      ref: 'R1',
      link: 'https://inbox.example/inbox/t1',
      notifications: [
        {
          workspaceId: 'ws',
          agentId: 'a',
          notificationId: 'n1',
          threadId: 't1',
          event: 'assigned',
          at: '2026-12-01T10:00:00.000Z',
          sourceId: 'i1',
          actor: { kind: 'system', id: 'assignment' },
          subject: 'Hi',
          channels: ['email'],
        },
      ],
    });
    expect(mail.subject).toBe('[Go!Chat] Assigned to you: Hi [#R1]');
    expect(mail.text).toContain('- This new thread was assigned to you (round-robin among the available agents)');
    expect(mail.text).not.toContain('Someone');
    expect(mail.text).toContain('\n-- \n');
  });
});
