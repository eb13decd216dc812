import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusPath, hasCorpus, listCorpusFiles } from '../support/corpora.ts';
import { composeMail, newMessageId, variedMails } from '../support/mail.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let h: IngestHarness;
beforeAll(async () => {
  h = await startIngestHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('ingest under duplicate and concurrent delivery', () => {
  it('each mail delivered twice, concurrently, gives exactly one message', async () => {
    const ws = await h.workspace();
    const mails = await variedMails(ws.address);
    // A few real mails too: bounces, an auto-reply, odd MIME.
    const corpus = hasCorpus('sisimai')
      ? [
          ...listCorpusFiles('sisimai', 'maildir', 'bsd').slice(0, 6),
          ...listCorpusFiles('mailparser', 'test', 'fixtures')
            .filter((f) => f.endsWith('.eml'))
            .slice(0, 4),
        ]
      : [];
    for (const f of corpus) mails.push(readFileSync(corpusPath(f)));

    const outcomes = await Promise.all(
      mails.map(async (raw) => {
        // One SES delivery, two invocations of the Lambda at once (same event, same object).
        const input = await h.store(raw, { recipients: [ws.address] });
        const [a, b] = await Promise.all([h.invoke(input), h.invoke(input)]);
        return [a.workspaces[0], b.workspaces[0]];
      }),
    );
    for (const [a, b] of outcomes) {
      // One of the two writes the message; the other finds it (both can, if a retried attempt had landed).
      expect([a.outcome, b.outcome].filter((o) => o !== 'duplicate').length).toBeLessThanOrEqual(1);
      expect(a.threadId).toBe(b.threadId);
      expect(a.itemId).toBe(b.itemId);
    }
    // Nothing lost, nothing doubled: every mail is one message in its thread.
    const threadIds = [...new Set(outcomes.map(([a]) => a.threadId))];
    let total = 0;
    for (const threadId of threadIds) {
      const messages = await h.messages(ws.workspaceId, threadId);
      const t = await h.thread(ws.workspaceId, threadId);
      expect(t.messageCount).toBe(messages.length);
      total += messages.length;
    }
    expect(total).toBe(mails.length);
  });

  it('the same mail in two SES deliveries (two message ids) gives one message', async () => {
    const ws = await h.workspace();
    const raw = await composeMail({ from: 'ann@client.example', to: ws.address, messageId: newMessageId() });
    const [a, b] = await Promise.all([
      h.store(raw, { recipients: [ws.address] }).then((input) => h.invoke(input)),
      h.store(raw, { recipients: [ws.address] }).then((input) => h.invoke(input)),
    ]);
    expect([a.workspaces[0].outcome, b.workspaces[0].outcome].sort()).toEqual(['created', 'duplicate']);
    expect(await h.messages(ws.workspaceId, a.workspaces[0].threadId)).toHaveLength(1);
  });

  it('50 replies from the customer land on one thread at the same time: 50 messages, exact counters', async () => {
    const ws = await h.workspace();
    const first = newMessageId();
    const base = Date.parse('2026-11-23T12:00:00Z');
    const opened = await h.deliver(
      await composeMail({ from: 'ann@client.example', to: ws.address, messageId: first, subject: 'Big thread' }),
      { recipients: [ws.address], receivedAt: new Date(base - 60_000).toISOString() },
    );
    const threadId = opened.workspaces[0].threadId;
    const inputs = await Promise.all(
      Array.from({ length: 50 }, async (_, i) =>
        h.store(
          await composeMail({
            // The thread's own contact: a stranger's reply is inert and would not count (docs/limits.md).
            from: `Ann ${i} <ann@client.example>`,
            to: ws.address,
            inReplyTo: first,
            references: [first],
            subject: 'Re: Big thread',
            text: `reply ${i}`,
          }),
          { recipients: [ws.address], receivedAt: new Date(base + i * 1000).toISOString() },
        ),
      ),
    );
    const started = Date.now();
    const results = await Promise.all(inputs.map((input) => h.invoke(input)));
    console.log(`50 concurrent replies landed in ${Date.now() - started} ms; retried: ${h.retried.length}`);
    expect(results.every((r) => r.workspaces[0].outcome === 'appended' && r.workspaces[0].threadId === threadId)).toBe(
      true,
    );
    const t = await h.thread(ws.workspaceId, threadId);
    expect(t.messageCount).toBe(51);
    expect(t.itemCount).toBe(51);
    expect(t.lastMessageAt).toBe(new Date(base + 49 * 1000).toISOString());
    expect(await h.messages(ws.workspaceId, threadId)).toHaveLength(51);
  });
});
