/**
 * Placeholders on in-memory ports (whose store keeps DynamoDB's conditions): a reply that arrives
 * before its parent leaves a placeholder, the parent joins the reply's thread, and a later mail that
 * links two threads merges them. Ids too long for a key are never written as placeholders.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '#core/errors.ts';
import { IngestMail } from '#core/ingest.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { composeMail } from '../support/mail.ts';
import { MemoryDirectory, MemoryMailStore, MemoryThreadStore } from './ingest-fakes.ts';

const WS = 'WS1';
const SUPPORT = 'support@acme.example';
let threads: MemoryThreadStore;
let mail: MemoryMailStore;
let ingest: IngestMail;
let seq = 0;

beforeEach(() => {
  threads = new MemoryThreadStore();
  const directory = new MemoryDirectory();
  directory.addresses.set(SUPPORT, WS);
  for (const who of ['ann', 'bob']) {
    directory.contacts.set(`${WS}|${who}@client.example`, {
      workspaceId: WS,
      contactId: who,
      email: `${who}@client.example`,
      createdAt: '2026-11-23T00:00:00Z',
      updatedAt: '2026-11-23T00:00:00Z',
    });
    directory.links.set(`${WS}|${who}`, ['CUST']);
  }
  mail = new MemoryMailStore();
  ingest = new IngestMail({
    threads,
    directory,
    mail,
    tokens: new ReplyTokens('a-secret-of-at-least-16-chars'),
    clock: { now: () => new Date('2026-11-23T12:00:00Z') },
    maxMailBytes: 1024 * 1024,
    sleep: async () => {},
  });
});

async function deliverWith(
  m: Parameters<typeof composeMail>[0],
  verdicts?: Parameters<IngestMail['ingest']>[0]['verdicts'],
) {
  const key = `inbound/m${++seq}`;
  mail.objects.set(key, await composeMail(m));
  return ingest.ingest({
    sesMessageId: `m${seq}`,
    rawKey: key,
    recipients: [SUPPORT],
    receivedAt: new Date(Date.UTC(2026, 10, 23, 12, seq)).toISOString(),
    ...(verdicts ? { verdicts } : {}),
  });
}

async function deliver(m: Parameters<typeof composeMail>[0]) {
  return (await deliverWith(m)).workspaces[0];
}

describe('placeholders', () => {
  it('a reply before its parent: the parent joins the reply thread', async () => {
    const r = await deliver({
      from: 'bob@client.example',
      to: SUPPORT,
      messageId: '<r@x>',
      inReplyTo: '<p@x>',
      references: ['<p@x>'],
    });
    expect(threads.messageIds.get(`${WS}|p@x`)).toMatchObject({ placeholder: true, threadId: r.threadId });
    const p = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>' });
    expect(p).toMatchObject({ outcome: 'appended', via: 'header', threadId: r.threadId });
    expect(threads.messageIds.get(`${WS}|p@x`)).not.toHaveProperty('placeholder');
    // And the parent is no duplicate when delivered again: the real entry answers.
    expect((await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>' })).outcome).toBe('duplicate');
  });

  it('a mail that links two threads merges them into the older one', async () => {
    const p = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>' });
    const r = await deliver({ from: 'bob@client.example', to: SUPPORT, messageId: '<r@x>', inReplyTo: '<m@x>' });
    expect(r.threadId).not.toBe(p.threadId);
    const m = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<m@x>', inReplyTo: '<p@x>' });
    expect(m).toMatchObject({ outcome: 'appended', threadId: p.threadId });
    expect(threads.threads.get(`${WS}|${r.threadId}`)).toMatchObject({ mergedInto: p.threadId, status: 'closed' });
    expect(threads.threads.get(`${WS}|${p.threadId}`)).toMatchObject({ messageCount: 3, mergedFrom: [r.threadId] });
  });

  it('threads the mail without merging when the threads are too big to merge together', async () => {
    const p = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>' });
    const r = await deliver({ from: 'bob@client.example', to: SUPPORT, messageId: '<r@x>', inReplyTo: '<m@x>' });
    threads.commitMerge = async () => {
      throw new ConflictError('too many tags and customers');
    };
    const key = `inbound/m${++seq}`;
    mail.objects.set(
      key,
      await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: '<m@x>', inReplyTo: '<p@x>' }),
    );
    const res = await ingest.ingest({ sesMessageId: `m${seq}`, rawKey: key, recipients: [SUPPORT] });
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', threadId: p.threadId });
    expect(res.warnings).toEqual(['threads not merged: too many tags and customers']);
    expect(threads.threads.get(`${WS}|${r.threadId}`)?.mergedInto).toBeUndefined();
  });

  it('never writes a placeholder for an id too long for a key', async () => {
    const long = `<${'x'.repeat(300)}@x>`;
    await deliver({
      from: 'bob@client.example',
      to: SUPPORT,
      messageId: '<r@x>',
      inReplyTo: long,
      references: ['<q@x>', long],
    });
    expect([...threads.messageIds.keys()].sort()).toEqual([`${WS}|q@x`, `${WS}|r@x`]);
  });

  // Issue 8's trust rules on top of issue 9's placeholders and merges (the merge of w/threading into w/hostile).
  it("a stranger's mail is inert: no placeholder, no keyword, and the thread unchanged", async () => {
    const p = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>', subject: 'Order' });
    const before = structuredClone(threads.threads.get(`${WS}|${p.threadId}`));
    const keywords = [...(threads.keywords.get(`${WS}|${p.threadId}`) ?? [])].sort();
    const m = await deliver({
      from: 'mallory@elsewhere.example',
      to: SUPPORT,
      subject: 'Re: Order zebrafish',
      messageId: '<m@x>',
      inReplyTo: '<p@x>',
      references: ['<unknown@x>', '<p@x>'],
    });
    expect(m).toMatchObject({ outcome: 'appended', threadId: p.threadId, verifiedSender: false });
    expect(threads.messageIds.has(`${WS}|unknown@x`)).toBe(false);
    expect(threads.messageIds.get(`${WS}|m@x`)).toMatchObject({ threadId: p.threadId, inert: true });
    expect([...(threads.keywords.get(`${WS}|${p.threadId}`) ?? [])].sort()).toEqual(keywords);
    const after = threads.threads.get(`${WS}|${p.threadId}`);
    expect({ ...after, rev: 0 }).toEqual({ ...before, rev: 0 });
  });

  it('a linking mail that fails DMARC merges nothing (a forged From of a contact)', async () => {
    const p = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>' });
    const r = await deliver({ from: 'bob@client.example', to: SUPPORT, messageId: '<r@x>', inReplyTo: '<m@x>' });
    const res = await deliverWith(
      { from: 'ann@client.example', to: SUPPORT, messageId: '<m@x>', inReplyTo: '<p@x>' },
      { dmarc: 'FAIL' },
    );
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: false });
    expect(threads.threads.get(`${WS}|${r.threadId}`)?.mergedInto).toBeUndefined();
    expect(threads.threads.get(`${WS}|${p.threadId}`)?.mergedFrom).toBeUndefined();
  });

  it('a quarantined mail leaves no placeholder, and its thread is never merged', async () => {
    const p = await deliver({ from: 'ann@client.example', to: SUPPORT, messageId: '<p@x>' });
    const v = (
      await deliverWith(
        { from: 'bob@client.example', to: SUPPORT, messageId: '<v@x>', references: ['<gone@x>'] },
        { virus: 'FAIL' },
      )
    ).workspaces[0];
    expect(v.outcome).toBe('created');
    expect(threads.threads.get(`${WS}|${v.threadId}`)?.quarantined).toBe(true);
    expect(threads.messageIds.has(`${WS}|gone@x`)).toBe(false);
    // A contact's mail naming both threads would merge them: never with a quarantined one.
    const res = await deliverWith({
      from: 'ann@client.example',
      to: SUPPORT,
      messageId: '<m@x>',
      inReplyTo: '<p@x>',
      references: ['<v@x>', '<p@x>'],
    });
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', threadId: p.threadId });
    expect(res.warnings).toEqual(['threads not merged: a quarantined thread cannot be merged']);
    expect(threads.threads.get(`${WS}|${v.threadId}`)?.mergedInto).toBeUndefined();
    expect(threads.threads.get(`${WS}|${p.threadId}`)?.mergedInto).toBeUndefined();
  });
});
