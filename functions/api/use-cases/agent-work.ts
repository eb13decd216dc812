/**
 * What agents do around a thread besides the feed: drafts (create, edit, discard, send through the
 * existing send path), presence (viewing or writing, expiring) and unread state (per agent).
 */

import type { ThreadListEntry } from '#adapters/dynamo/thread-queries.ts';
import type { Draft, DraftFields, Presence, PresenceState } from '#core/drafts.ts';
import { DRAFT_MAX_BYTES, isUnread, MAX_DRAFTS_PER_AGENT, PRESENCE_TTL_SECONDS } from '#core/drafts.ts';
import { NotFoundError, ValidationError, VersionConflictError } from '#core/errors.ts';
import type { MessageItem, Thread } from '#core/model.ts';
import type { Page } from '#core/ports.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { type AnswerChannel, postAnswer } from './answer.ts';
import { type MessageInput, requireThread } from './threads.ts';

/** The agent a request acts for: drafts, presence and read state belong to an agent, never to a key alone. */
export function actingAgent(ctx: CallerContext): { agentId: string; name?: string } {
  if (ctx.actor.kind !== 'agent')
    throw new ValidationError('this belongs to an agent: sign in as one, or name one with X-Agent-Id', {
      header: 'X-Agent-Id',
    });
  return { agentId: ctx.actor.id, ...(ctx.actor.name ? { name: ctx.actor.name } : {}) };
}

function checkDraftSize(fields: DraftFields): void {
  const bytes = Buffer.byteLength(JSON.stringify(fields));
  if (bytes > DRAFT_MAX_BYTES)
    throw new ValidationError(`a draft is at most ${DRAFT_MAX_BYTES} bytes (this one is ${bytes})`, { bytes });
}

// ---------- drafts ----------

export async function createDraft(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  fields: DraftFields,
  draftId: string,
): Promise<Draft> {
  const agent = actingAgent(ctx);
  checkDraftSize(fields);
  await requireThread(deps, ctx, threadId);
  const existing = await deps.agents.getDraft(ctx.workspaceId, threadId, draftId);
  // A retry of the same creation (same reserved id) finds its draft.
  if (existing) {
    if (existing.agentId !== agent.agentId) throw new NotFoundError(`draft ${draftId} not found`);
    return existing;
  }
  const mine = (await deps.agents.listDrafts(ctx.workspaceId, threadId)).filter((d) => d.agentId === agent.agentId);
  if (mine.length >= MAX_DRAFTS_PER_AGENT)
    throw new ValidationError(`at most ${MAX_DRAFTS_PER_AGENT} drafts per agent on a thread: send or discard one`);
  const at = deps.clock.now().toISOString();
  const draft: Draft = {
    ...fields,
    workspaceId: ctx.workspaceId,
    threadId,
    draftId,
    agentId: agent.agentId,
    ...(agent.name ? { agentName: agent.name } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!(await deps.agents.putDraft(draft, { create: true }))) {
    const raced = await deps.agents.getDraft(ctx.workspaceId, threadId, draftId);
    if (raced?.agentId === agent.agentId) return raced;
    throw new NotFoundError(`draft ${draftId} not found`);
  }
  return draft;
}

/** The caller's own draft: another agent's draft is not found (its content is private). */
export async function requireOwnDraft(deps: ApiDeps, ctx: CallerContext, threadId: string, draftId: string) {
  const agent = actingAgent(ctx);
  const draft = await deps.agents.getDraft(ctx.workspaceId, threadId, draftId);
  if (!draft || draft.agentId !== agent.agentId) throw new NotFoundError(`draft ${draftId} not found`);
  return draft;
}

/** Edits a draft: the given fields replace the old ones (`null` clears one); `version`, when given, must match. */
export async function editDraft(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  draftId: string,
  patch: { [K in keyof DraftFields]?: DraftFields[K] | null } & { version?: number },
): Promise<Draft> {
  const current = await requireOwnDraft(deps, ctx, threadId, draftId);
  if (patch.version !== undefined && patch.version !== current.version)
    throw new VersionConflictError(`draft ${draftId} is at version ${current.version}, not ${patch.version}`, {
      version: current.version,
    });
  const { version: _v, ...changes } = patch;
  const next: Draft = { ...current };
  for (const [k, v] of Object.entries(changes) as Array<[keyof DraftFields, unknown]>) {
    if (v === null) delete next[k];
    else if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  }
  const {
    workspaceId: _w,
    threadId: _t,
    draftId: _d,
    agentId: _a,
    agentName: _n,
    version,
    createdAt,
    updatedAt,
    ...fields
  } = next;
  checkDraftSize(fields);
  const updated: Draft = { ...next, version: current.version + 1, updatedAt: deps.clock.now().toISOString() };
  if (!(await deps.agents.putDraft(updated, { create: false, version: current.version })))
    throw new VersionConflictError(`draft ${draftId} changed concurrently`);
  return updated;
}

export async function discardDraft(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  draftId: string,
): Promise<void> {
  const agent = actingAgent(ctx);
  if (!(await deps.agents.deleteDraft(ctx.workspaceId, threadId, draftId, agent.agentId)))
    throw new NotFoundError(`draft ${draftId} not found`);
}

/**
 * Sends a draft through the very send path of `POST …/messages` (same checks, same outbound mail, same
 * status change), then discards it. `internalSendKey` (derived from the draft) makes a retry send nothing twice.
 */
export async function sendDraft(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  draftId: string,
  extra: Pick<MessageInput, 'status' | 'attachments'> & { internalSendKey: string; channel?: AnswerChannel },
): Promise<MessageItem> {
  const draft = await requireOwnDraft(deps, ctx, threadId, draftId);
  const { to, cc, bcc, quote, subject, text, html, templateId, variables } = draft;
  if (Boolean(text) === Boolean(templateId))
    throw new ValidationError('a draft is sent with exactly one of text or templateId', { path: 'draft.text' });
  const { channel, ...rest } = extra;
  // By chat or by email: the default is the channel of the customer's last message (answer.ts).
  const message = await postAnswer(
    deps,
    ctx,
    threadId,
    {
      ...(to ? { to } : {}),
      ...(cc ? { cc } : {}),
      ...(bcc ? { bcc } : {}),
      ...(quote !== undefined ? { quote } : {}),
      ...(subject ? { subject } : {}),
      ...(text ? { text } : {}),
      ...(html ? { html } : {}),
      ...(templateId ? { templateId } : {}),
      ...(variables ? { variables } : {}),
      ...rest,
    },
    channel,
  );
  await deps.agents.deleteDraft(ctx.workspaceId, threadId, draftId, draft.agentId);
  await deps.agents.markRead(ctx.workspaceId, threadId, draft.agentId, message.at);
  return message;
}

export async function listDrafts(deps: ApiDeps, ctx: CallerContext, threadId: string) {
  await requireThread(deps, ctx, threadId);
  const me = ctx.actor.kind === 'agent' ? ctx.actor.id : undefined;
  const drafts = await deps.agents.listDrafts(ctx.workspaceId, threadId);
  return { drafts, me };
}

// ---------- presence ----------

export async function reportPresence(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  state: PresenceState,
): Promise<Presence[]> {
  const agent = actingAgent(ctx);
  await requireThread(deps, ctx, threadId);
  const now = deps.clock.now();
  await deps.agents.putPresence(ctx.workspaceId, {
    threadId,
    agentId: agent.agentId,
    ...(agent.name ? { agentName: agent.name } : {}),
    state,
    at: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + PRESENCE_TTL_SECONDS,
  });
  return deps.agents.listPresence(ctx.workspaceId, threadId, Math.floor(now.getTime() / 1000));
}

export async function listPresence(deps: ApiDeps, ctx: CallerContext, threadId: string): Promise<Presence[]> {
  await requireThread(deps, ctx, threadId);
  return deps.agents.listPresence(ctx.workspaceId, threadId, Math.floor(deps.clock.now().getTime() / 1000));
}

export async function leaveThread(deps: ApiDeps, ctx: CallerContext, threadId: string): Promise<void> {
  const agent = actingAgent(ctx);
  await requireThread(deps, ctx, threadId);
  await deps.agents.deletePresence(ctx.workspaceId, threadId, agent.agentId);
}

// ---------- unread ----------

/** Marks the thread read up to its last message, for the acting agent. */
export async function markThreadRead(deps: ApiDeps, ctx: CallerContext, thread: Thread): Promise<void> {
  if (ctx.actor.kind !== 'agent') return;
  await deps.agents.markRead(ctx.workspaceId, thread.threadId, ctx.actor.id, thread.lastMessageAt ?? thread.createdAt);
}

export async function markThreadUnread(deps: ApiDeps, ctx: CallerContext, threadId: string): Promise<void> {
  const agent = actingAgent(ctx);
  await requireThread(deps, ctx, threadId);
  await deps.agents.markUnread(ctx.workspaceId, threadId, agent.agentId);
}

/** The unread flag of each card of a page, for the acting agent (one BatchGetItem); none for a bare key. */
export async function unreadFlags(
  deps: ApiDeps,
  ctx: CallerContext,
  cards: Array<Pick<ThreadListEntry, 'threadId' | 'lastMessageAt'>>,
): Promise<Map<string, boolean> | undefined> {
  if (ctx.actor.kind !== 'agent') return undefined;
  const read = await deps.agents.readMarkers(
    ctx.workspaceId,
    cards.map((c) => c.threadId),
    ctx.actor.id,
  );
  return new Map(cards.map((c) => [c.threadId, isUnread(c.lastMessageAt, read.get(c.threadId))]));
}

/** How many list pages one `unread=true` page may read before it answers with what it found. */
export const UNREAD_PAGE_READS = 5;

/**
 * A page of unread (or, with `wanted` false, read) threads: the list is read in pages (each one Query and one BatchGetItem of read
 * markers), keeping the unread cards, until `limit` are found or UNREAD_PAGE_READS pages were read. Each
 * read asks only for the cards still missing, so the cursor returned resumes exactly after the last card
 * looked at; a page can hold fewer than `limit` cards and still have a `nextCursor`.
 */
export async function listUnread<T extends Pick<ThreadListEntry, 'threadId' | 'lastMessageAt'>>(
  deps: ApiDeps,
  ctx: CallerContext,
  page: { limit: number; cursor?: string },
  wanted: boolean,
  read: (page: { limit: number; cursor?: string }) => Promise<Page<T>>,
): Promise<Page<T> & { unread: Map<string, boolean> }> {
  actingAgent(ctx);
  const items: T[] = [];
  const unread = new Map<string, boolean>();
  let cursor = page.cursor;
  for (let reads = 0; reads < UNREAD_PAGE_READS && items.length < page.limit; reads++) {
    const got = await read({ limit: page.limit - items.length, ...(cursor ? { cursor } : {}) });
    const flags = (await unreadFlags(deps, ctx, got.items)) ?? new Map();
    for (const card of got.items)
      if (flags.get(card.threadId) === wanted) {
        items.push(card);
        unread.set(card.threadId, wanted);
      }
    cursor = got.cursor;
    if (!cursor) break;
  }
  return { items, ...(cursor ? { cursor } : {}), unread };
}
