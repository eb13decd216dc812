/**
 * Throttling survived: the lifecycle of many threads (the dispatcher on the table's stream, the state
 * machine, the timers sending reminders through SES) while fault proxies on the local endpoints refuse a
 * share of the handlers' calls with each service's own throttle error (lib/local/fault-proxy.ts):
 * ProvisionedThroughputExceededException from the table, ThrottlingException from Step Functions (first
 * a burst longer than the SDK's attempts, so the stream retries the record: batchItemFailures), and SES
 * `Throttling`. Every thread must end exactly as without faults: nothing lost, nothing sent twice.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '#adapters/aws-clients.ts';
import type { Thread } from '#core/model.ts';
import { refuseFirst, refuseShare, THROTTLES } from '#lib/local/fault-proxy.ts';
import { DAY, type Harness, startHarness, trail } from './lifecycle-harness.ts';

// 3 simulated days pass in 300 ms.
const SCALE = (3 * DAY) / 0.3;
const THREADS = 8;
const DYNAMODB_OPS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'TransactGetItems',
];

let h: Harness;
beforeAll(async () => {
  // Longer than the SDK's attempts, so the dispatcher reports the record and the stream retries it.
  const burst = refuseFirst(MAX_ATTEMPTS.sfn + 2, ['StartExecution']);
  const startShare = refuseShare(0.2, { operations: ['StartExecution'], seed: 1 });
  h = await startHarness({
    timeScale: SCALE,
    faults: {
      dynamodb: { error: THROTTLES.dynamodb, refuse: refuseShare(0.05, { operations: DYNAMODB_OPS, seed: 2 }) },
      sfn: { error: THROTTLES.sfn, refuse: (req) => burst(req) || startShare(req) },
      ses: { error: THROTTLES.ses, refuse: refuseShare(0.2, { operations: ['SendRawEmail'], seed: 3 }) },
    },
  });
});
afterAll(async () => {
  await h?.close();
});

const sesStore = async (): Promise<{ destination?: { to?: string[] } }[]> =>
  ((await (await fetch(`${h.sesEndpoint}/store`)).json()) as { emails: { destination?: { to?: string[] } }[] }).emails;

describe('throttled table, state machine and SES', () => {
  it(`${THREADS} threads through two reminders and a reopen: each step once, every mail once`, async () => {
    const before = (await sesStore()).length;
    const { ws, address } = await h.workspace();
    const customers = Array.from({ length: THREADS }, () => `ann-${ulid().toLowerCase()}@customer.example.com`);
    const threadIds = await Promise.all(
      customers.map(async (ann) => {
        const threadId = await h.customerWrites(ws, address, `Ann <${ann}>`, 'Account help');
        await h.agentSends({ workspaceId: ws, threadId, to: [ann] });
        return threadId;
      }),
    );
    await h.settle(180_000);

    for (const [i, threadId] of threadIds.entries()) {
      const thread = (await h.threads.getThread(ws, threadId)) as Thread;
      expect(thread).toMatchObject({ status: 'open', statusVersion: 5 });
      expect(trail(await h.feed(ws, threadId))).toEqual([
        'inbound',
        'outbound[sent]',
        'status:"open"->"reminder(1)"',
        'outbound(auto)[sent]',
        'reminder:null->1',
        'status:"reminder(1)"->"reminder(2)"',
        'outbound(auto)[sent]',
        'reminder:null->2',
        'status:"reminder(2)"->"waiting"',
        'status:"waiting"->"open"',
      ]);
      // One execution per status change with a timer, none started twice.
      const executions = h.runner.list().filter((e) => e.name.startsWith(threadId));
      expect(executions.map((e) => [e.name, e.status]).sort()).toEqual([
        [`${threadId}-v2`, 'SUCCEEDED'],
        [`${threadId}-v3`, 'SUCCEEDED'],
        [`${threadId}-v4`, 'SUCCEEDED'],
      ]);
      // The agent's message and two reminders, each handed to SES once.
      expect(h.sender.sent.filter((m) => m.destinations.includes(customers[i]))).toHaveLength(3);
    }
    // What SES itself received: 3 mails a thread, no more.
    const received = (await sesStore()).slice(before);
    expect(received).toHaveLength(3 * THREADS);

    // The faults happened, on every path that they were asked for.
    const refused = (p: keyof Harness['faults'], op: string) => h.faults[p]?.stats.refused.get(op) ?? 0;
    expect(refused('sfn', 'StartExecution')).toBeGreaterThan(MAX_ATTEMPTS.sfn);
    expect(refused('ses', 'SendRawEmail')).toBeGreaterThan(0);
    expect(
      DYNAMODB_OPS.reduce((n, op) => n + refused('dynamodb', op), 0),
      JSON.stringify([...(h.faults.dynamodb?.stats.refused ?? [])]),
    ).toBeGreaterThan(0);
    // The burst outlasted the SDK's attempts: the dispatcher reported the record, the stream retried it.
    expect(h.dispatchErrors.length).toBeGreaterThan(0);
  }, 240_000);
});
