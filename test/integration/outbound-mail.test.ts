/**
 * Outbound mail as a customer receives it, parsed back with a real MIME parser (postal-mime): From the
 * thread's mailbox with its display name, Reply-To in that mailbox, text and HTML parts, the answer
 * escaped or sanitised, the three signature layers, the quote, an inline image, CC and BCC. Against
 * DynamoDB Local, through the API handler; the mail comes in through the real ingest use case.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import PostalMime from 'postal-mime';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { systemClock } from '#adapters/system.ts';
import { endUserMessageView } from '#api/use-cases/widget.ts';
import { IngestMail } from '#core/ingest.ts';
import { mailboxIdOf } from '#core/mailboxes.ts';
import type { MessageItem } from '#core/model.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { main } from '../../bin/gochat.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, type RecordingStarter } from '../support/chat.ts';
import { composeMail, newMessageId, PNG_1X1 } from '../support/mail.ts';

const SECRET = 'test-reply-token-secret-0123456789';
const tokens = new ReplyTokens(SECRET);
let api: TestApi;
let ingest: IngestMail;
let ws: { workspaceId: string; apiKey: string };
let support: string;
let billing: string;
let starter: RecordingStarter;
const domain = `acme-${ulid().toLowerCase()}.example`;
const AGENT = { 'X-Agent-Id': 'ana-1' };

const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);

beforeAll(async () => {
  api = await createTestApi();
  ingest = new IngestMail({
    threads: api.threads,
    directory: new DynamoDirectoryStore(api.db, api.tableName),
    mail: api.mail,
    tokens,
    clock: systemClock,
    maxMailBytes: 10 * 1024 * 1024,
  });
  support = `support@${domain}`;
  billing = `billing@${domain}`;
  ws = await api.cliWorkspace('Acme', support);
  ({ starter } = enableChat(api));
  await api.admin.addInboundAddress(ws.workspaceId, billing, new Date().toISOString());
  await api.agents.putAgent({
    workspaceId: ws.workspaceId,
    agentId: 'ana-1',
    email: `ana@${domain}`,
    name: 'Ana Lopez',
    role: 'agent',
    createdAt: new Date().toISOString(),
  });
});

/** A customer's contact writes to `to` (through ingest); returns the thread id. */
async function customerWrites(to: string, text: string) {
  const ann = await customerWithContact(api, ws.apiKey, 'Ann');
  const raw = await composeMail({
    from: `Ann Customer <${ann.email}>`,
    to,
    subject: 'My invoice',
    text,
    messageId: newMessageId(),
  });
  const sesMessageId = ulid().toLowerCase();
  await api.mail.putObject(`inbound/${sesMessageId}`, raw, 'message/rfc822');
  const out = await ingest.ingest({ sesMessageId, rawKey: `inbound/${sesMessageId}`, recipients: [to] });
  const threadId = out.workspaces.find((w) => w.workspaceId === ws.workspaceId)?.threadId;
  if (!threadId) throw new Error(`not ingested: ${JSON.stringify(out)}`);
  return { ...ann, threadId };
}

/** The last mail handed to SES, parsed. */
async function lastMail() {
  const sent = api.sender.sent.at(-1)!;
  return { sent, parsed: await PostalMime.parse(sent.raw), raw: sent.raw.toString('utf8') };
}

async function patchMailbox(address: string, body: unknown) {
  const res = await call('PATCH', `/v1/mailboxes/${mailboxIdOf(address)}`, { body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe('mailboxes and outbound mail', () => {
  it('lists each inbound address as a mailbox, and renames one', async () => {
    const list = await call('GET', '/v1/mailboxes');
    expect(list.body.items.map((m: any) => m.address).sort()).toEqual([billing, support]);
    expect(list.body.items[0].fromFormat).toBe('agentFromMailbox');
    const renamed = await patchMailbox(billing, {
      displayName: 'Acme Billing',
      signature: 'Acme Billing · {{mailboxName}}',
    });
    expect(renamed).toMatchObject({ address: billing, displayName: 'Acme Billing', mailboxId: mailboxIdOf(billing) });
    expect((await call('PATCH', '/v1/mailboxes/nope', { body: { displayName: 'x' } })).status).toBe(404);
    expect(
      (await call('PATCH', `/v1/mailboxes/${mailboxIdOf(billing)}`, { body: { signature: '{{#x}}' } })).status,
    ).toBe(400);
  });

  it('answers From the mailbox the customer wrote to, with every part a customer sees', async () => {
    await patchMailbox(billing, {
      displayName: 'Acme Billing',
      fromFormat: 'agentFromMailbox',
      signature: 'Acme Billing · {{mailboxName}}',
    });
    expect((await call('PUT', '/v1/signature', { body: { text: 'The {{workspaceName}} team' } })).status).toBe(200);
    const mine = await call('PUT', '/v1/me/signature', {
      body: { text: '{{agentName}}, for {{contactName}}' },
      headers: AGENT,
    });
    expect(mine.status).toBe(200);
    expect((await call('PUT', '/v1/me/signature', { body: { text: 'no agent' } })).status).toBe(403);

    const ann = await customerWrites(billing, 'My invoice #42 is wrong.\nCan you fix it?');
    const cc = await customerWithContact(api, ws.apiKey, 'Carl');
    const bcc = await customerWithContact(api, ws.apiKey, 'Bea');
    // Cc and Bcc must be contacts of the thread's customers: link them to Ann's customer.
    for (const c of [cc, bcc])
      expect((await call('PUT', `/v1/customers/${ann.customerId}/contacts/${c.contactId}`)).status).toBeLessThan(300);

    const res = await call('POST', `/v1/threads/${ann.threadId}/messages`, {
      headers: AGENT,
      body: {
        text: 'Hello <b>Ann</b> & co.\n\nWe fixed it.',
        cc: [cc.email],
        bcc: [bcc.email],
        attachments: [
          {
            filename: 'logo.png',
            contentType: 'image/png',
            contentBase64: PNG_1X1.toString('base64'),
            contentId: 'logo1',
          },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.bcc).toEqual([{ address: bcc.email }]);
    const { sent, parsed, raw } = await lastMail();

    expect(parsed.from).toEqual({ name: 'Ana Lopez from Acme Billing', address: billing });
    expect(sent.from).toBe(billing);
    const replyTo = parsed.replyTo?.[0].address ?? '';
    expect(replyTo).toMatch(new RegExp(`^billing\\+[^@]+@${domain.replace(/\./g, '\\.')}$`));
    expect(tokens.verify(replyTo, ws.workspaceId)).toBe(ann.threadId);

    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(parsed.text).toContain('Hello <b>Ann</b> & co.');
    expect(parsed.html).toContain('Hello &lt;b&gt;Ann&lt;/b&gt; &amp; co.');
    expect(parsed.html).not.toContain('<b>Ann</b>');

    // The layers, outermost first, in both parts, with the templates' variables.
    const layers = ['The Acme team', 'Acme Billing · Acme Billing', 'Ana Lopez, for Ann'];
    const textAt = layers.map((l) => parsed.text!.indexOf(l));
    expect(textAt.every((i) => i > parsed.text!.indexOf('-- \n'))).toBe(true);
    expect([...textAt].sort((a, b) => a - b)).toEqual(textAt);
    const htmlAt = layers.map((l) => parsed.html!.indexOf(l.replace('·', '·')));
    expect(htmlAt.every((i) => i > 0)).toBe(true);
    expect([...htmlAt].sort((a, b) => a - b)).toEqual(htmlAt);

    // The customer's message, quoted under "On <date>, <name> wrote:" in both parts.
    expect(parsed.text).toMatch(/On .+ UTC, Ann Customer wrote:\n> My invoice #42 is wrong\.\n> Can you fix it\?/);
    expect(parsed.html).toMatch(/On .+ UTC, Ann Customer wrote:/);
    expect(parsed.html).toContain('My invoice #42 is wrong.<br>Can you fix it?');

    const image = parsed.attachments.find((a) => a.filename === 'logo.png');
    expect(image).toMatchObject({ mimeType: 'image/png', disposition: 'inline', contentId: '<logo1>' });
    expect(raw).toMatch(/multipart\/related/i);

    expect(parsed.cc).toEqual([{ address: cc.email, name: '' }]);
    expect(parsed.bcc ?? []).toEqual([]);
    expect(raw.toLowerCase()).not.toContain(bcc.email);
    expect(sent.destinations).toEqual([ann.email, cc.email, bcc.email]);
    // Message-ID and In-Reply-To as before: ours, and the customer's.
    expect(parsed.messageId).toBe(res.body.messageId);
    expect(parsed.inReplyTo).toMatch(/^<.+@client\.example>$/);
  });

  it('sanitises an HTML answer, and "<mailbox>" alone drops the agent from the From name; quote: false drops the quote', async () => {
    await patchMailbox(billing, { fromFormat: 'mailbox' });
    const ann = await customerWrites(billing, 'Where is my parcel?');
    const res = await call('POST', `/v1/threads/${ann.threadId}/messages`, {
      headers: AGENT,
      body: {
        text: 'See the picture.',
        html: '<p onclick="x()">See <a href="javascript:alert(1)">this</a> <a href="https://acme.example/t">track</a> <img src="cid:pic" onerror="x()"><img src="http://tracker.example/p.gif"></p><script>alert(1)</script><style>p{}</style>',
        quote: false,
        attachments: [
          {
            filename: 'pic.png',
            contentType: 'image/png',
            contentBase64: PNG_1X1.toString('base64'),
            contentId: 'pic',
          },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { parsed } = await lastMail();
    expect(parsed.from).toEqual({ name: 'Acme Billing', address: billing });
    const html = parsed.html ?? '';
    for (const bad of ['<script', 'onclick', 'onerror', 'javascript:', 'tracker.example', '<style>p'])
      expect(html).not.toContain(bad);
    expect(html).toContain('<a href="https://acme.example/t" rel="noopener noreferrer" target="_blank">track</a>');
    expect(html).toContain('<img src="cid:pic" />');
    expect(parsed.text).not.toContain('wrote:');
    expect(html).not.toContain('wrote:');
    expect(res.body.html).toContain('cid:pic');
  });

  it('a customer who wrote to support@ hears back from support@; an agent starting a thread picks the mailbox', async () => {
    const ann = await customerWrites(support, 'Hello support');
    const thread = await call('GET', `/v1/threads/${ann.threadId}`);
    expect(thread.body.mailbox).toBe(support);
    await call('POST', `/v1/threads/${ann.threadId}/messages`, { body: { text: 'Hi from support' } });
    const first = await lastMail();
    // A key with no agent: the mailbox's name alone (support@ has none: no display name at all).
    expect(first.parsed.from).toEqual({ name: '', address: support });
    expect(first.parsed.replyTo?.[0].address).toMatch(/^support\+/);

    const started = await call('POST', '/v1/threads', {
      headers: AGENT,
      body: {
        customerIds: [ann.customerId],
        to: [ann.email],
        subject: 'Your refund',
        text: 'Refunded.',
        mailbox: billing,
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.thread.mailbox).toBe(billing);
    expect((await lastMail()).parsed.from?.address).toBe(billing);
    const wrong = await call('POST', '/v1/threads', {
      body: { customerIds: [ann.customerId], to: [ann.email], subject: 'x', text: 'x', mailbox: `nobody@${domain}` },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('not a mailbox');
  });

  it('a draft carries BCC, a dropped quote and a pasted image, and its send route sends them as the messages route does', async () => {
    const ann = await customerWrites(billing, 'Here is my question.');
    const bea = await customerWithContact(api, ws.apiKey, 'Bea');
    expect((await call('PUT', `/v1/customers/${ann.customerId}/contacts/${bea.contactId}`)).status).toBeLessThan(300);
    const cid = '0f8e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b@inline';
    const draft = await call('POST', `/v1/threads/${ann.threadId}/drafts`, {
      headers: AGENT,
      body: {
        to: [ann.email],
        bcc: [bea.email],
        quote: false,
        text: 'See the screen:',
        html: `<p>See the screen:</p><p><img src="cid:${cid}" alt="shot.png"></p>`,
      },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    expect(draft.body).toMatchObject({ bcc: [bea.email], quote: false });
    const sent = await call('POST', `/v1/threads/${ann.threadId}/drafts/${draft.body.draftId}/send`, {
      headers: AGENT,
      body: {
        channel: 'email',
        attachments: [
          { filename: 'shot.png', contentType: 'image/png', contentBase64: PNG_1X1.toString('base64'), contentId: cid },
        ],
      },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const { sent: mail, parsed, raw } = await lastMail();
    expect(mail.destinations).toEqual([ann.email, bea.email]);
    expect(raw.toLowerCase()).not.toContain(bea.email);
    expect(parsed.text).not.toContain('wrote:');
    expect(raw).toMatch(/multipart\/related/i);
    expect(parsed.html).toContain(`<img src="cid:${cid}" alt="shot.png" />`);
    const image = parsed.attachments.find((a) => a.filename === 'shot.png');
    expect(image).toMatchObject({ mimeType: 'image/png', disposition: 'inline', contentId: `<${cid}>` });
  });

  it("a thread without a mailbox answers from the one its customer wrote to, else the workspace's oldest", async () => {
    // A thread from before mailboxes: it came in to billing@, but names no mailbox.
    const ann = await customerWrites(billing, 'An old question.');
    await api.db.send(
      new UpdateCommand({
        TableName: api.tableName,
        Key: keys.thread(ws.workspaceId, ann.threadId),
        UpdateExpression: 'REMOVE mailbox',
      }),
    );
    expect((await call('GET', `/v1/threads/${ann.threadId}`)).body.mailbox).toBeUndefined();
    expect((await call('POST', `/v1/threads/${ann.threadId}/messages`, { body: { text: 'Answered.' } })).status).toBe(
      201,
    );
    const answered = await lastMail();
    expect(answered.parsed.from?.address).toBe(billing);
    expect(answered.parsed.replyTo?.[0].address).toMatch(/^billing\+/);

    // Started by the API without a mailbox: nobody wrote to any, so the workspace's default, its oldest
    // mailbox (support@, the address it was created with), though billing@ comes first in address order.
    const started = await call('POST', '/v1/threads', {
      body: { customerIds: [ann.customerId], to: [ann.email], subject: 'A note', text: 'Hello.' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.thread.mailbox).toBeUndefined();
    expect((await lastMail()).parsed.from?.address).toBe(support);
  });

  it('the ops CLI names a mailbox, sets its From format and signature and the workspace signature, and keeps addresses on the mail domain', async () => {
    const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const lines: string[] = [];
      const code = await main(
        args,
        { ...api.env, ...extraEnv },
        { out: (l) => lines.push(l), err: (l) => lines.push(l) },
      );
      return { code, out: lines.join('\n') };
    };
    const w = ['--workspace', ws.workspaceId];
    const set = await run([
      'mailbox',
      'set',
      ...w,
      '--address',
      support,
      '--display-name',
      'Acme Support',
      '--from-format',
      'mailbox',
      '--signature',
      'Support · {{mailboxName}}',
    ]);
    expect(set.code, set.out).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ address: support, displayName: 'Acme Support', fromFormat: 'mailbox' });
    expect((await run(['mailbox', 'set', ...w, '--address', support, '--from-format', 'bogus'])).code).toBe(2);
    expect((await run(['mailbox', 'set', ...w, '--address', `x@${domain}`, '--display-name', 'X'])).code).toBe(2);
    expect((await run(['signature', 'set', ...w, '--text', 'Acme, since 1990'])).code).toBe(0);
    const list = await run(['mailbox', 'list', ...w]);
    expect(JSON.parse(list.out).find((m: any) => m.address === support).signature).toBe('Support · {{mailboxName}}');

    await call('PUT', '/v1/me/signature', { body: { text: '{{agentName}}, for {{contactName}}' }, headers: AGENT });
    const ann = await customerWrites(support, 'Hello again');
    await call('POST', `/v1/threads/${ann.threadId}/messages`, {
      headers: AGENT,
      body: { text: 'Done.', quote: false },
    });
    const { parsed } = await lastMail();
    expect(parsed.from).toEqual({ name: 'Acme Support', address: support });
    expect(parsed.text?.trimEnd()).toBe(
      'Done.\n\n-- \nAcme, since 1990\n\nSupport · Acme Support\n\nAna Lopez, for Ann',
    );

    const off = await run(['workspace', 'add-inbound', ...w, '--address', 'help@elsewhere.example'], {
      MAIL_DOMAIN: domain,
    });
    expect(off.code).toBe(2);
    expect(off.out).toContain('not on the mail domain');
    const named = await run(
      ['workspace', 'add-inbound', ...w, '--address', `sales@${domain}`, '--display-name', 'Acme Sales'],
      { MAIL_DOMAIN: domain },
    );
    expect(named.code, named.out).toBe(0);
    expect(
      (await call('GET', '/v1/mailboxes')).body.items.find((m: any) => m.address === `sales@${domain}`).displayName,
    ).toBe('Acme Sales');
  });

  it('answers a chat as chat (no mail until the fallback), by email when asked, and names the author, never an id', async () => {
    const eve = await customerWithContact(api, ws.apiKey, 'Eve');
    const chat = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: eve.email }, text: 'Is my order shipped?', clientMessageId: 'c1' },
    });
    const threadId = chat.body.threadId;
    expect((await call('GET', `/v1/threads/${threadId}`)).body.lastCustomerChannel).toBe('chat');
    const mailsBefore = api.sender.sent.length;

    // No channel given: the customer's last one (chat). Through the chat path: no mail, a fallback timer.
    const answer = await call('POST', `/v1/threads/${threadId}/messages`, {
      headers: AGENT,
      body: { text: 'Yes, today.' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ channel: 'chat', direction: 'outbound', from: { name: 'Ana Lopez' } });
    expect(api.sender.sent.length).toBe(mailsBefore);
    expect(starter.started.map((s) => s.name)).toContain(`${threadId}-chat-${answer.body.itemId}`);
    const sentEvent = api.events.events.find(
      (e) => e.type === 'message.sent' && e.detail.itemId === answer.body.itemId,
    );
    expect(sentEvent?.detail).toMatchObject({ channel: 'chat', text: 'Yes, today.' });

    // A key with no agent: the end user sees the mailbox's name (the thread's, else the first mailbox).
    // A chat thread came in through no mailbox: the workspace's first (in address order) answers it.
    const first = (await call('GET', '/v1/mailboxes')).body.items[0].address;
    await patchMailbox(first, { displayName: 'Acme Support' });
    const byKey = await call('POST', `/v1/threads/${threadId}/messages`, { body: { text: 'Tracking: 123' } });
    expect(byKey.body.from.name).toBe('Acme Support');
    const user = { contactId: eve.contactId } as Parameters<typeof endUserMessageView>[1];
    const feed = (await call('GET', `/v1/threads/${threadId}/feed`)).body.items;
    const items = await Promise.all(
      feed
        .filter((i: any) => i.type === 'message' && i.direction === 'outbound')
        .map((i: any) => api.threads.getMessage(ws.workspaceId, threadId, i.at, i.itemId)),
    );
    const names = (items as MessageItem[]).map((m) => endUserMessageView(m, user).authorName);
    expect(names).toEqual(['Ana Lopez', 'Acme Support']);
    expect(names.join(' ')).not.toContain('ana-1');

    // Asked by email: a mail goes out now; a chat answer with what only mail carries is refused.
    const mailed = await call('POST', `/v1/threads/${threadId}/messages`, {
      body: { text: 'Also by mail.', channel: 'email' },
    });
    expect(mailed.body.channel).toBeUndefined();
    expect(api.sender.sent.length).toBe(mailsBefore + 1);
    const refused = await call('POST', `/v1/threads/${threadId}/messages`, {
      body: { text: 'x', channel: 'chat', cc: [eve.email] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('chat answer carries text only');
    // The Inbox sends drafts: a draft on a chat thread goes by chat too (its `to` naming the contact is fine).
    await call('POST', '/v1/chat/messages', {
      body: { contact: { email: eve.email }, threadId, text: 'Thanks!', clientMessageId: 'c2' },
    });
    const draft = await call('POST', `/v1/threads/${threadId}/drafts`, {
      headers: AGENT,
      body: { to: [eve.email], text: 'You are welcome.' },
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const sentDraft = await call('POST', `/v1/threads/${threadId}/drafts/${draft.body.draftId}/send`, {
      headers: AGENT,
    });
    expect(sentDraft.status, JSON.stringify(sentDraft.body)).toBe(201);
    expect(sentDraft.body).toMatchObject({ channel: 'chat', newText: 'You are welcome.' });
    expect(api.sender.sent.length).toBe(mailsBefore + 1);

    // cc given and no channel: what only mail can carry goes by email.
    const withCc = await call('POST', `/v1/threads/${threadId}/messages`, { body: { text: 'x', cc: [eve.email] } });
    expect(withCc.status, JSON.stringify(withCc.body)).toBe(201);
    expect(withCc.body.channel).toBeUndefined();
  });
});

describe('editing comments', () => {
  it('an agent edits and deletes their own comment, the feed marks it; nobody else can, and messages never change', async () => {
    const ann = await customerWrites(support, 'A question');
    const added = await call('POST', `/v1/threads/${ann.threadId}/comments`, {
      headers: AGENT,
      body: { body: 'Check the ledger' },
    });
    expect(added.status).toBe(201);
    const url = `/v1/threads/${ann.threadId}/comments/${added.body.itemId}`;
    const at = { at: added.body.at as string };

    const byBob = await call('PATCH', url, {
      query: at,
      headers: { 'X-Agent-Id': 'bob-2' },
      body: { body: 'mine now' },
    });
    expect(byBob.status).toBe(404);
    expect((await call('PATCH', url, { query: at, body: { body: 'as a key' } })).status).toBe(403);
    expect((await call('PATCH', url, { headers: AGENT, body: { body: 'no time' } })).status).toBe(400);

    const edited = await call('PATCH', url, { query: at, headers: AGENT, body: { body: 'Check the ledger of March' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({
      type: 'comment',
      body: 'Check the ledger of March',
      editedAt: expect.any(String),
    });
    const feed = (await call('GET', `/v1/threads/${ann.threadId}/feed`)).body.items;
    expect(feed.find((i: any) => i.itemId === added.body.itemId)).toMatchObject({ body: 'Check the ledger of March' });

    const deleted = await call('DELETE', url, { query: at, headers: AGENT });
    expect(deleted.body).toMatchObject({ type: 'comment', body: '', deletedAt: expect.any(String) });
    expect((await call('PATCH', url, { query: at, headers: AGENT, body: { body: 'back' } })).status).toBe(404);

    // A message is not a comment: its id and time give a 404, never an edit.
    const message = feed.find((i: any) => i.type === 'message');
    const onMessage = await call('PATCH', `/v1/threads/${ann.threadId}/comments/${message.itemId}`, {
      query: { at: message.at },
      headers: AGENT,
      body: { body: 'rewritten' },
    });
    expect(onMessage.status).toBe(404);
  });
});
