import { simpleParser } from 'mailparser';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipientNotAllowedError, SendCapExceededError, ThreadClosedError } from '#core/errors.ts';
import type { Thread } from '#core/model.ts';
import { type DeliverOptions, deliverMessage, type SendMessageInput, sendMessage } from '#core/outbound.ts';
import type { ThreadChange } from '#core/ports.ts';
import { newThread } from '#core/thread-state.ts';
import { runTimer } from '#core/timers.ts';
import { DAY, type Harness, startHarness } from './lifecycle-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: 1 }); // real time: no timer fires during these tests
});
afterAll(async () => {
  await h?.close();
});

async function setup(settings = {}) {
  const { ws, address } = await h.workspace({ reminderDelaysSeconds: [30 * DAY] }, settings);
  const ann = `ann-${ulid().toLowerCase()}@customer.example.com`;
  const threadId = await h.customerWrites(ws, address, `Ann <${ann}>`, 'Invoice');
  return { ws, address, ann, threadId };
}
/** A new thread, with the thread as it stands before the test sends anything. */
async function setupWithBefore() {
  const s = await setup();
  const before = (await h.threads.getThread(s.ws, s.threadId)) as Thread;
  return { ...s, before };
}
const mailsTo = (a: string) => h.sender.sent.filter((m) => m.destinations.includes(a));
/** A sendMessage input: agent "a" writes `text` to one recipient. */
const agentInput = (ws: string, threadId: string, to: string, text: string, idempotencyKey: string) => ({
  workspaceId: ws,
  threadId,
  to: [to],
  text,
  actor: { kind: 'agent' as const, id: 'a' },
  idempotencyKey,
});

describe('outbound mail (sendMessage)', () => {
  it('builds the MIME with nodemailer, stores it, sends it, and records the wire Message-ID so replies thread back', async () => {
    const { ws, address, ann, threadId, before } = await setupWithBefore();
    const m = await h.agentSends({
      workspaceId: ws,
      threadId,
      to: [ann],
      text: 'Please find the form attached.',
      attachments: [{ filename: 'form.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4') }],
      idempotencyKey: 'k1',
    });
    expect(m).toMatchObject({
      direction: 'outbound',
      delivery: { state: 'sent' },
      rawKey: `outbound/${ws}/${threadId}-k1.eml`,
    });
    const wire = m.delivery?.wireMessageId ?? '';
    expect(wire).toMatch(/^<ses-\d+@eu-west-1\.amazonses\.com>$/);
    const parsed = await simpleParser(mailsTo(ann)[0].raw);
    expect(parsed.from?.value[0].address).toBe(address);
    expect(parsed.inReplyTo).toBe(before.lastMessageId);
    expect(parsed.headers.get('auto-submitted')).toBeUndefined();
    expect(parsed.subject).toBe(`Re: Invoice [#${before.ref}]`);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(['form.pdf']);
    expect(h.deps.replyTokens.verify(parsed.replyTo?.value[0].address ?? '', ws)).toBe(threadId);
    expect((await h.mail.getRaw(m.rawKey!)).equals(mailsTo(ann)[0].raw)).toBe(true);
    expect(await h.threads.findMessageIds(ws, [wire, m.messageId])).toHaveLength(2);
    const after = (await h.threads.getThread(ws, threadId)) as Thread;
    expect(after).toMatchObject({ status: 'reminder', reminderIndex: 1, lastMessageId: wire });
    expect(after.references.at(-1)).toBe(wire);
    expect(h.events.events.filter((e) => e.threadId === threadId).map((e) => e.type)).toEqual(
      expect.arrayContaining(['status.changed', 'message.sent']),
    );
  });

  it('a retry with the same idempotency key never sends twice, even when the first attempt died after SES', async () => {
    const { ws, ann, threadId } = await setup();
    const first = await h.agentSends({ workspaceId: ws, threadId, to: [ann], idempotencyKey: 'same' });
    const again = await h.agentSends({ workspaceId: ws, threadId, to: [ann], idempotencyKey: 'same' });
    expect(again.itemId).toBe(first.itemId);
    expect(mailsTo(ann)).toHaveLength(1);

    // A crash right after SES accepted the mail (before "sent" was recorded): the retry must not resend.
    let crash = true;
    const sends = Object.create(h.deps.sends);
    sends.finish = async (record: never, patch: { state: string }) => {
      if (crash && patch.state === 'sent') {
        crash = false;
        throw new Error('Lambda timed out');
      }
      return h.deps.sends.finish(record, patch as never);
    };
    const input = agentInput(ws, threadId, ann, 'x', 'crash');
    await expect(sendMessage({ ...h.deps, sends }, input)).rejects.toThrow('Lambda timed out');
    const retried = await sendMessage({ ...h.deps, sends }, input);
    expect(mailsTo(ann)).toHaveLength(2);
    expect(retried.delivery).toMatchObject({ state: 'failed', error: 'interrupted while sending' });
  });

  it('refuses a recipient outside the thread customers, a closed thread, and mail over the cap', async () => {
    const { ws, ann, threadId } = await setup({ sendCapPerAddress: 2, sendCapWindowSeconds: 3600 });
    await expect(
      h.agentSends({ workspaceId: ws, threadId, to: ['stranger@elsewhere.example'] }),
    ).rejects.toBeInstanceOf(RecipientNotAllowedError);
    await h.agentSends({ workspaceId: ws, threadId, to: [ann] });
    await h.agentSends({ workspaceId: ws, threadId, to: [ann], nextStatus: 'keep' });
    await expect(h.agentSends({ workspaceId: ws, threadId, to: [ann] })).rejects.toBeInstanceOf(SendCapExceededError);
    expect(mailsTo(ann)).toHaveLength(2);

    await h.closeThread(ws, threadId, { kind: 'agent', id: 'a' });
    await expect(h.agentSends({ workspaceId: ws, threadId, to: [ann] })).rejects.toBeInstanceOf(ThreadClosedError);
  });

  it('marks a send that SES refuses as failed, with the reason, and does not retry it', async () => {
    const { ws, ann, threadId } = await setup();
    const sender = {
      sendRaw: async () => Promise.reject(new Error('MessageRejected: Email address is not verified')),
      wireMessageId: (x: string) => x,
    };
    const input = agentInput(ws, threadId, ann, 'x', 'rej');
    const m = await sendMessage({ ...h.deps, sender }, input);
    expect(m.delivery).toMatchObject({
      state: 'failed',
      error: 'Error: MessageRejected: Email address is not verified',
    });
    const again = await sendMessage(h.deps, input);
    expect(again.delivery?.state).toBe('failed');
    expect(mailsTo(ann)).toHaveLength(0);
    const stored = await h.threads.getMessage(ws, threadId, m.at, m.itemId);
    expect(stored?.delivery?.state).toBe('failed');
  });

  it("an agent's next message restarts the reminder clock, so no reminder follows it early", async () => {
    const { ws, ann, threadId } = await setup();
    await h.agentSends({ workspaceId: ws, threadId, to: [ann] });
    const first = (await h.threads.getThread(ws, threadId)) as Thread;
    expect(first).toMatchObject({ status: 'reminder', reminderIndex: 1 });
    await h.agentSends({ workspaceId: ws, threadId, to: [ann], text: 'One more thing.' });
    const second = (await h.threads.getThread(ws, threadId)) as Thread;
    // Same status, so no update in the feed; a new statusVersion, so a new timer from this message.
    expect(second).toMatchObject({ status: 'reminder', reminderIndex: 1, statusVersion: first.statusVersion + 1 });
    const statusUpdates = (await h.feed(ws, threadId)).filter((i) => i.type === 'update' && i.field === 'status');
    expect(statusUpdates).toHaveLength(1);
    await h.poller.drain();
    expect(h.runner.describe(`${threadId}-v${second.statusVersion}`)?.status).toBe('RUNNING');
    expect(h.runner.describe(`${threadId}-v${first.statusVersion}`)?.status).toBe('ABORTED');
  });

  it('a thread that an agent started gets the recipient as its latest contact, so its reminders have someone to go to', async () => {
    const { ws, ann, threadId } = await setup();
    const customers = ((await h.threads.getThread(ws, threadId)) as Thread).customerIds;
    const contact = await h.admin.findContactByEmail(ws, ann);
    const started = newThread({
      workspaceId: ws,
      threadId: ulid(),
      ref: await h.threads.nextThreadRef(ws),
      subject: 'Your renewal',
      customerIds: customers,
      at: new Date().toISOString(),
    });
    await h.threads.commit({ before: null, after: started, items: [] });
    await h.agentSends({ workspaceId: ws, threadId: started.threadId, to: [ann] });
    const after = (await h.threads.getThread(ws, started.threadId)) as Thread;
    expect(after).toMatchObject({ status: 'reminder', reminderIndex: 1 });
    expect(after.latestContact).toMatchObject({ contactId: contact?.contactId, email: ann });
  });

  it('sends no reminder to an address that bounced; the cycle moves on with the reason', async () => {
    const { ws, ann, threadId } = await setup();
    await h.agentSends({ workspaceId: ws, threadId, to: [ann] });
    const thread = (await h.threads.getThread(ws, threadId)) as Thread;
    await h.admin.markContactFailing(ws, ann, 'bounce 5.1.1: no such user', new Date().toISOString());
    const out = await runTimer(h.deps, {
      workspaceId: ws,
      threadId,
      statusVersion: thread.statusVersion,
      status: 'reminder',
      reminderIndex: 1,
      delaySeconds: 1,
      action: 'sendReminder',
    });
    expect(out).toMatchObject({ outcome: 'reminderSkipped', status: 'reminder(2)' });
    expect(out.reason).toContain('failing');
    expect(mailsTo(ann)).toHaveLength(1); // the agent's message only
  });

  describe('two callers racing on one send record (a retried Lambda running alongside the first)', () => {
    /** A latch: `wait` resolves once `open` is called. */
    const latch = () => {
      let open!: () => void;
      const wait = new Promise<void>((r) => {
        open = r;
      });
      return { open, wait };
    };
    type Latch = ReturnType<typeof latch>;
    /** h.threads, but commit opens `reached` and holds until `proceed` opens, then commits and opens `committed`. */
    const stallingCommit = (reached: Latch, proceed: Latch, committed?: Latch) => {
      const threads = Object.create(h.threads);
      threads.commit = async (change: ThreadChange) => {
        reached.open();
        await proceed.wait;
        await h.threads.commit(change);
        committed?.open();
      };
      return threads;
    };
    const delivered = { kind: 'delivered', message: { delivery: { state: 'sent' } } };
    const timerSend = (ws: string, threadId: string, ann: string, statusVersion: number) => ({
      input: {
        workspaceId: ws,
        threadId,
        to: [ann],
        subject: 'Any news?',
        text: 'Just checking in.',
        actor: { kind: 'system' as const, id: 'workflow' as const },
        automated: true,
        nextStatus: { status: 'waiting' as const },
        idempotencyKey: `v${statusVersion}-reminder`,
      } satisfies SendMessageInput,
      opts: {
        guardStatusVersion: statusVersion,
        extraUpdates: [{ field: 'reminder' as const, from: null, to: 1 }],
      } satisfies DeliverOptions,
    });

    async function expectOneSend(
      ws: string,
      threadId: string,
      ann: string,
      before: Thread,
      updates: number,
      idempotencyKey: string,
    ) {
      const after = (await h.threads.getThread(ws, threadId)) as Thread;
      expect(after.messageCount).toBe(before.messageCount + 1);
      expect(after.itemCount).toBe(before.itemCount + 1 + updates);
      expect(mailsTo(ann)).toHaveLength(1);
      const outbound = (await h.feed(ws, threadId)).filter((i) => i.type === 'message' && i.direction === 'outbound');
      expect(outbound).toHaveLength(1);
      expect(outbound[0]).toMatchObject({ delivery: { state: 'sent' } });
      expect(await h.deps.sends.get(ws, `${threadId}-${idempotencyKey}`)).toMatchObject({ state: 'sent' });
      return after;
    }

    it('an agent send: the message is committed once, so messageCount counts it once', async () => {
      const { ws, ann, threadId, before } = await setupWithBefore();
      const input = agentInput(ws, threadId, ann, 'Here you go.', 'race');
      // The first caller claims the record, then stalls before its commit while the second does everything.
      const atCommit = latch();
      const release = latch();
      const first = sendMessage({ ...h.deps, threads: stallingCommit(atCommit, release) }, input);
      await atCommit.wait;
      const second = await sendMessage(h.deps, input);
      release.open();
      const firstOut = await first;
      expect(firstOut.itemId).toBe(second.itemId);
      expect(firstOut.delivery?.state).toBe('sent');
      const after = await expectOneSend(ws, threadId, ann, before, 1, input.idempotencyKey);
      expect(after).toMatchObject({ status: 'reminder', reminderIndex: 1, statusVersion: before.statusVersion + 1 });
    });

    it('a reminder: the loser of the commit neither counts the message again nor marks the sent record failed', async () => {
      const { ws, ann, threadId, before } = await setupWithBefore();
      const { input, opts } = timerSend(ws, threadId, ann, before.statusVersion);
      const atCommit = latch();
      const release = latch();
      const first = deliverMessage({ ...h.deps, threads: stallingCommit(atCommit, release) }, input, opts);
      await atCommit.wait;
      const second = await deliverMessage(h.deps, input, opts);
      release.open();
      const firstOut = await first;
      expect(second).toMatchObject(delivered);
      expect(firstOut).toMatchObject(delivered);
      const after = await expectOneSend(ws, threadId, ann, before, 2, input.idempotencyKey);
      expect(after).toMatchObject({ status: 'waiting', statusVersion: before.statusVersion + 1 });
    });

    it('a reminder: a resumer that reads the thread just after the first caller committed still sends it', async () => {
      const { ws, ann, threadId, before } = await setupWithBefore();
      const { input, opts } = timerSend(ws, threadId, ann, before.statusVersion);
      // The first caller claims and stalls before its commit; the second finds the record and looks for
      // the message (absent); then the first commits, and stalls again before it marks the record sending.
      const firstAtCommit = latch();
      const firstMayCommit = latch();
      const firstCommitted = latch();
      const secondDone = latch();
      const firstThreads = stallingCommit(firstAtCommit, firstMayCommit, firstCommitted);
      const firstSends = Object.create(h.deps.sends);
      firstSends.markSending = async (...args: Parameters<typeof h.deps.sends.markSending>) => {
        await secondDone.wait;
        return h.deps.sends.markSending(...args);
      };
      const secondThreads = Object.create(h.threads);
      secondThreads.getMessage = async (...args: Parameters<typeof h.threads.getMessage>) => {
        const found = await h.threads.getMessage(...args);
        if (!found) {
          firstMayCommit.open();
          await firstCommitted.wait;
        }
        return found;
      };
      const first = deliverMessage({ ...h.deps, threads: firstThreads, sends: firstSends }, input, opts);
      await firstAtCommit.wait;
      const second = await deliverMessage({ ...h.deps, threads: secondThreads }, input, opts).finally(secondDone.open);
      const firstOut = await first;
      expect(second).toMatchObject(delivered);
      expect(firstOut).toMatchObject(delivered);
      await expectOneSend(ws, threadId, ann, before, 2, input.idempotencyKey);
    });

    it('a caller that finds the other one handing the mail to SES leaves that send alone', async () => {
      const { ws, ann, threadId, before } = await setupWithBefore();
      const input = agentInput(ws, threadId, ann, 'Here you go.', 'in-flight');
      // The first caller claims and stalls before its commit; the second reads the record (claimed),
      // then the first commits, marks it sending and stalls inside the SES call.
      const firstAtCommit = latch();
      const firstMayCommit = latch();
      const firstInSes = latch();
      const sesMayAnswer = latch();
      const firstThreads = stallingCommit(firstAtCommit, firstMayCommit);
      const firstSender = {
        sendRaw: async (mail: Parameters<typeof h.sender.sendRaw>[0]) => {
          firstInSes.open();
          await sesMayAnswer.wait;
          return h.sender.sendRaw(mail);
        },
        wireMessageId: (id: string) => h.sender.wireMessageId(id),
      };
      const secondSends = Object.create(h.deps.sends);
      secondSends.get = async (...args: Parameters<typeof h.deps.sends.get>) => {
        const record = await h.deps.sends.get(...args);
        if (record?.state === 'claimed') {
          firstMayCommit.open();
          await firstInSes.wait;
        }
        return record;
      };
      const first = sendMessage({ ...h.deps, threads: firstThreads, sender: firstSender }, input);
      await firstAtCommit.wait;
      const second = await sendMessage({ ...h.deps, sends: secondSends }, input);
      sesMayAnswer.open();
      const firstOut = await first;
      expect(second.itemId).toBe(firstOut.itemId);
      expect(second.delivery?.state).toBe('pending'); // not "failed: interrupted": the mail was leaving
      expect(firstOut.delivery?.state).toBe('sent');
      await expectOneSend(ws, threadId, ann, before, 1, input.idempotencyKey);
    });
  });
});
