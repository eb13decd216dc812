import { GetObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withStatus } from '#core/thread-state.ts';
import { autoReply, bounceMail, composeMail, mailWithAttachments, newMessageId, PNG_1X1 } from '../support/mail.ts';
import { BUCKET, type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function setStatus(workspaceId: string, threadId: string, status: 'reminder' | 'waiting' | 'closed') {
  const before = await h.thread(workspaceId, threadId);
  const change = withStatus(
    before,
    { status },
    { itemId: `U${Date.now()}`, at: new Date().toISOString(), actor: { kind: 'agent', id: 'agent-1' } },
  )!;
  await h.threads.commit({ before, after: change.thread, items: [change.item] });
}

/** A customer (Ann) opens a thread; returns its id and the first Message-ID. */
async function openThread(ws: { address: string }, from = 'Ann <ann@client.example>') {
  const messageId = newMessageId();
  const res = await h.deliver(await composeMail({ from, to: ws.address, messageId, subject: 'My order' }), {
    recipients: [ws.address],
  });
  return { threadId: res.workspaces[0].threadId, messageId };
}

describe('ingest against DynamoDB Local and s3rver', () => {
  it('a non-contact using a thread subject tag gets a new thread', async () => {
    const ws = await h.workspace();
    const { threadId } = await openThread(ws);
    const t = await h.thread(ws.workspaceId, threadId);
    const res = await h.deliver(
      await composeMail({ from: 'eve@evil.example', to: ws.address, subject: `Re: My order [#${t.ref}]` }),
      { recipients: [ws.address] },
    );
    expect(res.workspaces[0]).toMatchObject({ outcome: 'created', via: 'subject' });
    expect(res.workspaces[0].threadId).not.toBe(threadId);
    expect(await h.thread(ws.workspaceId, threadId)).toMatchObject({ messageCount: 1 });
  });

  it('a non-contact with the thread References is stored flagged; status, counters and customers unchanged', async () => {
    const ws = await h.workspace();
    const { threadId, messageId } = await openThread(ws);
    await setStatus(ws.workspaceId, threadId, 'reminder');
    const before = await h.thread(ws.workspaceId, threadId);
    const res = await h.deliver(
      await composeMail({ from: 'eve@evil.example', to: ws.address, references: [messageId], subject: 'Re: My order' }),
      { recipients: [ws.address] },
    );
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', threadId, verifiedSender: false });
    const after = await h.thread(ws.workspaceId, threadId);
    // Inert (inbound-trust.ts): the card and its counters are the thread's as before.
    expect(after).toMatchObject({ status: 'reminder', statusVersion: before.statusVersion, messageCount: 1 });
    expect(after.customerIds).toEqual(before.customerIds);
    const eve = await h.directory.findContactByEmail(ws.workspaceId, 'eve@evil.example');
    const eveCustomers = await h.directory.customerIdsOfContact(ws.workspaceId, eve!.contactId);
    expect(eveCustomers.some((c) => before.customerIds.includes(c))).toBe(false);
    const messages = await h.messages(ws.workspaceId, threadId);
    expect(messages.find((m) => m.from.address === 'eve@evil.example')?.flags.unverifiedSender).toBe(true);
  });

  it('a reply to a closed thread starts a new linked thread', async () => {
    const ws = await h.workspace();
    const { threadId, messageId } = await openThread(ws);
    await setStatus(ws.workspaceId, threadId, 'closed');
    const res = await h.deliver(
      await composeMail({ from: 'ann@client.example', to: ws.address, inReplyTo: messageId, references: [messageId] }),
      { recipients: [ws.address] },
    );
    expect(res.workspaces[0]).toMatchObject({ outcome: 'created', linkedThreadId: threadId });
    expect(await h.thread(ws.workspaceId, res.workspaces[0].threadId)).toMatchObject({
      linkedThreadId: threadId,
      status: 'open',
    });
    expect(await h.thread(ws.workspaceId, threadId)).toMatchObject({ status: 'closed', messageCount: 1 });
  });

  it.each(['reminder', 'waiting'] as const)(
    'a real reply on a %s thread reopens it, with statusVersion+1 and an update item',
    async (status) => {
      const ws = await h.workspace();
      const { threadId, messageId } = await openThread(ws);
      await setStatus(ws.workspaceId, threadId, status);
      const before = await h.thread(ws.workspaceId, threadId);
      await h.deliver(await composeMail({ from: 'ann@client.example', to: ws.address, inReplyTo: messageId }), {
        recipients: [ws.address],
      });
      const after = await h.thread(ws.workspaceId, threadId);
      expect(after).toMatchObject({ status: 'open', statusVersion: before.statusVersion + 1, messageCount: 2 });
      expect(after.itemCount).toBe(before.itemCount + 2);
      const feed = await h.threads.listFeed(ws.workspaceId, threadId, { limit: 20 });
      expect(feed.items.at(-1)).toMatchObject({
        type: 'update',
        field: 'status',
        to: 'open',
        actor: { kind: 'customer' },
      });
    },
  );

  it('an auto-reply on a reminder thread leaves the status alone', async () => {
    const ws = await h.workspace();
    const { threadId, messageId } = await openThread(ws);
    await setStatus(ws.workspaceId, threadId, 'reminder');
    const before = await h.thread(ws.workspaceId, threadId);
    const res = await h.deliver(await autoReply({ from: 'ann@client.example', to: ws.address, inReplyTo: messageId }), {
      recipients: [ws.address],
    });
    expect(res.workspaces[0]).toMatchObject({ classification: 'auto_reply', threadId });
    expect(await h.thread(ws.workspaceId, threadId)).toMatchObject({
      status: 'reminder',
      statusVersion: before.statusVersion,
      messageCount: 2,
    });
  });

  it('a bounce of mail sent to the contact marks it failing', async () => {
    const ws = await h.workspace();
    const { threadId } = await openThread(ws, 'Bob <bob@client.example>');
    // What outbound.ts indexes once SES took an agent's message to bob.
    const sent = `<${ulid().toLowerCase()}@eu-west-1.amazonses.com>`;
    const thread = await h.thread(ws.workspaceId, threadId);
    await h.threads.commit({
      before: thread,
      after: thread,
      items: [],
      messageIds: [
        { messageId: sent, threadId, itemId: 'out-1', direction: 'outbound', sentTo: ['bob@client.example'] },
      ],
    });
    const res = await h.deliver(
      bounceMail({ to: ws.address, failedRecipient: 'bob@client.example', inReplyTo: sent }),
      { recipients: [ws.address] },
    );
    expect(res.workspaces[0]).toMatchObject({ classification: 'bounce', threadId });
    const bob = await h.directory.findContactByEmail(ws.workspaceId, 'bob@client.example');
    expect(bob?.failing?.reason).toMatch(/5\.1\.1/);
  });

  it('verdicts: virus quarantines, spam flags, SPF failure recorded', async () => {
    const ws = await h.workspace();
    const res = await h.deliver(await composeMail({ from: 'ann@client.example', to: ws.address }), {
      recipients: [ws.address],
      verdicts: { virus: 'FAIL', spam: 'FAIL', spf: 'FAIL', dkim: 'PASS', dmarc: 'PASS' },
    });
    const [m] = await h.messages(ws.workspaceId, res.workspaces[0].threadId);
    expect(m.flags).toMatchObject({ quarantined: true, spam: true, authFailures: ['spf'] });
    expect(m.auth).toEqual({ spf: 'fail', dkim: 'pass', dmarc: 'pass' });
  });

  it('stores attachments, inline cid images included, in S3', async () => {
    const ws = await h.workspace();
    const res = await h.deliver(await mailWithAttachments({ from: 'ann@client.example', to: ws.address }), {
      recipients: [ws.address],
    });
    const threadId = res.workspaces[0].threadId;
    const [m] = await h.messages(ws.workspaceId, threadId);
    expect(m.attachments).toHaveLength(2);
    const logo = m.attachments.find((a) => a.contentId === 'logo@test')!;
    expect(logo).toMatchObject({ inline: true, filename: 'logo.png' });
    expect(logo.key).toBe(`attachments/${ws.workspaceId}/${threadId}/${logo.attachmentId}`);
    const out = await h.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: logo.key }));
    expect(Buffer.from(await out.Body!.transformToByteArray()).equals(PNG_1X1)).toBe(true);
    expect(await h.rawExists(m.rawKey!)).toBe(true);
  });

  it('keeps unroutable mail', async () => {
    const res = await h.deliver(await composeMail({ from: 'ann@client.example', to: 'nobody@unknown.example' }), {
      recipients: ['nobody@unknown.example'],
    });
    expect(res).toMatchObject({ unroutable: true, workspaces: [] });
    expect(await h.rawExists(`inbound/${res.sesMessageId}`)).toBe(true);
  });

  it('a valid reply token threads even without headers', async () => {
    const ws = await h.workspace();
    const { threadId } = await openThread(ws);
    const address = h.tokens.replyAddress(ws.address, ws.workspaceId, threadId);
    const res = await h.deliver(await composeMail({ from: 'ann@client.example', to: address }), {
      recipients: [address],
    });
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', via: 'token', threadId });
  });
});
