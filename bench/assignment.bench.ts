/**
 * Assignment on arrival (docs/assignment.md) on DynamoDB Local: the capacity one assignment consumes (read
 * and write units, indexes included, as DynamoDB reports them with ReturnConsumedCapacity INDEXES), and 30
 * arrivals at once, each delivered twice, against the same 30 one after another (a ratio within one run).
 *
 *   npm run bench -- assignment
 */
import { ulid } from 'ulid';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { DynamoAssignmentStore } from '#adapters/dynamo/assignment-store.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { ulidGenerator } from '#adapters/system.ts';
import { type AssignmentDeps, assignOnArrival } from '#core/assignment.ts';
import { localTable, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { customerThread, putAgents } from '../test/support/threads.ts';
import type { BenchRow } from './run.ts';

export const title = 'assignment on arrival: capacity per assignment, 30 concurrent arrivals (DynamoDB Local)';

type Consumed = { CapacityUnits?: number };

export async function run(): Promise<BenchRow[]> {
  const local = await startDynamoDbLocal();
  try {
    const tableName = `bench-assign-${ulid().toLowerCase()}`;
    const db = await localTable(local.endpoint, tableName);
    const units = { read: 0, write: 0, on: false };
    db.middlewareStack.add(
      (next, context) => async (args) => {
        if (!units.on) return next(args);
        const op = String(context.commandName ?? '').replace(/Command$/, '');
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
        const out = await next(args);
        const consumed = (out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
        const sum = [consumed ?? []].flat().reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
        if (/^(Get|BatchGet|Query|Scan|TransactGet)/.test(op)) units.read += sum;
        else units.write += sum;
        return out;
      },
      { step: 'initialize', name: 'assignmentBenchMeter' },
    );
    const threads = new DynamoThreadStore(db, tableName);
    const agents = new DynamoAgentStore(db, tableName);
    const ws = `ws-${ulid().toLowerCase()}`;
    await putAgents(
      agents,
      ws,
      ['ana', 'bo', 'cy'].map((id) => [id, id] as const),
    );
    const deps: AssignmentDeps = {
      assignments: new DynamoAssignmentStore(db, tableName),
      threads,
      listAgents: (w) => agents.listAgents(w),
      assignsOnArrival: async () => true,
      clock: { now: () => new Date() },
      ids: ulidGenerator,
    };
    const arrive = () => customerThread(threads, { workspaceId: ws, subject: 'Hello' });

    // Capacity of one assignment (settings read excluded: a port here), over 20 threads one at a time.
    const single = await Promise.all(Array.from({ length: 20 }, arrive));
    units.on = true;
    for (const t of single) await assignOnArrival(deps, t);
    units.on = false;
    const perRead = units.read / single.length;
    const perWrite = units.write / single.length;
    units.on = true;
    units.read = 0;
    units.write = 0;
    for (const t of single) await assignOnArrival(deps, t);
    units.on = false;
    const repeatRead = units.read / single.length;
    const repeatWrite = units.write / single.length;

    const batch = async (concurrent: boolean) => {
      const ts = await Promise.all(Array.from({ length: 30 }, arrive));
      const started = performance.now();
      if (concurrent) await Promise.all([...ts, ...ts].map((t) => assignOnArrival(deps, t)));
      else for (const t of ts) await assignOnArrival(deps, t);
      return performance.now() - started;
    };
    const serial = await batch(false);
    const concurrent = await batch(true);
    return [
      { metric: 'read units per assignment', value: perRead.toFixed(1), note: 'thread ×2, agents Query, claim' },
      {
        metric: 'write units per assignment',
        value: perWrite.toFixed(1),
        note: 'claim put + counter ADD + claim update + the thread commit (feed item, list entries) + done',
      },
      {
        metric: 'a repeated delivery',
        value: `${repeatRead.toFixed(1)} read / ${repeatWrite.toFixed(1)} write units`,
        note: 'finds the thread assigned',
      },
      { metric: '30 arrivals one after another', value: `${serial.toFixed(0)} ms` },
      {
        metric: '30 arrivals at once, each twice',
        value: `${concurrent.toFixed(0)} ms`,
        note: `${(concurrent / serial).toFixed(2)}× the serial run (60 calls; the counter is never retried)`,
      },
    ];
  } finally {
    await local.stop();
  }
}
