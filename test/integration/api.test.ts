import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ThreadListEntry } from '#adapters/dynamo/thread-queries.ts';
import { SCOPES } from '#core/access.ts';
import type { MessageItem, Thread, ThreadStatus } from '#core/model.ts';
import { newThread, withMessage } from '#core/thread-state.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);
const asAgent = (agent: string) => ({ 'X-Agent-Id': agent });

beforeAll(async () => {
  api = await createTestApi({ budget: { maxItemsRead: 7, chunk: 3 } });
  ws = await api.cliWorkspace('Acme', `support-${ulid().toLowerCase()}@acme.example`);
});

/** A thread written straight through the store (as ingest would), with one inbound message. */
async function seedThread(
  workspaceId: string,
  input: {
    customerIds: string[];
    status?: ThreadStatus;
    assignee?: string;
    tags?: string[];
    attachment?: string;
    subject?: string;
    at: string;
    from?: string;
  },
): Promise<Thread> {
  const threadId = ulid();
  const message: MessageItem = {
    type: 'message',
    workspaceId,
    threadId,
    itemId: ulid(),
    at: input.at,
    direction: 'inbound',
    messageId: `<${threadId}@mail.example>`,
    from: { address: input.from ?? 'ann@example.com', name: 'Ann' },
    to: [],
    cc: [],
    subject: input.subject ?? 'Hello',
    newText: `About ${input.subject ?? 'Hello'}`,
    text: 'text',
    classification: 'ordinary',
    flags: {},
    attachments: input.attachment
      ? [
          {
            attachmentId: `${threadId}-1`,
            filename: input.attachment,
            contentType: 'application/pdf',
            size: 10,
            key: `attachments/${workspaceId}/${threadId}/${threadId}-1`,
            inline: false,
          },
        ]
      : [],
    contactId: 'c-ann',
  };
  let thread = withMessage(
    newThread({
      workspaceId,
      threadId,
      ref: await api.threads.nextThreadRef(workspaceId),
      subject: input.subject ?? 'Hello',
      customerIds: input.customerIds,
      at: input.at,
    }),
    message,
  );
  thread = {
    ...thread,
    status: input.status ?? 'open',
    ...(input.status === 'reminder' ? { reminderIndex: 1 } : {}),
    ...(input.assignee ? { assignee: input.assignee } : {}),
    tags: input.tags ?? [],
  };
  await api.threads.commit({
    before: null,
    after: thread,
    items: [message],
    attachments: message.attachments.map((a) => ({ ...a, itemId: message.itemId })),
  });
  return { ...thread, rev: 1 };
}

async function listAll(query: Record<string, string>, limit = 2): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await call('GET', '/v1/threads', {
      query: { ...query, limit: String(limit), ...(cursor ? { cursor } : {}) },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((t: ThreadListEntry) => t.threadId));
    cursor = res.body.nextCursor;
    pages++;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  return { ids, pages };
}

describe('threads: lists', () => {
  let seeded: Thread[] = [];
  let customers: string[] = [];

  beforeAll(async () => {
    customers = [];
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const res = await call('POST', '/v1/customers', { body: { name } });
      customers.push(res.body.customerId);
    }
    const statuses: ThreadStatus[] = ['open', 'reminder', 'waiting', 'closed'];
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    seeded = [];
    for (let i = 0; i < 36; i++) {
      seeded.push(
        await seedThread(ws.workspaceId, {
          customerIds: [customers[i % 3], ...(i % 7 === 0 ? [customers[(i + 1) % 3]] : [])],
          status: statuses[i % 4],
          ...(i % 3 === 1 ? { assignee: 'agent-1' } : i % 3 === 2 ? { assignee: 'agent-2' } : {}),
          tags: [...(i % 2 === 0 ? ['kyc'] : []), ...(i % 5 === 0 ? ['billing'] : [])],
          ...(i % 4 === 1 || i % 6 === 0 ? { attachment: `doc-${i}.pdf` } : {}),
          subject: i % 9 === 0 ? `Passport renewal ${i}` : `Question ${i}`,
          // Not in creation order: the list must sort by last updated, not by id.
          at: new Date(base + ((i * 7919) % 36) * 60_000).toISOString(),
        }),
      );
    }
  });

  const expected = (pred: (t: Thread) => boolean) =>
    seeded
      .filter(pred)
      .sort((a, b) =>
        a.updatedAt === b.updatedAt ? (a.threadId < b.threadId ? 1 : -1) : a.updatedAt < b.updatedAt ? 1 : -1,
      )
      .map((t) => t.threadId);

  it('pages through every thread, newest updated first, with the card summary', async () => {
    const { ids } = await listAll({}, 5);
    expect(ids).toEqual(expected(() => true));
    const first = await call('GET', '/v1/threads', { query: { limit: '1' } });
    const card = first.body.items[0];
    const thread = seeded.find((t) => t.threadId === card.threadId)!;
    expect(card).toMatchObject({
      status: thread.status,
      subject: thread.subject,
      snippet: `About ${thread.subject}`,
      hasMultipleMessages: false,
      messageCount: 1,
      itemCount: 1,
      tags: thread.tags,
      hasAttachments: thread.hasAttachments,
      attachmentNames: thread.attachmentNames,
      latestContact: { contactId: 'c-ann', email: 'ann@example.com', name: 'Ann' },
      lastMessageAt: thread.lastMessageAt,
    });
  });

  const cases: Array<[string, Record<string, string>, (t: Thread) => boolean]> = [
    ['status', { status: 'open' }, (t) => t.status === 'open'],
    ['assignee', { assignee: 'agent-1' }, (t) => t.assignee === 'agent-1'],
    ['unassigned', { assignee: 'none' }, (t) => !t.assignee],
    ['tag', { tag: 'kyc' }, (t) => t.tags.includes('kyc')],
    ['attachments', { hasAttachments: 'true' }, (t) => t.hasAttachments],
    ['no attachments', { hasAttachments: 'false' }, (t) => !t.hasAttachments],
    [
      'status & assignee',
      { status: 'reminder', assignee: 'agent-1' },
      (t) => t.status === 'reminder' && t.assignee === 'agent-1',
    ],
    ['status & tag', { status: 'open', tag: 'KYC' }, (t) => t.status === 'open' && t.tags.includes('kyc')],
    [
      'status & attachments',
      { status: 'reminder', hasAttachments: 'true' },
      (t) => t.status === 'reminder' && t.hasAttachments,
    ],
    [
      'tag & assignee & attachments',
      { tag: 'kyc', assignee: 'agent-2', hasAttachments: 'true' },
      (t) => t.tags.includes('kyc') && t.assignee === 'agent-2' && t.hasAttachments,
    ],
    ['status & unassigned', { status: 'closed', assignee: 'none' }, (t) => t.status === 'closed' && !t.assignee],
    [
      'everything',
      { status: 'open', tag: 'kyc', assignee: 'none', hasAttachments: 'true' },
      (t) => t.status === 'open' && t.tags.includes('kyc') && !t.assignee && t.hasAttachments,
    ],
  ];
  it.each(cases)('filters by %s, to the last page', async (_name, query, pred) => {
    const { ids } = await listAll(query, 2);
    expect(ids).toEqual(expected(pred));
  });

  it('filters by customer, combined with the other filters', async () => {
    const c = customers[1];
    expect((await listAll({ customer: c }, 3)).ids).toEqual(expected((t) => t.customerIds.includes(c)));
    expect((await listAll({ customer: c, status: 'waiting', tag: 'kyc' }, 1)).ids).toEqual(
      expected((t) => t.customerIds.includes(c) && t.status === 'waiting' && t.tags.includes('kyc')),
    );
  });

  it('searches keywords, intersected, with filters and pages', async () => {
    for (const t of seeded)
      await api.threads.indexKeywords(ws.workspaceId, t.threadId, t.subject.toLowerCase().split(/\s+/));
    const { ids } = await listAll({ q: 'passport renewal' }, 2);
    expect(ids).toEqual(expected((t) => t.subject.startsWith('Passport renewal')));
    expect(ids.length).toBeGreaterThan(2);
    const filtered = await listAll({ q: 'Passport', status: 'open' }, 1);
    expect(filtered.ids).toEqual(expected((t) => t.subject.startsWith('Passport') && t.status === 'open'));
    expect((await listAll({ q: 'nothing-matches-this' })).ids).toEqual([]);
  });

  it('refuses bad filters and tampered cursors with 400', async () => {
    for (const query of <Array<Record<string, string>>>[
      { status: 'pending' },
      { hasAttachments: 'yes' },
      { limit: '0' },
      { limit: '101' },
      { tag: 'a&b' },
      { cursor: 'not-a-cursor' },
      { cursor: Buffer.from('{"k":"x#y"}').toString('base64url') },
      { unknown: '1' },
    ]) {
      const res = await call('GET', '/v1/threads', { query });
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});

describe('threads: update, feed, comments', () => {
  let customerA: string;
  let customerB: string;
  beforeAll(async () => {
    customerA = (await call('POST', '/v1/customers', { body: { name: 'Upd A' } })).body.customerId;
    customerB = (await call('POST', '/v1/customers', { body: { name: 'Upd B' } })).body.customerId;
  });

  it('updates every field in one versioned commit, each recorded with actor, from and to', async () => {
    const t = await seedThread(ws.workspaceId, { customerIds: [customerA], at: '2026-02-01T00:00:00.000Z' });
    const got = await call('GET', `/v1/threads/${t.threadId}`);
    expect(got.status).toBe(200);
    expect(got.body.version).toBe(1);
    expect(got.headers.ETag).toBe('"1"');

    const res = await call('PATCH', `/v1/threads/${t.threadId}`, {
      headers: asAgent('agent-7'),
      body: {
        version: 1,
        status: 'waiting',
        assignee: 'agent-7',
        tags: ['VIP', 'kyc'],
        customerIds: [customerA, customerB],
        subject: 'Renamed',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      version: 2,
      status: 'waiting',
      assignee: 'agent-7',
      tags: ['vip', 'kyc'],
      customerIds: [customerA, customerB],
      subject: 'Renamed',
      itemCount: 6,
    });
    const feed = await call('GET', `/v1/threads/${t.threadId}/feed`);
    const updates = feed.body.items.filter((i: { type: string }) => i.type === 'update');
    const agent = { kind: 'agent', id: 'agent-7' };
    expect(updates).toEqual([
      expect.objectContaining({ field: 'subject', from: 'Hello', to: 'Renamed', actor: agent }),
      expect.objectContaining({ field: 'assignee', from: null, to: 'agent-7', actor: agent }),
      expect.objectContaining({ field: 'tags', from: [], to: ['vip', 'kyc'], actor: agent }),
      expect.objectContaining({ field: 'customers', from: [customerA], to: [customerA, customerB], actor: agent }),
      expect.objectContaining({ field: 'status', from: 'open', to: 'waiting', actor: agent }),
    ]);
    expect(api.events.events).toContainEqual(
      expect.objectContaining({
        type: 'status.changed',
        threadId: t.threadId,
        detail: expect.objectContaining({ from: 'open', to: 'waiting' }),
      }),
    );
    // The list entries moved with the thread.
    const listed = await call('GET', '/v1/threads', { query: { assignee: 'agent-7', status: 'waiting' } });
    expect(listed.body.items.map((i: { threadId: string }) => i.threadId)).toEqual([t.threadId]);
    expect((await call('GET', '/v1/threads', { query: { customer: customerB } })).body.items).toHaveLength(1);

    // Without an agent, the key itself is the actor; If-Match carries the version.
    const unassign = await call('PATCH', `/v1/threads/${t.threadId}`, {
      headers: { 'If-Match': '"2"' },
      body: { assignee: null, status: 'reminder', reminderIndex: 2 },
    });
    expect(unassign.status).toBe(200);
    expect(unassign.body.assignee).toBeUndefined();
    expect(unassign.body).toMatchObject({ status: 'reminder', reminderIndex: 2, version: 3 });
    const feed2 = await call('GET', `/v1/threads/${t.threadId}/feed`, { query: { limit: '100' } });
    expect(feed2.body.items.at(-2)).toMatchObject({
      field: 'assignee',
      from: 'agent-7',
      to: null,
      actor: { kind: 'integration', keyId: ws.keyId },
    });
    expect(feed2.body.items.at(-1)).toMatchObject({ field: 'status', from: 'waiting', to: 'reminder(2)' });
  });

  it('answers 409 on a stale version and changes nothing', async () => {
    const t = await seedThread(ws.workspaceId, { customerIds: [customerA], at: '2026-02-02T00:00:00.000Z' });
    expect((await call('PATCH', `/v1/threads/${t.threadId}`, { body: { version: 1, subject: 'First' } })).status).toBe(
      200,
    );
    const stale = await call('PATCH', `/v1/threads/${t.threadId}`, { body: { version: 1, subject: 'Second' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    const staleHeader = await call('PATCH', `/v1/threads/${t.threadId}`, {
      headers: { 'If-Match': '1' },
      body: { status: 'closed' },
    });
    expect(staleHeader.status).toBe(409);
    const now = await call('GET', `/v1/threads/${t.threadId}`);
    expect(now.body).toMatchObject({ subject: 'First', status: 'open', version: 2 });
    // Version required; a no-op patch writes nothing.
    expect((await call('PATCH', `/v1/threads/${t.threadId}`, { body: { subject: 'x' } })).status).toBe(400);
    const noop = await call('PATCH', `/v1/threads/${t.threadId}`, { body: { version: 2, subject: 'First' } });
    expect(noop.body.version).toBe(2);
  });

  it('refuses unknown customers, reminders the policy lacks, and unknown threads', async () => {
    const t = await seedThread(ws.workspaceId, { customerIds: [customerA], at: '2026-02-03T00:00:00.000Z' });
    const bad = await call('PATCH', `/v1/threads/${t.threadId}`, { body: { version: 1, customerIds: ['NOPE'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ customerIds: ['NOPE'] });
    const r = await call('PATCH', `/v1/threads/${t.threadId}`, {
      body: { version: 1, status: 'reminder', reminderIndex: 9 },
    });
    expect(r.status).toBe(400);
    expect((await call('GET', `/v1/threads/${ulid()}`)).status).toBe(404);
    expect((await call('PATCH', `/v1/threads/${ulid()}`, { body: { version: 1 } })).status).toBe(404);
  });

  it('adds comments and pages the feed to its end', async () => {
    const t = await seedThread(ws.workspaceId, { customerIds: [customerA], at: '2026-02-04T00:00:00.000Z' });
    for (let i = 0; i < 5; i++) {
      const c = await call('POST', `/v1/threads/${t.threadId}/comments`, {
        headers: asAgent('agent-3'),
        body: { body: `note ${i}` },
      });
      expect(c.status).toBe(201);
      expect(c.body).toMatchObject({ type: 'comment', body: `note ${i}`, actor: { kind: 'agent', id: 'agent-3' } });
    }
    const items = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/threads/${t.threadId}/feed`, {
        query: { limit: '2', ...(cursor ? { cursor } : {}) },
      });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(items.map((i) => i.type)).toEqual(['message', 'comment', 'comment', 'comment', 'comment', 'comment']);
    expect(items[0]).toMatchObject({ newText: 'About Hello', direction: 'inbound', attachments: [] });
    expect(items[0].rawKey).toBeUndefined();
    const thread = await call('GET', `/v1/threads/${t.threadId}`);
    expect(thread.body).toMatchObject({ itemCount: 6, messageCount: 1 });
    expect((await call('POST', `/v1/threads/${t.threadId}/comments`, { body: { body: '   ' } })).status).toBe(400);
  });

  it('gives a presigned download URL for an attachment of the thread only', async () => {
    const t = await seedThread(ws.workspaceId, {
      customerIds: [customerA],
      attachment: 'passport.pdf',
      at: '2026-02-05T00:00:00.000Z',
    });
    const res = await call('GET', `/v1/threads/${t.threadId}/attachments/${t.threadId}-1`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ filename: 'passport.pdf', contentType: 'application/pdf', size: 10 });
    expect(res.body.url).toContain(`attachments/${ws.workspaceId}/${t.threadId}/${t.threadId}-1`);
    expect((await call('GET', `/v1/threads/${t.threadId}/attachments/other`)).status).toBe(404);
  });
});

describe('messages and new threads', () => {
  let customer: string;
  let ann: string;
  beforeAll(async () => {
    customer = (await call('POST', '/v1/customers', { body: { name: 'Senders' } })).body.customerId;
    ann = `ann-${ulid().toLowerCase()}@example.com`;
    const contact = await call('POST', '/v1/contacts', { body: { email: ann, name: 'Ann' } });
    expect((await call('PUT', `/v1/customers/${customer}/contacts/${contact.body.contactId}`)).status).toBe(204);
    await call('POST', '/v1/contacts', { body: { email: 'stranger@example.com' } });
  });

  it('starts a thread with a first message, and sends follow-ups with templates and attachments', async () => {
    const sentBefore = api.sender.sent.length;
    const start = await call('POST', '/v1/threads', {
      headers: asAgent('agent-9'),
      body: { customerIds: [customer], to: [ann], subject: 'Your documents', text: 'Please send your passport.' },
    });
    expect(start.status).toBe(201);
    expect(start.body.thread).toMatchObject({
      subject: 'Your documents',
      status: 'reminder',
      reminderIndex: 1,
      messageCount: 1,
    });
    expect(start.body.message).toMatchObject({
      direction: 'outbound',
      to: [{ address: ann }],
      delivery: { state: 'sent' },
    });
    expect(api.sender.sent.length).toBe(sentBefore + 1);
    expect(api.events.events.map((e) => e.type)).toEqual(expect.arrayContaining(['thread.created', 'message.sent']));
    const threadId = start.body.thread.threadId;

    const template = await call('POST', '/v1/templates', {
      body: {
        name: 'Chase',
        subject: 'About {{subject}}',
        body: 'Hello {{contactName}}, ref {{threadRef}} — {{extra}}',
      },
    });
    expect(template.status).toBe(201);
    const pdf = Buffer.from('%PDF-1.4 test').toString('base64');
    const msg = await call('POST', `/v1/threads/${threadId}/messages`, {
      body: {
        to: [ann],
        templateId: template.body.templateId,
        variables: { extra: 'thanks' },
        attachments: [{ filename: 'form.pdf', contentType: 'application/pdf', contentBase64: pdf }],
        status: 'keep',
      },
    });
    expect(msg.status).toBe(201);
    expect(msg.body.text).toBe(`Hello Ann, ref ${start.body.thread.ref} — thanks`);
    expect(msg.body.subject).toContain('About Your documents');
    expect(msg.body.attachments).toEqual([expect.objectContaining({ filename: 'form.pdf', size: 13 })]);
    const download = await call('GET', `/v1/threads/${threadId}/attachments/${msg.body.attachments[0].attachmentId}`);
    expect(download.status).toBe(200);

    const thread = await call('GET', `/v1/threads/${threadId}`);
    expect(thread.body).toMatchObject({ status: 'reminder', hasMultipleMessages: true, attachmentNames: ['form.pdf'] });

    // Keyword search finds the outbound thread by its subject.
    const found = await call('GET', '/v1/threads', { query: { q: 'documents' } });
    expect(found.body.items.map((t: { threadId: string }) => t.threadId)).toContain(threadId);
  });

  it('refuses recipients outside the customers (422), closed threads (409) and empty bodies (400)', async () => {
    const start = await call('POST', '/v1/threads', {
      body: { customerIds: [customer], to: ['stranger@example.com'], subject: 'x', text: 'y' },
    });
    expect(start.status).toBe(422);
    expect(start.body.error).toMatchObject({
      code: 'recipient_not_allowed',
      details: { address: 'stranger@example.com' },
    });

    const ok = await call('POST', '/v1/threads', {
      body: { customerIds: [customer], to: [ann], subject: 'Closing soon', text: 'hi', status: 'closed' },
    });
    expect(ok.status).toBe(201);
    const threadId = ok.body.thread.threadId;
    expect(ok.body.thread.status).toBe('closed');
    const foreign = await call('POST', `/v1/threads/${threadId}/messages`, {
      body: { to: ['stranger@example.com'], text: 'x' },
    });
    expect([409, 422]).toContain(foreign.status);
    const closed = await call('POST', `/v1/threads/${threadId}/messages`, { body: { to: [ann], text: 'again' } });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('thread_closed');
    const both = await call('POST', `/v1/threads/${threadId}/messages`, { body: { text: 'a', templateId: 'X' } });
    expect(both.status).toBe(400);
    // Without `to`, the message goes to the thread's latest contact (the one the agent wrote to), so
    // the closed thread is what refuses it.
    const noTo = await call('POST', `/v1/threads/${threadId}/messages`, { body: { text: 'a' } });
    expect(noTo.status).toBe(409);
    expect(noTo.body.error.code).toBe('thread_closed');
    const missing = await call('POST', `/v1/threads/${threadId}/messages`, { body: { templateId: ulid() } });
    expect(missing.status).toBe(400);
  });
});

describe('customers and contacts', () => {
  it('creates, reads, updates, links, lists both ways, unlinks and deletes', async () => {
    const c = await call('POST', '/v1/customers', { body: { name: 'Zeta Corp', externalId: 'crm-1' } });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ name: 'Zeta Corp', externalId: 'crm-1', autoCreated: false });
    const id = c.body.customerId;
    const upd = await call('PATCH', `/v1/customers/${id}`, { body: { name: 'Zeta AG', externalId: null } });
    expect(upd.body.name).toBe('Zeta AG');
    expect(upd.body.externalId).toBeUndefined();
    expect((await call('GET', `/v1/customers/${id}`)).body.name).toBe('Zeta AG');

    const email = `zed-${ulid().toLowerCase()}@zeta.example`;
    const k = await call('POST', '/v1/contacts', { body: { email: email.toUpperCase(), name: 'Zed' } });
    expect(k.status).toBe(201);
    expect(k.body.email).toBe(email);
    const dup = await call('POST', '/v1/contacts', { body: { email } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('already_exists');
    const byEmail = await call('GET', '/v1/contacts', { query: { email } });
    expect(byEmail.body.items.map((x: { contactId: string }) => x.contactId)).toEqual([k.body.contactId]);

    const other = await call('POST', '/v1/customers', { body: { name: 'Other' } });
    for (const cust of [id, other.body.customerId])
      expect((await call('PUT', `/v1/customers/${cust}/contacts/${k.body.contactId}`)).status).toBe(204);
    expect((await call('PUT', `/v1/customers/${id}/contacts/${k.body.contactId}`)).status).toBe(204); // idempotent
    expect((await call('PUT', `/v1/customers/${id}/contacts/${ulid()}`)).status).toBe(404);
    const contacts = await call('GET', `/v1/customers/${id}/contacts`);
    expect(contacts.body.items.map((x: { contactId: string }) => x.contactId)).toEqual([k.body.contactId]);
    const ofContact = await call('GET', `/v1/contacts/${k.body.contactId}/customers`, { query: { limit: '1' } });
    expect(ofContact.body.items).toHaveLength(1);
    const page2 = await call('GET', `/v1/contacts/${k.body.contactId}/customers`, {
      query: { limit: '1', cursor: ofContact.body.nextCursor },
    });
    expect(
      [...ofContact.body.items, ...page2.body.items].map((x: { customerId: string }) => x.customerId).sort(),
    ).toEqual([id, other.body.customerId].sort());
    expect(page2.body.nextCursor).toBeUndefined();

    // A new address moves the uniqueness guard with it.
    const email2 = `zed2-${ulid().toLowerCase()}@zeta.example`;
    const moved = await call('PATCH', `/v1/contacts/${k.body.contactId}`, { body: { email: email2, name: null } });
    expect(moved.body).toMatchObject({ email: email2 });
    expect(moved.body.name).toBeUndefined();
    expect((await call('POST', '/v1/contacts', { body: { email } })).status).toBe(201);
    expect((await call('POST', '/v1/contacts', { body: { email: email2 } })).status).toBe(409);

    expect((await call('DELETE', `/v1/customers/${id}/contacts/${k.body.contactId}`)).status).toBe(204);
    expect((await call('DELETE', `/v1/customers/${id}/contacts/${k.body.contactId}`)).status).toBe(404);
    expect((await call('DELETE', `/v1/contacts/${k.body.contactId}`)).status).toBe(204);
    expect((await call('GET', `/v1/contacts/${k.body.contactId}`)).status).toBe(404);
    expect((await call('GET', `/v1/customers/${other.body.customerId}/contacts`)).body.items).toEqual([]);
    expect((await call('DELETE', `/v1/customers/${id}`)).status).toBe(204);
    expect((await call('GET', `/v1/customers/${id}`)).status).toBe(404);
  });

  it('refuses to delete a customer that threads still name (409)', async () => {
    const c = await call('POST', '/v1/customers', { body: { name: 'Busy' } });
    await seedThread(ws.workspaceId, { customerIds: [c.body.customerId], at: '2026-03-01T00:00:00.000Z' });
    const res = await call('DELETE', `/v1/customers/${c.body.customerId}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
  });

  it('pages customers to the end', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', '/v1/customers', { query: { limit: '3', ...(cursor ? { cursor } : {}) } });
      names.push(...page.body.items.map((c: { name: string }) => c.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toEqual(expect.arrayContaining(['Alpha', 'Beta', 'Gamma']));
  });
});

describe('templates, settings and API keys', () => {
  it('manages templates and previews them', async () => {
    const t = await call('POST', '/v1/templates', { body: { name: 'Hi', body: 'Hi {{contactName}}, {{x}}' } });
    const id = t.body.templateId;
    const p = await call('POST', `/v1/templates/${id}/preview`, { body: { variables: { contactName: 'Bo', x: 2 } } });
    expect(p.status).toBe(200);
    expect(p.body.text).toBe('Hi Bo, 2');
    expect((await call('PUT', `/v1/templates/${id}`, { body: { name: 'Hi2', body: 'Yo' } })).body.name).toBe('Hi2');
    expect((await call('POST', '/v1/templates', { body: { name: 'Bad', body: '{{#open}}' } })).status).toBe(400);
    const list = await call('GET', '/v1/templates', { query: { limit: '100' } });
    expect(list.body.items.map((x: { templateId: string }) => x.templateId)).toContain(id);
    expect((await call('DELETE', `/v1/templates/${id}`)).status).toBe(204);
    expect((await call('GET', `/v1/templates/${id}`)).status).toBe(404);
    expect((await call('PUT', `/v1/templates/${id}`, { body: { name: 'x', body: 'y' } })).status).toBe(404);
  });

  it('reads and validates settings; inbound addresses are listed but read-only', async () => {
    const s = await call('GET', '/v1/settings');
    expect(s.body).toMatchObject({
      policy: { reminders: 2, afterWaiting: 'open' },
      inboundAddresses: [expect.stringMatching(/@acme\.example$/)],
    });
    const put = await call('PUT', '/v1/settings', {
      body: { policy: { reminders: 0, reminderDelaysSeconds: [], waitingDelaySeconds: 3600, afterWaiting: 'closed' } },
    });
    expect(put.status).toBe(200);
    expect(put.body.policy).toMatchObject({ reminders: 0, afterWaiting: 'closed' });
    for (const body of [
      { policy: { reminders: 2, reminderDelaysSeconds: [], waitingDelaySeconds: 1, afterWaiting: 'open' } },
      { policy: { reminders: -1 } },
      { inboundAddresses: ['x@y.z'] },
      {
        policy: {
          reminders: 1,
          reminderDelaysSeconds: [60],
          waitingDelaySeconds: 60,
          afterWaiting: 'open',
          reminderTemplateId: 'NOPE',
        },
      },
    ]) {
      const res = await call('PUT', '/v1/settings', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    await call('PUT', '/v1/settings', {
      body: {
        policy: { reminders: 2, reminderDelaysSeconds: [259200], waitingDelaySeconds: 259200, afterWaiting: 'open' },
      },
    });
  });

  it('creates keys (secret shown once), lists them without secrets, and revokes them at once', async () => {
    const created = await call('POST', '/v1/api-keys', { body: { name: 'inbox app' } });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(new RegExp(`^gck_${created.body.keyId}_[0-9a-f]{64}$`));
    const list = await call('GET', '/v1/api-keys');
    const listed = list.body.items.find((k: { keyId: string }) => k.keyId === created.body.keyId);
    expect(listed).toEqual({
      keyId: created.body.keyId,
      name: 'inbox app',
      displayPrefix: `gck_${created.body.keyId}`,
      createdAt: expect.any(String),
      // No scopes asked for: every scope of its creator (here a key that has them all).
      scopes: [...SCOPES],
    });
    expect(JSON.stringify(list.body)).not.toContain(created.body.apiKey.slice(-64));
    expect((await api.call(created.body.apiKey, 'GET', '/v1/settings')).status).toBe(200);
    expect((await call('DELETE', `/v1/api-keys/${created.body.keyId}`)).status).toBe(204);
    const revoked = await api.call(created.body.apiKey, 'GET', '/v1/settings');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.code).toBe('unauthorized');
    expect(
      (await call('GET', '/v1/api-keys')).body.items.find((k: { keyId: string }) => k.keyId === created.body.keyId)
        .revokedAt,
    ).toBeDefined();
    expect((await call('DELETE', `/v1/api-keys/${ulid()}`)).status).toBe(404);
  });

  it('refuses missing, malformed and forged keys with 401, and unknown routes with 404/405', async () => {
    expect((await api.call(undefined, 'GET', '/v1/threads')).status).toBe(401);
    expect((await api.call('gck_nope', 'GET', '/v1/threads')).status).toBe(401);
    const forged = ws.apiKey.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await api.call(forged, 'GET', '/v1/threads')).status).toBe(401);
    expect((await call('GET', '/v1/nothing')).status).toBe(404);
    expect((await call('DELETE', '/v1/threads')).status).toBe(405);
    expect((await call('POST', '/v1/customers', { rawBody: '{not json' })).status).toBe(400);
    expect((await call('GET', '/v1/settings', { headers: { 'X-Agent-Id': 'bad agent!' } })).status).toBe(400);
    expect(api.errors).toEqual([]);
  });
});
