/**
 * A late mail that proves two threads are one conversation merges them, against DynamoDB Local and S3:
 * a reply (R) arrived before the mail it answers (M), so it opened a thread of its own and left a
 * placeholder for M; M then arrives, answering P in another thread. The feed, the card, the lists, the
 * forwarding of the merged thread (Message-IDs, subject tag, reply token) and its timers are checked.
 * A stranger's linking mail merges nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import type { Thread } from '#core/model.ts';
import { withStatus } from '#core/thread-state.ts';
import { scheduleTimer } from '#core/timers.ts';
import { composeMail } from '../support/mail.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(async () => {
  await h?.stop();
});

const CUSTOMER = 'cust-acme';

/** A workspace where Ann and Bob are contacts of one customer. */
async function workspace() {
  const ws = await h.workspace();
  const at = new Date().toISOString();
  for (const who of ['ann', 'bob'])
    await h.directory.ensureContact(ws.workspaceId, {
      email: `${who}@client.example`,
      contactId: `${who}-${ws.workspaceId}`,
      customerId: CUSTOMER,
      at,
    });
  return ws;
}

/** P ← M ← R, where R arrives before M: two threads, R's awaiting M's Message-ID. */
async function twoThreads(ws: { workspaceId: string; address: string }) {
  const id = (x: string) => `<${x}-${ws.workspaceId.toLowerCase()}@client.example>`;
  const send = async (mail: Parameters<typeof composeMail>[0]) =>
    (await h.deliver(await composeMail(mail), { recipients: [ws.address] })).workspaces[0];
  const p = await send({ from: 'ann@client.example', to: ws.address, subject: 'Order 42', messageId: id('p') });
  const r = await send({
    from: 'bob@client.example',
    to: ws.address,
    subject: 'Re: Order 42 shipped?',
    messageId: id('r'),
    inReplyTo: id('m'),
    references: [id('m')],
  });
  expect(r.outcome).toBe('created');
  expect(r.threadId).not.toBe(p.threadId);
  return { id, send, p, r };
}

describe('a late linking mail', () => {
  it('merges the two threads: feed in time order, card, lists, forwarding, timers', async () => {
    const ws = await workspace();
    const { id, send, p, r } = await twoThreads(ws);
    // R's thread waits for the customer, with a timer running (statusVersion 2).
    const t2 = await h.thread(ws.workspaceId, r.threadId);
    const moved = withStatus(
      t2,
      { status: 'reminder', reminderIndex: 1 },
      { itemId: `01ZZZZZZZZ${'0'.repeat(16)}`, at: new Date().toISOString(), actor: { kind: 'agent', id: 'a1' } },
    )!;
    await h.threads.commit({ before: t2, after: moved.thread, items: [moved.item] });
    const waiting = await h.thread(ws.workspaceId, r.threadId);

    const m = await send({
      from: 'ann@client.example',
      to: ws.address,
      subject: 'Re: Order 42',
      messageId: id('m'),
      inReplyTo: id('p'),
      references: [id('p')],
    });
    // The older thread survives; M lands in it.
    expect(m).toMatchObject({ outcome: 'appended', threadId: p.threadId });

    const survivor = await h.thread(ws.workspaceId, p.threadId);
    expect(survivor).toMatchObject({ messageCount: 3, mergedFrom: [r.threadId], status: 'open' });
    expect(survivor.customerIds).toEqual([CUSTOMER]);
    const messages = await h.messages(ws.workspaceId, p.threadId);
    expect(messages.map((x) => x.messageId)).toEqual([id('p'), id('r'), id('m')]);
    expect(messages.map((x) => x.at)).toEqual([...messages.map((x) => x.at)].sort());
    const feed = (await h.threads.listFeed(ws.workspaceId, p.threadId, { limit: 100 })).items;
    // R's thread's history comes along (its status update by agent a1), then the merge, named.
    expect(feed.filter((i) => i.type === 'update')).toEqual([
      expect.objectContaining({ field: 'status', actor: { kind: 'agent', id: 'a1' } }),
      expect.objectContaining({
        field: 'merge',
        actor: { kind: 'system', id: 'ingest' },
        from: expect.objectContaining({ threadId: r.threadId }),
        to: expect.objectContaining({ threadId: p.threadId }),
      }),
    ]);
    const allItems = feed.length;
    expect(survivor.itemCount).toBe(allItems);

    const gone = await h.thread(ws.workspaceId, r.threadId);
    expect(gone).toMatchObject({ status: 'closed', mergedInto: p.threadId, statusVersion: waiting.statusVersion + 1 });

    // Lists: only the survivor.
    const queries = new DynamoThreadQueries(h.db, h.tableName);
    const all = await queries.listThreads(ws.workspaceId, {}, { limit: 50 });
    expect(all.items.map((t) => t.threadId)).toEqual([p.threadId]);
    expect((await queries.listThreads(ws.workspaceId, { status: 'closed' }, { limit: 50 })).items).toEqual([]);
    const found = await queries.searchThreads(ws.workspaceId, ['shipped'], {}, { limit: 50 });
    expect(found.items.map((t) => t.threadId)).toEqual([p.threadId]);

    // Timers: the change of R's thread starts nothing and stops its running execution.
    const starter = { started: [] as string[], stopped: [] as string[] };
    await scheduleTimer(
      {
        directory: h.directory,
        starter: {
          start: async (name) => {
            starter.started.push(name);
          },
          stop: async (name) => {
            starter.stopped.push(name);
          },
        },
      },
      {
        workspaceId: ws.workspaceId,
        threadId: gone.threadId,
        status: gone.status,
        statusVersion: gone.statusVersion,
        previousStatusVersion: waiting.statusVersion,
        previous: { status: 'reminder', reminderIndex: 1 },
        messagesAdded: 0,
      },
    );
    expect(starter).toEqual({ started: [], stopped: [`${r.threadId}-v${waiting.statusVersion}`] });

    // Forwarding: a reply to R, Bob's subject tag of R's thread and R's reply token all reach the survivor.
    const toR = await send({
      from: 'bob@client.example',
      to: ws.address,
      subject: 'Re: Re: Order 42 shipped?',
      inReplyTo: id('r'),
      references: [id('r')],
    });
    expect(toR).toMatchObject({ outcome: 'appended', threadId: p.threadId });
    const tagged = await send({ from: 'bob@client.example', to: ws.address, subject: `News [#${gone.ref}]` });
    expect(tagged).toMatchObject({ outcome: 'appended', via: 'subject', threadId: p.threadId });
    const tokenAddress = h.tokens.replyAddress(ws.address, ws.workspaceId, r.threadId);
    const byToken = (
      await h.deliver(await composeMail({ from: 'ann@client.example', to: tokenAddress, subject: 'Thanks' }), {
        recipients: [tokenAddress],
      })
    ).workspaces[0];
    expect(byToken).toMatchObject({ outcome: 'appended', via: 'token', threadId: p.threadId });
    expect((await h.thread(ws.workspaceId, p.threadId)).messageCount).toBe(6);
    // Delivering M again is still a duplicate.
    const again = await send({
      from: 'ann@client.example',
      to: ws.address,
      subject: 'Re: Order 42',
      messageId: id('m'),
      inReplyTo: id('p'),
    });
    expect(again.outcome).toBe('duplicate');
  });

  it('from a stranger merges nothing: the mail is stored flagged, and both threads stay', async () => {
    const ws = await workspace();
    const { id, send, p, r } = await twoThreads(ws);
    const m = await send({
      from: 'mallory@elsewhere.example',
      to: ws.address,
      subject: 'Re: Order 42',
      messageId: id('m'),
      inReplyTo: id('p'),
      references: [id('p')],
    });
    expect(m).toMatchObject({ outcome: 'appended', threadId: p.threadId, verifiedSender: false });
    const [t1, t2]: Thread[] = await Promise.all([
      h.thread(ws.workspaceId, p.threadId),
      h.thread(ws.workspaceId, r.threadId),
    ]);
    expect(t1.mergedFrom).toBeUndefined();
    expect(t2).toMatchObject({ status: 'open', messageCount: 1 });
    expect(t2.mergedInto).toBeUndefined();
  });
});
