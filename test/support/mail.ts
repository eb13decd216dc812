/**
 * Builders of test mails. Ordinary mail is composed by nodemailer's MailComposer (real MIME, as a
 * client would send it); the automated kinds (DSN bounces, auto-replies) are written out, because
 * their exact headers and report parts are the point.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { ulid } from 'ulid';

export interface TestMail {
  from: string;
  to: string | string[];
  cc?: string | string[];
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  date?: Date;
  headers?: Record<string, string>;
  attachments?: Mail.Attachment[];
}

/** A fresh Message-ID, with angle brackets. */
export const newMessageId = (domain = 'client.example') => `<${ulid().toLowerCase()}@${domain}>`;

/** Raw MIME of a mail composed by nodemailer. */
export function composeMail(mail: TestMail): Promise<Buffer> {
  const options: Mail.Options = {
    from: mail.from,
    to: mail.to,
    ...(mail.cc ? { cc: mail.cc } : {}),
    subject: mail.subject ?? 'Hello',
    ...(mail.text !== undefined ? { text: mail.text } : {}),
    ...(mail.html !== undefined ? { html: mail.html } : {}),
    messageId: mail.messageId ?? newMessageId(),
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references ? { references: mail.references } : {}),
    date: mail.date ?? new Date('2026-11-23T10:00:00Z'),
    ...(mail.headers ? { headers: mail.headers } : {}),
    ...(mail.attachments ? { attachments: mail.attachments } : {}),
  };
  if (mail.text === undefined && mail.html === undefined) options.text = 'Hello';
  return new MailComposer(options).compile().build();
}

/** A 1×1 PNG, for attachments and inline images. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** An HTML mail with an inline `cid:` image and a PDF attachment. */
export function mailWithAttachments(mail: Omit<TestMail, 'html' | 'attachments'>): Promise<Buffer> {
  return composeMail({
    ...mail,
    text: mail.text ?? 'See the picture and the invoice.',
    html: '<p>See the picture <img src="cid:logo@test"> and the invoice.</p>',
    attachments: [
      { filename: 'logo.png', content: PNG_1X1, cid: 'logo@test', contentType: 'image/png' },
      { filename: 'invoice.pdf', content: Buffer.from('%PDF-1.4\n%test\n'), contentType: 'application/pdf' },
    ],
  });
}

/** An RFC 3834 auto-reply (out of office). */
export function autoReply(mail: { from: string; to: string; inReplyTo?: string; subject?: string }): Promise<Buffer> {
  return composeMail({
    ...mail,
    subject: mail.subject ?? 'Out of office',
    text: 'I am out of the office until Monday and will reply when I am back.',
    headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
    ...(mail.inReplyTo ? { references: [mail.inReplyTo] } : {}),
  });
}

/** A DSN bounce (multipart/report) from a mailer-daemon for `failedRecipient`. */
export function bounceMail(mail: {
  to: string;
  failedRecipient: string;
  status?: string;
  inReplyTo?: string;
  messageId?: string;
}): Buffer {
  const status = mail.status ?? '5.1.1';
  const boundary = `b-${ulid()}`;
  const lines = [
    'From: Mail Delivery Subsystem <mailer-daemon@mx.example.net>',
    `To: ${mail.to}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: ${mail.messageId ?? newMessageId('mx.example.net')}`,
    'Date: Mon, 23 Nov 2026 10:05:00 +0000',
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`, `References: ${mail.inReplyTo}`] : []),
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `Your message could not be delivered to ${mail.failedRecipient}: user unknown.`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    `Final-Recipient: rfc822; ${mail.failedRecipient}`,
    `Action: ${status.startsWith('5') ? 'failed' : 'delayed'}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; 550 ${status} <${mail.failedRecipient}>: Recipient address rejected: User unknown`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `To: ${mail.failedRecipient}`,
    'Subject: Your ticket',
    ...(mail.inReplyTo ? [`Message-ID: ${mail.inReplyTo}`] : []),
    '',
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

/**
 * About twenty varied mails to `to`: plain, HTML, attachments, inline images, non-ASCII, long, no
 * Message-ID, empty body, many recipients, an auto-reply and a bounce.
 */
export async function variedMails(to: string): Promise<Buffer[]> {
  const from = (n: number) => `Customer ${n} <customer${n}-${ulid().toLowerCase()}@client.example>`;
  const mails: Array<Buffer | Promise<Buffer>> = [
    composeMail({ from: from(1), to, subject: 'Plain question', text: 'How do I reset my password?' }),
    composeMail({ from: from(2), to, subject: 'HTML only', html: '<p>Hello <b>team</b>, a question.</p>' }),
    composeMail({ from: from(3), to, subject: 'Ünïcödé ✓ 日本語', text: 'Grüße aus München. こんにちは。' }),
    mailWithAttachments({ from: from(4), to, subject: 'Invoice attached' }),
    composeMail({ from: from(5), to, subject: 'Long mail', text: 'lorem ipsum dolor '.repeat(20_000) }),
    composeMail({ from: from(6), to, subject: '', text: '' }),
    composeMail({ from: from(7), to: [to, 'someone@else.example'], cc: 'cc@else.example', subject: 'Many' }),
    autoReply({ from: from(8), to }),
    bounceMail({ to, failedRecipient: `gone-${ulid().toLowerCase()}@client.example` }),
    composeMail({
      from: from(9),
      to,
      subject: 'Reply with history',
      text: 'Thanks, that worked!\n\nOn Mon, Nov 23, 2026 at 10:00 AM Support <support@x> wrote:\n> Try this.\n',
    }),
    composeMail({ from: from(10), to, subject: 'Ref to unknown', references: ['<nobody@nowhere>'] }),
    composeMail({ from: from(11), to, subject: 'Tag to unknown [#999999]' }),
    composeMail({
      from: from(12),
      to,
      subject: 'Big attachment',
      attachments: [{ filename: 'data.bin', content: Buffer.alloc(300_000, 7) }],
    }),
    composeMail({ from: from(13), to, subject: 'Windows-1252', text: 'Caf\u00e9 \u20ac 10' }),
    composeMail({ from: from(14), to, subject: 'Signature', text: 'Short note.\n\n-- \nJane Doe\nACME Corp' }),
    composeMail({
      from: from(15),
      to,
      subject: 'Calendar',
      attachments: [{ filename: 'invite.ics', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
    }),
    composeMail({ from: from(16), to, subject: 'x'.repeat(2000), text: 'Very long subject' }),
    composeMail({ from: from(17), to, subject: 'Emoji 🎉', text: '🎉🎉🎉 party' }),
    composeMail({ from: from(18), to, subject: 'Nested quote', text: 'New\n> old\n>> older\n' }),
    composeMail({ from: from(19), to, subject: 'Same sender twice (1)', text: 'one' }),
  ];
  const built = await Promise.all(mails);
  // No Message-ID at all: the SES message id becomes the de-duplication key.
  const noId = (await composeMail({ from: from(20), to, subject: 'No Message-ID', text: 'hi' }))
    .toString('latin1')
    .replace(/^Message-ID:.*\r\n/im, '');
  built.push(Buffer.from(noId, 'latin1'));
  return built;
}

/**
 * Splits an mbox (mboxo/mboxrd) into raw messages: a message starts at a `From ` line at the start
 * of the file or after an empty line; `>From ` quoting is undone.
 */
export function splitMbox(mbox: Buffer): Buffer[] {
  const text = mbox.toString('latin1');
  const starts: number[] = [];
  const re = /^From [^\r\n]*\r?\n/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index === 0 || /\n\r?\n$/.test(text.slice(Math.max(0, m.index - 2), m.index))) starts.push(m.index);
  }
  return starts.map((start, i) => {
    const body = text.slice(start, starts[i + 1] ?? text.length).replace(/^From [^\r\n]*\r?\n/, '');
    return Buffer.from(body.replace(/^>(>*From )/gm, '$1'), 'latin1');
  });
}
