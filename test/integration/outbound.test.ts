import { simpleParser } from 'mailparser';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipientNotAllowedError, SendCapExceededError, ThreadClosedError } from '../../functions/core/errors.ts';
import type { Thread } from '../../functions/core/model.ts';
import { sendMessage } from '../../functions/core/outbound.ts';
import { withStatus } from '../../functions/core/thread-state.ts';
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
const mailsTo = (a: string) => h.sender.sent.filter((m) => m.destinations.includes(a));

describe('outbound mail (sendMessage)', () => {
  it('builds the MIME with nodemailer, stores it, sends it, and records the wire Message-ID so replies thread back', async () => {
    const { ws, address, ann, threadId } = await setup();
    const before = (await h.threads.getThread(ws, threadId)) as Thread;
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
    const input = {
      workspaceId: ws,
      threadId,
      to: [ann],
      text: 'x',
      actor: { kind: 'agent' as const, id: 'a' },
      idempotencyKey: 'crash',
    };
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

    const thread = (await h.threads.getThread(ws, threadId)) as Thread;
    const closed = withStatus(
      thread,
      { status: 'closed' },
      { itemId: ulid(), at: new Date().toISOString(), actor: { kind: 'agent', id: 'a' } },
    )!;
    await h.threads.commit({ before: thread, after: closed.thread, items: [closed.item] });
    await expect(h.agentSends({ workspaceId: ws, threadId, to: [ann] })).rejects.toBeInstanceOf(ThreadClosedError);
  });

  it('marks a send that SES refuses as failed, with the reason, and does not retry it', async () => {
    const { ws, ann, threadId } = await setup();
    const sender = {
      sendRaw: async () => Promise.reject(new Error('MessageRejected: Email address is not verified')),
      wireMessageId: (x: string) => x,
    };
    const input = {
      workspaceId: ws,
      threadId,
      to: [ann],
      text: 'x',
      actor: { kind: 'agent' as const, id: 'a' },
      idempotencyKey: 'rej',
    };
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
});
