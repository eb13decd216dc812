/**
 * Live updates: which events go to which WebSocket connections, and the frames of the protocol
 * (docs/live.md). An event carries only ids and versions; clients fetch the data over REST.
 *
 * Generic over item types: any item of a thread (its META, feed items, attachments, and kinds added
 * later such as drafts and presence) becomes a change of that thread, named by the item's `entity`.
 */
// zod/mini: the same validation, a fraction of the bundle (this module is in the live Lambdas).
import * as z from 'zod/mini';
import { ForbiddenError, ValidationError } from './errors.ts';
import type { Actor } from './model.ts';
import type { Clock } from './ports.ts';

/** One item of a thread that was written or removed, as the table's stream saw it. */
export interface ThreadItemChange {
  workspaceId: string;
  threadId: string;
  /** The item's `entity`: `thread` (the META item), `feed`, `attachment`, `draft`, `presence`, … */
  entity: string;
  /** The item's own id, when it has one (a feed item's `itemId`, …). */
  id?: string;
  /** The thread's revision and last-updated time: on `thread` changes only. */
  rev?: number;
  updatedAt?: string;
  removed?: boolean;
  /** A feed item that an end user is shown (a message, not a comment, an update or a hidden one). */
  public?: boolean;
}

/** One open WebSocket connection, scoped to one workspace for its whole life. */
export interface LiveConnection {
  connectionId: string;
  workspaceId: string;
  actor: Actor;
  /** The integration key that opened it, if a key did (whatever agent it acts for): revoking it closes this. */
  keyId?: string;
  connectedAt: string;
  /** The threads this connection views (`subscribe`); their every change reaches it. */
  threadIds: string[];
  /**
   * An end user's connection (the widget, by its widget token; `actor` is the customer): it views only
   * threads of these customers (checked at `subscribe`) and receives only their shown messages and the
   * agents' typing, nothing else (docs/live.md, "End users").
   */
  endUser?: { customerIds: string[] };
  /** Whether it may send `typing` (an end user, or a caller with `threads:write`). */
  mayType?: boolean;
}

export interface LiveChange {
  entity: string;
  id?: string;
  removed?: true;
  /** Internal: a feed item an end user is shown. Never sent. */
  public?: true;
}

export interface LiveEvent {
  threadId: string;
  rev?: number;
  updatedAt?: string;
  changes: LiveChange[];
}

export type ServerFrame =
  | { type: 'changed'; events: LiveEvent[] }
  | { type: 'subscribed'; threadIds: string[] }
  | { type: 'pong' }
  | { type: 'typed'; threadId: string }
  | { type: 'error'; error: { code: string; message: string; details: unknown } };

/** The byte and count budgets of the protocol. */
export const LIVE_LIMITS = {
  /** Threads one connection views at once. */
  maxSubscriptions: 20,
  /** A client frame; API Gateway itself takes up to 128 KB. */
  maxClientFrameBytes: 4096,
  /** Events in one `changed` frame. */
  maxEventsPerFrame: 50,
  /** Bytes of one `changed` frame: API Gateway's WebSocket frame is 32 KB (a message, 128 KB). */
  maxFrameBytes: 32 * 1024,
  /** Changes listed in one event; past it, each entity is named once without ids. */
  maxChangesPerEvent: 20,
  /** How long a connection item lives: API Gateway ends every connection after 2 hours. */
  connectionTtlSeconds: 3 * 3600,
  /** One `typing` signal per connection's typist and thread at most this often; more are dropped. */
  typingThrottleSeconds: 3,
  /** How long a typing signal is kept (DynamoDB TTL); clients show one for a few seconds only. */
  typingTtlSeconds: 60,
} as const;

/** The entity of a typing signal (an ephemeral item with a TTL): its id is `agent:<id>` or `customer:<id>`. */
export const TYPING_ENTITY = 'typing';

/**
 * Items that never matter to a client: copies and indexes of what `thread` and `feed` already say,
 * and the connections themselves. The stream filter of the fan-out leaves them out too.
 */
export const SILENT_ENTITIES = [
  'listEntry',
  'keyword',
  'messageId',
  'threadRef',
  'idempotency',
  'connection',
  'connectionRef',
  'mailQueue',
] as const;

const silent = new Set<string>(SILENT_ENTITIES);

/** The events of a batch of item changes, one per thread, grouped by workspace (stream order kept). */
export function eventsOf(changes: Iterable<ThreadItemChange>): Map<string, LiveEvent[]> {
  const byThread = new Map<string, { workspaceId: string; event: LiveEvent; seen: Map<string, LiveChange> }>();
  for (const c of changes) {
    if (silent.has(c.entity)) continue;
    // A typing signal that expires says nothing (its TTL deletion comes late anyway).
    if (c.entity === TYPING_ENTITY && c.removed) continue;
    const key = `${c.workspaceId}\u0000${c.threadId}`;
    let entry = byThread.get(key);
    if (!entry) {
      entry = { workspaceId: c.workspaceId, event: { threadId: c.threadId, changes: [] }, seen: new Map() };
      byThread.set(key, entry);
    }
    const { event } = entry;
    if (c.rev !== undefined && (event.rev === undefined || c.rev > event.rev)) {
      event.rev = c.rev;
      if (c.updatedAt) event.updatedAt = c.updatedAt;
    }
    // The last write of an item wins: a draft written then discarded in one batch is `removed`.
    const change: LiveChange = {
      entity: c.entity,
      ...(c.id ? { id: c.id } : {}),
      ...(c.removed ? { removed: true } : {}),
      ...(c.public && !c.removed ? { public: true } : {}),
    };
    entry.seen.delete(`${c.entity}\u0000${c.id ?? ''}`);
    entry.seen.set(`${c.entity}\u0000${c.id ?? ''}`, change);
  }
  const out = new Map<string, LiveEvent[]>();
  for (const { workspaceId, event, seen } of byThread.values()) {
    const all = [...seen.values()];
    event.changes =
      all.length <= LIVE_LIMITS.maxChangesPerEvent
        ? all
        : [...new Set(all.map((c) => c.entity))].map((entity) => ({ entity }));
    const list = out.get(workspaceId) ?? [];
    list.push(event);
    out.set(workspaceId, list);
  }
  return out;
}

/**
 * What a connection receives of an event: a viewer of the thread gets it whole; any other connection
 * gets only the card's change (`thread`), even when the same batch also touched the thread's items.
 */
export function viewOf(connection: LiveConnection, event: LiveEvent): LiveEvent | undefined {
  if (connection.endUser) return endUserViewOf(connection, event);
  // A notification (its id is the agent's) reaches that agent's connections only, viewing or not.
  const me = connection.actor.kind === 'agent' ? connection.actor.id : undefined;
  const mine = (c: LiveChange) => c.entity !== NOTIFICATION_ENTITY || (me !== undefined && c.id === me);
  const changes = connection.threadIds.includes(event.threadId)
    ? event.changes.filter(mine)
    : event.changes.filter((c) => c.entity === 'thread' || (c.entity === NOTIFICATION_ENTITY && mine(c)));
  if (changes.length === 0) return undefined;
  return withoutInternals(changes.length === event.changes.length ? event : { ...event, changes });
}

const withoutInternals = (event: LiveEvent): LiveEvent =>
  event.changes.some((c) => c.public) ? { ...event, changes: event.changes.map(({ public: _, ...c }) => c) } : event;

/**
 * What an end user's connection receives: of the threads it views (each checked at `subscribe` to be
 * one of its customers'), the messages it is shown and the agents' typing (as `agent`, no id). Never
 * the card, comments, updates, drafts, presence, notifications, nor anything of another thread.
 */
function endUserViewOf(connection: LiveConnection, event: LiveEvent): LiveEvent | undefined {
  if (!connection.threadIds.includes(event.threadId)) return undefined;
  const changes: LiveChange[] = [];
  for (const c of event.changes) {
    if (c.entity === 'feed' && c.public && c.id) changes.push({ entity: 'feed', id: c.id });
    else if (c.entity === TYPING_ENTITY && !c.removed && c.id && !c.id.startsWith('customer:'))
      changes.push({ entity: TYPING_ENTITY, id: 'agent' });
  }
  return changes.length === 0 ? undefined : { threadId: event.threadId, changes };
}

/** The entity of a notification item (functions/core/notifications): pushed to its agent only. */
export const NOTIFICATION_ENTITY = 'notification';

const FRAME_OVERHEAD = Buffer.byteLength(JSON.stringify({ type: 'changed', events: [] }));

/** The frames each connection of one workspace receives for that workspace's events. */
export function framesFor(
  events: LiveEvent[],
  connections: LiveConnection[],
): Array<{ connectionId: string; frames: ServerFrame[] }> {
  const out: Array<{ connectionId: string; frames: ServerFrame[] }> = [];
  for (const connection of connections) {
    const mine = events.flatMap((e) => viewOf(connection, e) ?? []);
    if (mine.length === 0) continue;
    const frames: ServerFrame[] = [];
    let batch: LiveEvent[] = [];
    let bytes = FRAME_OVERHEAD;
    for (const event of mine) {
      const size = Buffer.byteLength(JSON.stringify(event)) + 1;
      if (
        batch.length > 0 &&
        (batch.length === LIVE_LIMITS.maxEventsPerFrame || bytes + size > LIVE_LIMITS.maxFrameBytes)
      ) {
        frames.push({ type: 'changed', events: batch });
        batch = [];
        bytes = FRAME_OVERHEAD;
      }
      batch.push(event);
      bytes += size;
    }
    frames.push({ type: 'changed', events: batch });
    out.push({ connectionId: connection.connectionId, frames });
  }
  return out;
}

// ---------- ports ----------

/** Where connections are kept (the table on AWS and locally alike). Every write is idempotent. */
export interface ConnectionStore {
  saveConnection(connection: LiveConnection, expiresAt: number): Promise<void>;
  findConnection(connectionId: string): Promise<LiveConnection | undefined>;
  /** Replaces the viewed threads; false when the connection is gone. */
  setSubscriptions(connection: LiveConnection, threadIds: string[]): Promise<boolean>;
  removeConnection(connectionId: string): Promise<void>;
  connectionsOf(workspaceId: string): Promise<LiveConnection[]>;
}

/** Which of these threads share one of these customers (an end user's `subscribe`). */
export interface LiveThreadAccess {
  threadsOfCustomers(workspaceId: string, threadIds: string[], customerIds: string[]): Promise<string[]>;
}

/**
 * Typing signals: an ephemeral item per typist and thread, with a TTL, written only when the last one is
 * older than `throttleSeconds` (one conditional write); false when throttled. The stream carries it to
 * the fan-out like any item of the thread.
 */
export interface TypingSignals {
  signal(
    input: { workspaceId: string; threadId: string; typist: string },
    now: Date,
    throttleSeconds: number,
    ttlSeconds: number,
  ): Promise<boolean>;
}

/** Sends a frame to a connection: API Gateway's PostToConnection, or the local ws server's. */
export interface ConnectionPoster {
  /** `gone` when the connection no longer exists (HTTP 410). */
  post(connectionId: string, data: string): Promise<'sent' | 'gone'>;
}

// ---------- use cases ----------

/** Ids as the REST API accepts them: a subscription to an id that cannot exist is refused. */
const THREAD_ID = /^[0-9A-Za-z_-]{1,64}$/;

const clientFrame = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('subscribe'),
    threadIds: z
      .array(z.string().check(z.regex(THREAD_ID, 'must be a thread id')))
      .check(z.maxLength(LIVE_LIMITS.maxSubscriptions, `at most ${LIVE_LIMITS.maxSubscriptions} threads`)),
  }),
  z.strictObject({ action: z.literal('ping') }),
  z.strictObject({
    action: z.literal('typing'),
    threadId: z.string().check(z.regex(THREAD_ID, 'must be a thread id')),
  }),
]);

export type ClientFrame = z.infer<typeof clientFrame>;

/** A client frame, or a ValidationError that says what is wrong with it. */
export function parseClientFrame(raw: string): ClientFrame {
  if (Buffer.byteLength(raw, 'utf8') > LIVE_LIMITS.maxClientFrameBytes)
    throw new ValidationError(`a frame is at most ${LIVE_LIMITS.maxClientFrameBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ValidationError('a frame is a JSON object');
  }
  const out = clientFrame.safeParse(json);
  if (!out.success)
    throw new ValidationError(
      'invalid frame: expected {"action":"subscribe","threadIds":[…]}, {"action":"typing","threadId":"…"} or {"action":"ping"}',
      out.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  return out.data;
}

/** Who opens a connection: the workspace and actor that the token names. */
export interface LiveCaller {
  workspaceId: string;
  actor: Actor;
  keyId?: string;
  /** An end user (widget token): their customers. */
  endUser?: { customerIds: string[] };
  mayType?: boolean;
  /** When the caller's token expires (an end user's widget token): the connection ends with it. */
  expiresAt?: Date;
}

/**
 * Keeps a new connection, scoped to the caller's workspace. A `requestedWorkspaceId` that the caller
 * does not belong to is refused (403), never silently replaced.
 */
export async function openConnection(
  deps: { connections: ConnectionStore; clock: Clock },
  input: { connectionId: string; caller: LiveCaller; requestedWorkspaceId?: string },
): Promise<LiveConnection> {
  const { caller, requestedWorkspaceId } = input;
  if (requestedWorkspaceId !== undefined && requestedWorkspaceId !== caller.workspaceId)
    throw new ForbiddenError('the token does not give access to this workspace');
  const now = deps.clock.now();
  const connection: LiveConnection = {
    connectionId: input.connectionId,
    workspaceId: caller.workspaceId,
    actor: caller.actor,
    ...(caller.keyId ? { keyId: caller.keyId } : {}),
    connectedAt: now.toISOString(),
    threadIds: [],
    ...(caller.endUser ? { endUser: { customerIds: caller.endUser.customerIds } } : {}),
    ...(caller.mayType ? { mayType: true } : {}),
  };
  // An end user's connection lives no longer than their widget token: the fan-out skips it after that
  // (connectionsOf ignores expired items), and the widget reconnects with a fresh token.
  const ttl = Math.floor(now.getTime() / 1000) + LIVE_LIMITS.connectionTtlSeconds;
  const tokenEnd = caller.expiresAt ? Math.floor(caller.expiresAt.getTime() / 1000) : ttl;
  await deps.connections.saveConnection(connection, Math.min(ttl, tokenEnd));
  return connection;
}

const errorFrame = (e: ValidationError): ServerFrame => ({
  type: 'error',
  error: { code: 'validation_error', message: e.message, details: e.details ?? null },
});

/** The answer to one client frame. Bad input gets an error frame; the connection stays open. */
export async function answerFrame(
  deps: { connections: ConnectionStore; threadAccess?: LiveThreadAccess; typing?: TypingSignals; clock?: Clock },
  connectionId: string,
  raw: string,
): Promise<ServerFrame | 'gone'> {
  let frame: ClientFrame;
  try {
    frame = parseClientFrame(raw);
  } catch (e) {
    if (e instanceof ValidationError) return errorFrame(e);
    throw e;
  }
  if (frame.action === 'ping') return { type: 'pong' };
  const connection = await deps.connections.findConnection(connectionId);
  if (!connection) return 'gone';
  if (frame.action === 'typing') return typing(deps, connection, frame.threadId);
  let threadIds = [...new Set(frame.threadIds)];
  // An end user views only their customers' threads: the others are left out of the answer, as unknown.
  if (connection.endUser)
    threadIds =
      threadIds.length === 0 || !deps.threadAccess
        ? []
        : await deps.threadAccess.threadsOfCustomers(connection.workspaceId, threadIds, connection.endUser.customerIds);
  if (!(await deps.connections.setSubscriptions(connection, threadIds))) return 'gone';
  return { type: 'subscribed', threadIds };
}

/** The typist of a connection, as its typing item names it. */
const typistOf = (c: LiveConnection): string | undefined =>
  c.actor.kind === 'customer'
    ? `customer:${c.actor.contactId}`
    : c.actor.kind === 'agent'
      ? `agent:${c.actor.id}`
      : c.actor.kind === 'integration'
        ? `key:${c.actor.keyId}`
        : undefined;

/**
 * "I am typing in this thread": an end user in a thread they view (so, theirs), or an agent (a caller
 * with `threads:write`) in any thread of the workspace. Throttled per typist and thread; the answer is
 * the same whether the signal went out or was dropped.
 */
async function typing(
  deps: { typing?: TypingSignals; clock?: Clock },
  connection: LiveConnection,
  threadId: string,
): Promise<ServerFrame> {
  const typist = typistOf(connection);
  const allowed = connection.endUser ? connection.threadIds.includes(threadId) : connection.mayType === true;
  if (!allowed || !typist)
    return {
      type: 'error',
      error: {
        code: 'forbidden',
        message: connection.endUser
          ? 'subscribe to the thread before typing in it'
          : 'typing needs the scope threads:write',
        details: null,
      },
    };
  if (deps.typing)
    await deps.typing.signal(
      { workspaceId: connection.workspaceId, threadId, typist },
      deps.clock?.now() ?? new Date(),
      LIVE_LIMITS.typingThrottleSeconds,
      LIVE_LIMITS.typingTtlSeconds,
    );
  return { type: 'typed', threadId };
}

export interface FanOutStats {
  events: number;
  posts: number;
  gone: number;
  failed: number;
}

/**
 * Sends each workspace's events to its connections: one read of the connections per workspace, then
 * the posts, a few at a time. A connection that is gone is removed; a failed post is reported, not
 * retried (the client catches up with `updatedSince`).
 */
export async function fanOut(
  deps: {
    connections: ConnectionStore;
    poster: ConnectionPoster;
    onPostError?: (connectionId: string, e: unknown) => void;
  },
  changes: Iterable<ThreadItemChange>,
  concurrency = 16,
): Promise<FanOutStats> {
  const stats: FanOutStats = { events: 0, posts: 0, gone: 0, failed: 0 };
  const jobs: Array<{ connectionId: string; data: string }> = [];
  for (const [workspaceId, events] of eventsOf(changes)) {
    stats.events += events.length;
    const connections = await deps.connections.connectionsOf(workspaceId);
    for (const { connectionId, frames } of framesFor(events, connections))
      for (const frame of frames) jobs.push({ connectionId, data: JSON.stringify(frame) });
  }
  const gone = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++];
      if (gone.has(job.connectionId)) continue;
      try {
        const outcome = await deps.poster.post(job.connectionId, job.data);
        if (outcome === 'gone') {
          gone.add(job.connectionId);
          await deps.connections.removeConnection(job.connectionId);
        } else stats.posts++;
      } catch (e) {
        stats.failed++;
        deps.onPostError?.(job.connectionId, e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  stats.gone = gone.size;
  return stats;
}
