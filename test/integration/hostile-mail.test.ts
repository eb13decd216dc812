/**
 * Issue 8, as an attacker tries it: each scenario through the real ingest path and the real API, against
 * DynamoDB Local. After each attack the customer's real reply and the agent's reply still work, every
 * hostile mail is stored where an agent finds it, and the stored items stay within their budgets
 * (functions/core/limits.ts, docs/limits.md).
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { type InboundMail, IngestMail, type IngestResult } from '#core/ingest.ts';
import { itemBytes, LIMITS, utf8Bytes } from '#core/limits.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { runTimer, type TimerDeps } from '#core/timers.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { bounceMail, composeMail, newMessageId, PNG_1X1 } from '../support/mail.ts';

let api: TestApi;
let ingest: IngestMail;
let timers: TimerDeps;
const SECRET = 'test-reply-token-secret-0123456789';

beforeAll(async () => {
  api = await createTestApi();
  ingest = new IngestMail({
    threads: api.threads,
    directory: new DynamoDirectoryStore(api.db, api.tableName),
    mail: api.mail,
    tokens: new ReplyTokens(SECRET),
    clock: systemClock,
    maxMailBytes: 10 * 1024 * 1024,
  });
  timers = {
    threads: api.threads,
    directory: api.admin,
    mail: api.mail,
    sender: api.sender,
    sends: new DynamoSendStore(api.db, api.tableName),
    events: api.events,
    replyTokens: new ReplyTokens(SECRET),
    clock: api.clock,
    ids: ulidGenerator,
    templates: api.admin,
  };
});

afterAll(() => {
  expect(api.errors, 'no request answered 500').toEqual([]);
});

interface Scene {
  workspaceId: string;
  key: string;
  address: string;
  ann: string;
  first: string;
  threadId: string;
  /** Every hostile delivery, checked to be findable by an agent at the end of the scenario. */
  hostile: IngestResult[];
}

/** Puts the raw mail where the SES S3 action would, then runs ingest as the Lambda would. */
async function deliver(raw: Buffer | string, to: string, more: Partial<InboundMail> = {}): Promise<IngestResult> {
  const sesMessageId = more.sesMessageId ?? ulid().toLowerCase();
  const rawKey = `inbound/${sesMessageId}`;
  await api.mail.putObject(rawKey, Buffer.from(raw), 'message/rfc822');
  return ingest.ingest({ sesMessageId, rawKey, recipients: [to], receivedAt: new Date().toISOString(), ...more });
}

/** Raw MIME written by hand: the attacks are header shapes that a mail library would refuse to build. */
function rawMail(headers: Record<string, string>, body = 'Hello'): string {
  const lines = Object.entries({
    Date: 'Mon, 30 Nov 2026 10:00:00 +0000',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}\r\n`;
}

const call = (s: Scene, method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(s.key, method, path, opts);

/** A workspace, Ann's request (a new thread) and the agent's answer: the thread waits in reminder(1). */
async function scene(): Promise<Scene> {
  const n = ulid().toLowerCase();
  const address = `support-${n}@acme.example`;
  const ws = await api.cliWorkspace(`Hostile ${n}`, address);
  const ann = `ann-${n}@client.example`;
  const first = newMessageId();
  const res = await deliver(
    await composeMail({
      from: `Ann <${ann}>`,
      to: address,
      subject: 'My order',
      messageId: first,
      text: 'Where is it?',
    }),
    address,
  );
  const s: Scene = {
    workspaceId: ws.workspaceId,
    key: ws.apiKey,
    address,
    ann,
    first,
    threadId: res.workspaces[0].threadId,
    hostile: [],
  };
  const answer = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, { body: { text: 'We are on it.' } });
  expect(answer.status).toBe(201);
  expect((await call(s, 'GET', `/v1/threads/${s.threadId}`)).body.status).toBe('reminder');
  return s;
}

async function attack(s: Scene, raw: Buffer | string, more: Partial<InboundMail> = {}): Promise<IngestResult> {
  const res = await deliver(raw, s.address, more);
  s.hostile.push(res);
  return res;
}

/** Every item of the thread's partition (the thread, its list entries, its feed) with its size. */
async function partition(s: Scene, threadId = s.threadId) {
  const out: Array<{ SK: string; bytes: number }> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await api.db.send(
      new QueryCommand({
        TableName: api.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.threadPartition(s.workspaceId, threadId) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push({ SK: String(item.SK), bytes: itemBytes(item) });
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** The thread item and every list entry within the thread budget; every message within the message budget. */
async function expectWithinBudgets(s: Scene, threadId = s.threadId) {
  const items = await partition(s, threadId);
  for (const item of items) {
    const budget = item.SK.startsWith('ITEM#') ? LIMITS.messageItemBytes : LIMITS.threadItemBytes;
    expect(item.bytes, `${item.SK} is ${item.bytes} bytes`).toBeLessThanOrEqual(budget);
  }
  return items;
}

async function feed(s: Scene, threadId: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(s, 'GET', `/v1/threads/${threadId}/feed`, { query: cursor ? { cursor } : {} });
    expect(page.status).toBe(200);
    out.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return out;
}

/**
 * After an attack: every hostile mail is in a feed an agent can open; Ann's real reply lands in her
 * thread, verified, and reopens it; the agent's reply goes out.
 */
async function expectStillWorks(s: Scene) {
  for (const res of s.hostile)
    for (const w of res.workspaces) {
      const items = await feed(s, w.threadId);
      expect(
        items.map((i) => i.itemId),
        `hostile mail ${w.itemId} is findable`,
      ).toContain(w.itemId);
    }
  const before = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body;
  const reply = await deliver(
    await composeMail({
      from: `Ann <${s.ann}>`,
      to: s.address,
      subject: 'Re: My order',
      references: [s.first],
      text: 'Any news?',
    }),
    s.address,
  );
  expect(reply.workspaces[0]).toMatchObject({ outcome: 'appended', threadId: s.threadId, verifiedSender: true });
  const after = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body;
  expect(after.messageCount).toBe(before.messageCount + 1);
  expect(after.snippet).toBe('Any news?');
  if (before.status === 'reminder' || before.status === 'waiting') expect(after.status).toBe('open');
  const answer = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, { body: { text: 'Shipped today.' } });
  expect(answer.status).toBe(201);
  await expectWithinBudgets(s);
}

const threadItem = async (s: Scene, threadId = s.threadId) =>
  (await api.db.send(new GetCommand({ TableName: api.tableName, Key: keys.thread(s.workspaceId, threadId) }))).Item!;

describe('hostile mail (issue 8)', () => {
  it('1. strangers cannot freeze a thread, and a contact cannot grow it past its budget', async () => {
    const s = await scene();
    const card = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body;
    const attachments = (k: number) =>
      Array.from({ length: 50 }, (_, i) => ({ filename: `${'n'.repeat(240)}-${k}-${i}.png`, content: PNG_1X1 }));
    for (let k = 0; k < 25; k++) {
      const res = await attack(
        s,
        await composeMail({
          from: `stranger-${k}@evil.example`,
          to: s.address,
          subject: 'Re: My order',
          messageId: `<${'m'.repeat(900)}.${k}@evil.example>`,
          references: [s.first],
          attachments: attachments(k),
        }),
      );
      expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: false });
    }
    // Inert: nothing of the card, its counters or its status moved.
    const after = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body;
    expect(after).toMatchObject({
      status: card.status,
      messageCount: card.messageCount,
      itemCount: card.itemCount,
      attachmentNames: card.attachmentNames,
      snippet: card.snippet,
    });
    expect(after.updatedAt).toBe(card.updatedAt);
    // Ann herself (verified) sends as much: the card's caps hold the thread within its budget.
    for (let k = 0; k < 25; k++)
      await deliver(
        await composeMail({
          from: s.ann,
          to: s.address,
          subject: 'Re: My order',
          messageId: `<${'a'.repeat(900)}.${k}@client.example>`,
          references: [s.first],
          attachments: attachments(100 + k),
        }),
        s.address,
      );
    const thread = await threadItem(s);
    expect(thread.attachmentNames).toHaveLength(LIMITS.cardAttachmentNames);
    expect(thread.references.length).toBeLessThanOrEqual(LIMITS.threadReferences);
    expect(itemBytes(thread)).toBeLessThanOrEqual(LIMITS.threadItemBytes);
    await expectStillWorks(s);
  }, 240_000);

  it('1b. an agent accepts a stranger as a contact: their next reply is verified and counts', async () => {
    const s = await scene();
    const first = await attack(
      s,
      await composeMail({
        from: `Bob <bob-${s.workspaceId}@client.example>`,
        to: s.address,
        references: [s.first],
        text: 'I am Ann’s colleague.',
      }),
    );
    expect(first.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: false });
    const bob = (
      await call(s, 'GET', '/v1/contacts', { query: { email: `bob-${s.workspaceId.toLowerCase()}@client.example` } })
    ).body.items[0];
    const [customerId] = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body.customerIds;
    expect((await call(s, 'PUT', `/v1/customers/${customerId}/contacts/${bob.contactId}`)).status).toBeLessThan(300);
    const second = await deliver(
      await composeMail({
        from: `bob-${s.workspaceId}@client.example`,
        to: s.address,
        references: [s.first],
        text: 'Any update?',
      }),
      s.address,
    );
    expect(second.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: true, reopened: true });
    await expectStillWorks(s);
  }, 120_000);

  it('2. strangers cannot break the list: subjects are capped on the thread and every list entry', async () => {
    const s = await scene();
    const subject = 'S'.repeat(380 * 1024);
    for (let k = 0; k < 17; k++)
      await attack(
        s,
        rawMail({ From: `x${k}@evil.example`, To: s.address, Subject: subject, 'Message-ID': newMessageId() }),
      );
    const list = await call(s, 'GET', '/v1/threads', { query: { limit: '100' } });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(18);
    for (const card of list.body.items) expect(utf8Bytes(card.subject)).toBeLessThanOrEqual(LIMITS.subjectBytes);
    // A page is bounded by its cards' budgets, nowhere near Lambda's 6 MB response limit.
    expect(utf8Bytes(JSON.stringify(list.body))).toBeLessThan(18 * 8 * 1024);
    for (const res of s.hostile) await expectWithinBudgets(s, res.workspaces[0].threadId);
    await expectStillWorks(s);
  }, 120_000);

  it('3. poison headers are ingested (bounded keys), kept, and a redelivery is still a duplicate', async () => {
    const s = await scene();
    const poison = [
      rawMail({
        From: 'p1@evil.example',
        To: s.address,
        Subject: 'long id',
        'Message-ID': `<${'i'.repeat(3000)}@evil.example>`,
      }),
      rawMail({
        From: 'p2@evil.example',
        To: s.address,
        Subject: 'long reference',
        'Message-ID': newMessageId(),
        References: `<${'r'.repeat(3000)}@evil.example> ${s.first}`,
      }),
      rawMail({
        From: `${'l'.repeat(2500)}@evil.example`,
        To: s.address,
        Subject: 'long sender',
        'Message-ID': newMessageId(),
      }),
      rawMail({
        From: `"${'N'.repeat(1500)}" <p4@evil.example>`,
        To: s.address,
        Subject: 'long name',
        'Message-ID': newMessageId(),
      }),
    ];
    for (const raw of poison) {
      const sesMessageId = ulid().toLowerCase();
      const res = await attack(s, raw, { sesMessageId });
      expect(res.workspaces).toHaveLength(1);
      const again = await deliver(raw, s.address, { sesMessageId });
      expect(again.workspaces[0]).toMatchObject({ outcome: 'duplicate', itemId: res.workspaces[0].itemId });
      await expectWithinBudgets(s, res.workspaces[0].threadId);
    }
    await expectStillWorks(s);
  }, 120_000);

  it('4. a 1 MB single-line reply is ingested: reply-text extraction only ever sees bounded lines', async () => {
    const s = await scene();
    const line = 'word '.repeat(200_000).trim();
    const res = await attack(
      s,
      await composeMail({ from: s.ann, to: s.address, subject: 'Re: My order', references: [s.first], text: line }),
    );
    expect(res.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: true });
    const message = (await feed(s, s.threadId)).find((i) => i.itemId === res.workspaces[0].itemId);
    expect(message.flags.truncated).toBe(true);
    expect(message.newText.startsWith('word word')).toBe(true);
    await expectStillWorks(s);
  }, 120_000);

  it('5. a forged From of a contact with a DMARC failure is not verified: no reopen, no card, no tag join', async () => {
    const s = await scene();
    const card = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body;
    const forged = await attack(
      s,
      await composeMail({
        from: `Ann <${s.ann}>`,
        to: s.address,
        subject: `Re: My order [#${card.ref}]`,
        references: [s.first],
        text: 'Please send the refund to this new account.',
      }),
      { verdicts: { spf: 'PASS', dkim: 'FAIL', dmarc: 'FAIL' } },
    );
    expect(forged.workspaces[0]).toMatchObject({ outcome: 'appended', verifiedSender: false, reopened: false });
    const after = (await call(s, 'GET', `/v1/threads/${s.threadId}`)).body;
    expect(after).toMatchObject({ status: 'reminder', snippet: card.snippet, messageCount: card.messageCount });
    // The subject tag alone, with SPF and DKIM both failing: a new thread, never Ann's.
    const tagged = await attack(
      s,
      await composeMail({ from: s.ann, to: s.address, subject: `Invoice [#${card.ref}]`, text: 'tag only' }),
      { verdicts: { spf: 'FAIL', dkim: 'FAIL', dmarc: 'GRAY' } },
    );
    expect(tagged.workspaces[0]).toMatchObject({ outcome: 'created' });
    expect(tagged.workspaces[0].threadId).not.toBe(s.threadId);
    const message = (await feed(s, s.threadId)).find((i) => i.itemId === forged.workspaces[0].itemId);
    expect(message.flags).toMatchObject({ unverifiedSender: true, authFailures: ['dkim', 'dmarc'] });
    await expectStillWorks(s);
  }, 120_000);

  it('6. quarantined mail is kept, only in the quarantine view, never on a card, never downloadable', async () => {
    const s = await scene();
    const res = await attack(
      s,
      await composeMail({
        from: s.ann,
        to: s.address,
        subject: 'Re: My order',
        references: [s.first],
        text: 'open the invoice',
        attachments: [{ filename: 'invoice.pdf.exe', content: Buffer.from('MZ') }],
      }),
      { verdicts: { virus: 'FAIL' } },
    );
    const { threadId } = res.workspaces[0];
    expect(res.workspaces[0]).toMatchObject({ outcome: 'created', linkedThreadId: s.threadId });
    const inbox = await call(s, 'GET', '/v1/threads', { query: { limit: '100' } });
    expect(inbox.body.items.map((t: any) => t.threadId)).not.toContain(threadId);
    const open = await call(s, 'GET', '/v1/threads', { query: { status: 'open', limit: '100' } });
    expect(open.body.items.map((t: any) => t.threadId)).not.toContain(threadId);
    const quarantine = await call(s, 'GET', '/v1/threads', { query: { quarantined: 'true' } });
    expect(quarantine.status).toBe(200);
    expect(quarantine.body.items).toEqual([
      expect.objectContaining({ threadId, attachmentNames: [], hasAttachments: false, snippet: '' }),
    ]);
    const [message] = (await feed(s, threadId)).filter((i) => i.type === 'message');
    expect(message.flags.quarantined).toBe(true);
    expect(message.attachments.map((a: any) => a.filename)).toEqual(['invoice.pdf.exe']);
    const download = await call(s, 'GET', `/v1/threads/${threadId}/attachments/${message.attachments[0].attachmentId}`);
    expect(download.status).toBe(404);
    expect([...api.mail.objects.keys()].some((k) => k.startsWith(`attachments/${s.workspaceId}/${threadId}/`))).toBe(
      false,
    );
    await expectStillWorks(s);
  }, 120_000);

  it('7. an oversize body or template is a 400 that uses no send cap; an oversize reminder is recorded failed', async () => {
    const s = await scene();
    expect((await call(s, 'PUT', '/v1/settings', { body: { sendCapPerAddress: 4 } })).status).toBe(200);
    const huge = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, { body: { text: 'é'.repeat(100_000) } });
    expect(huge.status).toBe(400);
    const template = await call(s, 'POST', '/v1/templates', {
      body: { name: 'Echo', body: '{{subject}} '.repeat(8000) },
    });
    expect(template.status).toBe(201);
    // 990 characters but 1980 bytes: over the subject budget.
    const subject = await call(s, 'PATCH', `/v1/threads/${s.threadId}`, { body: { subject: 'é'.repeat(990) } });
    expect(subject.status).toBe(400);
    for (let i = 0; i < 5; i++) {
      const res = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, {
        body: { templateId: template.body.templateId },
      });
      expect(res.status).toBe(400);
    }
    // Five refusals later, the cap (4) is untouched: the agent's reply still goes.
    const ok = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, { body: { text: 'Short answer.' } });
    expect(ok.status).toBe(201);
    // The reminder renders the same template: it cannot be stored, so it is recorded failed and the cycle goes on.
    const settings = (await call(s, 'GET', '/v1/settings')).body;
    await call(s, 'PUT', '/v1/settings', {
      body: { policy: { ...settings.policy, reminderTemplateId: template.body.templateId } },
    });
    const thread = await threadItem(s);
    expect(thread.status).toBe('reminder');
    const out = await runTimer(timers, {
      workspaceId: s.workspaceId,
      threadId: s.threadId,
      statusVersion: thread.statusVersion,
      status: 'reminder',
      reminderIndex: 1,
      delaySeconds: 0,
      action: 'sendReminder',
    });
    expect(out).toMatchObject({ outcome: 'reminderSkipped', status: 'reminder(2)' });
    expect(out.reason).toMatch(/bytes/);
    const update = (await feed(s, s.threadId)).filter((i) => i.type === 'update' && i.field === 'reminder').at(-1);
    expect(update.to).toMatchObject({ reminder: 1, failed: expect.stringMatching(/bytes/) });
    await call(s, 'PUT', '/v1/settings', { body: { policy: settings.policy } });
    await expectStillWorks(s);
  }, 120_000);

  it('8. human replies with X-Auto-Response-Suppress, or quoting an SES notification, reopen the thread', async () => {
    const s = await scene();
    const suppress = await deliver(
      await composeMail({
        from: s.ann,
        to: s.address,
        subject: 'Re: My order',
        references: [s.first],
        text: 'Thanks, one more question.',
        headers: { 'X-Auto-Response-Suppress': 'All' },
      }),
      s.address,
    );
    expect(suppress.workspaces[0]).toMatchObject({ classification: 'ordinary', reopened: true });
    const answer = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, { body: { text: 'Sure.' } });
    expect(answer.status).toBe(201);
    const quoting = await deliver(
      await composeMail({
        from: s.ann,
        to: s.address,
        subject: 'Re: My order',
        references: [s.first],
        text: 'Our system logged this, is it about you? {"notificationType":"Bounce","bounce":{"bounceType":"Permanent"}}',
      }),
      s.address,
    );
    expect(quoting.workspaces[0]).toMatchObject({ classification: 'ordinary', reopened: true });
    await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, { body: { text: 'No, all good.' } });
    await expectStillWorks(s);
  }, 120_000);

  it('9. forged bounces mark nobody; a real one does, and failing clears on mail from the address or a new address', async () => {
    const s = await scene();
    const failing = async () =>
      (await call(s, 'GET', '/v1/contacts', { query: { email: s.ann } })).body.items[0]?.failing as unknown;
    // A DSN naming Ann, referencing only her own mail: nothing was ever sent in it.
    await attack(s, bounceMail({ to: s.address, failedRecipient: s.ann, inReplyTo: s.first }));
    // An SES-style JSON bounce from a stranger.
    await attack(
      s,
      await composeMail({
        from: 'no-reply@sns.amazonaws.com.evil.example',
        to: s.address,
        subject: 'AWS Notification Message',
        text: JSON.stringify({
          notificationType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: s.ann }] },
        }),
      }),
    );
    expect(await failing()).toBeUndefined();
    // The real thing: a DSN for the agent's message, as SES put it on the wire.
    const sent = api.sender.sent.at(-1)!;
    // The wire Message-ID is stored on the message (the API view does not show it).
    const stored = await api.threads.listFeed(s.workspaceId, s.threadId, { limit: 100 });
    const wire = stored.items.filter((i) => i.type === 'message' && i.direction === 'outbound').at(-1)!;
    const wireId = (wire as { delivery?: { wireMessageId?: string } }).delivery!.wireMessageId!;
    expect(sent.destinations).toContain(s.ann);
    await deliver(bounceMail({ to: s.address, failedRecipient: s.ann, inReplyTo: wireId }), s.address);
    expect(await failing()).toMatchObject({ reason: expect.stringMatching(/5\.1\.1/) });
    // Real mail from the address: it works after all.
    await deliver(
      await composeMail({
        from: s.ann,
        to: s.address,
        subject: 'Re: My order',
        references: [s.first],
        text: 'I am here.',
      }),
      s.address,
    );
    expect(await failing()).toBeUndefined();
    // Failing again, then the address changes: the new address has no bounce history.
    await deliver(bounceMail({ to: s.address, failedRecipient: s.ann, inReplyTo: wireId }), s.address);
    const contact = (await call(s, 'GET', '/v1/contacts', { query: { email: s.ann } })).body.items[0];
    expect(contact.failing).toBeDefined();
    const moved = `moved-${s.ann}`;
    const patched = await call(s, 'PATCH', `/v1/contacts/${contact.contactId}`, { body: { email: moved } });
    expect(patched.status).toBe(200);
    expect(patched.body.failing).toBeUndefined();
    await call(s, 'PATCH', `/v1/contacts/${contact.contactId}`, { body: { email: s.ann } });
    await expectStillWorks(s);
  }, 120_000);

  it('10. a different mail reusing a known Message-ID is stored, flagged; a true redelivery stays one message', async () => {
    const s = await scene();
    const raw = await composeMail({
      from: 'eve@evil.example',
      to: s.address,
      subject: 'Other',
      messageId: s.first,
      text: 'not the same mail',
    });
    const sesMessageId = ulid().toLowerCase();
    const res = await attack(s, raw, { sesMessageId });
    expect(res.workspaces[0].outcome).not.toBe('duplicate');
    const again = await deliver(raw, s.address, { sesMessageId: ulid().toLowerCase() });
    expect(again.workspaces[0]).toMatchObject({ outcome: 'duplicate', itemId: res.workspaces[0].itemId });
    const stored = (await feed(s, res.workspaces[0].threadId)).find((i) => i.itemId === res.workspaces[0].itemId);
    expect(stored.flags.messageIdReused).toBe(true);
    await expectStillWorks(s);
  }, 120_000);

  it('11. tampered cursors are a 400, never a 500', async () => {
    const s = await scene();
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const cursors = [
      b64({ sk: 'LIST#all' }),
      b64({ sk: `ITEM#${'x'.repeat(1500)}` }),
      b64({ sk: 'META' }),
      b64({ k: '2026-11-30T10:00:00.000Z#../x' }),
      b64({ o: '-1' }),
      b64({ sk: 1 }),
      'not-base64!',
    ];
    for (const cursor of cursors)
      for (const path of [
        `/v1/threads/${s.threadId}/feed`,
        '/v1/threads',
        '/v1/templates',
        '/v1/contacts',
        '/v1/customers',
      ]) {
        const res = await call(s, 'GET', path, { query: { cursor } });
        expect(res.status, `${path} ${cursor}`).toBe(400);
      }
    await expectStillWorks(s);
  }, 120_000);

  it('12. an Idempotency-Key cannot take the timer send id, and lives as long as the send records', async () => {
    const s = await scene();
    const thread = await threadItem(s);
    const key = `v${thread.statusVersion}-reminder`;
    const agent = await call(s, 'POST', `/v1/threads/${s.threadId}/messages`, {
      body: { text: 'Follow-up.', status: 'keep' },
      headers: { 'Idempotency-Key': key },
    });
    expect(agent.status).toBe(201);
    const now = Math.floor(Date.now() / 1000);
    const record = await api.db.send(
      new GetCommand({ TableName: api.tableName, Key: keys.idempotency(s.workspaceId, key) }),
    );
    expect(record.Item!.expiresAt).toBeGreaterThan(now + 89 * 86_400);
    const current = await threadItem(s);
    const before = api.sender.sent.length;
    const out = await runTimer(timers, {
      workspaceId: s.workspaceId,
      threadId: s.threadId,
      statusVersion: current.statusVersion,
      status: 'reminder',
      reminderIndex: 1,
      delaySeconds: 0,
      action: 'sendReminder',
    });
    expect(out).toMatchObject({ outcome: 'reminderSent', status: 'reminder(2)' });
    expect(api.sender.sent.length).toBe(before + 1);
    await expectStillWorks(s);
  }, 120_000);
});
