import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '#core/model.ts';
import { DAY, type Harness, startHarness, trail } from './lifecycle-harness.ts';

// 3 simulated days pass in 300 ms.
const SCALE = (3 * DAY) / 0.3;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeScale: SCALE });
});
afterAll(async () => {
  await h?.close();
});

const contact = () => `ann-${ulid().toLowerCase()}@customer.example.com`;

async function threadWithAgentMessage(policy = {}) {
  const { ws, address } = await h.workspace(policy);
  const ann = contact();
  const threadId = await h.customerWrites(ws, address, `Ann <${ann}>`, 'Account help');
  const sent = await h.agentSends({ workspaceId: ws, threadId, to: [ann] });
  return { ws, address, ann, threadId, sent };
}

const mailsTo = (address: string) => h.sender.sent.filter((m) => m.destinations.includes(address));

describe('thread lifecycle on the local state machine', () => {
  it('default policy: two reminders 3 days apart, 3 days of waiting, then reopens; the feed shows every step', async () => {
    const { ws, ann, threadId, sent } = await threadWithAgentMessage();
    expect(sent.delivery?.state).toBe('sent');
    await h.settle();

    const thread = (await h.threads.getThread(ws, threadId)) as Thread;
    expect(thread).toMatchObject({ status: 'open', statusVersion: 5 });
    expect(trail(await h.feed(ws, threadId))).toEqual([
      'inbound',
      'outbound[sent]',
      'status:"open"->"reminder(1)"',
      'outbound(auto)[sent]',
      'reminder:null->1',
      'status:"reminder(1)"->"reminder(2)"',
      'outbound(auto)[sent]',
      'reminder:null->2',
      'status:"reminder(2)"->"waiting"',
      'status:"waiting"->"open"',
    ]);
    // Exactly the agent's message and two reminders went out.
    expect(mailsTo(ann)).toHaveLength(3);

    // One execution per status change with a timer, each named <threadId>-v<statusVersion>.
    const executions = h.runner.list().filter((e) => e.name.startsWith(threadId));
    expect(executions.map((e) => [e.name, e.status]).sort()).toEqual([
      [`${threadId}-v2`, 'SUCCEEDED'],
      [`${threadId}-v3`, 'SUCCEEDED'],
      [`${threadId}-v4`, 'SUCCEEDED'],
    ]);
    expect(executions.map((e) => e.output)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'reminderSent', status: 'reminder(2)' }),
        expect.objectContaining({ outcome: 'reminderSent', status: 'waiting' }),
        expect.objectContaining({ outcome: 'statusChanged', status: 'open' }),
      ]),
    );
    // Simulated time: 3 + 3 + 3 days of Wait states.
    const inputs = executions.map((e) => (e.input as { delaySeconds: number }).delaySeconds);
    expect(inputs.reduce((a, b) => a + b, 0)).toBe(9 * DAY);
    expect(h.events.events.filter((e) => e.threadId === threadId).map((e) => e.type)).toEqual(
      expect.arrayContaining(['message.sent', 'status.changed', 'reminder.sent']),
    );
    expect(h.events.events.filter((e) => e.threadId === threadId && e.type === 'reminder.sent')).toHaveLength(2);
  });

  it('the reminder mail threads (In-Reply-To, References, reply token, Auto-Submitted); a reply to it reopens the same thread', async () => {
    // Reminder 2 is 30 days (3 s here) after reminder 1: the reply lands while its execution waits.
    const { ws, ann, threadId } = await threadWithAgentMessage({ reminderDelaysSeconds: [3 * DAY, 30 * DAY] });
    // Let reminder 1 go out, then answer it while the thread waits for reminder 2.
    const deadline = Date.now() + 20_000;
    while (mailsTo(ann).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const reminder = mailsTo(ann)[1];
    const parsed = await simpleParser(reminder.raw);
    const agentMail = await simpleParser(mailsTo(ann)[0].raw);
    const agentWire = h.sender.wireMessageId(mailsTo(ann)[0].providerMessageId);

    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(agentMail.headers.get('auto-submitted')).toBeUndefined();
    // SES replaced the agent mail's Message-ID: the reminder references the id on the wire.
    expect(parsed.inReplyTo).toBe(agentWire);
    expect(parsed.references).toEqual(expect.arrayContaining([agentWire]));
    const replyTo = parsed.replyTo?.value[0]?.address ?? '';
    expect(h.deps.replyTokens.verify(replyTo, ws)).toBe(threadId);
    expect(parsed.subject).toMatch(/^Re: Account help \[#\d+\]$/);
    expect(parsed.text).toContain('Hello Ann');

    const reminderWire = h.sender.wireMessageId(reminder.providerMessageId);
    const reply = await new MailComposer({
      from: `Ann <${ann}>`,
      to: replyTo,
      subject: `Re: ${parsed.subject}`,
      text: 'Here it is, sorry for the delay.',
      inReplyTo: reminderWire,
      references: [reminderWire],
      messageId: `<${ulid().toLowerCase()}@customer.example.com>`,
    })
      .compile()
      .build();
    const out = await h.inbound([replyTo], reply);
    expect(out.workspaces).toEqual([expect.objectContaining({ threadId, outcome: 'appended', reopened: true })]);
    await h.settle();

    expect(await h.threads.getThread(ws, threadId)).toMatchObject({ status: 'open' });
    expect(mailsTo(ann)).toHaveLength(2); // no reminder 2 after the reply
    const feed = trail(await h.feed(ws, threadId));
    expect(feed.slice(1)).toEqual([
      'outbound[sent]',
      'status:"open"->"reminder(1)"',
      'outbound(auto)[sent]',
      'reminder:null->1',
      'status:"reminder(1)"->"reminder(2)"',
      // The reply and its status change share one time; their relative order is ingest's id order.
      ...feed.slice(-2),
    ]);
    expect(feed.slice(-2).sort()).toEqual(['inbound', 'status:"reminder(2)"->"open"']);
    expect(h.runner.describe(`${threadId}-v3`)?.status).toBe('ABORTED');
  });

  it('a reply during waiting reopens the thread and nothing more happens', async () => {
    const { ws, address, ann, threadId } = await threadWithAgentMessage({ waitingDelaySeconds: 30 * DAY });
    const deadline = Date.now() + 20_000;
    while ((await h.threads.getThread(ws, threadId))?.status !== 'waiting' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const raw = await new MailComposer({
      from: `Ann <${ann}>`,
      to: address,
      subject: 'Re: Account help',
      text: 'Done.',
      inReplyTo: (await h.threads.getThread(ws, threadId))?.lastMessageId,
      messageId: `<${ulid().toLowerCase()}@customer.example.com>`,
    })
      .compile()
      .build();
    await h.inbound([address], raw);
    await h.settle();
    expect(mailsTo(ann)).toHaveLength(3);
    const feed = trail(await h.feed(ws, threadId));
    expect(feed.at(-3)).toBe('status:"reminder(2)"->"waiting"');
    expect(feed.slice(-2).sort()).toEqual(['inbound', 'status:"waiting"->"open"']);
    expect(h.runner.describe(`${threadId}-v4`)?.status).toBe('ABORTED');
  });

  it('closing mid-cycle stops every reminder', async () => {
    // A 30-day reminder delay (3 s here) leaves time to close while the execution waits.
    const { ws, ann, threadId } = await threadWithAgentMessage({ reminderDelaysSeconds: [30 * DAY] });
    await h.poller.drain();
    await h.closeThread(ws, threadId);
    await h.settle();
    await new Promise((r) => setTimeout(r, 500)); // nothing may follow, even later
    expect(mailsTo(ann)).toHaveLength(1);
    expect(trail(await h.feed(ws, threadId)).slice(1)).toEqual([
      'outbound[sent]',
      'status:"open"->"reminder(1)"',
      'status:"reminder(1)"->"closed"',
    ]);
    expect(h.runner.describe(`${threadId}-v2`)?.status).toBe('ABORTED');
    expect(h.runner.describe(`${threadId}-v3`)).toBeUndefined();
  });

  it('a policy with no reminders sends the thread to waiting, and closes it after waiting', async () => {
    const { ws, ann, threadId, sent } = await threadWithAgentMessage({
      reminders: 0,
      reminderDelaysSeconds: [],
      waitingDelaySeconds: 2 * DAY,
      afterWaiting: 'closed',
    });
    expect(sent.delivery?.state).toBe('sent');
    await h.settle();
    expect(mailsTo(ann)).toHaveLength(1);
    expect(trail(await h.feed(ws, threadId)).slice(1)).toEqual([
      'outbound[sent]',
      'status:"open"->"waiting"',
      'status:"waiting"->"closed"',
    ]);
    expect(h.runner.describe(`${threadId}-v2`)?.input).toMatchObject({ delaySeconds: 2 * DAY, action: 'endWaiting' });
  });

  it('custom delays: the last reminder delay repeats, and each Wait holds its own delay', async () => {
    const { ws, threadId } = await threadWithAgentMessage({ reminders: 3, reminderDelaysSeconds: [DAY, 2 * DAY] });
    await h.settle();
    const delays = [2, 3, 4, 5].map(
      (v) => (h.runner.describe(`${threadId}-v${v}`)?.input as { delaySeconds: number })?.delaySeconds,
    );
    expect(delays).toEqual([DAY, 2 * DAY, 2 * DAY, 3 * DAY]);
    expect((await h.threads.getThread(ws, threadId))?.status).toBe('open');
  });

  it('a duplicate delivery of one status change starts one execution', async () => {
    const { ws, address } = await h.workspace();
    const ann = contact();
    const threadId = await h.customerWrites(ws, address, ann, 'Dup');
    await h.poller.drain();
    const thread = (await h.threads.getThread(ws, threadId)) as Thread;
    const { createDispatchHandler } = await import('#adapters/lifecycle-handlers.ts');
    // The real adapter through the local SFN endpoint: a repeated name is a no-op.
    const dispatch = createDispatchHandler({ directory: h.admin, starter: h.starter });
    const record = {
      eventID: '1',
      eventName: 'MODIFY' as const,
      dynamodb: {
        SequenceNumber: '100',
        OldImage: {
          entity: { S: 'thread' },
          workspaceId: { S: ws },
          threadId: { S: threadId },
          status: { S: 'open' },
          statusVersion: { N: String(thread.statusVersion) },
        },
        NewImage: {
          entity: { S: 'thread' },
          workspaceId: { S: ws },
          threadId: { S: threadId },
          status: { S: 'waiting' },
          statusVersion: { N: String(thread.statusVersion + 1) },
        },
      },
    };
    await dispatch({ Records: [record, record] });
    await dispatch({ Records: [record] });
    expect(h.runner.list().filter((e) => e.name.startsWith(threadId))).toHaveLength(1);
    h.runner.stop(`${threadId}-v2`);
  });
});
