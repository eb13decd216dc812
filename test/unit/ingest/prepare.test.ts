/** Step 1 of ingest (functions/core/ingest/prepare.ts): the mail, parsed once for all its workspaces. */
import { describe, expect, it } from 'vitest';
import { headerBlock, prepareMail, validIso } from '#core/ingest/prepare.ts';
import { composeMail } from '../../support/mail.ts';

const AT = '2026-11-23T10:00:00.000Z';
const inbound = (sesMessageId = 'ses1') => ({ sesMessageId, rawKey: `inbound/${sesMessageId}`, recipients: [] });
const FROM = 'Ann Example <Ann@Client.Example>';

describe('prepareMail', () => {
  it('derives the de-duplication id, the sender, the keywords and a content hash', async () => {
    const raw = await composeMail({
      from: FROM,
      to: 'support@acme.example',
      subject: 'Invoice',
      text: 'Refund please',
      messageId: '<m1@x>',
    });
    const p = await prepareMail(inbound(), raw, AT, 1024 * 1024);
    expect(p.messageId).toBe('<m1@x>');
    expect(p.sender).toEqual({ name: 'Ann Example', address: 'ann@client.example' });
    expect(p.at).toBe(AT);
    expect(p.keywords).toEqual(expect.arrayContaining(['invoice', 'refund', 'ann', 'client']));
    expect(p.flags).toEqual({});
    expect(p.authenticated).toBe(true);
    // The same mail again hashes the same; another text does not.
    expect((await prepareMail(inbound('ses2'), raw, AT, 1024 * 1024)).contentHash).toBe(p.contentHash);
    const other = await composeMail({
      from: FROM,
      to: 'support@acme.example',
      subject: 'Invoice',
      text: 'Other',
      messageId: '<m1@x>',
    });
    expect((await prepareMail(inbound(), other, AT, 1024 * 1024)).contentHash).not.toBe(p.contentHash);
  });

  it('makes an id from the SES message id for a mail without a Message-ID', async () => {
    const raw = Buffer.from('From: a@b.example\r\nTo: support@acme.example\r\nSubject: hi\r\n\r\nbody\r\n');
    const p = await prepareMail(inbound('abc'), raw, AT, 1024 * 1024);
    expect(p.messageId).toBe('<abc@ses-inbound.invalid>');
  });

  it('parses only the header block of an oversize mail, and says why in the flags', async () => {
    const raw = await composeMail({ from: FROM, to: 'x@y', inReplyTo: '<parent@x>', text: 'x'.repeat(5000) });
    const p = await prepareMail(inbound(), raw, AT, 1000);
    expect(p.oversize).toBe(true);
    expect(p.parsed.inReplyTo).toBe('<parent@x>');
    expect(p.text).toBe('');
    expect(p.flags.error).toMatch(/over the 1000-byte limit.*raw mail is kept at inbound\/ses1/);
  });

  it('turns SES verdicts into flags and authentication results', async () => {
    const raw = await composeMail({ from: FROM, to: 'support@acme.example' });
    const input = { ...inbound(), verdicts: { virus: 'FAIL', spam: 'FAIL', dkim: 'FAIL', spf: 'PASS', dmarc: 'FAIL' } };
    const p = await prepareMail(input, raw, AT, 1024 * 1024);
    expect(p.flags).toMatchObject({ quarantined: true, spam: true, authFailures: ['dkim', 'dmarc'] });
    expect(p.auth).toEqual({ spf: 'pass', dkim: 'fail', dmarc: 'fail' });
    expect(p.authenticated).toBe(false);
  });
});

describe('helpers of prepare', () => {
  it('validIso normalises a time and refuses what is none', () => {
    expect(validIso('2026-11-23T10:00:00Z')).toBe('2026-11-23T10:00:00.000Z');
    expect(validIso('not a date')).toBeUndefined();
    expect(validIso(undefined)).toBeUndefined();
  });

  it('headerBlock keeps the headers up to the first empty line', () => {
    expect(headerBlock(Buffer.from('A: 1\r\nB: 2\r\n\r\nbody')).toString()).toBe('A: 1\r\nB: 2\r\n\r\n');
    expect(headerBlock(Buffer.from('A: 1\n\nbody')).toString()).toBe('A: 1\n\n');
    expect(headerBlock(Buffer.from('A: 1')).toString()).toBe('A: 1');
  });
});
