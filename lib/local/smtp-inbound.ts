/**
 * An SMTP server on loopback that plays SES inbound: for the recipients a receipt rule matches, the
 * S3 action stores the raw mail under `inbound/<messageId>` (with the headers SES prepends), then the
 * Lambda action invokes the ingest handler with the same event shape as in AWS, asynchronously, with
 * the two retries of an `Event` invocation. Other recipients get a 550, as SES rejects them.
 */
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Context, SESEvent } from 'aws-lambda';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import {
  buildSesReceiptEvent,
  INBOUND_PREFIX,
  newSesMessageId,
  parseHeaderBlock,
  sesTraceHeaders,
  verdictsFromHeaders,
} from './ses-receipt-event.ts';

/** SES accepts inbound mail up to 40 MB through the S3 action. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
/** An async Lambda invocation is retried twice after an error (shortened locally). */
const RETRY_DELAYS_MS = [1_000, 2_000];

export type IngestHandler = (event: SESEvent, context: Context) => Promise<unknown>;

export interface SmtpInboundOptions {
  port?: number;
  region: string;
  s3: S3Client;
  bucket: string;
  /** The receipt rule: whether it matches an envelope recipient (SES rules match domains or addresses). */
  matchesRecipient: (address: string) => boolean | Promise<boolean>;
  /** The ingest Lambda handler, invoked with the receipt event. */
  ingest: IngestHandler;
  functionArn?: string;
  log?: (line: string) => void;
}

export interface ReceivedMail {
  sesMessageId: string;
  envelopeFrom: string;
  recipients: string[];
  /** Settles once the ingest invocation (with its retries) is over. */
  ingested: Promise<void>;
}

export interface SmtpInbound {
  port: number;
  host: string;
  /** Every mail accepted since start, in order. */
  received(): ReceivedMail[];
  /** Waits for the ingest invocations in flight. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/** A minimal Lambda context for a local invocation. */
export function localLambdaContext(functionName: string, region: string): Context {
  const requestId = crypto.randomUUID();
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

const readStream = (stream: NodeJS.ReadableStream): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

export async function startSmtpInbound(opts: SmtpInboundOptions): Promise<SmtpInbound> {
  const log = opts.log ?? (() => {});
  const functionArn = opts.functionArn ?? `arn:aws:lambda:${opts.region}:000000000000:function:gochat-ingest`;
  const received: ReceivedMail[] = [];
  const inFlight = new Set<Promise<void>>();

  async function invokeIngest(event: SESEvent, sesMessageId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await opts.ingest(event, localLambdaContext('gochat-ingest', opts.region));
        return;
      } catch (e) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          log(`ingest of ${sesMessageId} failed after ${attempt + 1} attempts (raw mail kept): ${String(e)}`);
          return;
        }
        log(`ingest of ${sesMessageId} failed, retrying: ${String(e)}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** The receipt rule's actions for one accepted mail: S3 first, then Lambda (Event). */
  async function receive(raw: Buffer, session: SMTPServerSession): Promise<ReceivedMail> {
    const started = Date.now();
    const receivedAt = new Date();
    const sesMessageId = newSesMessageId();
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const rcpts = session.envelope.rcptTo.map((r) => r.address);
    const verdicts = verdictsFromHeaders(parseHeaderBlock(raw).headers);
    const stored = Buffer.concat([
      Buffer.from(
        sesTraceHeaders({
          messageId: sesMessageId,
          envelopeFrom,
          recipient: rcpts[0] ?? '',
          clientHost: session.clientHostname || 'localhost',
          clientAddress: session.remoteAddress,
          receivedAt,
          verdicts,
          region: opts.region,
        }),
      ),
      raw,
    ]);
    await opts.s3.send(
      new PutObjectCommand({
        Bucket: opts.bucket,
        Key: `${INBOUND_PREFIX}${sesMessageId}`,
        Body: stored,
        ContentType: 'message/rfc822',
      }),
    );
    const event = await buildSesReceiptEvent({
      raw: stored,
      messageId: sesMessageId,
      envelopeFrom,
      recipients: rcpts,
      receivedAt,
      processingTimeMillis: Date.now() - started,
      verdicts,
      functionArn,
    });
    const ingested = invokeIngest(event, sesMessageId);
    inFlight.add(ingested);
    ingested.finally(() => inFlight.delete(ingested));
    const mail = { sesMessageId, envelopeFrom, recipients: rcpts, ingested };
    received.push(mail);
    log(`SMTP in: ${sesMessageId} from <${envelopeFrom}> to ${rcpts.join(', ')}`);
    return mail;
  }

  const server = new SMTPServer({
    name: 'inbound-smtp.local',
    banner: 'Go!Chat local SES inbound',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    // On stop, clients still connected get a second to finish, not the default 30.
    closeTimeout: 1_000,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      Promise.resolve(opts.matchesRecipient(address.address)).then(
        (ok) =>
          ok
            ? callback()
            : callback(smtpError(`5.1.1 <${address.address}>: no receipt rule matches this recipient`, 550)),
        (e) => callback(smtpError(`4.3.0 receipt rule lookup failed: ${String(e)}`, 451)),
      );
    },
    onData(stream, session, callback) {
      readStream(stream)
        .then(async (raw) => {
          if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
            return callback(smtpError('5.3.4 message too big', 552));
          const mail = await receive(raw, session);
          callback(null, `Message accepted: ${mail.sesMessageId}`);
        })
        .catch((e) => callback(smtpError(`4.3.0 could not store the mail: ${String(e)}`, 451)));
    },
  });
  server.on('error', (e) => log(`SMTP error: ${String(e)}`));

  const host = '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  const drain = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };
  return {
    port,
    host,
    received: () => [...received],
    drain,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await drain();
    },
  };
}
