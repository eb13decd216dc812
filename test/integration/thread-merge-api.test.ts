/**
 * Merging two threads by hand through the API (POST /v1/threads/{threadId}/merge), against DynamoDB Local:
 * the feed, the card, the lists, search, the merged thread's forwarding, and its timers afterwards.
 * Every response is checked against the OpenAPI document by the test API's `call`.
 */
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { ulidGenerator } from '#adapters/system.ts';
import type { MessageItem, Thread } from '#core/model.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { newThread, withMessage } from '#core/thread-state.ts';
import { runTimer, scheduleTimer } from '#core/timers.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Acme', `support-${ulid().toLowerCase()}@acme.example`);
});

/** A thread in `reminder(1)` (a timer running), with one inbound message, written as ingest would. */
async function seedThread(input: { subject: string; customerId: string; tag: string; at: string; from: string }) {
  const { workspaceId } = ws;
  const threadId = ulid();
  const message: MessageItem = {
    type: 'message',
    workspaceId,
    threadId,
    itemId: ulid(),
    at: input.at,
    direction: 'inbound',
    messageId: `<${threadId}@mail.example>`,
    from: { address: input.from, name: input.from.split('@')[0] },
    to: [],
    cc: [],
    subject: input.subject,
    newText: `About ${input.subject}`,
    text: 'text',
    classification: 'ordinary',
    flags: {},
    attachments: [
      {
        attachmentId: `${threadId}-1`,
        filename: `${input.tag}.pdf`,
        contentType: 'application/pdf',
        size: 10,
        key: `attachments/${workspaceId}/${threadId}/${threadId}-1`,
        inline: false,
      },
    ],
    contactId: `c-${input.from}`,
  };
  const thread: Thread = {
    ...withMessage(
      newThread({
        workspaceId,
        threadId,
        ref: await api.threads.nextThreadRef(workspaceId),
        subject: input.subject,
        customerIds: [input.customerId],
        at: input.at,
      }),
      message,
    ),
    status: 'reminder',
    reminderIndex: 1,
    statusVersion: 2,
    tags: [input.tag],
  };
  await api.threads.commit({
    before: null,
    after: thread,
    items: [message],
    attachments: message.attachments.map((a) => ({ ...a, itemId: message.itemId })),
    keywords: [input.subject.toLowerCase()],
  });
  return { ...thread, rev: 1 };
}

async function listIds(query: Record<string, string>): Promise<string[]> {
  const res = await call('GET', '/v1/threads', { query: { ...query, limit: '50' } });
  expect(res.status).toBe(200);
  return res.body.items.map((t: { threadId: string }) => t.threadId);
}

describe('POST /v1/threads/{threadId}/merge', () => {
  it('merges the feed in time order, the card and the lists; the merged thread forwards and its timers are dead', async () => {
    const a = await seedThread({
      subject: 'Invoice',
      customerId: 'custa',
      tag: 'billing',
      at: '2026-11-20T10:00:00.000Z',
      from: 'ann@client.example',
    });
    const b = await seedThread({
      subject: 'Refund',
      customerId: 'custb',
      tag: 'refunds',
      at: '2026-11-21T10:00:00.000Z',
      from: 'bob@client.example',
    });
    const before = await call('GET', `/v1/threads/${a.threadId}/feed`);
    expect(before.body.items).toHaveLength(1);

    const res = await call('POST', `/v1/threads/${a.threadId}/merge`, {
      body: { threadId: b.threadId },
      headers: { 'X-Agent-Id': 'agent-7' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      threadId: a.threadId,
      ref: a.ref,
      subject: 'Invoice',
      status: 'reminder',
      messageCount: 2,
      itemCount: 3,
      tags: ['billing', 'refunds'],
      customerIds: ['custa', 'custb'],
      attachmentNames: ['billing.pdf', 'refunds.pdf'],
      hasAttachments: true,
      lastMessageAt: '2026-11-21T10:00:00.000Z',
      snippet: 'About Refund',
      latestContact: { email: 'bob@client.example' },
      mergedFrom: [b.threadId],
      version: 2,
    });

    // The feed: both messages in time order, then the merge update naming the agent.
    const feed = await call('GET', `/v1/threads/${a.threadId}/feed`);
    expect(feed.body.items.map((i: { type: string; at: string }) => i.type)).toEqual(['message', 'message', 'update']);
    expect(feed.body.items[0].subject).toBe('Invoice');
    expect(feed.body.items[1].subject).toBe('Refund');
    expect(feed.body.items[2]).toMatchObject({
      field: 'merge',
      actor: { kind: 'agent', id: 'agent-7' },
      from: { threadId: b.threadId, ref: b.ref },
      to: { threadId: a.threadId, ref: a.ref },
    });

    // The merged thread: closed, forwarding, with the same update in its own feed.
    const gone = await call('GET', `/v1/threads/${b.threadId}`);
    expect(gone.body).toMatchObject({ status: 'closed', mergedInto: a.threadId });
    const goneFeed = await call('GET', `/v1/threads/${b.threadId}/feed`);
    expect(goneFeed.body.items.at(-1)).toMatchObject({ field: 'merge', actor: { kind: 'agent', id: 'agent-7' } });

    // Lists: the survivor under every facet of either thread; the merged thread under none.
    const facets: Array<Record<string, string>> = [
      {},
      { tag: 'refunds' },
      { tag: 'billing' },
      { customer: 'custb' },
      { status: 'reminder' },
      { hasAttachments: 'true' },
    ];
    for (const query of facets) {
      const ids = await listIds(query);
      expect(ids, JSON.stringify(query)).toContain(a.threadId);
      expect(ids, JSON.stringify(query)).not.toContain(b.threadId);
    }
    expect(await listIds({ status: 'closed' })).not.toContain(b.threadId);
    // Search by the merged thread's words finds the survivor.
    expect(await listIds({ q: 'refund' })).toEqual([a.threadId]);

    // Writes to the merged thread are refused and name the survivor.
    const patch = await call('PATCH', `/v1/threads/${b.threadId}`, {
      body: { version: gone.body.version, tags: ['x'] },
    });
    expect(patch.status).toBe(409);
    expect(patch.body.error).toMatchObject({ code: 'thread_merged', details: { mergedInto: a.threadId } });

    // Timers: B's running reminder finds itself superseded and sends nothing; the stream change of B
    // starts no timer and stops B's execution. A's timer (statusVersion 2) still acts.
    const outbound = {
      threads: api.threads,
      directory: api.admin,
      mail: api.mail,
      sender: api.sender,
      sends: new DynamoSendStore(api.db, api.tableName),
      events: api.events,
      replyTokens: new ReplyTokens('test-reply-token-secret-0123456789'),
      clock: api.clock,
      ids: ulidGenerator,
      templates: api.admin,
    };
    const sent = api.sender.sent.length;
    const stale = await runTimer(outbound, {
      workspaceId: ws.workspaceId,
      threadId: b.threadId,
      statusVersion: b.statusVersion,
      status: 'reminder',
      reminderIndex: 1,
      delaySeconds: 1,
      action: 'sendReminder',
    });
    expect(stale.outcome).toBe('superseded');
    expect(api.sender.sent.length).toBe(sent);
    const starter = { started: [] as string[], stopped: [] as string[] };
    await scheduleTimer(
      {
        directory: api.admin,
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
        threadId: b.threadId,
        status: 'closed',
        statusVersion: b.statusVersion + 1,
        previousStatusVersion: b.statusVersion,
        previous: { status: 'reminder', reminderIndex: 1 },
        messagesAdded: 0,
      },
    );
    expect(starter).toEqual({ started: [], stopped: [`${b.threadId}-v${b.statusVersion}`] });
    const stored = await api.threads.getThread(ws.workspaceId, b.threadId);
    expect(stored?.statusVersion).toBe(b.statusVersion + 1);
    expect((await api.threads.getThread(ws.workspaceId, a.threadId))?.statusVersion).toBe(a.statusVersion);
  });

  it('is idempotent, follows earlier merges, and refuses bad requests with 4xx', async () => {
    const at = '2026-11-22T10:00:00.000Z';
    const a = await seedThread({ subject: 'One', customerId: 'c1', tag: 't1', at, from: 'x@client.example' });
    const b = await seedThread({ subject: 'Two', customerId: 'c1', tag: 't2', at, from: 'y@client.example' });
    const first = await call('POST', `/v1/threads/${a.threadId}/merge`, { body: { threadId: b.threadId } });
    expect(first.status).toBe(200);
    expect(first.body.mergedFrom).toEqual([b.threadId]);
    // Repeated: nothing changes (same version), and the feed has one merge update.
    const again = await call('POST', `/v1/threads/${a.threadId}/merge`, { body: { threadId: b.threadId } });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(first.body.version);
    // Through the merged id: B already leads to A.
    const via = await call('POST', `/v1/threads/${b.threadId}/merge`, { body: { threadId: a.threadId } });
    expect(via.status).toBe(200);
    expect(via.body).toMatchObject({ threadId: a.threadId, version: first.body.version });
    const feed = await call('GET', `/v1/threads/${a.threadId}/feed`);
    expect(feed.body.items.filter((i: { field?: string }) => i.field === 'merge')).toHaveLength(1);

    expect((await call('POST', `/v1/threads/${a.threadId}/merge`, { body: { threadId: a.threadId } })).status).toBe(
      400,
    );
    expect((await call('POST', `/v1/threads/${a.threadId}/merge`, { body: {} })).status).toBe(400);
    expect(
      (await call('POST', `/v1/threads/${a.threadId}/merge`, { body: { threadId: 'x'.repeat(5000) } })).status,
    ).toBe(400);
    expect((await call('POST', `/v1/threads/${a.threadId}/merge`, { body: { threadId: ulid() } })).status).toBe(404);
    expect((await call('POST', `/v1/threads/${ulid()}/merge`, { body: { threadId: a.threadId } })).status).toBe(404);
    // Another workspace's thread is not found.
    const other = await api.cliWorkspace('Other', `support-${ulid().toLowerCase()}@other.example`);
    const res = await api.call(other.apiKey, 'POST', `/v1/threads/${a.threadId}/merge`, {
      body: { threadId: b.threadId },
    });
    expect(res.status).toBe(404);
  });
});
