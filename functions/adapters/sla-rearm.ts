/**
 * A change of SLA policy (or of business hours) applied to the threads that are not closed, at once
 * (docs/reports.md), as a paged job driven by the table's stream:
 *
 * 1. the settings item's record whose `sla` or `businessHours` changed puts the workspace's re-arm job
 *    (`keys.slaRearmJob`: the policy's generation, the statuses left to page, a cursor, a page number);
 * 2. each record of that job item runs ONE page (`REARM_PAGE` threads of one status list) and advances the
 *    job, conditioned on its generation and page number: the job's next record runs the next page, and a
 *    record delivered twice (or a stale job's) finds the page moved on and does nothing;
 * 3. each thread is re-armed (core/reports/sla-timers.ts `rearmedState`) under the metrics' `rev`: a
 *    concurrent change of the thread wins, and the re-arm reads it again and recomputes (a response that came
 *    in time is settled `met` by then, so nothing re-arms it). The new clocks' executions start and the
 *    superseded ones stop, as for any change; a stale execution left running ends quietly at its step.
 *
 * A newer change of policy replaces the job (a new generation); a page that finds the settings changed
 * since its job began stops, the newer job covering every thread again. The cost is bounded per record:
 * one list Query, and per thread one read, at most one conditional write and its executions.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import type { ThreadStatus } from '#core/model.ts';
import type { WorkflowStarter } from '#core/ports.ts';
import type { MetricsSettings, ThreadMetricsState } from '#core/reports/metrics.ts';
import { rearmedState, slaTimerChanges } from '#core/reports/sla-timers.ts';
import { keys } from './dynamo/keys.ts';
import { MetricsChangedError, type MetricsCommit } from './dynamo/metrics-store.ts';
import type { SlaRearmJob } from './dynamo/sla-rearm-jobs.ts';
import { plain } from './stream-image.ts';

type StreamRecord = DynamoDBStreamEvent['Records'][number];
type Image = Record<string, AttributeValue> | undefined;

/** Threads re-armed per job record (one list page). */
export const REARM_PAGE = 50;
/** The statuses whose clocks run: every list but closed. */
export const REARM_STATUSES: readonly ThreadStatus[] = ['open', 'reminder', 'waiting', 'snoozed'];
/** Attempts per thread when its metrics change under the re-arm. */
const ATTEMPTS = 4;

export interface SlaRearmPorts {
  metrics: {
    getState(workspaceId: string, threadId: string): Promise<ThreadMetricsState | null>;
    commit(c: MetricsCommit): Promise<boolean>;
  };
  /** The job's item (dynamo/sla-rearm-jobs.ts). */
  jobs: {
    /** Puts the job unless one of the same generation is there (a settings record delivered twice). */
    startRearmJob(job: SlaRearmJob): Promise<void>;
    /** Moves the job to its next page (or ends it: null), only from `page` of `generation`; false when moved on. */
    advanceRearmJob(
      workspaceId: string,
      generation: string,
      page: number,
      next: { statuses: ThreadStatus[]; cursor?: string } | null,
    ): Promise<boolean>;
  };
  threads: {
    listThreads(
      workspaceId: string,
      filter: { status: ThreadStatus },
      page: { limit: number; cursor?: string },
    ): Promise<{ items: Array<{ threadId: string }>; cursor?: string }>;
  };
  directory: { getSettings(workspaceId: string): Promise<MetricsSettings> };
  slaStarter?: WorkflowStarter;
}

/** A stable text of a value (object keys sorted), so two images of the same policy compare equal. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** The policy's generation: what the clocks depend on (the SLA targets and the business hours). */
export function policyGeneration(s: MetricsSettings): string {
  const text = stable({ sla: s.sla ?? null, businessHours: s.businessHours ?? null });
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** The workspace whose settings record changed its SLA policy or business hours, or null. */
export function policyChangeOf(record: StreamRecord): string | null {
  if (record.eventName === 'REMOVE') return null;
  const next = record.dynamodb?.NewImage as Image;
  if (plain(next?.entity) !== 'settings') return null;
  const workspaceId = keys.workspaceOfSettingsPartition(String(plain(next?.PK) ?? ''));
  if (!workspaceId) return null;
  const prev = record.dynamodb?.OldImage as Image;
  const policy = (img: Image) =>
    stable({ sla: plain(img?.sla) ?? null, businessHours: plain(img?.businessHours) ?? null });
  return policy(next) === policy(prev) ? null : workspaceId;
}

/** The re-arm job a record carries (its page to run), or null. */
export function rearmJobOf(record: StreamRecord): SlaRearmJob | null {
  if (record.eventName === 'REMOVE') return null;
  const img = record.dynamodb?.NewImage as Image;
  if (plain(img?.entity) !== 'slaRearmJob') return null;
  const { workspaceId, generation, page, statuses, cursor } = Object.fromEntries(
    Object.entries(img ?? {}).map(([k, v]) => [k, plain(v)]),
  ) as Record<string, unknown>;
  if (typeof workspaceId !== 'string' || typeof generation !== 'string' || typeof page !== 'number') return null;
  return {
    workspaceId,
    generation,
    page,
    statuses: Array.isArray(statuses) ? (statuses as ThreadStatus[]) : [],
    ...(typeof cursor === 'string' ? { cursor } : {}),
  };
}

/** The stream side of the re-arm: true when the record was the settings' or the job's (handled here). */
export function createSlaRearm(ports: SlaRearmPorts) {
  async function rearmThread(workspaceId: string, threadId: string, settings: MetricsSettings): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const prior = await ports.metrics.getState(workspaceId, threadId);
      const next = prior ? rearmedState(prior, settings) : null;
      if (!prior || !next) return;
      try {
        await ports.metrics.commit({ workspaceId, threadId, state: next, events: [], rollups: [] });
      } catch (e) {
        // A change of the thread came first: read it again (its own record applied the current policy's rules).
        if (e instanceof MetricsChangedError && attempt < ATTEMPTS) continue;
        throw e;
      }
      const stored = { ...next, rev: (prior.rev ?? 0) + 1 };
      if (ports.slaStarter) {
        const { start, stop } = slaTimerChanges(workspaceId, threadId, prior, stored);
        for (const t of start) await ports.slaStarter.start(t.name, t.input);
        for (const name of stop) await ports.slaStarter.stop(name);
      }
      return;
    }
  }

  async function runPage(job: SlaRearmJob): Promise<void> {
    const settings = await ports.directory.getSettings(job.workspaceId);
    // The policy changed again since this job began: the newer job re-arms every thread.
    if (policyGeneration(settings) !== job.generation) return;
    const [status, ...rest] = job.statuses;
    if (!status) {
      await ports.jobs.advanceRearmJob(job.workspaceId, job.generation, job.page, null);
      return;
    }
    const found = await ports.threads.listThreads(
      job.workspaceId,
      { status },
      { limit: REARM_PAGE, ...(job.cursor ? { cursor: job.cursor } : {}) },
    );
    for (const t of found.items) await rearmThread(job.workspaceId, t.threadId, settings);
    const next = found.cursor
      ? { statuses: job.statuses, cursor: found.cursor }
      : rest.length > 0
        ? { statuses: rest }
        : null;
    await ports.jobs.advanceRearmJob(job.workspaceId, job.generation, job.page, next);
  }

  return async (record: StreamRecord): Promise<boolean> => {
    const job = rearmJobOf(record);
    if (job) {
      await runPage(job);
      return true;
    }
    const workspaceId = policyChangeOf(record);
    if (!workspaceId) return false;
    const settings = await ports.directory.getSettings(workspaceId);
    await ports.jobs.startRearmJob({
      workspaceId,
      generation: policyGeneration(settings),
      page: 0,
      statuses: [...REARM_STATUSES],
    });
    return true;
  };
}
