/**
 * The SES receipt-rule Lambda event, built from a mail received locally. It has the exact shape that SES
 * gives the ingest Lambda in AWS: no body, only headers, `commonHeaders`, the matched envelope recipients
 * and the verdicts. The raw MIME goes to the bucket under `inbound/<messageId>`, as the S3 action puts it.
 */
import { randomBytes } from 'node:crypto';
import type { SESEvent, SESMailCommonHeaders, SESMailHeader, SESReceiptStatus } from 'aws-lambda';
import { type AddressObject, simpleParser } from 'mailparser';

export type VerdictStatus = SESReceiptStatus['status'];

export interface Verdicts {
  spam: VerdictStatus;
  virus: VerdictStatus;
  spf: VerdictStatus;
  dkim: VerdictStatus;
  dmarc: VerdictStatus;
}

export const PASSING_VERDICTS: Verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

/** The object key prefix of the receipt rule's S3 action. */
export const INBOUND_PREFIX = 'inbound/';

/** SES truncates the `headers` list of the event when the header block is larger than this. */
const MAX_HEADER_BYTES = 10 * 1024;

const VERDICT_STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];

export interface ReceiptInput {
  /** The mail as the S3 action stored it (with the headers that SES prepends). */
  raw: Buffer;
  /** The SES message id: also the S3 object key after the prefix. */
  messageId: string;
  /** The SMTP MAIL FROM (the event's `source` and `returnPath`). */
  envelopeFrom: string;
  /** The envelope recipients that the receipt rule matched (Bcc included). */
  recipients: string[];
  /** Every envelope recipient of the SMTP transaction; defaults to `recipients`. */
  destination?: string[];
  receivedAt?: Date;
  processingTimeMillis?: number;
  verdicts?: Partial<Verdicts>;
  functionArn?: string;
}

/** A new SES-like message id: 40 lower-case alphanumerics, as SES hands them out for received mail. */
export function newSesMessageId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(40)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The header block of a raw mail, unfolded, in order, values as on the wire (as SES lists them). */
export function parseHeaderBlock(raw: Buffer): { headers: SESMailHeader[]; blockBytes: number } {
  const text = raw.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  const block = match ? text.slice(0, match.index) : text;
  const headers: SESMailHeader[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1].value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({
      name: line.slice(0, colon).trim(),
      value: Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'),
    });
  }
  return { headers, blockBytes: Buffer.byteLength(block, 'latin1') };
}

/**
 * Local verdicts: PASS, unless the mail asks for another one with a test header such as
 * `X-Test-Spam-Verdict: FAIL` (spam, virus, spf, dkim, dmarc), so that tests can exercise quarantine.
 */
export function verdictsFromHeaders(headers: SESMailHeader[]): Verdicts {
  const verdicts = { ...PASSING_VERDICTS };
  for (const kind of Object.keys(verdicts) as Array<keyof Verdicts>) {
    const header = headers.find((h) => h.name.toLowerCase() === `x-test-${kind}-verdict`);
    const value = header?.value.trim().toUpperCase() as VerdictStatus | undefined;
    if (value && VERDICT_STATUSES.includes(value)) verdicts[kind] = value;
  }
  return verdicts;
}

/**
 * The headers that SES prepends to a received mail before the S3 action stores it, so that the raw
 * mail in the local bucket looks like the one in AWS.
 */
export function sesTraceHeaders(input: {
  messageId: string;
  envelopeFrom: string;
  recipient: string;
  clientHost: string;
  clientAddress: string;
  receivedAt: Date;
  verdicts: Verdicts;
  region: string;
}): string {
  const date = input.receivedAt.toUTCString().replace('GMT', '+0000 (UTC)');
  return [
    `Return-Path: <${input.envelopeFrom}>`,
    `Received: from ${input.clientHost} (${input.clientHost} [${input.clientAddress}])`,
    ` by inbound-smtp.${input.region}.amazonaws.com with SMTP id ${input.messageId}`,
    ` for ${input.recipient};`,
    ` ${date}`,
    `X-SES-Spam-Verdict: ${input.verdicts.spam}`,
    `X-SES-Virus-Verdict: ${input.verdicts.virus}`,
    '',
  ].join('\r\n');
}

const formatAddresses = (value: AddressObject | AddressObject[] | undefined): string[] | undefined => {
  if (!value) return undefined;
  const list = (Array.isArray(value) ? value : [value]).flatMap((o) => o.value);
  const out = list
    .filter((a) => a.address)
    .map((a) => (a.name ? `${a.name.includes(',') ? `"${a.name}"` : a.name} <${a.address}>` : String(a.address)));
  return out.length > 0 ? out : undefined;
};

/** `commonHeaders`: decoded From, To, Cc, Subject, …, as SES summarises them. */
async function commonHeaders(headerBlock: Buffer, envelopeFrom: string): Promise<SESMailCommonHeaders> {
  // Parse the header block alone: the body is not needed and may be large.
  const parsed = await simpleParser(Buffer.concat([headerBlock, Buffer.from('\r\n\r\n')]), {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
  });
  const dateHeader = parsed.headerLines.find((h) => h.key === 'date');
  const common: SESMailCommonHeaders = {
    returnPath: envelopeFrom,
    date: dateHeader ? dateHeader.line.slice(dateHeader.line.indexOf(':') + 1).trim() : '',
    messageId: parsed.messageId ?? '',
  };
  const from = formatAddresses(parsed.from);
  const to = formatAddresses(parsed.to);
  const cc = formatAddresses(parsed.cc);
  const bcc = formatAddresses(parsed.bcc);
  const replyTo = formatAddresses(parsed.replyTo);
  if (from) common.from = from;
  if (replyTo) common.replyTo = replyTo;
  if (to) common.to = to;
  if (cc) common.cc = cc;
  if (bcc) common.bcc = bcc;
  if (parsed.subject !== undefined) common.subject = parsed.subject;
  return common;
}

/** Builds the SES receipt Lambda event for one received mail. */
export async function buildSesReceiptEvent(input: ReceiptInput): Promise<SESEvent> {
  const receivedAt = input.receivedAt ?? new Date();
  const { headers, blockBytes } = parseHeaderBlock(input.raw);
  const verdicts = { ...verdictsFromHeaders(headers), ...input.verdicts };
  const headersTruncated = blockBytes > MAX_HEADER_BYTES;
  let listed = headers;
  if (headersTruncated) {
    let size = 0;
    listed = headers.filter((h) => {
      size += h.name.length + h.value.length + 4;
      return size <= MAX_HEADER_BYTES;
    });
  }
  const timestamp = receivedAt.toISOString();
  const status = (s: VerdictStatus): SESReceiptStatus => ({ status: s });
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source: input.envelopeFrom,
            messageId: input.messageId,
            destination: input.destination ?? input.recipients,
            headersTruncated,
            headers: listed,
            commonHeaders: await commonHeaders(input.raw.subarray(0, blockBytes), input.envelopeFrom),
          },
          receipt: {
            recipients: input.recipients,
            timestamp,
            processingTimeMillis: input.processingTimeMillis ?? 0,
            spamVerdict: status(verdicts.spam),
            virusVerdict: status(verdicts.virus),
            spfVerdict: status(verdicts.spf),
            dkimVerdict: status(verdicts.dkim),
            dmarcVerdict: status(verdicts.dmarc),
            action: {
              type: 'Lambda',
              invocationType: 'Event',
              functionArn: input.functionArn ?? 'arn:aws:lambda:us-east-1:000000000000:function:gochat-ingest',
            },
          },
        },
      },
    ],
  };
}
