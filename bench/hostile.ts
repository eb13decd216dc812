/**
 * Hostile-mail benchmark: ingesting a 10 MB mail whose body is one single line, as a ratio to a 10 MB
 * mail of ordinary 76-character lines, both from a contact into an existing thread (DynamoDB Local,
 * raw mail in memory so that only ingest itself is measured). Linear text processing keeps the ratio
 * near 1; a regular expression run on the whole line made it grow with the square of the line.
 *
 *   npm run bench -- hostile        npx tsx bench/hostile.ts
 */
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { systemClock } from '#adapters/system.ts';
import { IngestMail } from '#core/ingest.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { ensureTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { MemoryMailStore } from '../test/support/api.ts';
import { composeMail, newMessageId } from '../test/support/mail.ts';
import type { BenchRow } from './run.ts';

export const title = 'hostile mail: a 10 MB single-line mail vs a 10 MB mail of normal lines';

export const run = (): Promise<BenchRow[]> => benchHostile();

const SIZE = 10 * 1024 * 1024;

/** A raw mail whose text body is `SIZE` bytes: one line, or 76-character lines. */
function rawMail(from: string, to: string, references: string, singleLine: boolean): Buffer {
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';
  let body = words.repeat(Math.ceil(SIZE / words.length)).slice(0, SIZE);
  if (!singleLine) body = body.replace(/(.{75})/g, '$1\r\n');
  const head = [
    `From: ${from}`,
    `To: ${to}`,
    'Subject: Re: My order',
    `Message-ID: ${newMessageId()}`,
    `References: ${references}`,
    'Date: Mon, 30 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    // 8bit: the body reaches the parser as is, one line of 10 MB in the single-line case.
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ].join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body}\r\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchHostile(opts: { rounds?: number } = {}): Promise<BenchRow[]> {
  const rounds = opts.rounds ?? 3;
  const ddb = await startDynamoDbLocal();
  try {
    const db = documentClient({ region: 'local', endpoints: { dynamodb: ddb.endpoint } });
    const tableName = `bench-${ulid().toLowerCase()}`;
    await ensureTable(db as never, tableName);
    const directory = new DynamoDirectoryStore(db, tableName);
    const mail = new MemoryMailStore();
    const ingest = new IngestMail({
      threads: new DynamoThreadStore(db, tableName),
      directory,
      mail,
      tokens: new ReplyTokens('bench-secret-0123456789abcdef'),
      clock: systemClock,
      // Above the 10 MB of the mails: the bodies are parsed and scanned, not only their headers.
      maxMailBytes: 30 * 1024 * 1024,
    });
    const workspaceId = ulid();
    const address = `support-${workspaceId.toLowerCase()}@bench.example`;
    await directory.createWorkspace({ workspaceId, name: 'bench', createdAt: new Date().toISOString() }, [address]);
    const from = 'ann@client.example';
    const first = newMessageId();
    const deliver = async (raw: Buffer) => {
      const sesMessageId = ulid().toLowerCase();
      const rawKey = `inbound/${sesMessageId}`;
      await mail.putObject(rawKey, raw, 'message/rfc822');
      const t = performance.now();
      const res = await ingest.ingest({ sesMessageId, rawKey, recipients: [address] });
      return { ms: performance.now() - t, res };
    };
    await deliver(await composeMail({ from, to: address, messageId: first, subject: 'My order' }));

    const times = { single: [] as number[], lines: [] as number[] };
    // Alternate the two kinds, so that warm-up and GC fall on both alike.
    for (let i = 0; i < rounds; i++) {
      for (const kind of ['lines', 'single'] as const) {
        const { ms, res } = await deliver(rawMail(from, address, first, kind === 'single'));
        if (res.workspaces[0]?.outcome !== 'appended') throw new Error(`${kind}: ${JSON.stringify(res)}`);
        times[kind].push(ms);
      }
    }
    const single = median(times.single);
    const lines = median(times.lines);
    return [
      {
        metric: 'ingest a 10 MB single-line mail',
        value: `${(single / lines).toFixed(2)}× a 10 MB mail of normal lines`,
        note: `median of ${rounds}: ${single.toFixed(0)} ms vs ${lines.toFixed(0)} ms`,
      },
      { metric: 'ingest a 10 MB mail of 76-character lines', value: `${lines.toFixed(0)} ms`, note: 'the reference' },
    ];
  } finally {
    await ddb.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchHostile());
