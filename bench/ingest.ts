/**
 * Ingest benchmark: messages/s for a customer's reply to an existing thread (the common case) against
 * DynamoDB Local and s3rver, DynamoDB requests per message (counted by a client middleware) for a reply
 * by its reply token, a reply by its headers, a new thread and 20 concurrent replies to one thread
 * (contended). The size and import time of the asset that deploys are in bench/lambdas.bench.ts.
 *
 *   npm run bench            (all benches)    npx tsx bench/ingest.ts    (this one)
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { S3MailStore, s3Client } from '#adapters/s3-mail-store.ts';
import { systemClock } from '#adapters/system.ts';
import { type InboundMail, IngestMail } from '#core/ingest.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { ensureTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { startS3Local } from '#lib/local/s3-local.ts';
import { composeMail, newMessageId } from '../test/support/mail.ts';
import type { BenchRow } from './run.ts';

export const title = 'ingest: a reply to an existing thread (DynamoDB Local, s3rver)';

export const run = (): Promise<BenchRow[]> => benchIngest();

export async function benchIngest(opts: { replies?: number; concurrent?: number } = {}): Promise<BenchRow[]> {
  const replies = opts.replies ?? 200;
  const concurrent = opts.concurrent ?? 20;
  const ddb = await startDynamoDbLocal();
  const s3Local = await startS3Local({ bucket: 'bench-mail' });
  try {
    const db = documentClient({ region: 'local', endpoints: { dynamodb: ddb.endpoint } });
    const requests = new Map<string, number>();
    const latency = new Map<string, number>();
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName ?? 'unknown');
        requests.set(name, (requests.get(name) ?? 0) + 1);
        const t = performance.now();
        try {
          return await next(args);
        } finally {
          latency.set(name, (latency.get(name) ?? 0) + performance.now() - t);
        }
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const tableName = `bench-${ulid().toLowerCase()}`;
    await ensureTable(db as never, tableName);
    const s3 = s3Client({ region: 'local', endpoints: { s3: s3Local.endpoint } });
    const threads = new DynamoThreadStore(db, tableName);
    const directory = new DynamoDirectoryStore(db, tableName);
    const ingest = new IngestMail({
      threads,
      directory,
      mail: new S3MailStore(s3, s3Local.bucket),
      tokens: new ReplyTokens('bench-secret-0123456789abcdef'),
      clock: systemClock,
      maxMailBytes: 10 * 1024 * 1024,
    });
    const workspaceId = ulid();
    const address = `support-${workspaceId.toLowerCase()}@bench.example`;
    await directory.createWorkspace({ workspaceId, name: 'bench', createdAt: new Date().toISOString() }, [address]);

    const store = async (raw: Buffer): Promise<InboundMail> => {
      const sesMessageId = ulid().toLowerCase();
      await s3.send(new PutObjectCommand({ Bucket: s3Local.bucket, Key: `inbound/${sesMessageId}`, Body: raw }));
      return {
        sesMessageId,
        rawKey: `inbound/${sesMessageId}`,
        recipients: [address],
        receivedAt: new Date().toISOString(),
      };
    };
    const first = newMessageId();
    const customer = 'Ann <ann@client.example>';
    await ingest.ingest(await store(await composeMail({ from: customer, to: address, messageId: first })));
    const reply = (i: number) =>
      composeMail({
        from: customer,
        to: address,
        inReplyTo: first,
        references: [first],
        subject: 'Re: Hello',
        text: `Reply number ${i}: thanks for the quick answer, the invoice is fine now.\n\nOn Mon, Ann wrote:\n> old`,
      });

    // Warm-up (the route cache and the JIT), then the measured sequential replies.
    for (let i = 0; i < 10; i++) await ingest.ingest(await store(await reply(i)));
    const inputs = await Promise.all(Array.from({ length: replies }, async (_, i) => store(await reply(100 + i))));
    requests.clear();
    latency.clear();
    let started = performance.now();
    for (const input of inputs) await ingest.ingest(input);
    const sequentialMs = performance.now() - started;
    const sequentialRequests = [...requests.values()].reduce((a, b) => a + b, 0);
    const breakdownOf = (n: number) =>
      [...requests.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(
          ([k, v]) =>
            `${k.replace('Command', '')} ${(v / n).toFixed(2)} (${((latency.get(k) ?? 0) / v).toFixed(1)} ms)`,
        )
        .join(', ');
    const breakdown = breakdownOf(replies);

    /** Requests per mail over `mails` ingested one after another, with their breakdown. */
    const perMail = async (mails: InboundMail[]) => {
      requests.clear();
      latency.clear();
      for (const input of mails) await ingest.ingest(input);
      const total = [...requests.values()].reduce((a, b) => a + b, 0);
      return { value: (total / mails.length).toFixed(2), note: breakdownOf(mails.length) };
    };
    const sample = 50;
    const firstThread = (await threads.lookup(workspaceId, { messageIds: [first], threadIds: [] })).entries[0].threadId;
    const tokenAddress = new ReplyTokens('bench-secret-0123456789abcdef').replyAddress(
      address,
      workspaceId,
      firstThread,
    );
    const tokenReplies = await perMail(
      await Promise.all(
        Array.from({ length: sample }, async (_, i) => ({
          ...(await store(
            await composeMail({ from: customer, to: tokenAddress, subject: 'Re: Hello', text: `by token ${i}` }),
          )),
          recipients: [tokenAddress],
        })),
      ),
    );
    const newThreads = await perMail(
      await Promise.all(
        Array.from({ length: sample }, async (_, i) =>
          store(await composeMail({ from: customer, to: address, subject: `New question ${i}`, text: `new ${i}` })),
        ),
      ),
    );

    const burst = await Promise.all(
      Array.from({ length: concurrent }, async (_, i) =>
        store(
          await composeMail({
            from: `c${i}@client.example`,
            to: address,
            inReplyTo: first,
            references: [first],
            subject: 'Re: Hello',
            text: `burst ${i}`,
          }),
        ),
      ),
    );
    // Contacts first, so the burst measures the contention on the thread, not contact creation.
    for (const input of burst) {
      const from = `c${burst.indexOf(input)}@client.example`;
      await directory.ensureContact(workspaceId, {
        email: from,
        contactId: ulid(),
        customerId: ulid(),
        at: new Date().toISOString(),
      });
    }
    requests.clear();
    latency.clear();
    started = performance.now();
    await Promise.all(burst.map((input) => ingest.ingest(input)));
    const burstMs = performance.now() - started;
    const burstRequests = [...requests.values()].reduce((a, b) => a + b, 0);
    const burstBreakdown = breakdownOf(concurrent);

    db.destroy();
    s3.destroy();
    return [
      {
        metric: 'reply to existing thread, sequential',
        value: `${((replies / sequentialMs) * 1000).toFixed(1)} msg/s`,
        note: `${replies} replies, ${(sequentialMs / replies).toFixed(1)} ms each`,
      },
      { metric: 'DynamoDB requests per reply (token reply)', ...tokenReplies },
      {
        metric: 'DynamoDB requests per reply (header reply)',
        value: (sequentialRequests / replies).toFixed(2),
        note: breakdown,
      },
      { metric: 'DynamoDB requests per reply (new thread)', ...newThreads },
      {
        metric: `${concurrent} concurrent replies to one thread`,
        value: `${((concurrent / burstMs) * 1000).toFixed(1)} msg/s`,
        note: `${burstMs.toFixed(0)} ms in all`,
      },
      {
        metric: 'DynamoDB requests per reply (contended reply)',
        value: (burstRequests / concurrent).toFixed(2),
        note: `${concurrent} at once on one thread; a lost race re-reads in one BatchGet: ${burstBreakdown}`,
      },
    ];
  } finally {
    await s3Local.stop();
    await ddb.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Imported here only: run.ts imports the benches, so a static import would be a cycle.
  const { printTable } = await import('./run.ts');
  printTable(title, await benchIngest());
  process.exit(0);
}
