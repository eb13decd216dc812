/**
 * Bulk work against customer replies: 100 threads in reminder(1), one bulk request moves them all to
 * waiting while the customers of half of them answer at the same time. Nothing is lost (every reply is
 * in its thread, every thread gets a result) and no stale timer is left: the executions still waiting
 * are exactly those of the threads' current statusVersions.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '#api/deps.ts';
import type { CallerContext } from '#api/http.ts';
import { bulkUpdate } from '#api/use-cases/bulk.ts';
import { executionName } from '#core/lifecycle.ts';
import type { Thread } from '#core/model.ts';
import { type Harness, startHarness } from './lifecycle-harness.ts';

// Real time: the default 3-day delays never end during the test, so every timer is still waiting at the end.
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: 1 });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const COUNT = 100;

describe('bulk work racing with customer replies', () => {
  it(`moves ${COUNT} threads to waiting while half of their customers answer: nothing lost, no stale timer`, async () => {
    const { ws, address } = await h.workspace();
    const threads: Array<{ threadId: string; customer: string }> = [];
    for (let i = 0; i < COUNT; i++) {
      const customer = `bulk-${i}-${ulid().toLowerCase()}@customer.example.com`;
      const threadId = await h.customerWrites(ws, address, customer, `Bulk ${i}`);
      await h.agentSends({ workspaceId: ws, threadId, to: [customer] });
      threads.push({ threadId, customer });
    }
    await h.poller.drain(60_000);
    const ctx = {
      workspaceId: ws,
      actor: { kind: 'agent', id: 'agent-1' },
      kind: 'agent',
      agentId: 'agent-1',
      role: 'agent',
      scopes: [],
    } as unknown as CallerContext;
    const deps = {
      threads: h.threads,
      admin: h.admin,
      events: h.events,
      clock: h.deps.clock,
      ids: h.deps.ids,
    } as unknown as ApiDeps;

    const replying = threads.filter((_, i) => i % 2 === 0);
    const reply = async ({ threadId, customer }: { threadId: string; customer: string }) => {
      const thread = (await h.threads.getThread(ws, threadId)) as Thread;
      const raw = await new MailComposer({
        from: customer,
        to: address,
        subject: `Re: ${thread.subject}`,
        text: 'My answer.',
        inReplyTo: thread.lastMessageId,
        references: thread.references,
        messageId: `<${ulid().toLowerCase()}@customer.example.com>`,
      })
        .compile()
        .build();
      await h.inbound([address], raw);
    };
    const [results] = await Promise.all([
      bulkUpdate(
        deps,
        ctx,
        threads.map((t) => ({ threadId: t.threadId })),
        { status: 'waiting' },
      ),
      Promise.all(replying.map(reply)),
    ]);
    await h.poller.drain(60_000);

    // Every thread has a result, and (without versions) each one was applied.
    expect(results.map((r) => r.threadId)).toEqual(threads.map((t) => t.threadId));
    expect(results.filter((r) => r.result !== 'done')).toEqual([]);

    const expectedTimers = new Set<string>();
    for (const [i, { threadId }] of threads.entries()) {
      const thread = (await h.threads.getThread(ws, threadId)) as Thread;
      const feed = await h.feed(ws, threadId);
      const inbound = feed.filter((f) => f.type === 'message' && f.direction === 'inbound');
      // Lost nothing: the first mail, and the reply where there was one, are in the thread.
      expect(inbound.length, threadId).toBe(i % 2 === 0 ? 2 : 1);
      const statusUpdates = feed.filter((f) => f.type === 'update' && f.field === 'status');
      // Every status change is in the feed, once: statusVersion counts them (1 is the new thread's). The
      // feed sorts by each writer's own clock, so a reply stamped before the bulk may list first.
      expect(thread.statusVersion, threadId).toBe(1 + statusUpdates.length);
      expect(statusUpdates.map((u) => (u as { to: unknown }).to)).toContain(thread.status);
      if (i % 2 === 1) expect(thread.status).toBe('waiting');
      else expect(['waiting', 'open']).toContain(thread.status);
      if (thread.status === 'waiting' || thread.status === 'reminder')
        expectedTimers.add(executionName(threadId, thread.statusVersion));
    }
    // No stale timer: what still waits is exactly the current statusVersion of each waiting thread.
    const waiting = h.runner
      .running()
      .map((e) => e.name)
      .filter((n) => threads.some((t) => n.startsWith(`${t.threadId}-v`)));
    expect(new Set(waiting)).toEqual(expectedTimers);
    expect(waiting.length).toBe(expectedTimers.size);
  }, 300_000);
});
