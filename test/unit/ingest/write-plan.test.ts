/** Step 4 of ingest (functions/core/ingest/write-plan.ts): everything a mail writes, as data. */
import { describe, expect, it } from 'vitest';
import { prepareMail } from '#core/ingest/prepare.ts';
import { MAX_PLACEHOLDERS, newKeywords, planAttachments, planWrite, type WriteInput } from '#core/ingest/write-plan.ts';
import type { Thread } from '#core/model.ts';
import { composeMail, mailWithAttachments } from '../../support/mail.ts';

const WS = 'WS1';
const AT = '2026-11-23T10:00:00.000Z';
const FROM = 'ann@client.example';
const contact = { contact: { contactId: 'K1' }, customerIds: ['C1'] };
const prepare = async (raw: Buffer | Promise<Buffer>, flags = {}) => {
  const p = await prepareMail({ sesMessageId: 's1', rawKey: 'inbound/s1', recipients: [] }, await raw, AT, 1 << 20);
  return { ...p, flags: { ...p.flags, ...flags } };
};
const newInput = async (over: Partial<WriteInput> = {}): Promise<WriteInput> => ({
  workspaceId: WS,
  decision: { kind: 'new', reason: 'no-match' },
  contact,
  p: await prepare(composeMail({ from: FROM, to: 'x', subject: 'Refund', messageId: '<m1@x>' })),
  rawKey: 'inbound/s1',
  facts: { claim: null, unknown: [] },
  ref: '7',
  ...over,
});
/** The thread of a first mail, as stored after its commit (rev 1). */
const storedThread = async (status: Thread['status'] = 'open'): Promise<Thread> => {
  const { change } = planWrite(await newInput());
  return { ...change.after, status, rev: 1 };
};

describe('planWrite', () => {
  it('plans a new thread: a conditioned index entry, placeholders, keywords, events and the outcome', async () => {
    const unknown = Array.from({ length: MAX_PLACEHOLDERS + 5 }, (_, i) => `<p${i}@x>`);
    const input = await newInput({ facts: { claim: null, unknown } });
    const plan = planWrite(input);
    const { change } = plan;
    expect(change.before).toBeNull();
    expect(change.after).toMatchObject({ workspaceId: WS, ref: '7', subject: 'Refund', messageCount: 1 });
    expect(change.items).toEqual([expect.objectContaining({ type: 'message', messageId: '<m1@x>', contactId: 'K1' })]);
    const [own, ...placeholders] = change.messageIds ?? [];
    expect(own).toEqual({
      messageId: '<m1@x>',
      threadId: plan.threadId,
      itemId: plan.outcome.itemId,
      direction: 'inbound',
      contentHash: input.p.contentHash,
      dedupe: true,
    });
    expect(placeholders.map((m) => m.messageId)).toEqual(unknown.slice(0, MAX_PLACEHOLDERS));
    expect(placeholders.every((m) => m.placeholder && m.itemId === '')).toBe(true);
    expect(change.keywords).toEqual(input.p.keywords);
    expect(plan.uploads).toEqual([]);
    expect(plan.events.map((e) => e.type)).toEqual(['thread.created', 'message.received']);
    expect(plan.outcome).toMatchObject({ outcome: 'created', threadId: plan.threadId, classification: 'ordinary' });
    expect(plan.quiet).toBe(false);
  });

  it('is pure: a twin delivery plans the very same writes', async () => {
    const input = await newInput();
    expect(planWrite(input)).toEqual(planWrite(input));
    expect(() => planWrite({ ...input, ref: undefined })).toThrow('a new thread needs its ref');
  });

  it('replaces the placeholder that was read, and reopens a waiting thread on a contact’s reply', async () => {
    const thread = await storedThread('waiting');
    const p = await prepare(composeMail({ from: FROM, to: 'x', messageId: '<m2@x>', inReplyTo: '<m1@x>' }));
    const plan = planWrite(
      await newInput({
        decision: { kind: 'append', thread, via: 'header', verifiedSender: true },
        p,
        facts: {
          claim: {
            messageId: '<m2@x>',
            threadId: thread.threadId,
            itemId: '',
            direction: 'inbound',
            placeholder: true,
          },
          unknown: [],
        },
      }),
    );
    expect(plan.change.before).toBe(thread);
    expect(plan.change.messageIds?.[0]).toMatchObject({ dedupe: true, replacesPlaceholderOf: thread.threadId });
    expect(plan.change.after.status).toBe('open');
    expect(plan.change.items.map((i) => i.type)).toEqual(['message', 'update']);
    expect(plan.events.map((e) => e.type)).toEqual(['message.received', 'status.changed']);
    expect(plan.outcome).toMatchObject({ outcome: 'appended', via: 'header', verifiedSender: true, reopened: true });
  });

  it('keeps an unverified sender’s mail inert: the thread unchanged but for the item, no trace to steer by', async () => {
    const thread = await storedThread('waiting');
    const p = await prepare(composeMail({ from: 'eve@else.example', to: 'x', messageId: '<m3@x>' }));
    const plan = planWrite(
      await newInput({
        decision: { kind: 'append', thread, via: 'header', verifiedSender: false },
        p,
        facts: { claim: null, unknown: ['<steer@x>'] },
      }),
    );
    expect(plan.quiet).toBe(true);
    expect(plan.change.after.status).toBe('waiting');
    expect(plan.change.messageIds).toEqual([expect.objectContaining({ inert: true, dedupe: true })]);
    expect(plan.change.keywords).toBeUndefined();
    expect(plan.change.items[0]).toMatchObject({ flags: { unverifiedSender: true } });
    expect(plan.outcome).toMatchObject({ outcome: 'appended', verifiedSender: false, reopened: false });
  });

  it('plans the attachments’ uploads before the commit, and none for quarantined mail', async () => {
    const raw = mailWithAttachments({ from: FROM, to: 'x', messageId: '<m4@x>' });
    const plan = planWrite(await newInput({ p: await prepare(raw) }));
    expect(plan.uploads.map((u) => u.key)).toEqual([
      expect.stringMatching(new RegExp(`^attachments/${WS}/${plan.threadId}/[0-9a-z]{26}$`)),
      expect.stringMatching(new RegExp(`^attachments/${WS}/${plan.threadId}/[0-9a-z]{26}$`)),
    ]);
    expect(plan.change.attachments?.map((a) => [a.filename, a.itemId])).toEqual([
      ['logo.png', plan.outcome.itemId],
      ['invoice.pdf', plan.outcome.itemId],
    ]);
    const quarantined = planWrite(await newInput({ p: await prepare(raw, { quarantined: true }) }));
    expect(quarantined.uploads).toEqual([]);
    expect(quarantined.change.attachments).toBeUndefined();
    expect(quarantined.change.items[0]).toMatchObject({
      attachments: [{ key: 'inbound/s1' }, { key: 'inbound/s1' }],
    });
  });
});

describe('planAttachments', () => {
  it('stores no part that the parser cut, and names it', () => {
    const part = (filename: string, truncated: boolean) => ({
      filename,
      contentType: 'application/pdf',
      size: 3,
      content: Buffer.from('pdf'),
      inline: false,
      ...(truncated ? { truncated } : {}),
    });
    const p = { parsed: { attachments: [part('a.pdf', false), part('huge.pdf', true)] } } as never;
    const out = planAttachments(WS, 'T1', p, '<m@x>', { quarantined: false, rawKey: 'inbound/s1' });
    expect(out.attachments.map((a) => a.filename)).toEqual(['a.pdf']);
    expect(out.uploads).toEqual([
      { key: out.attachments[0].key, content: Buffer.from('pdf'), contentType: 'application/pdf' },
    ]);
    expect(out.skipped).toEqual(['huge.pdf']);
  });
});

describe("newKeywords (issue 22: a reply does not re-index its thread's subject)", () => {
  it("drops the tokens of the thread's subject from a reply, and only those", async () => {
    const thread = { ...(await storedThread()), subject: 'Refund for order 1042' };
    expect(newKeywords(thread, ['refund', 'order', '1042', 'delivery', 'late'])).toEqual(['delivery', 'late']);
    expect(newKeywords(null, ['refund', 'delivery'])).toEqual(['refund', 'delivery']);
    // A quarantined thread indexed nothing; a thread without a subject of its own has none indexed.
    expect(newKeywords({ ...thread, quarantined: true }, ['refund', 'late'])).toEqual(['refund', 'late']);
    expect(newKeywords({ ...thread, subject: '(no subject)' }, ['subject', 'late'])).toEqual(['subject', 'late']);
  });
});
