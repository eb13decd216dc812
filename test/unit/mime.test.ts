import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyMail } from '#core/classify.ts';
import { parseMail } from '#core/mime.ts';
import { corpusPath, describeCorpus, listCorpusFiles } from '../support/corpora.ts';

const CORPUS_FOLDERS = ['sisimai/maildir', 'mailparser/test/fixtures', 'postal-mime/test/fixtures'];

for (const folder of CORPUS_FOLDERS) {
  describeCorpus(`every file of ${folder} parses and classifies without a throw`, folder, () => {
    const files = listCorpusFiles(folder);

    it('finds files', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    for (const file of files) {
      it(file, async () => {
        const mail = await parseMail(readFileSync(corpusPath(file)), { maxAttachmentBytes: 1024 * 1024 });
        const result = classifyMail(mail);
        expect(['ordinary', 'auto_reply', 'bounce', 'complaint']).toContain(result.classification);
        // The result must be plain data: it is stored and sent on.
        expect(() => JSON.stringify(mail)).not.toThrow();
      });
    }
  });
}

const crlf = (text: string) => Buffer.from(text.replace(/\n/g, '\r\n'));

describe('parseMail', () => {
  it('reads headers, addresses and threading fields', async () => {
    const mail = await parseMail(
      crlf(
        'From: Ana <ana@example.com>\nTo: support@example.org, "Bo" <bo@example.org>\nCc: team: c@example.org;\n' +
          'Subject: =?UTF-8?Q?Caf=C3=A9?=\nMessage-ID: <m2@example.com>\nIn-Reply-To: <m1@example.org>\n' +
          'References: <m0@example.org>\n <m1@example.org>\nDate: Mon, 03 Jun 2024 10:00:00 +0000\n' +
          'Received: a\nReceived: b\n\nHello\n',
      ),
    );
    expect(mail).toMatchObject({
      subject: 'Café',
      from: { address: 'ana@example.com', name: 'Ana' },
      to: [{ address: 'support@example.org' }, { address: 'bo@example.org', name: 'Bo' }],
      cc: [{ address: 'c@example.org' }],
      messageId: '<m2@example.com>',
      inReplyTo: '<m1@example.org>',
      references: ['<m0@example.org>', '<m1@example.org>'],
      date: '2024-06-03T10:00:00.000Z',
      text: 'Hello\n',
    });
    expect(mail.headers.received).toEqual(['a', 'b']);
    expect(mail.headers.references).toEqual(['<m0@example.org> <m1@example.org>']);
    expect(mail.parseError).toBeUndefined();
  });

  it('keeps attachment metadata but drops content over the size limit', async () => {
    const big = Buffer.alloc(3000, 1).toString('base64');
    const mail = await parseMail(
      crlf(
        'From: a@example.com\nSubject: files\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee files\n' +
          `--b\nContent-Type: application/octet-stream; name=big.bin\nContent-Transfer-Encoding: base64\n\n${big}\n` +
          '--b\nContent-Type: image/png; name=logo.png\nContent-ID: <logo@x>\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\naGk=\n--b--\n',
      ),
      { maxAttachmentBytes: 1000 },
    );
    expect(mail.attachments.map(({ content, ...meta }) => ({ ...meta, kept: content.length }))).toEqual([
      {
        filename: 'big.bin',
        contentType: 'application/octet-stream',
        size: 3000,
        inline: false,
        truncated: true,
        kept: 0,
      },
      { filename: 'logo.png', contentType: 'image/png', size: 2, inline: true, contentId: 'logo@x', kept: 2 },
    ]);
  });

  it('keeps DSN and ARF parts as report parts, not as attachments or text', async () => {
    const mail = await parseMail(
      crlf(
        'From: MAILER-DAEMON@example.org\nSubject: failure\nContent-Type: multipart/report; report-type=delivery-status; boundary=r\n\n' +
          '--r\nContent-Type: text/plain\n\nIt failed.\n--r\nContent-Type: message/delivery-status\n\n' +
          'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\n--r--\n',
      ),
    );
    expect(mail.contentType).toBe('multipart/report');
    expect(mail.contentTypeParams['report-type']).toBe('delivery-status');
    // postal-mime keeps the line break before the boundary (RFC 2046 gives it to the delimiter).
    expect(mail.text.trimEnd()).toBe('It failed.');
    expect(mail.attachments).toEqual([]);
    expect(mail.reportParts).toHaveLength(1);
    expect(mail.reportParts[0].body).toContain('Status: 5.1.1');
  });

  it('reads mail with bare CR line endings', async () => {
    const mail = await parseMail(Buffer.from('From: a@example.com\rSubject: old mac\r\rbody\r'));
    expect(mail.subject).toBe('old mac');
    expect(mail.from?.address).toBe('a@example.com');
  });

  it('never rejects on hostile input', async () => {
    const inputs = [
      Buffer.alloc(0),
      Buffer.from([0, 255, 1, 254, 13, 10, 13, 10]),
      Buffer.from(
        'Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: multipart/mixed; boundary=x\r\n',
      ),
      Buffer.from('Subject: no end of headers'),
      Buffer.from(`Content-Type: text/html\r\n\r\n${'<div>'.repeat(20000)}`),
    ];
    for (const raw of inputs) {
      const mail = await parseMail(raw);
      expect(typeof mail.text).toBe('string');
      expect(classifyMail(mail).classification).toBeDefined();
    }
  });
});
