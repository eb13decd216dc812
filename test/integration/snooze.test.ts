/**
 * Snooze on the lifecycle machine: a snoozed thread leaves the open list and comes back open (with an
 * update in the feed) when its time comes; a newer status or snooze supersedes the timer the usual way;
 * a customer's reply wakes it at once.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import type { ApiDeps } from '#api/deps.ts';
import type { CallerContext } from '#api/http.ts';
import { bulkUpdate } from '#api/use-cases/bulk.ts';
import { updateThread } from '#api/use-cases/threads.ts';
import type { Thread } from '#core/model.ts';
import { type Harness, startHarness, trail } from './lifecycle-harness.ts';

// One simulated hour is 0.5 s.
const SCALE = 7200;
const HOUR = 3_600_000;

let h: Harness;
let deps: ApiDeps;
beforeAll(async () => {
  h = await startHarness({ timeScale: SCALE });
  deps = {
    threads: h.threads,
    admin: h.admin,
    events: h.events,
    clock: h.deps.clock,
    ids: h.deps.ids,
  } as unknown as ApiDeps;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const agent = (ws: string) =>
  ({
    workspaceId: ws,
    actor: { kind: 'agent', id: 'agent-1' },
    kind: 'agent',
    agentId: 'agent-1',
    role: 'agent',
    scopes: [],
  }) as unknown as CallerContext;

const get = (ws: string, threadId: string) => h.threads.getThread(ws, threadId) as Promise<Thread>;

async function snooze(ws: string, threadId: string, hours: number) {
  const thread = await get(ws, threadId);
  return updateThread(deps, agent(ws), threadId, {
    version: thread.rev,
    status: 'snoozed',
    snoozedUntil: new Date(Date.now() + hours * HOUR).toISOString(),
  });
}

describe('snooze', () => {
  it('leaves the open list, and comes back open with an update in the feed at its time', async () => {
    const { ws, address } = await h.workspace();
    const threadId = await h.customerWrites(ws, address, `c-${ulid().toLowerCase()}@customer.example`, 'Snooze me');
    const snoozed = await snooze(ws, threadId, 2);
    expect(snoozed.status).toBe('snoozed');
    const queries = new DynamoThreadQueries((h.threads as unknown as { db: never }).db, h.tableName);
    const open = await queries.listThreads(ws, { status: 'open' }, { limit: 25 });
    expect(open.items.map((c) => c.threadId)).not.toContain(threadId);
    await h.settle(30_000);
    const woken = await get(ws, threadId);
    expect(woken.status).toBe('open');
    expect(woken.snoozedUntil).toBeUndefined();
    expect(trail(await h.feed(ws, threadId))).toEqual([
      'inbound',
      'status:"open"->"snoozed"',
      'status:"snoozed"->"open"',
    ]);
    const feed = await h.feed(ws, threadId);
    expect(feed.at(-1)).toMatchObject({ type: 'update', actor: { kind: 'system', id: 'workflow' } });
  });

  it('a newer snooze supersedes the earlier one: the thread comes back once, at the later time', async () => {
    const { ws, address } = await h.workspace();
    const threadId = await h.customerWrites(ws, address, `c-${ulid().toLowerCase()}@customer.example`, 'Twice');
    await snooze(ws, threadId, 1);
    await snooze(ws, threadId, 3);
    await h.poller.drain(10_000);
    // Past the first time, before the second: still snoozed.
    await new Promise((r) => setTimeout(r, 900));
    expect((await get(ws, threadId)).status).toBe('snoozed');
    await h.settle(30_000);
    // The second snooze is in the audit trail (a new time is a new status version); one wake-up happened.
    expect(trail(await h.feed(ws, threadId))).toEqual([
      'inbound',
      'status:"open"->"snoozed"',
      'status:"snoozed"->"snoozed"',
      'status:"snoozed"->"open"',
    ]);
    expect((await get(ws, threadId)).status).toBe('open');
  });

  it("a customer's reply wakes it at once; the snooze's timer then ends quietly", async () => {
    const { ws, address } = await h.workspace();
    const customer = `c-${ulid().toLowerCase()}@customer.example`;
    const threadId = await h.customerWrites(ws, address, customer, 'Wake me');
    await snooze(ws, threadId, 2);
    const thread = await get(ws, threadId);
    const raw = await new MailComposer({
      from: customer,
      to: address,
      subject: 'Re: Wake me',
      text: 'Any news?',
      inReplyTo: thread.lastMessageId,
      references: thread.references,
      messageId: `<${ulid().toLowerCase()}@customer.example>`,
    })
      .compile()
      .build();
    await h.inbound([address], raw);
    expect((await get(ws, threadId)).status).toBe('open');
    await h.settle(30_000);
    expect(trail(await h.feed(ws, threadId))).toEqual([
      'inbound',
      'status:"open"->"snoozed"',
      'inbound',
      'status:"snoozed"->"open"',
    ]);
  });

  it('refuses a snooze without a time, in the past, or past a year', async () => {
    const { ws, address } = await h.workspace();
    const threadId = await h.customerWrites(ws, address, `c-${ulid().toLowerCase()}@customer.example`, 'Bad');
    const thread = await get(ws, threadId);
    const patch = (snoozedUntil?: string) =>
      updateThread(deps, agent(ws), threadId, {
        version: thread.rev,
        status: 'snoozed',
        ...(snoozedUntil ? { snoozedUntil } : {}),
      });
    await expect(patch()).rejects.toThrow(/needs snoozedUntil/);
    await expect(patch(new Date(Date.now() - HOUR).toISOString())).rejects.toThrow(/future/);
    await expect(patch(new Date(Date.now() + 400 * 24 * HOUR).toISOString())).rejects.toThrow(/within a year/);
  });

  it('bulk snooze: each thread under its own version, a result per thread, each comes back at its time', async () => {
    const { ws, address } = await h.workspace();
    const ids = await Promise.all(
      ['Bulk A', 'Bulk B', 'Bulk C'].map((s) =>
        h.customerWrites(ws, address, `c-${ulid().toLowerCase()}@customer.example`, s),
      ),
    );
    const [a, b, c] = await Promise.all(ids.map((id) => get(ws, id)));
    const until = new Date(Date.now() + 2 * HOUR).toISOString();
    const results = await bulkUpdate(
      deps,
      agent(ws),
      [
        { threadId: a.threadId, version: a.rev },
        { threadId: b.threadId }, // no version: the current one
        { threadId: c.threadId, version: c.rev - 1 }, // stale: a conflict, left alone
        { threadId: `missing-${ulid().toLowerCase()}` },
      ],
      { status: 'snoozed', snoozedUntil: until },
    );
    expect(results.map((r) => r.result)).toEqual(['done', 'done', 'conflict', 'notFound']);
    expect((await get(ws, a.threadId)).snoozedUntil).toBe(until);
    expect((await get(ws, b.threadId)).status).toBe('snoozed');
    expect((await get(ws, c.threadId)).status).toBe('open');
    await h.settle(30_000);
    for (const id of [a.threadId, b.threadId]) {
      expect((await get(ws, id)).status).toBe('open');
      expect(trail(await h.feed(ws, id))).toEqual(['inbound', 'status:"open"->"snoozed"', 'status:"snoozed"->"open"']);
    }
    expect(trail(await h.feed(ws, c.threadId))).toEqual(['inbound']);
  });

  it('bulk snooze refuses a request without a time (or a time without the status) as a whole, and a past time per thread', async () => {
    const { ws, address } = await h.workspace();
    const threadId = await h.customerWrites(ws, address, `c-${ulid().toLowerCase()}@customer.example`, 'Bulk bad');
    await expect(bulkUpdate(deps, agent(ws), [{ threadId }], { status: 'snoozed' })).rejects.toThrow(
      /needs snoozedUntil/,
    );
    await expect(
      bulkUpdate(deps, agent(ws), [{ threadId }], { snoozedUntil: new Date(Date.now() + HOUR).toISOString() }),
    ).rejects.toThrow(/goes with status/);
    const past = await bulkUpdate(deps, agent(ws), [{ threadId }], {
      status: 'snoozed',
      snoozedUntil: new Date(Date.now() - HOUR).toISOString(),
    });
    expect(past).toEqual([{ threadId, result: 'invalid', message: 'snoozedUntil must be in the future' }]);
  });
});
