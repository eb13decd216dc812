/**
 * The pure parts of issue 8: the size budgets and bounded key parts (limits.ts), the caps at the ingest
 * entry (inbound-limits.ts), who is trusted (inbound-trust.ts), bounce matching (bounce-match.ts) and
 * the classification counterexamples (classify.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keys, normalizeMessageId } from '#adapters/dynamo/keys.ts';
import { matchBounce, originalMessageIds } from '#core/bounce-match.ts';
import { classifyMail } from '#core/classify.ts';
import { boundForScan, boundMessageId, boundParsedMail } from '#core/inbound-limits.ts';
import { quarantineDecision, senderAuthenticated, trustedCustomerIds } from '#core/inbound-trust.ts';
import { boundKeyPart, capBytes, itemBytes, LIMITS, utf8Bytes } from '#core/limits.ts';
import { parseMail } from '#core/mime.ts';
import type { AttachmentMeta, MessageItem, Thread } from '#core/model.ts';
import type { MessageIdEntry } from '#core/ports.ts';
import { newThread, withMessage } from '#core/thread-state.ts';
import { composeMail } from '../support/mail.ts';

describe('limits.ts', () => {
  it('bounds a key part deterministically, keeps short ones, and never cuts a character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), (s) => {
        const part = boundKeyPart(s);
        expect(utf8Bytes(part)).toBeLessThanOrEqual(LIMITS.keyPartBytes);
        expect(boundKeyPart(s)).toBe(part);
        if (utf8Bytes(s) <= LIMITS.keyPartBytes) expect(part).toBe(s);
        expect(part.includes('\ufffd') && !s.includes('\ufffd')).toBe(false);
      }),
    );
    const a = `${'x'.repeat(500)}a`;
    const b = `${'x'.repeat(500)}b`;
    expect(boundKeyPart(a)).not.toBe(boundKeyPart(b));
    expect(capBytes('aé', 2)).toBe('a');
  });

  it('keeps every key of an overlong Message-ID, address or token under DynamoDB key limits', () => {
    const long = `<${'i'.repeat(5000)}@evil.example>`;
    const key = keys.messageId('WS1', long);
    expect(utf8Bytes(key.PK)).toBeLessThan(2048);
    // The same id, however written (brackets, domain case), gives the same key.
    expect(keys.messageId('WS1', `<${'i'.repeat(5000)}@EVIL.example>`).PK).toBe(key.PK);
    expect(normalizeMessageId(long).length).toBeGreaterThan(5000);
    const address = `${'l'.repeat(3000)}@evil.example`;
    expect(utf8Bytes(keys.contactEmail('WS1', address).PK)).toBeLessThan(2048);
    expect(utf8Bytes(keys.contactListing('WS1', address, '01ARZ3NDEKTSV4RRFFQ69G5FAV').GSI2SK)).toBeLessThan(1024);
    expect(utf8Bytes(keys.customerListing('WS1', 'N'.repeat(3000), '01ARZ3NDEKTSV4RRFFQ69G5FAV').GSI2SK)).toBeLessThan(
      1024,
    );
    expect(utf8Bytes(keys.idempotency('WS1', 'k'.repeat(3000)).PK)).toBeLessThan(2048);
  });

  it('a thread fed every field at its cap stays within its budget, whatever number of messages', () => {
    let thread: Thread = newThread({
      workspaceId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      threadId: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
      ref: '123456',
      subject: 'é'.repeat(LIMITS.subjectBytes / 2),
      customerIds: Array.from({ length: 50 }, (_, i) => `01ARZ3NDEKTSV4RRFFQ69G5F${String(i).padStart(2, '0')}`),
      at: '2026-11-30T10:00:00.000Z',
    });
    const attachment = (i: number): AttachmentMeta => ({
      attachmentId: `a${i}`,
      filename: `${'é'.repeat(LIMITS.attachmentNameBytes / 2 - 4)}${i}`,
      contentType: 'application/pdf',
      size: 1,
      key: `attachments/x/${i}`,
      inline: false,
    });
    for (let n = 0; n < 300; n++) {
      const message: MessageItem = {
        type: 'message',
        workspaceId: thread.workspaceId,
        threadId: thread.threadId,
        itemId: `i${n}`,
        at: new Date(Date.parse('2026-11-30T10:00:00.000Z') + n * 1000).toISOString(),
        direction: 'inbound',
        messageId: boundMessageId(`<${'m'.repeat(5000)}.${n}@x>`),
        from: { address: 'a'.repeat(LIMITS.addressBytes), name: 'N'.repeat(LIMITS.nameBytes) },
        to: [],
        cc: [],
        subject: 's',
        newText: 'é'.repeat(LIMITS.bodyBytes / 2),
        text: '',
        classification: 'ordinary',
        flags: {},
        attachments: Array.from({ length: LIMITS.attachmentsPerMessage }, (_, i) => attachment(n * 100 + i)),
        contactId: 'c',
      };
      thread = withMessage(thread, message, { contactId: 'c', name: 'N'.repeat(LIMITS.nameBytes) });
    }
    expect(thread.attachmentNames).toHaveLength(LIMITS.cardAttachmentNames);
    expect(thread.references).toHaveLength(LIMITS.threadReferences);
    expect(itemBytes(thread)).toBeLessThanOrEqual(LIMITS.threadItemBytes);
  });
});

describe('inbound-limits.ts', () => {
  it('caps every field a sender controls and says what it cut', async () => {
    const raw = Buffer.from(
      [
        `From: "${'N'.repeat(2000)}" <${'l'.repeat(2500)}@evil.example>`,
        'To: support@acme.example',
        `Subject: ${'S'.repeat(400_000)}`,
        `Message-ID: <${'i'.repeat(3000)}@evil.example>`,
        `References: ${Array.from({ length: 500 }, (_, i) => `<r${i}@x>`).join(' ')}`,
        '',
        'hi',
      ].join('\r\n'),
    );
    const { mail, capped } = boundParsedMail(await parseMail(raw));
    expect(utf8Bytes(mail.subject)).toBeLessThanOrEqual(LIMITS.subjectBytes);
    expect(utf8Bytes(mail.from!.address)).toBeLessThanOrEqual(LIMITS.addressBytes);
    expect(utf8Bytes(mail.from!.name!)).toBeLessThanOrEqual(LIMITS.nameBytes);
    expect(utf8Bytes(mail.messageId!)).toBeLessThanOrEqual(LIMITS.messageIdBytes);
    expect(mail.references).toHaveLength(LIMITS.threadReferences);
    expect(mail.references.at(-1)).toBe('<r499@x>');
    expect(capped).toEqual(expect.arrayContaining(['subject', 'from', 'message-id', 'references']));
    // The same long id, met again in a reply's References, bounds to the same id.
    expect(boundMessageId(`<${'i'.repeat(3000)}@evil.example>`)).toBe(mail.messageId);
    expect(boundMessageId(`<${'i'.repeat(3000)}@EVIL.example>`)).toBe(mail.messageId);
  });

  it('hands reply-text extraction no line longer than the regex budget, in one pass', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 20 }), (lengths) => {
        const text = lengths.map((n) => 'x'.repeat(n)).join('\n');
        const out = boundForScan(text, 100_000);
        expect(out.length).toBeLessThanOrEqual(100_000);
        for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(LIMITS.regexLineChars);
        if (lengths.every((n) => n <= LIMITS.regexLineChars) && text.length <= 100_000) expect(out).toBe(text);
      }),
    );
  });
});

describe('inbound-trust.ts', () => {
  it('DMARC fail, or SPF and DKIM both failing, means the sender is not verified', () => {
    expect(senderAuthenticated(undefined)).toBe(true);
    expect(senderAuthenticated({ spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' })).toBe(true);
    expect(senderAuthenticated({ spf: 'FAIL', dkim: 'PASS', dmarc: 'PASS' })).toBe(true);
    expect(senderAuthenticated({ spf: 'PASS', dkim: 'FAIL', dmarc: 'GRAY' })).toBe(true);
    expect(senderAuthenticated({ spf: 'PASS', dkim: 'PASS', dmarc: 'FAIL' })).toBe(false);
    expect(senderAuthenticated({ spf: 'fail', dkim: 'fail' })).toBe(false);
    expect(trustedCustomerIds(['c1'], false)).toEqual([]);
    expect(trustedCustomerIds(['c1'], true)).toEqual(['c1']);
  });

  it('quarantined mail never joins an existing thread', () => {
    const thread = { threadId: 'T1' } as Thread;
    expect(quarantineDecision({ kind: 'append', thread, via: 'header', verifiedSender: true }, true)).toEqual({
      kind: 'new',
      linkedThreadId: 'T1',
      reason: 'no-match',
      via: 'header',
    });
    const append = { kind: 'append', thread, via: 'header', verifiedSender: true } as const;
    expect(quarantineDecision(append, false)).toBe(append);
  });
});

describe('bounce-match.ts', () => {
  const sent = (to: string[]): MessageIdEntry => ({
    messageId: 'x@eu-west-1.amazonses.com',
    threadId: 'T',
    itemId: 'I',
    direction: 'outbound',
    sentTo: to,
  });
  const hard = (address: string) => ({ address, hard: true, status: '5.1.1' });

  it('marks only permanent failures of addresses a referenced outbound message went to', () => {
    expect(matchBounce([hard('ann@x.example')], [])).toEqual([]);
    expect(matchBounce([hard('ann@x.example')], [{ ...sent(['ann@x.example']), direction: 'inbound' }])).toEqual([]);
    expect(matchBounce([hard('ANN@x.example')], [sent(['ann@x.example'])])).toEqual([hard('ANN@x.example')]);
    expect(matchBounce([{ address: 'ann@x.example', hard: false }], [sent(['ann@x.example'])])).toEqual([]);
    expect(matchBounce([hard('bob@x.example')], [sent(['ann@x.example'])])).toEqual([]);
  });

  it('caps how many recipients one bounce can mark', () => {
    const addresses = Array.from({ length: 30 }, (_, i) => `r${i}@x.example`);
    expect(matchBounce(addresses.map(hard), [sent(addresses)])).toHaveLength(LIMITS.bounceRecipients);
  });

  it("reads the returned message's Message-ID from report parts and the notice text", () => {
    const ids = originalMessageIds({
      reportParts: [{ contentType: 'text/rfc822-headers', body: 'From: a@b\nMessage-ID: <orig-1@acme.example>\n' }],
      attachments: [],
      text: `Delivery failed.\n\n--- original message ---\nmessage-id:   <orig-2@acme.example>\n${'x'.repeat(100_000)}`,
    });
    expect(ids).toEqual(['<orig-1@acme.example>', '<orig-2@acme.example>']);
  });
});

describe('classification on real signals only', () => {
  it('a human reply with X-Auto-Response-Suppress is ordinary', async () => {
    const raw = await composeMail({
      from: 'ann@client.example',
      to: 'support@acme.example',
      subject: 'Re: My order',
      text: 'Thanks!',
      headers: { 'X-Auto-Response-Suppress': 'All' },
    });
    expect(classifyMail(await parseMail(raw))).toMatchObject({ classification: 'ordinary' });
  });

  it('a body quoting "notificationType" is not an SES notification unless SES or SNS sent it', async () => {
    const json = JSON.stringify({
      notificationType: 'Bounce',
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'bob@client.example' }] },
    });
    const human = await composeMail({ from: 'ann@client.example', to: 'support@acme.example', text: `See ${json}` });
    expect(classifyMail(await parseMail(human))).toMatchObject({ classification: 'ordinary' });
    const lookalike = await composeMail({
      from: 'x@amazonses.com.evil.example',
      to: 'support@acme.example',
      text: json,
    });
    expect(classifyMail(await parseMail(lookalike))).toMatchObject({ classification: 'ordinary' });
    const sns = await composeMail({ from: 'no-reply@sns.amazonaws.com', to: 'support@acme.example', text: json });
    expect(classifyMail(await parseMail(sns))).toMatchObject({ classification: 'bounce' });
  });
});
