/**
 * Peak memory of the ingest Lambda on the largest mail: the deployed asset (bundled as `cdk synth`
 * does, lib/go-chat-function.ts) run in a fresh Node 22 process, its handler invoked with an SES event
 * for a mail stored in s3rver, against DynamoDB Local. The peak RSS of that process is set against the
 * function's memory setting (lib/go-chat.ts).
 *
 * Two mails: 40 MB (the most the SES S3 action accepts; over MAX_MAIL_BYTES, so only its header is
 * parsed and the raw mail stays in S3), and 30 MB (the default MAX_MAIL_BYTES: parsed in full, its
 * attachment decoded and uploaded).
 *
 *   npm run bench -- memory
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { s3Client } from '#adapters/s3-mail-store.ts';
import { bundleFunction } from '#lib/bundling/bundle.ts';
import { ensureTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { startS3Local } from '#lib/local/s3-local.ts';
import type { BenchRow } from './run.ts';

export const title = 'memory: the ingest Lambda on the largest mail';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repo, 'node_modules', '.cache', 'gochat-bench-memory');
/** The ingest function's memory setting (lib/go-chat.ts, `memorySize` of Ingest). */
export const INGEST_MEMORY_MB = 1024;
const MB = 1024 * 1024;

/** A mail of about `bytes` bytes: a short text and one base64 attachment making up the rest. */
function bigMail(to: string, bytes: number): Buffer {
  // base64 is 4/3 of the payload, and each 76-character line takes 78 bytes with its CRLF.
  const payload = randomBytes(Math.floor(((bytes - 2048) * 3 * 76) / 4 / 78));
  const b64 = payload.toString('base64').replace(/.{76}/g, '$&\r\n').trimEnd();
  return Buffer.from(
    [
      'From: Ann <ann@client.example>',
      `To: ${to}`,
      'Subject: the scans you asked for',
      `Message-ID: <${ulid()}@client.example>`,
      'Date: Mon, 30 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Here are the scans.',
      '--b1',
      'Content-Type: application/pdf; name="scans.pdf"',
      'Content-Disposition: attachment; filename="scans.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      b64,
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

/** The handler run once in a fresh process: what it reports is its peak RSS and the outcome. */
const RUNNER = `
const before = process.resourceUsage().maxRSS;
const { handler } = await import(process.env.GOCHAT_ASSET);
const afterImport = process.resourceUsage().maxRSS;
const out = await handler(JSON.parse(process.env.GOCHAT_EVENT), { getRemainingTimeInMillis: () => 120000, functionName: 'ingest', awsRequestId: 'bench' });
const w = out.results[0].workspaces[0];
console.log(JSON.stringify({ before, afterImport, peak: process.resourceUsage().maxRSS, outcome: w?.outcome, heap: process.memoryUsage().heapUsed }));
`;

export async function run(): Promise<BenchRow[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const asset = join(outDir, 'index.mjs');
  // The asset as `cdk synth` builds it (lib/bundling/bundle.ts).
  await bundleFunction(join(repo, 'functions', 'ingest.ts'), outDir, { options: { logLevel: 'silent' } });
  writeFileSync(join(outDir, 'runner.mjs'), RUNNER);

  const ddb = await startDynamoDbLocal();
  const s3Local = await startS3Local({ bucket: 'bench-memory' });
  const rows: BenchRow[] = [];
  try {
    const db = documentClient({ region: 'local', endpoints: { dynamodb: ddb.endpoint } });
    const tableName = `bench-${ulid().toLowerCase()}`;
    await ensureTable(db as never, tableName);
    const directory = new DynamoDirectoryStore(db, tableName);
    const workspaceId = ulid();
    const address = `support-${workspaceId.toLowerCase()}@bench.example`;
    await directory.createWorkspace({ workspaceId, name: 'bench', createdAt: new Date().toISOString() }, [address]);
    const s3 = s3Client({ region: 'local', endpoints: { s3: s3Local.endpoint } });

    for (const size of [40, 30]) {
      const raw = bigMail(address, size * MB);
      const sesMessageId = ulid().toLowerCase();
      await s3.send(new PutObjectCommand({ Bucket: s3Local.bucket, Key: `inbound/${sesMessageId}`, Body: raw }));
      const event = {
        Records: [
          {
            eventSource: 'aws:ses',
            ses: {
              mail: { messageId: sesMessageId, source: 'ann@client.example', timestamp: new Date().toISOString() },
              receipt: { recipients: [address], timestamp: new Date().toISOString() },
            },
          },
        ],
      };
      // Asynchronous: s3rver answers from this very process.
      const { stdout: out } = await promisify(execFile)(
        join(repo, 'node_modules', '.bin', 'node'),
        [join(outDir, 'runner.mjs')],
        {
          env: {
            PATH: process.env.PATH ?? '',
            GOCHAT_ASSET: asset,
            GOCHAT_EVENT: JSON.stringify(event),
            TABLE_NAME: tableName,
            MAIL_BUCKET: s3Local.bucket,
            AWS_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'local',
            AWS_SECRET_ACCESS_KEY: 'local',
            AWS_ENDPOINT_URL_DYNAMODB: ddb.endpoint,
            AWS_ENDPOINT_URL_S3: s3Local.endpoint,
            REPLY_TOKEN_SECRET: 'bench-secret-0123456789abcdef0123',
            POWERTOOLS_METRICS_DISABLED: 'true',
            POWERTOOLS_LOG_LEVEL: 'ERROR',
          },
          maxBuffer: 16 * MB,
        },
      );
      const r = JSON.parse(out.toString().trim().split('\n').pop() ?? '{}');
      const peakMb = r.peak / 1024;
      rows.push({
        metric: `ingest of a ${(raw.length / MB).toFixed(0)} MB mail: peak RSS`,
        value: `${peakMb.toFixed(0)} MB`,
        note: `${((100 * peakMb) / INGEST_MEMORY_MB).toFixed(0)}% of the ${INGEST_MEMORY_MB} MB setting; after import ${(r.afterImport / 1024).toFixed(0)} MB; ${r.outcome}${size === 40 ? ', over MAX_MAIL_BYTES: header only' : ', parsed in full'}`,
      });
    }
    db.destroy();
  } finally {
    await s3Local.stop();
    await ddb.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}
