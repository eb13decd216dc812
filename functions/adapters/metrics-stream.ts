/**
 * The table's stream → the thread metrics (core/reports/metrics.ts): which records count (thread items,
 * and message feed items when inserted), what they say, and the one conditional transaction that writes
 * a change's events, state and rollups (adapters/dynamo/metrics-store.ts). The dispatcher calls it for
 * every record, before it schedules the lifecycle timer.
 */
import type { AttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import type { MessageChannel, Thread, ThreadStatus, WorkspaceSettings } from '#core/model.ts';
import type { WorkflowStarter } from '#core/ports.ts';
import {
  applyChange,
  type MessageImage,
  type MetricsChange,
  type ThreadImage,
  type ThreadMetricsState,
} from '#core/reports/metrics.ts';
import { rollupDeltas } from '#core/reports/rollup.ts';
import { slaTimerChanges } from '#core/reports/sla-timers.ts';
import type { MetricsCommit } from './dynamo/metrics-store.ts';
import { plain } from './stream-image.ts';

type StreamRecord = DynamoDBStreamEvent['Records'][number];
type Image = Record<string, AttributeValue> | undefined;

const str = (img: Image, name: string) =>
  typeof plain(img?.[name]) === 'string' ? (plain(img?.[name]) as string) : undefined;

function threadImage(img: Image): ThreadImage | undefined {
  const workspaceId = str(img, 'workspaceId');
  const threadId = str(img, 'threadId');
  const status = str(img, 'status') as ThreadStatus | undefined;
  const statusVersion = plain(img?.statusVersion);
  const createdAt = str(img, 'createdAt');
  const updatedAt = str(img, 'updatedAt');
  if (!workspaceId || !threadId || !status || typeof statusVersion !== 'number' || !createdAt || !updatedAt)
    return undefined;
  const tags = plain(img?.tags);
  const assignee = str(img, 'assignee');
  const mergedInto = str(img, 'mergedInto');
  const mailbox = str(img, 'mailbox');
  return {
    workspaceId,
    threadId,
    status,
    statusVersion,
    tags: Array.isArray(tags) ? tags.map(String) : [],
    createdAt,
    updatedAt,
    ...(assignee ? { assignee } : {}),
    ...(mergedInto ? { mergedInto } : {}),
    ...(mailbox ? { mailbox } : {}),
  };
}

function messageImage(img: Image): MessageImage | undefined {
  const workspaceId = str(img, 'workspaceId');
  const threadId = str(img, 'threadId');
  const itemId = str(img, 'itemId');
  const at = str(img, 'at');
  const direction = str(img, 'direction');
  if (!workspaceId || !threadId || !itemId || !at || (direction !== 'inbound' && direction !== 'outbound'))
    return undefined;
  const actor = plain(img?.actor) as { kind?: string; id?: string } | undefined;
  const flags = (plain(img?.flags) ?? {}) as { unverifiedSender?: boolean; quarantined?: boolean; spam?: boolean };
  const classification = str(img, 'classification') ?? 'ordinary';
  return {
    workspaceId,
    threadId,
    itemId,
    at,
    direction,
    ...(actor?.kind === 'agent' && actor.id ? { agentId: actor.id } : {}),
    fromCustomer:
      direction === 'inbound' &&
      classification === 'ordinary' &&
      !flags.unverifiedSender &&
      !flags.quarantined &&
      !flags.spam,
    automated: plain(img?.automated) === true,
    // A merge copies the merged thread's feed (mergedFrom); the chat fallback emails a copy (fallbackOf).
    copy: str(img, 'mergedFrom') !== undefined || str(img, 'fallbackOf') !== undefined,
    channel: (str(img, 'channel') as MessageChannel | undefined) ?? 'email',
  };
}

/** The metrics change that a stream record carries, or null. */
export function metricsChangeOf(record: StreamRecord): MetricsChange | null {
  if (record.eventName === 'REMOVE') return null;
  const next = record.dynamodb?.NewImage as Image;
  const entity = str(next, 'entity');
  if (entity === 'thread') {
    const after = threadImage(next);
    if (!after) return null;
    const before = record.eventName === 'MODIFY' ? threadImage(record.dynamodb?.OldImage as Image) : undefined;
    return { kind: 'thread', after, ...(before ? { before } : {}) };
  }
  if (entity === 'feed' && record.eventName === 'INSERT' && str(next, 'type') === 'message') {
    const message = messageImage(next);
    return message ? { kind: 'message', message } : null;
  }
  return null;
}

/** The ports the recorder writes through. */
export interface MetricsPorts {
  metrics: {
    getState(workspaceId: string, threadId: string): Promise<ThreadMetricsState | null>;
    commit(c: MetricsCommit): Promise<boolean>;
    /** The Late view's entry (dynamo/metrics-store.ts `setLate`); without it, no Late view is kept. */
    setLate?(workspaceId: string, threadId: string, late: boolean, thread?: Thread): Promise<void>;
  };
  directory: { getSettings(workspaceId: string): Promise<WorkspaceSettings> };
  /** The channel of a thread's first message (a new thread's record may come before its message's). */
  firstChannel?(workspaceId: string, threadId: string): Promise<MessageChannel | undefined>;
  /** The SLA state machine (statemachine/sla.asl.json); without it no SLA timer runs. */
  slaStarter?: WorkflowStarter;
  /** A change of policy re-arms the open threads' clocks (adapters/sla-rearm.ts): true for its records. */
  rearm?: (record: StreamRecord) => Promise<boolean>;
}

export interface RecordedMetrics {
  workspaceId: string;
  threadId: string;
  state: ThreadMetricsState;
  events: string[];
  /** False for a record already counted. */
  counted: boolean;
}

/** Records one stream record's metrics; null for a record that carries none. */
export function createMetricsRecorder(ports: MetricsPorts) {
  return async (record: StreamRecord): Promise<RecordedMetrics | null> => {
    if (await ports.rearm?.(record)) return null;
    const change = metricsChangeOf(record);
    if (!change) return null;
    const { workspaceId, threadId } = change.kind === 'thread' ? change.after : change.message;
    const created = change.kind === 'thread' && !change.before;
    const [prior, settings, firstChannel] = await Promise.all([
      ports.metrics.getState(workspaceId, threadId),
      ports.directory.getSettings(workspaceId),
      created ? ports.firstChannel?.(workspaceId, threadId) : undefined,
    ]);
    const { state, events } = applyChange(
      prior,
      change.kind === 'thread' && firstChannel ? { ...change, firstChannel } : change,
      settings,
    );
    // Most thread writes (a new message, a read) change nothing the metrics keep: no write at all.
    if (events.length === 0 && prior && JSON.stringify(prior) === JSON.stringify(JSON.parse(JSON.stringify(state)))) {
      await syncLate(ports.metrics, record, change, prior, state);
      return { workspaceId, threadId, state, events: [], counted: false };
    }
    const rollups = rollupDeltas(events, settings.businessHours?.timeZone);
    const counted = await ports.metrics.commit({ workspaceId, threadId, state, events, rollups });
    await syncLate(ports.metrics, record, change, prior, state);
    if (ports.slaStarter)
      await scheduleSla(ports.slaStarter, ports.metrics, workspaceId, threadId, prior, state, counted);
    return { workspaceId, threadId, state, events: events.map((e) => e.type), counted };
  };
}

/** A clock of the cycle is breached (by its timer, or by a late answer). */
const breached = (s: ThreadMetricsState | null) => !!s && Object.values(s.sla).some((c) => c?.outcome === 'breached');

/**
 * Keeps the Late view (a sparse list facet) in step with the metrics: a thread with a breached clock, not
 * closed, is listed with its card as the record shows it (refreshed at each change of the thread); it leaves
 * when the breach goes (a new cycle, the customer's next message) or when it closes.
 * The breach timer's mark lists it first (metrics-store `markSla`).
 */
async function syncLate(
  metrics: MetricsPorts['metrics'],
  record: StreamRecord,
  change: MetricsChange,
  prior: ThreadMetricsState | null,
  state: ThreadMetricsState,
): Promise<void> {
  if (!metrics.setLate) return;
  if (change.kind === 'message') {
    // A late answer makes the thread late, and a customer's new message can end a breached next response.
    if (breached(prior) !== breached(state))
      await metrics.setLate(change.message.workspaceId, change.message.threadId, breached(state));
    return;
  }
  const { workspaceId, threadId } = change.after;
  const open = change.after.status !== 'closed' && !change.after.mergedInto;
  if (breached(state) && open) await metrics.setLate(workspaceId, threadId, true, threadOfImage(record));
  // It leaves: the breach went (a new cycle), or it closed with it. The state's writes are conditioned on its
  // rev, so a breach is never lost to a concurrent write; a thread never late costs nothing here.
  else if ((breached(prior) || breached(state)) && change.before?.status !== 'closed')
    await metrics.setLate(workspaceId, threadId, false);
}

/** The thread item of a stream record's new image (for its card). */
function threadOfImage(record: StreamRecord): Thread {
  const img = (record.dynamodb?.NewImage ?? {}) as Record<string, AttributeValue>;
  return Object.fromEntries(Object.entries(img).map(([k, v]) => [k, plain(v)])) as unknown as Thread;
}

/**
 * Starts the SLA executions of the new clocks and stops those they supersede. A record counted before
 * (a retry after a crash between the commit and the starts) starts the clocks stored now again: the same
 * names with the same input, a no-op when they run.
 */
async function scheduleSla(
  starter: WorkflowStarter,
  metrics: MetricsPorts['metrics'],
  workspaceId: string,
  threadId: string,
  prior: ThreadMetricsState | null,
  state: ThreadMetricsState,
  counted: boolean,
): Promise<void> {
  if (!counted) {
    const stored = await metrics.getState(workspaceId, threadId);
    if (!stored) return;
    for (const t of slaTimerChanges(workspaceId, threadId, null, stored).start) await starter.start(t.name, t.input);
    return;
  }
  const { start, stop } = slaTimerChanges(workspaceId, threadId, prior, state);
  for (const t of start) await starter.start(t.name, t.input);
  // Only a cost saving: a superseded execution's step ends quietly anyway (its slaVersion check fails).
  for (const name of stop) await starter.stop(name);
}
