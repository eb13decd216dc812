import { describe, expect, it } from 'vitest';
import {
  buildSesReceiptEvent,
  newSesMessageId,
  parseHeaderBlock,
  sesTraceHeaders,
  verdictsFromHeaders,
} from '#lib/local/ses-receipt-event.ts';

const mail = (extraHeaders = '') =>
  Buffer.from(
    [
      'From: =?UTF-8?Q?Ren=C3=A9e_Dupont?= <renee@example.com>',
      'To: Support <support@gochat.localhost>, "Doe, Jane" <jane@example.org>',
      'Cc: boss@example.com',
      'Subject: =?UTF-8?Q?Probl=C3=A8me?= with',
      '  my invoice',
      'Date: Tue, 03 Mar 2026 10:00:00 +0100',
      'Message-ID: <abc-123@mail.example.com>',
      'In-Reply-To: <out-1@email.amazonses.com>',
      `${extraHeaders}MIME-Version: 1.0`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, the body is never in the event.',
      '',
    ].join('\r\n'),
  );

describe('SES receipt event', () => {
  it('has the exact shape of the receipt rule Lambda action event', async () => {
    const receivedAt = new Date('2026-03-03T09:00:01.000Z');
    const event = await buildSesReceiptEvent({
      raw: mail(),
      messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81',
      envelopeFrom: 'bounce+renee@example.com',
      recipients: ['support@gochat.localhost'],
      destination: ['support@gochat.localhost', 'other@elsewhere.test'],
      receivedAt,
      processingTimeMillis: 12,
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ingest',
    });
    expect(event.Records).toHaveLength(1);
    const [record] = event.Records;
    expect(record.eventSource).toBe('aws:ses');
    expect(record.eventVersion).toBe('1.0');
    expect(Object.keys(record.ses.mail).sort()).toEqual(
      ['commonHeaders', 'destination', 'headers', 'headersTruncated', 'messageId', 'source', 'timestamp'].sort(),
    );
    expect(record.ses.mail).toMatchObject({
      timestamp: '2026-03-03T09:00:01.000Z',
      source: 'bounce+renee@example.com',
      messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g81',
      destination: ['support@gochat.localhost', 'other@elsewhere.test'],
      headersTruncated: false,
    });
    expect(record.ses.mail.commonHeaders).toEqual({
      returnPath: 'bounce+renee@example.com',
      from: ['Renée Dupont <renee@example.com>'],
      to: ['Support <support@gochat.localhost>', '"Doe, Jane" <jane@example.org>'],
      cc: ['boss@example.com'],
      date: 'Tue, 03 Mar 2026 10:00:00 +0100',
      messageId: '<abc-123@mail.example.com>',
      subject: 'Problème with my invoice',
    });
    expect(record.ses.receipt).toEqual({
      recipients: ['support@gochat.localhost'],
      timestamp: '2026-03-03T09:00:01.000Z',
      processingTimeMillis: 12,
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'PASS' },
      action: {
        type: 'Lambda',
        invocationType: 'Event',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ingest',
      },
    });
  });

  it('lists the headers in order, unfolded, with raw values', async () => {
    const event = await buildSesReceiptEvent({
      raw: mail(),
      messageId: 'm1',
      envelopeFrom: 'renee@example.com',
      recipients: ['support@gochat.localhost'],
    });
    const { headers } = event.Records[0].ses.mail;
    expect(headers.map((h) => h.name)).toEqual([
      'From',
      'To',
      'Cc',
      'Subject',
      'Date',
      'Message-ID',
      'In-Reply-To',
      'MIME-Version',
      'Content-Type',
    ]);
    expect(headers[3].value).toBe('=?UTF-8?Q?Probl=C3=A8me?= with my invoice');
    expect(headers[6]).toEqual({ name: 'In-Reply-To', value: '<out-1@email.amazonses.com>' });
  });

  it('keeps the trace headers that SES prepends, first', async () => {
    const trace = sesTraceHeaders({
      messageId: 'm2',
      envelopeFrom: 'renee@example.com',
      recipient: 'support@gochat.localhost',
      clientHost: 'localhost',
      clientAddress: '127.0.0.1',
      receivedAt: new Date('2026-03-03T09:00:01.000Z'),
      verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
      region: 'us-east-1',
    });
    const raw = Buffer.concat([Buffer.from(trace), mail()]);
    const { headers } = parseHeaderBlock(raw);
    expect(headers[0]).toEqual({ name: 'Return-Path', value: '<renee@example.com>' });
    expect(headers[1].name).toBe('Received');
    expect(headers[1].value).toContain('by inbound-smtp.us-east-1.amazonaws.com with SMTP id m2');
    expect(headers[2]).toEqual({ name: 'X-SES-Spam-Verdict', value: 'PASS' });
    expect(headers[4].name).toBe('From');
  });

  it('takes test verdicts from X-Test-*-Verdict headers, PASS otherwise', async () => {
    const raw = mail('X-Test-Spam-Verdict: fail\r\nX-Test-Virus-Verdict: FAIL\r\nX-Test-Dkim-Verdict: nonsense\r\n');
    expect(verdictsFromHeaders(parseHeaderBlock(raw).headers)).toEqual({
      spam: 'FAIL',
      virus: 'FAIL',
      spf: 'PASS',
      dkim: 'PASS',
      dmarc: 'PASS',
    });
    const event = await buildSesReceiptEvent({
      raw,
      messageId: 'm3',
      envelopeFrom: 'a@b.c',
      recipients: ['support@gochat.localhost'],
      verdicts: { dmarc: 'GRAY' },
    });
    expect(event.Records[0].ses.receipt.virusVerdict).toEqual({ status: 'FAIL' });
    expect(event.Records[0].ses.receipt.dmarcVerdict).toEqual({ status: 'GRAY' });
  });

  it('truncates an oversized header list and says so', async () => {
    const big = Array.from({ length: 200 }, (_, i) => `X-Filler-${i}: ${'x'.repeat(80)}\r\n`).join('');
    const event = await buildSesReceiptEvent({
      raw: mail(big),
      messageId: 'm4',
      envelopeFrom: 'a@b.c',
      recipients: ['support@gochat.localhost'],
    });
    const m = event.Records[0].ses.mail;
    expect(m.headersTruncated).toBe(true);
    expect(m.headers.length).toBeLessThan(209);
    expect(m.commonHeaders.messageId).toBe('<abc-123@mail.example.com>');
  });

  it('hands out 40-character message ids, unique', () => {
    const ids = new Set(Array.from({ length: 100 }, newSesMessageId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{40}$/);
  });
});
