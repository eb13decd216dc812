/**
 * Races converge, against DynamoDB Local's real transactions and conditions: a parent and its reply
 * delivered at the same instant, over 200 seeded interleavings, always end in one thread with both
 * messages; so do two replies to a parent that is not there yet, and the parent itself.
 *
 * The interleavings: every DynamoDB request of the ingest path waits a seeded random 0-6 ms first, and
 * the two deliveries start a seeded random 0-6 ms apart, in a seeded order.
 *
 * The senders are contacts of one customer (a customer's colleagues, the case that threading serves): since
 * issue 8, a stranger's mail that joins a thread is inert (stored and flagged, but the thread's counters do
 * not move), so with unknown senders the later mail would join the thread without being counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveThreads } from '#core/thread-merge.ts';
import { composeMail } from '../support/mail.ts';
import { seededRandom } from '../support/orders.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let h: IngestHarness;
let random = seededRandom(0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await startIngestHarness();
  // Seeded jitter before every DynamoDB request: each seed gives another interleaving of the two ingests.
  h.db.middlewareStack.add(
    (next) => async (args) => {
      await sleep(Math.floor(random() * 7));
      return next(args);
    },
    { step: 'initialize', name: 'seededJitter' },
  );
});
afterAll(async () => {
  await h?.stop();
});

/** A workspace where Ann, Bob and Cyd are contacts of one customer. */
async function workspace() {
  const ws = await h.workspace();
  const at = new Date().toISOString();
  for (const who of ['ann', 'bob', 'cyd'])
    await h.directory.ensureContact(ws.workspaceId, {
      email: `${who}@client.example`,
      contactId: `${who}-${ws.workspaceId}`,
      customerId: 'cust-acme',
      at,
    });
  return ws;
}

/** Delivers the mails at (nearly) the same instant, in a seeded order with seeded offsets. */
async function deliverTogether(ws: { address: string }, mails: Buffer[], seed: number) {
  random = seededRandom(seed);
  const offsets = mails.map(() => Math.floor(random() * 7));
  const stored = await Promise.all(mails.map((raw) => h.store(raw, { recipients: [ws.address] })));
  return Promise.all(
    stored.map(async (input, i) => {
      await sleep(offsets[i]);
      return (await h.invoke(input)).workspaces[0];
    }),
  );
}

describe('threading races converge', () => {
  it('a parent and its reply at the same instant: one thread, 200 seeded interleavings', {
    timeout: 900_000,
  }, async () => {
    const ws = await workspace();
    const failures: string[] = [];
    let merged = 0;
    let replyFirst = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const parentId = `<p${seed}-${ws.workspaceId}@client.example>`.toLowerCase();
      const parent = await composeMail({
        from: 'ann@client.example',
        to: ws.address,
        subject: `Question ${seed}`,
        messageId: parentId,
      });
      const reply = await composeMail({
        from: 'bob@client.example',
        to: ws.address,
        subject: `Re: Question ${seed}`,
        messageId: `<r${seed}-${ws.workspaceId}@client.example>`.toLowerCase(),
        inReplyTo: parentId,
        references: [parentId],
      });
      const mails = seed % 2 ? [parent, reply] : [reply, parent];
      const out = await deliverTogether(ws, mails, seed);
      const live = await resolveThreads(
        h.threads,
        ws.workspaceId,
        out.map((o) => o.threadId),
      );
      const threads = new Set(out.map((o) => live.get(o.threadId)?.threadId));
      if (out.some((o) => live.get(o.threadId)?.threadId !== o.threadId)) merged++;
      // The reply opened the thread (its placeholder then caught the parent): the order-dependent case.
      if (out[mails.indexOf(reply)].outcome === 'created') replyFirst++;
      const thread = live.get(out[0].threadId);
      if (threads.size !== 1 || thread?.messageCount !== 2)
        failures.push(`seed ${seed}: threads ${[...threads].join(',')} messages ${thread?.messageCount}`);
    }
    console.log(
      `[race] 200 parent+reply pairs: ${200 - failures.length} in one thread; the reply opened it in ${replyFirst}, ` +
        `a merge was needed in ${merged}`,
    );
    expect(failures).toEqual([]);
  });

  it('two replies to an unknown parent, then the parent, all at once: one thread, 50 seeded interleavings', {
    timeout: 600_000,
  }, async () => {
    const ws = await workspace();
    const failures: string[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const parentId = `<q${seed}-${ws.workspaceId}@client.example>`.toLowerCase();
      const mails = await Promise.all([
        composeMail({ from: 'ann@client.example', to: ws.address, subject: `Q ${seed}`, messageId: parentId }),
        ...['bob', 'cyd'].map((who) =>
          composeMail({
            from: `${who}@client.example`,
            to: ws.address,
            subject: `Re: Q ${seed}`,
            messageId: `<${who}${seed}-${ws.workspaceId}@client.example>`.toLowerCase(),
            inReplyTo: parentId,
            references: [parentId],
          }),
        ),
      ]);
      const out = await deliverTogether(ws, seed % 3 === 0 ? mails : [...mails].reverse(), 1000 + seed);
      const live = await resolveThreads(
        h.threads,
        ws.workspaceId,
        out.map((o) => o.threadId),
      );
      const threads = new Set(out.map((o) => live.get(o.threadId)?.threadId));
      const thread = live.get(out[0].threadId);
      if (threads.size !== 1 || thread?.messageCount !== 3)
        failures.push(`seed ${seed}: threads ${[...threads].join(',')} messages ${thread?.messageCount}`);
    }
    expect(failures).toEqual([]);
  });
});
