import { beforeEach, describe, expect, it } from 'vitest';
import { type InboundMail, type IngestDeps, IngestMail, truncateUtf8 } from '#core/ingest.ts';
import type { Thread } from '#core/model.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { withStatus } from '#core/thread-state.ts';
import { autoReply, bounceMail, composeMail, mailWithAttachments, newMessageId } from '../support/mail.ts';
import { MemoryDirectory, MemoryEvents, MemoryMailStore, MemoryThreadStore } from './ingest-fakes.ts';

const WS = 'WS1';
const SUPPORT = 'support@acme.example';
const tokens = new ReplyTokens('a-secret-of-at-least-16-chars');

let threads: MemoryThreadStore;
let directory: MemoryDirectory;
let mail: MemoryMailStore;
let events: MemoryEvents;
let ingest: IngestMail;
let seq = 0;

function deps(over: Partial<IngestDeps> = {}): IngestDeps {
  return {
    threads,
    directory,
    mail,
    events,
    tokens,
    clock: { now: () => new Date('2026-11-23T12:00:00Z') },
    maxMailBytes: 1024 * 1024,
    sleep: async () => {},
    ...over,
  };
}

beforeEach(() => {
  threads = new MemoryThreadStore();
  directory = new MemoryDirectory();
  directory.addresses.set(SUPPORT, WS);
  mail = new MemoryMailStore();
  events = new MemoryEvents();
  ingest = new IngestMail(deps());
});

async function deliver(raw: Buffer, over: Partial<InboundMail> = {}) {
  const sesMessageId = over.sesMessageId ?? `ses${++seq}`;
  mail.objects.set(`inbound/${sesMessageId}`, raw);
  return ingest.ingest({
    sesMessageId,
    rawKey: `inbound/${sesMessageId}`,
    recipients: [SUPPORT],
    receivedAt: new Date(Date.UTC(2026, 10, 23, 10, 0, seq)).toISOString(),
    ...over,
  });
}

const thread = (id: string) => threads.getThread(WS, id) as Promise<Thread>;

async function setStatus(threadId: string, status: Thread['status']) {
  const before = await thread(threadId);
  const change = withStatus(
    before,
    { status, reminderIndex: status === 'reminder' ? 1 : undefined },
    {
      itemId: `upd${++seq}`,
      at: '2026-11-23T11:00:00.000Z',
      actor: { kind: 'agent', id: 'agent1' },
    },
  )!;
  await threads.commit({ before, after: change.thread, items: [change.item] });
}

describe('IngestMail', () => {
  it('opens a thread for a new customer, with a contact and an auto-created customer', async () => {
    const res = await deliver(await composeMail({ from: 'Ann <ann@client.example>', to: SUPPORT, subject: 'Help' }));
    expect(res.workspaces).toEqual([expect.objectContaining({ outcome: 'created', workspaceId: WS })]);
    const t = await thread(res.workspaces[0].threadId);
    expect(t).toMatchObject({ status: 'open', messageCount: 1, subject: 'Help', ref: '1' });
    expect(t.customerIds).toHaveLength(1);
    expect(t.latestContact).toMatchObject({ email: 'ann@client.example', name: 'Ann' });
    expect(events.events.map((e) => e.type)).toEqual(['thread.created', 'message.received']);
    expect([...(threads.keywords.values().next().value ?? [])]).toEqual(expect.arrayContaining(['help', 'ann']));
  });

  it("puts the known contact's external id (and name) on the card", async () => {
    directory.contacts.set(`${WS}|ann@client.example`, {
      workspaceId: WS,
      contactId: 'K-ANN',
      email: 'ann@client.example',
      name: 'Ann Smith',
      externalId: 'crm-7',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    directory.links.set(`${WS}|K-ANN`, ['C-ACME']);
    const res = await deliver(await composeMail({ from: 'Ann <ann@client.example>', to: SUPPORT, subject: 'Help' }));
    const t = await thread(res.workspaces[0].threadId);
    expect(t.latestContact).toEqual({
      contactId: 'K-ANN',
      email: 'ann@client.example',
      name: 'Ann Smith',
      externalId: 'crm-7',
    });
  });

  it('threads a reply by In-Reply-To, and a duplicate delivery adds nothing', async () => {
    const first = newMessageId();
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: first }));
    const reply = await composeMail({ from: 'ann@client.example', to: SUPPORT, inReplyTo: first, references: [first] });
    const b = await deliver(reply, { sesMessageId: 'dup' });
    const c = await deliver(reply, { sesMessageId: 'dup' });
    expect(b.workspaces[0]).toMatchObject({ outcome: 'appended', via: 'header', verifiedSender: true });
    expect(c.workspaces[0]).toMatchObject({ outcome: 'duplicate', threadId: a.workspaces[0].threadId });
    expect(await thread(a.workspaces[0].threadId)).toMatchObject({ messageCount: 2, itemCount: 2 });
  });

  it('makes one message for a mail sent to several addresses of one workspace', async () => {
    directory.addresses.set('sales@acme.example', WS);
    directory.addresses.set('help@other.example', 'WS2');
    const res = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT }), {
      recipients: [SUPPORT, 'Sales+x@acme.example', 'help@other.example'],
    });
    expect(res.workspaces.map((w) => w.workspaceId).sort()).toEqual([WS, 'WS2']);
    expect(threads.messagesOf(WS)).toHaveLength(1);
    expect(threads.messagesOf('WS2')).toHaveLength(1);
  });

  it('keeps unroutable mail, without throwing', async () => {
    const res = await deliver(await composeMail({ from: 'ann@client.example', to: 'x@nowhere.example' }), {
      recipients: ['x@nowhere.example'],
    });
    expect(res.unroutable).toBe(true);
    expect(directory.unroutable).toEqual([expect.objectContaining({ recipients: ['x@nowhere.example'] })]);
  });

  it('follows a valid reply token, and ignores a forged one', async () => {
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT }));
    const threadId = a.workspaces[0].threadId;
    const tokenAddress = tokens.replyAddress(SUPPORT, WS, threadId);
    const good = await deliver(await composeMail({ from: 'ann@client.example', to: tokenAddress }), {
      recipients: [tokenAddress],
    });
    expect(good.workspaces[0]).toMatchObject({ outcome: 'appended', via: 'token', threadId });
    const forged = tokenAddress.replace(/\.[a-z2-7]{4}/, '.aaaa');
    const bad = await deliver(await composeMail({ from: 'ann@client.example', to: forged }), { recipients: [forged] });
    expect(bad.workspaces[0].outcome).toBe('created');
  });

  it('flags a non-contact who replies by headers, and never reopens or relinks for them', async () => {
    const first = newMessageId();
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: first }));
    const threadId = a.workspaces[0].threadId;
    await setStatus(threadId, 'waiting');
    const before = await thread(threadId);
    const res = await deliver(
      await composeMail({ from: 'eve@evil.example', to: SUPPORT, references: [first], subject: 'Re: Hello' }),
    );
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: false, reopened: false });
    const after = await thread(threadId);
    expect(after).toMatchObject({ status: 'waiting', statusVersion: before.statusVersion });
    expect(after.customerIds).toEqual(before.customerIds);
    expect(after.latestContact?.email).toBe('ann@client.example');
    const eve = threads.messagesOf(WS).find((m) => m.from.address === 'eve@evil.example');
    expect(eve?.flags.unverifiedSender).toBe(true);
  });

  it('opens a new thread for a subject tag from a non-contact, and follows it for a contact', async () => {
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT }));
    const t = await thread(a.workspaces[0].threadId);
    const eve = await deliver(await composeMail({ from: 'eve@evil.example', to: SUPPORT, subject: `Re [#${t.ref}]` }));
    expect(eve.workspaces[0]).toMatchObject({ outcome: 'created', via: 'subject' });
    const ann = await deliver(
      await composeMail({ from: 'ann@client.example', to: SUPPORT, subject: `Re [#${t.ref}]` }),
    );
    expect(ann.workspaces[0]).toMatchObject({ outcome: 'appended', via: 'subject', threadId: t.threadId });
  });

  it('reopens a reminder thread on a real reply, in the same change, but not on an auto-reply', async () => {
    const first = newMessageId();
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: first }));
    const threadId = a.workspaces[0].threadId;
    await setStatus(threadId, 'reminder');
    const v = (await thread(threadId)).statusVersion;
    await deliver(await autoReply({ from: 'ann@client.example', to: SUPPORT, inReplyTo: first }));
    expect(await thread(threadId)).toMatchObject({ status: 'reminder', statusVersion: v });
    const res = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, inReplyTo: first }));
    expect(res.workspaces[0]).toMatchObject({ reopened: true });
    const t = await thread(threadId);
    expect(t).toMatchObject({ status: 'open', statusVersion: v + 1, messageCount: 3 });
    const feed = (await threads.listFeed(WS, threadId)).items;
    expect(feed.at(-1)).toMatchObject({ type: 'update', field: 'status', from: 'reminder(1)', to: 'open' });
    expect(events.events.at(-1)).toMatchObject({ type: 'status.changed' });
  });

  it('starts a linked thread for a reply to a closed thread', async () => {
    const first = newMessageId();
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: first }));
    await setStatus(a.workspaces[0].threadId, 'closed');
    const res = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, inReplyTo: first }));
    expect(res.workspaces[0]).toMatchObject({ outcome: 'created', linkedThreadId: a.workspaces[0].threadId });
    expect(await thread(res.workspaces[0].threadId)).toMatchObject({ linkedThreadId: a.workspaces[0].threadId });
  });

  it('marks the failed address of a bounce of mail sent to it, without a contact for the mailer-daemon', async () => {
    const first = newMessageId('acme.example');
    const a = await deliver(await composeMail({ from: 'bob@client.example', to: SUPPORT, messageId: first }));
    const threadId = a.workspaces[0].threadId;
    // What outbound.ts indexes when an agent's message goes to bob.
    const sent = newMessageId('eu-west-1.amazonses.com');
    threads.messageIds.set(`${WS}|${sent.slice(1, -1)}`, {
      messageId: sent.slice(1, -1),
      threadId,
      itemId: 'out-1',
      direction: 'outbound',
      sentTo: ['bob@client.example'],
    });
    const res = await deliver(bounceMail({ to: SUPPORT, failedRecipient: 'bob@client.example', inReplyTo: sent }));
    expect(res.workspaces[0]).toMatchObject({ classification: 'bounce', threadId });
    expect(directory.failing).toEqual([expect.objectContaining({ email: 'bob@client.example' })]);
    expect(await directory.findContactByEmail(WS, 'mailer-daemon@mx.example.net')).toBeNull();
  });

  it('ignores a bounce that names no message sent to the address (a forged bounce)', async () => {
    const first = newMessageId('acme.example');
    const a = await deliver(await composeMail({ from: 'bob@client.example', to: SUPPORT, messageId: first }));
    // It references bob's own inbound mail: nothing was ever sent to bob.
    const res = await deliver(bounceMail({ to: SUPPORT, failedRecipient: 'bob@client.example', inReplyTo: first }));
    expect(res.workspaces[0]).toMatchObject({ classification: 'bounce', threadId: a.workspaces[0].threadId });
    expect(directory.failing).toEqual([]);
  });

  it("never makes automated mail the card's latest contact, so no reminder or default reply goes back to it", async () => {
    const bounce = await deliver(bounceMail({ to: SUPPORT, failedRecipient: 'nobody@client.example' }));
    expect(bounce.workspaces[0]).toMatchObject({ outcome: 'created', classification: 'bounce' });
    const bounced = await thread(bounce.workspaces[0].threadId);
    expect(bounced.latestContact).toBeUndefined();
    expect(bounced.customerIds).toHaveLength(1); // a thread still needs a customer: the agents can relink it

    const ooo = await deliver(await autoReply({ from: 'carl@client.example', to: SUPPORT }));
    expect(ooo.workspaces[0]).toMatchObject({ outcome: 'created', classification: 'auto_reply' });
    expect((await thread(ooo.workspaces[0].threadId)).latestContact).toBeUndefined();
  });

  it('records verdicts: virus quarantines, spam flags, auth failures are kept', async () => {
    const res = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT }), {
      verdicts: { virus: 'FAIL', spam: 'FAIL', spf: 'FAIL', dkim: 'PASS', dmarc: 'GRAY' },
    });
    const [m] = threads.messagesOf(WS);
    expect(m.flags).toMatchObject({ quarantined: true, spam: true, authFailures: ['spf'] });
    expect(m.auth).toEqual({ spf: 'fail', dkim: 'pass', dmarc: 'gray' });
    expect((await thread(res.workspaces[0].threadId)).snippet).toBe('');
  });

  it('stores attachments and inline images under deterministic keys', async () => {
    const raw = await mailWithAttachments({ from: 'ann@client.example', to: SUPPORT });
    const res = await deliver(raw);
    const [m] = threads.messagesOf(WS);
    expect(m.attachments.map((a) => [a.filename, a.inline, a.contentId])).toEqual([
      ['logo.png', true, 'logo@test'],
      ['invoice.pdf', false, undefined],
    ]);
    for (const a of m.attachments) {
      expect(a.key).toBe(`attachments/${WS}/${res.workspaces[0].threadId}/${a.attachmentId}`);
      expect(mail.objects.get(a.key)?.length).toBe(a.size);
    }
    expect(await thread(res.workspaces[0].threadId)).toMatchObject({
      hasAttachments: true,
      attachmentNames: ['invoice.pdf'],
    });
  });

  it('keeps oversize mail as a message with an error, and the raw mail', async () => {
    ingest = new IngestMail(deps({ maxMailBytes: 1000 }));
    const raw = await composeMail({ from: 'ann@client.example', to: SUPPORT, subject: 'Big', text: 'x'.repeat(5000) });
    const res = await deliver(raw);
    const [m] = threads.messagesOf(WS);
    expect(res.workspaces[0].outcome).toBe('created');
    expect(m.flags.error).toMatch(/over the 1000-byte limit/);
    expect(m.subject).toBe('Big');
    expect(mail.objects.has(m.rawKey!)).toBe(true);
  });

  it('truncates stored bodies beyond the item budget, flagged', async () => {
    await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, text: 'é'.repeat(200_000) }));
    const [m] = threads.messagesOf(WS);
    expect(Buffer.byteLength(m.text)).toBeLessThanOrEqual(100 * 1024);
    expect(m.flags.truncated).toBe(true);
    expect(truncateUtf8('aé', 2)).toBe('a');
  });

  it('retries a lost race on the thread revision until it lands', async () => {
    const first = newMessageId();
    const a = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: first }));
    let failures = 3;
    const commit = threads.commit.bind(threads);
    threads.commit = async (change) => {
      if (change.before && failures-- > 0) {
        const { ConcurrentUpdateError } = await import('#core/errors.ts');
        throw new ConcurrentUpdateError('stale');
      }
      return commit(change);
    };
    const res = await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, inReplyTo: first }));
    expect(res.workspaces[0].outcome).toBe('appended');
    expect(await thread(a.workspaces[0].threadId)).toMatchObject({ messageCount: 2 });
  });

  it('uses few store calls for a reply to an existing thread', async () => {
    const first = newMessageId();
    await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, messageId: first }));
    threads.calls = [];
    directory.calls = [];
    await deliver(await composeMail({ from: 'ann@client.example', to: SUPPORT, inReplyTo: first }));
    // One lookup of the Message-IDs, one of the thread they name, one commit (keywords included).
    expect(threads.calls).toEqual(['lookup', 'lookup', 'commit']);
    // The route is cached per container.
    expect(directory.calls).toEqual(['findContactByEmail', 'customerIdsOfContact']);
  });
});
