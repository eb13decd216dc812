/**
 * Cost of the lifecycle timers: runs one full default lifecycle (agent message → reminder 1 →
 * reminder 2 → waiting → open, 9 simulated days) on DynamoDB Local, the local SES and THE state machine
 * (aws-local-stepfunctions), counts the state transitions from the executions' event histories, and
 * prices them at Step Functions Standard's $0.025 per 1,000 transitions.
 *
 *   npx tsx bench/lifecycle.ts
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import sesLocalModule from 'aws-ses-v2-local';
import MailComposer from 'nodemailer/lib/mail-composer';

import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { noopPublisher } from '#adapters/event-publisher.ts';
import { SesMailSender, sesClient } from '#adapters/ses-sender.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { IngestMail } from '#core/ingest.ts';
import { sendMessage } from '#core/outbound.ts';
import type { MailStore } from '#core/ports.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { DEFAULT_SETTINGS } from '#core/settings.ts';
import { localTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { lifecycleHandlers, startLocalLifecycle } from '#lib/local/lifecycle-runtime.ts';
import { freePort } from '#lib/local/net.ts';

// A CommonJS default export: tsx hands over the module object, vitest the function.
type StartSes = (config: { host: string; port: number }) => Promise<import('node:http').Server>;
const sesLocal = ((sesLocalModule as unknown as { default?: StartSes }).default ??
  sesLocalModule) as unknown as StartSes;

export const USD_PER_1000_TRANSITIONS = 0.025;

export interface LifecycleBenchResult {
  name: 'lifecycle';
  executions: number;
  /** State transitions of one full default lifecycle (StateEntered events, retries included). */
  transitionsPerLifecycle: number;
  transitionsPerExecution: number[];
  remindersSent: number;
  finalStatus: string;
  costPer1000ThreadsUsd: number;
  simulatedDays: number;
  wallMs: number;
}

/** Runs one default lifecycle for real (locally) and returns the counted figures. */
export async function runLifecycleBench(opts: { timeScale?: number } = {}): Promise<LifecycleBenchResult> {
  const started = Date.now();
  const ddbLocal = await startDynamoDbLocal();
  const sesPort = await freePort();
  const ses = await sesLocal({ host: '127.0.0.1', port: sesPort });
  const tableName = 'gochat-bench';
  const db = await localTable(ddbLocal.endpoint, tableName);
  const objects = new Map<string, Buffer>();
  const mail: MailStore = {
    getRaw: async (k) => objects.get(k) ?? Buffer.alloc(0),
    putObject: async (k, b) => void objects.set(k, b),
    presignDownload: async (k) => k,
  };
  const admin = new DynamoAdminStore(db, tableName);
  const threads = new DynamoThreadStore(db, tableName);
  let sent = 0;
  const ses1 = new SesMailSender(
    sesClient({ region: 'eu-west-1', endpoints: { ses: `http://127.0.0.1:${sesPort}` } }),
    'eu-west-1',
  );
  const sender = {
    sendRaw: (i: Parameters<typeof ses1.sendRaw>[0]) => {
      sent++;
      return ses1.sendRaw(i);
    },
    wireMessageId: (id: string) => ses1.wireMessageId(id),
  };
  const replyTokens = new ReplyTokens('bench-secret-of-enough-length');
  const deps = {
    threads,
    directory: admin,
    templates: admin,
    mail,
    sender,
    sends: new DynamoSendStore(db, tableName),
    events: noopPublisher,
    replyTokens,
    clock: systemClock,
    ids: ulidGenerator,
  };
  const timeScale = opts.timeScale ?? (3 * 86_400) / 0.5; // 3 simulated days per half second
  const life = await startLocalLifecycle({
    ddbEndpoint: ddbLocal.endpoint,
    tableName,
    timeScale,
    ...lifecycleHandlers(deps, admin),
    stream: { intervalMs: 50, startAt: 'LATEST' },
  });
  try {
    const ws = 'BENCHWS';
    const address = 'support@bench.example.com';
    await admin.createWorkspace({ workspaceId: ws, name: 'bench', createdAt: new Date().toISOString() }, [address]);
    await db.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.settings(ws), entity: 'settings', ...DEFAULT_SETTINGS } }),
    );
    const ingest = new IngestMail({
      threads,
      directory: admin,
      mail,
      tokens: replyTokens,
      clock: systemClock,
      maxMailBytes: 1e7,
    });
    const customer = await new MailComposer({
      from: 'Ann <ann@customer.example.com>',
      to: address,
      subject: 'Help',
      text: 'Hello',
    })
      .compile()
      .build();
    objects.set('inbound/m1', customer);
    const out = await ingest.ingest({ sesMessageId: 'm1', rawKey: 'inbound/m1', recipients: [address] });
    const threadId = out.workspaces[0].threadId;
    await sendMessage(deps, {
      workspaceId: ws,
      threadId,
      to: ['ann@customer.example.com'],
      text: 'Please send the form.',
      actor: { kind: 'agent', id: 'bench' },
    });
    await life.settle(120_000);
    const executions = life.runner.list().filter((e) => e.name.startsWith(threadId));
    const perExecution = executions.map((e) => e.transitions);
    const total = perExecution.reduce((a, b) => a + b, 0);
    const thread = await threads.getThread(ws, threadId);
    return {
      name: 'lifecycle',
      executions: executions.length,
      transitionsPerLifecycle: total,
      transitionsPerExecution: perExecution,
      remindersSent: sent - 1,
      finalStatus: thread?.status ?? 'missing',
      costPer1000ThreadsUsd: Number(((total * 1000 * USD_PER_1000_TRANSITIONS) / 1000).toFixed(4)),
      simulatedDays: executions.reduce((a, e) => a + (e.input as { delaySeconds: number }).delaySeconds, 0) / 86_400,
      wallMs: Date.now() - started,
    };
  } finally {
    await life.close();
    await new Promise<void>((r) => ses.close(() => r()));
    await ddbLocal.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runLifecycleBench().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
