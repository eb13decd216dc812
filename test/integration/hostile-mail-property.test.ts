/**
 * Property: whatever a sender puts in a mail (header lengths and counts, charsets, MIME nesting, line
 * lengths, attachment names), ingest stores it, the raw mail stays in S3, and every item it writes
 * stays within its budget (functions/core/limits.ts). Mails are generated as raw MIME, by hand, because
 * the interesting ones are those a mail library would refuse to build.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { itemBytes, LIMITS } from '#core/limits.ts';
import { composeMail, newMessageId } from '../support/mail.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let h: IngestHarness;
let ws: { workspaceId: string; address: string };
let base: { threadId: string; messageId: string };
const CONTACT = 'ann@client.example';

beforeAll(async () => {
  h = await startIngestHarness();
  ws = await h.workspace();
  const messageId = newMessageId();
  const res = await h.deliver(await composeMail({ from: CONTACT, to: ws.address, messageId, subject: 'Base' }), {
    recipients: [ws.address],
  });
  base = { threadId: res.workspaces[0].threadId, messageId };
});

afterAll(async () => {
  await h?.stop();
});

const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: max }),
    fc.string({ unit: 'grapheme', maxLength: Math.min(max, 200) }),
    fc.integer({ min: 0, max }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 0, max: Math.floor(max / 2) }).map((n) => 'é'.repeat(n)),
  );
/** Header-safe: no line breaks (a header injection is another test's business). */
const headerText = (max: number) => text(max).map((s) => s.replace(/[\r\n\0]/g, ' '));
const charset = fc.constantFrom('utf-8', 'iso-8859-1', 'windows-1252', 'koi8-r', 'shift_jis', 'x-unknown', 'utf-7', '');
const encodedWord = fc
  .tuple(charset, fc.constantFrom('B', 'Q'), headerText(400))
  .map(([cs, enc, s]) =>
    enc === 'B' ? `=?${cs}?B?${Buffer.from(s).toString('base64')}?=` : `=?${cs}?Q?${s.replace(/[^A-Za-z0-9]/g, '_')}?=`,
  );

interface Part {
  contentType: string;
  filename?: string;
  body: string;
}
type Node = Part | Node[];

const attachmentName = fc.oneof(headerText(1200), encodedWord, fc.constant(''));
const attachment: fc.Arbitrary<Part> = fc
  .record({ name: attachmentName, size: fc.integer({ min: 0, max: 2000 }) })
  .map(({ name, size }) => ({
    contentType: 'application/octet-stream',
    filename: name,
    body: Buffer.alloc(size, 65).toString('base64'),
  }));
const leaf: fc.Arbitrary<Part> = fc.oneof(
  fc
    .record({ cs: charset, line: fc.integer({ min: 0, max: 200_000 }), lines: fc.integer({ min: 0, max: 50 }) })
    .map(({ cs, line, lines }) => ({
      contentType: `text/plain; charset=${cs || 'utf-8'}`,
      body: `${'w '.repeat(line / 2)}\r\n${'Short line\r\n'.repeat(lines)}> quoted\r\n`,
    })),
  attachment,
  fc.constant({ contentType: 'text/html; charset=utf-8', body: `<div>${'<b>'.repeat(2000)}hi</div>` }),
);

/** A MIME tree up to `depth` levels deep, with up to `width` parts per level. */
function tree(part: Node, boundary: string, depth = 0): string {
  if (!Array.isArray(part)) {
    const p = part;
    const disposition = p.filename !== undefined ? `Content-Disposition: attachment; filename="${p.filename}"\r\n` : '';
    const encoding = p.filename !== undefined ? 'Content-Transfer-Encoding: base64\r\n' : '';
    return `Content-Type: ${p.contentType}\r\n${disposition}${encoding}\r\n${p.body}\r\n`;
  }
  const b = `${boundary}-${depth}`;
  const children = part.map((child) => `--${b}\r\n${tree(child, boundary, depth + 1)}`).join('');
  return `Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n${children}--${b}--\r\n`;
}

/** Nesting (a small tree of parts) or breadth (up to 80 attachments with hostile names). */
const body: fc.Arbitrary<Node> = fc.oneof(
  fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('node'), { minLength: 1, maxLength: 6 }),
    ),
  })).node,
  fc.array(attachment, { minLength: 1, maxLength: 80 }),
);

const hostileMail = fc.record({
  replyToBase: fc.boolean(),
  fromLocal: fc.oneof(
    fc.constant('ann'),
    fc.integer({ min: 1, max: 3000 }).map((n) => 'l'.repeat(n)),
  ),
  fromName: fc.oneof(headerText(2000), encodedWord),
  subject: fc.oneof(headerText(400_000), encodedWord),
  messageId: fc.oneof(
    fc.constant(''),
    fc.integer({ min: 1, max: 4000 }).map((n) => `<${'i'.repeat(n)}@evil.example>`),
    headerText(300),
  ),
  references: fc.array(fc.oneof(headerText(3000), fc.constant('<x@y>')), { maxLength: 300 }),
  extraHeaders: fc.array(fc.tuple(fc.constantFrom('X-A', 'Received', 'Comments', 'To', 'Cc'), headerText(5000)), {
    maxLength: 40,
  }),
  body,
});

describe('hostile mail, generated', () => {
  it('is always ingested, its raw mail kept, and every item it touches within budget', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(hostileMail, fc.nat(), async (m, seed) => {
        runs++;
        const from = m.replyToBase ? CONTACT : `${m.fromLocal}@evil.example`;
        const refs = [...m.references, ...(m.replyToBase ? [base.messageId] : [])];
        const headers = [
          `From: "${m.fromName.replace(/"/g, "'")}" <${from}>`,
          `To: ${ws.address}`,
          `Subject: ${m.subject}`,
          ...(m.messageId ? [`Message-ID: ${m.messageId}`] : []),
          ...(refs.length ? [`References: ${refs.join(' ')}`] : []),
          ...m.extraHeaders.map(([k, v]) => `${k}: ${v}`),
          'MIME-Version: 1.0',
        ];
        const raw = Buffer.from(`${headers.join('\r\n')}\r\n${tree(m.body, `b${seed}`)}`);
        const input = await h.store(raw, { recipients: [ws.address] });
        const res = await h.invoke(input);
        expect(await h.rawExists(input.rawKey)).toBe(true);
        expect(res.workspaces).toHaveLength(1);
        const { threadId, itemId } = res.workspaces[0];
        // Every page of the partition: many generated mails share a thread, which soon passes Query's 1 MB page.
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await h.db.send(
            new QueryCommand({
              TableName: h.tableName,
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': keys.threadPartition(ws.workspaceId, threadId) },
              ExclusiveStartKey: start,
            }),
          );
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start);
        for (const item of items) {
          const budget = String(item.SK).startsWith('ITEM#') ? LIMITS.messageItemBytes : LIMITS.threadItemBytes;
          expect(itemBytes(item), String(item.SK)).toBeLessThanOrEqual(budget);
        }
        expect(items.some((i) => i.itemId === itemId)).toBe(true);
      }),
      { numRuns: 40, endOnFailure: true },
    );
    expect(runs).toBeGreaterThanOrEqual(40);
    // The shared thread took many of them: it is still within budget, and still takes its contact's mail.
    const thread = await h.db.send(
      new GetCommand({ TableName: h.tableName, Key: keys.thread(ws.workspaceId, base.threadId) }),
    );
    expect(itemBytes(thread.Item)).toBeLessThanOrEqual(LIMITS.threadItemBytes);
    const reply = await h.deliver(
      await composeMail({ from: CONTACT, to: ws.address, references: [base.messageId], text: 'still here' }),
      { recipients: [ws.address] },
    );
    expect(reply.workspaces[0]).toMatchObject({ threadId: base.threadId, verifiedSender: true });
  }, 600_000);
});
