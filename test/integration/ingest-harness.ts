/**
 * The ingest path wired to real local endpoints: a fresh DynamoDB Local table (freshTable) and an
 * s3rver bucket (started per test file), the DynamoDB and S3 adapters, and the use case. `deliver`
 * does what SES does: put the raw mail at `inbound/<id>`, then invoke ingest with the event's facts.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { DynamoDirectoryStore } from '#adapters/dynamo/directory-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { S3MailStore, s3Client } from '#adapters/s3-mail-store.ts';
import { systemClock } from '#adapters/system.ts';
import { type InboundMail, type IngestDeps, IngestMail, type IngestResult } from '#core/ingest.ts';
import type { MessageItem, Thread } from '#core/model.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { type S3Local, startS3Local } from '#lib/local/s3-local.ts';
import { freshTable } from '../support/ddb.ts';

export interface IngestHarness {
  db: DynamoDBDocumentClient;
  tableName: string;
  s3: S3Client;
  s3Local: S3Local;
  threads: DynamoThreadStore;
  directory: DynamoDirectoryStore;
  tokens: ReplyTokens;
  ingest: IngestMail;
  /** A new workspace with one inbound address; each test uses its own. */
  workspace(): Promise<{ workspaceId: string; address: string }>;
  deliver(raw: Buffer, input: Partial<InboundMail> & { recipients: string[] }): Promise<IngestResult>;
  /**
   * Runs ingest as Lambda runs an async invocation: an error is retried twice. DynamoDB Local, unlike
   * DynamoDB, sometimes fails a request under load ("too long waiting for a lock"); the retry is the
   * production contract anyway, and a deterministic bug still fails all three attempts.
   */
  invoke(input: InboundMail): Promise<IngestResult>;
  /** Errors that a retry of `invoke` absorbed, for the log. */
  retried: string[];
  /** Puts a raw mail in the bucket as the SES S3 action does; returns the InboundMail for it. */
  store(raw: Buffer, input: Partial<InboundMail> & { recipients: string[] }): Promise<InboundMail>;
  rawExists(key: string): Promise<boolean>;
  thread(workspaceId: string, threadId: string): Promise<Thread>;
  messages(workspaceId: string, threadId: string): Promise<MessageItem[]>;
  stop(): Promise<void>;
}

export const BUCKET = 'gochat-mail-test';

export async function startIngestHarness(over: Partial<IngestDeps> = {}): Promise<IngestHarness> {
  const { db, tableName } = await freshTable();
  const s3Local = await startS3Local({ bucket: BUCKET });
  const s3 = s3Client({ region: 'local', endpoints: { s3: s3Local.endpoint } });
  const threads = new DynamoThreadStore(db, tableName);
  const directory = new DynamoDirectoryStore(db, tableName);
  const tokens = new ReplyTokens('integration-test-secret-0123456789');
  const ingest = new IngestMail({
    threads,
    directory,
    mail: new S3MailStore(s3, BUCKET),
    tokens,
    clock: systemClock,
    maxMailBytes: 10 * 1024 * 1024,
    ...over,
  });
  const store = async (raw: Buffer, input: Partial<InboundMail> & { recipients: string[] }) => {
    const sesMessageId = input.sesMessageId ?? ulid().toLowerCase();
    const rawKey = `inbound/${sesMessageId}`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: rawKey, Body: raw }));
    return { sesMessageId, rawKey, receivedAt: new Date().toISOString(), ...input };
  };
  const retried: string[] = [];
  return {
    retried,
    async invoke(input) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await ingest.ingest(input);
        } catch (e) {
          if (attempt >= 3) throw e;
          retried.push(`${input.sesMessageId}: ${(e as Error).message}`);
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    },
    db,
    tableName,
    s3,
    s3Local,
    threads,
    directory,
    tokens,
    ingest,
    async workspace() {
      const workspaceId = ulid();
      const address = `support-${workspaceId.toLowerCase()}@acme.example`;
      await directory.createWorkspace({ workspaceId, name: `ws ${workspaceId}`, createdAt: new Date().toISOString() }, [
        address,
      ]);
      return { workspaceId, address };
    },
    store,
    async deliver(raw, input) {
      return ingest.ingest(await store(raw, input));
    },
    async rawExists(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
        return true;
      } catch {
        return false;
      }
    },
    async thread(workspaceId, threadId) {
      const t = await threads.getThread(workspaceId, threadId);
      if (!t) throw new Error(`no thread ${threadId}`);
      return t;
    },
    async messages(workspaceId, threadId) {
      const out: MessageItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await threads.listFeed(workspaceId, threadId, { limit: 100, cursor });
        out.push(...page.items.filter((i): i is MessageItem => i.type === 'message'));
        cursor = page.cursor;
      } while (cursor);
      return out;
    },
    async stop() {
      s3.destroy();
      await s3Local.stop();
    },
  };
}
