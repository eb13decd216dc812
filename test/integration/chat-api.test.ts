import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { ulidGenerator } from '#adapters/system.ts';
import { type ChatStore, runChatFallback } from '#core/chat.ts';
import type { OutboundDeps } from '#core/outbound.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, type RecordingStarter } from '../support/chat.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string };
let starter: RecordingStarter;
let store: ChatStore;
const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Chatty', `support-${ulid().toLowerCase()}@chat.example`);
  ({ starter, store } = enableChat(api));
});

const eventsOf = (threadId: string) => api.events.events.filter((e) => e.threadId === threadId);

describe('chat through the API', () => {
  it('posts a customer message by email into a new thread, then by external id and contact id into it', async () => {
    const ann = await customerWithContact(api, ws.apiKey, 'Ann', `ext-${ulid()}`);
    const first = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: ann.email }, text: 'Hello, my invoice is wrong', clientMessageId: 'm1' },
    });
    expect(first.status).toBe(201);
    expect(first.body.createdThread).toBe(true);
    expect(first.body.message).toMatchObject({ direction: 'inbound', channel: 'chat', contactId: ann.contactId });
    const threadId = first.body.threadId;
    const thread = await call('GET', `/v1/threads/${threadId}`);
    expect(thread.body).toMatchObject({
      status: 'open',
      subject: 'Hello, my invoice is wrong',
      customerIds: [ann.customerId],
    });

    const contact = await call('GET', `/v1/contacts/${ann.contactId}`);
    const byExternal = await call('POST', '/v1/chat/messages', {
      body: { contact: { externalId: contact.body.externalId }, threadId, text: 'Any news?', clientMessageId: 'm2' },
    });
    expect(byExternal.status).toBe(201);
    expect(byExternal.body).toMatchObject({ threadId, createdThread: false });
    const byId = await call('POST', '/v1/chat/messages', {
      body: { contact: { contactId: ann.contactId }, threadId, text: 'Hello?', clientMessageId: 'm3', channel: 'api' },
    });
    expect(byId.body.message.channel).toBe('api');

    // The same clientMessageId again: the first message, nothing new in the feed.
    const again = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: ann.email }, threadId, text: 'Any news?', clientMessageId: 'm2' },
    });
    expect(again.body.message.itemId).toBe(byExternal.body.message.itemId);
    const feed = await call('GET', `/v1/threads/${threadId}/feed`);
    expect(feed.body.items.map((i: any) => i.newText)).toEqual(['Hello, my invoice is wrong', 'Any news?', 'Hello?']);
    expect(eventsOf(threadId).map((e) => e.type)).toEqual([
      'thread.created',
      'message.received',
      'message.received',
      'message.received',
    ]);
  });

  it('refuses unknown contacts (404), contacts with no customer (400), other customers\u2019 threads (404)', async () => {
    const unknown = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: 'nobody@nowhere.example' }, text: 'hi', clientMessageId: 'x' },
    });
    expect(unknown.status).toBe(404);
    const lone = await call('POST', '/v1/contacts', { body: { email: `lone-${ulid().toLowerCase()}@x.example` } });
    const orphan = await call('POST', '/v1/chat/messages', {
      body: { contact: { contactId: lone.body.contactId }, text: 'hi', clientMessageId: 'x' },
    });
    expect(orphan.status).toBe(400);
    const bob = await customerWithContact(api, ws.apiKey, 'Bob');
    const carl = await customerWithContact(api, ws.apiKey, 'Carl');
    const bobs = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: bob.email }, text: 'mine', clientMessageId: 'b1' },
    });
    const intrusion = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: carl.email }, threadId: bobs.body.threadId, text: 'let me in', clientMessageId: 'c1' },
    });
    expect(intrusion.status).toBe(404);
  });

  it('an agent chat message is published with its content, moves the status and starts its fallback timer; a customer chat reply reopens', async () => {
    const dee = await customerWithContact(api, ws.apiKey, 'Dee');
    const mailbox = (await call('GET', '/v1/mailboxes')).body.items[0];
    const renamed = await call('PATCH', `/v1/mailboxes/${mailbox.mailboxId}`, { body: { displayName: 'Dee Desk' } });
    expect(renamed.status).toBe(200);
    const started = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: dee.email }, text: 'Need help', clientMessageId: 'd1' },
    });
    const threadId = started.body.threadId;
    const agent = await call('POST', `/v1/threads/${threadId}/chat`, {
      body: { text: 'Here to help!' },
      headers: { 'X-Agent-Id': 'ada' },
    });
    expect(agent.status).toBe(201);
    expect(agent.body).toMatchObject({ direction: 'outbound', channel: 'chat', newText: 'Here to help!' });
    // No agent's name given (an agent id only): the end user sees the mailbox's name, never the id.
    expect(agent.body.from.name).toBe('Dee Desk');
    const sent = eventsOf(threadId).find((e) => e.type === 'message.sent');
    expect(sent?.detail).toMatchObject({
      itemId: agent.body.itemId,
      channel: 'chat',
      text: 'Here to help!',
      to: [dee.email],
      contactId: dee.contactId,
      actor: { kind: 'agent', id: 'ada' },
    });
    expect((await call('GET', `/v1/threads/${threadId}`)).body).toMatchObject({ status: 'reminder', reminderIndex: 1 });
    expect(starter.started.at(-1)).toEqual({
      name: `${threadId}-chat-${agent.body.itemId}`,
      input: {
        action: 'chatFallback',
        workspaceId: ws.workspaceId,
        threadId,
        itemId: agent.body.itemId,
        at: agent.body.at,
        delaySeconds: 600,
      },
    });
    // No mail went out for a chat message.
    expect(api.sender.sent.filter((m) => m.destinations.includes(dee.email))).toEqual([]);

    const reply = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: dee.email }, threadId, text: 'Thanks', clientMessageId: 'd2' },
    });
    expect(reply.status).toBe(201);
    expect((await call('GET', `/v1/threads/${threadId}`)).body.status).toBe('open');
    const statusEvents = eventsOf(threadId).filter((e) => e.type === 'status.changed');
    expect(statusEvents.map((e) => [e.detail.from, e.detail.to])).toEqual([
      ['open', 'reminder(1)'],
      ['reminder(1)', 'open'],
    ]);
  });

  it('receipts move forward only; a read message is not emailed, an unread one is emailed once with the reply token', async () => {
    const eve = await customerWithContact(api, ws.apiKey, 'Eve');
    const started = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: eve.email }, text: 'Question', clientMessageId: 'e1' },
    });
    const threadId = started.body.threadId;
    const read = await call('POST', `/v1/threads/${threadId}/chat`, { body: { text: 'Answer one', status: 'keep' } });
    const delivered = await call('POST', `/v1/threads/${threadId}/receipts`, {
      body: { type: 'delivered', at: read.body.at },
    });
    expect(delivered.body).toEqual({ deliveredAt: read.body.at });
    const readReceipt = await call('POST', `/v1/threads/${threadId}/receipts`, {
      body: { type: 'read', at: read.body.at },
    });
    expect(readReceipt.body).toEqual({ deliveredAt: read.body.at, readAt: read.body.at });
    const older = await call('POST', `/v1/threads/${threadId}/receipts`, {
      body: { type: 'read', at: '2020-01-01T00:00:00Z' },
    });
    expect(older.body.readAt).toBe(read.body.at);
    const unread = await call('POST', `/v1/threads/${threadId}/chat`, { body: { text: 'Answer two' } });

    const outbound: OutboundDeps & { chat: ChatStore } = {
      threads: api.threads,
      directory: api.admin,
      mail: api.mail,
      sender: api.sender,
      sends: new DynamoSendStore(api.db, api.tableName),
      events: api.events,
      replyTokens: new ReplyTokens('test-reply-token-secret-0123456789'),
      clock: api.clock,
      ids: ulidGenerator,
      chat: store,
    };
    const inputOf = (item: { itemId: string; at: string }) =>
      starter.started.find((s) => s.name === `${threadId}-chat-${item.itemId}`)!.input;
    expect(await runChatFallback(outbound, inputOf(read.body))).toEqual({ outcome: 'seen' });
    const emailed = await runChatFallback(outbound, inputOf(unread.body));
    expect(emailed).toMatchObject({ outcome: 'emailed' });
    expect(await runChatFallback(outbound, inputOf(unread.body))).toEqual({ outcome: 'alreadyEmailed' });
    const mails = api.sender.sent.filter((m) => m.destinations.includes(eve.email));
    expect(mails).toHaveLength(1);
    const raw = mails[0].raw.toString('utf8').replace(/\r?\n[ \t]+/g, ' '); // unfolded headers
    expect(raw).toContain('Answer two');
    expect(raw).toMatch(/^Reply-To: \S+\+\S+@chat\.example/m);
    expect(raw).toMatch(new RegExp(`^In-Reply-To: <chat\\.${unread.body.itemId.toLowerCase()}@`, 'm'));

    const feed = (await call('GET', `/v1/threads/${threadId}/feed`)).body.items.filter(
      (i: any) => i.type === 'message',
    );
    const chat = feed.find((m: any) => m.itemId === unread.body.itemId);
    const copy = feed.find((m: any) => m.fallbackOf === unread.body.itemId);
    expect(chat.emailedAs).toBe(copy.itemId);
    expect(copy).toMatchObject({ direction: 'outbound', newText: 'Answer two', delivery: { state: 'sent' } });
    expect(copy.channel).toBeUndefined();
  });

  it('refuses bad receipts and chat bodies with a 400, and an agent chat on a closed thread with a 409', async () => {
    const fay = await customerWithContact(api, ws.apiKey, 'Fay');
    const started = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: fay.email }, text: 'x', clientMessageId: 'f1' },
    });
    const threadId = started.body.threadId;
    expect((await call('POST', `/v1/threads/${threadId}/receipts`, { body: { type: 'seen', at: 'now' } })).status).toBe(
      400,
    );
    expect((await call('POST', `/v1/threads/${threadId}/chat`, { body: { text: '' } })).status).toBe(400);
    expect(
      (
        await call('POST', '/v1/chat/messages', {
          body: { contact: { email: fay.email }, text: 'x'.repeat(20_001), clientMessageId: 'f2' },
        })
      ).status,
    ).toBe(400);
    const version = (await call('GET', `/v1/threads/${threadId}`)).body.version;
    await call('PATCH', `/v1/threads/${threadId}`, { body: { version, status: 'closed' } });
    expect((await call('POST', `/v1/threads/${threadId}/chat`, { body: { text: 'hello' } })).status).toBe(409);
    // The customer's chat on a closed thread starts a new one, linked to it.
    const after = await call('POST', '/v1/chat/messages', {
      body: { contact: { email: fay.email }, threadId, text: 'again', clientMessageId: 'f3' },
    });
    expect(after.body.createdThread).toBe(true);
    expect((await call('GET', `/v1/threads/${after.body.threadId}`)).body.linkedThreadId).toBe(threadId);
  });
});
