/**
 * The thread use cases of the integrator API: list, read, update (one audited, versioned commit),
 * start an outbound thread, send, comment, the feed and attachment downloads. Every change records who
 * made it (the caller's actor) in the feed, through ThreadStore.commit and the pure thread-state rules.
 */
import type { ThreadFilter } from '#adapters/dynamo/thread-queries.ts';
import {
  ConcurrentUpdateError,
  NotFoundError,
  RecipientNotAllowedError,
  ThreadNotFoundError,
  ValidationError,
  VersionConflictError,
} from '#core/errors.ts';
import { tokenize } from '#core/keywords.ts';
import { MAX_DELAY_SECONDS } from '#core/lifecycle.ts';
import type {
  Actor,
  AttachmentMeta,
  CommentItem,
  FeedItem,
  MessageItem,
  Thread,
  ThreadStatus,
  UpdateField,
} from '#core/model.ts';
import type { DomainEvent, Page } from '#core/ports.ts';
import { renderTemplate, type TemplateVars } from '#core/templates.ts';
import { newThread, type StatusTarget, statusLabel, updateItem, withItem, withStatus } from '#core/thread-state.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';

const MAX_COMMIT_ATTEMPTS = 4;

export async function publishSafely(deps: ApiDeps, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await deps.events.publish(events);
  } catch (e) {
    // Events notify; the thread is the record. A lost event must not fail (or repeat) the change.
    deps.log?.warn('event publish failed', { types: events.map((x) => x.type), error: String(e) });
  }
}

export async function requireThread(deps: ApiDeps, ctx: CallerContext, threadId: string): Promise<Thread> {
  const thread = await deps.threads.getThread(ctx.workspaceId, threadId);
  if (!thread) throw new ThreadNotFoundError(`thread ${threadId} not found`);
  return thread;
}

export async function listThreads(
  deps: ApiDeps,
  ctx: CallerContext,
  input: ThreadFilter & { q?: string; limit: number; cursor?: string },
) {
  const { q, limit, cursor, ...filter } = input;
  const page = { limit, ...(cursor ? { cursor } : {}) };
  if (q !== undefined) {
    // The Late view is a list of its own (a sparse facet): a keyword search does not narrow by it.
    if (filter.late) throw new ValidationError('late does not combine with q', { path: 'query.late' });
    const tokens = tokenize(q);
    return deps.queries.searchThreads(ctx.workspaceId, tokens, filter, page);
  }
  return deps.queries.listThreads(ctx.workspaceId, filter, page);
}

export interface ThreadPatch {
  version: number;
  status?: ThreadStatus;
  reminderIndex?: number;
  snoozedUntil?: string;
  assignee?: string | null;
  tags?: string[];
  customerIds?: string[];
  subject?: string;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Applies a patch to a thread at `version`: each changed field is one update item (actor, from, to), and
 * the status moves through withStatus() (which supersedes any running timer). All in ONE commit.
 */
export async function updateThread(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  patch: ThreadPatch,
): Promise<Thread> {
  const before = await requireThread(deps, ctx, threadId);
  if (before.rev !== patch.version)
    throw new VersionConflictError(`thread ${threadId} is at version ${before.rev}, not ${patch.version}`, {
      currentVersion: before.rev,
    });
  const at = deps.clock.now().toISOString();
  const { actor } = ctx;
  let after: Thread = before;
  const items: FeedItem[] = [];
  const record = (field: UpdateField, from: unknown, to: unknown, next: Thread) => {
    items.push(updateItem(after, { itemId: deps.ids.newId(), at, actor, field, from, to }));
    after = withItem(next, at);
  };

  if (patch.subject !== undefined && patch.subject !== before.subject)
    record('subject', before.subject, patch.subject, { ...after, subject: patch.subject });
  if (patch.assignee !== undefined && (patch.assignee ?? undefined) !== before.assignee) {
    const { assignee: _old, ...rest } = after;
    record(
      'assignee',
      before.assignee ?? null,
      patch.assignee,
      patch.assignee === null ? (rest as Thread) : { ...after, assignee: patch.assignee },
    );
  }
  if (patch.tags !== undefined) {
    const tags = [...new Set(patch.tags.map((t) => t.trim().toLowerCase()))];
    if (!sameSet(tags, before.tags)) record('tags', before.tags, tags, { ...after, tags });
  }
  if (patch.customerIds !== undefined) {
    const customerIds = [...new Set(patch.customerIds)];
    if (!sameSet(customerIds, before.customerIds)) {
      const known = await deps.admin.existingCustomerIds(ctx.workspaceId, customerIds);
      const unknown = customerIds.filter((c) => !known.includes(c));
      if (unknown.length > 0) throw new ValidationError('unknown customers', { customerIds: unknown });
      record('customers', before.customerIds, customerIds, { ...after, customerIds });
    }
  }
  let statusChange: { from: string; to: string } | undefined;
  if (patch.status !== undefined) {
    const target =
      patch.status === 'snoozed'
        ? snoozeTarget(deps, patch.snoozedUntil)
        : await statusTarget(deps, ctx, patch.status, patch.reminderIndex);
    if (patch.status !== 'snoozed' && patch.snoozedUntil !== undefined)
      throw new ValidationError('snoozedUntil goes with status: snoozed');
    const moved = withStatus(after, target, { itemId: deps.ids.newId(), at, actor });
    if (moved) {
      statusChange = { from: statusLabel(before), to: statusLabel(target) };
      after = moved.thread;
      items.push(moved.item);
    }
  } else if (patch.reminderIndex !== undefined) {
    throw new ValidationError('reminderIndex goes with status: reminder');
  }
  if (items.length === 0) return before;

  try {
    await deps.threads.commit({ before, after, items });
  } catch (e) {
    // Someone wrote in between: the caller's version is stale now, as if it had been from the start.
    if (e instanceof ConcurrentUpdateError)
      throw new VersionConflictError(`thread ${threadId} changed concurrently`, { currentVersion: null });
    throw e;
  }
  if (patch.subject !== undefined) await deps.threads.indexKeywords(ctx.workspaceId, threadId, tokenize(patch.subject));
  const committed: Thread = { ...after, rev: before.rev + 1 };
  if (statusChange)
    await publishSafely(deps, [
      {
        type: 'status.changed',
        workspaceId: ctx.workspaceId,
        threadId,
        at,
        detail: { ...statusChange, statusVersion: committed.statusVersion, actor },
      },
    ]);
  return committed;
}

/** A snooze: until a time in the future, within the year a Standard execution may wait. */
function snoozeTarget(deps: ApiDeps, until: string | undefined): StatusTarget {
  if (until === undefined) throw new ValidationError('status snoozed needs snoozedUntil');
  const at = Date.parse(until);
  const now = deps.clock.now().getTime();
  if (Number.isNaN(at) || at <= now) throw new ValidationError('snoozedUntil must be in the future');
  if (at - now > MAX_DELAY_SECONDS * 1000) throw new ValidationError('snoozedUntil must be within a year');
  return { status: 'snoozed', snoozedUntil: new Date(at).toISOString() };
}

async function statusTarget(
  deps: ApiDeps,
  ctx: CallerContext,
  status: ThreadStatus,
  reminderIndex: number | undefined,
): Promise<StatusTarget> {
  if (status !== 'reminder') {
    if (reminderIndex !== undefined) throw new ValidationError('reminderIndex goes with status: reminder');
    return { status };
  }
  const { policy } = await deps.admin.getSettings(ctx.workspaceId);
  const index = reminderIndex ?? 1;
  if (index > policy.reminders)
    throw new ValidationError(`the status policy has ${policy.reminders} reminders`, { reminders: policy.reminders });
  return { status, reminderIndex: index };
}

/**
 * Adds an internal note to the feed; retried when the thread moves meanwhile (a comment needs no version).
 * With `fixed` ids (an idempotent request), a comment that an earlier attempt already wrote is returned.
 */
export async function addComment(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  body: string,
  fixed?: { itemId: string; at: string },
  mentioned: string[] = [],
): Promise<CommentItem> {
  if (fixed) {
    const earlier = await deps.queries.getFeedItem(ctx.workspaceId, threadId, fixed.at, fixed.itemId);
    if (earlier?.type === 'comment') return earlier;
  }
  const mentions = await checkMentions(deps, ctx, mentioned);
  for (let attempt = 1; ; attempt++) {
    const before = await requireThread(deps, ctx, threadId);
    const at = fixed?.at ?? deps.clock.now().toISOString();
    const comment: CommentItem = {
      type: 'comment',
      workspaceId: ctx.workspaceId,
      threadId,
      itemId: fixed?.itemId ?? deps.ids.newId(),
      at,
      actor: ctx.actor,
      body,
      ...(mentions.length ? { mentions } : {}),
    };
    try {
      await deps.threads.commit({ before, after: withItem(before, at), items: [comment] });
      // Mentioned agents follow the thread (told of the customer's answers); the mention itself is
      // notified from the table's stream (functions/core/notifications).
      for (const agentId of mentions) await deps.notifications?.follow(ctx.workspaceId, threadId, agentId, at);
      return comment;
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError) || attempt >= MAX_COMMIT_ATTEMPTS) throw e;
    }
  }
}

/** Mentions name agents of the workspace: an unknown one is a 400, never a silent drop. */
async function checkMentions(deps: ApiDeps, ctx: CallerContext, mentioned: string[]): Promise<string[]> {
  const unique = [...new Set(mentioned)];
  if (unique.length === 0) return [];
  const agents = new Set((await deps.agents.listAgents(ctx.workspaceId)).map((a) => a.agentId));
  const unknown = unique.filter((id) => !agents.has(id));
  if (unknown.length > 0) throw new ValidationError('mentions name agents of this workspace', { unknown });
  return unique;
}

export async function getFeed(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<FeedItem>> {
  await requireThread(deps, ctx, threadId);
  return deps.threads.listFeed(ctx.workspaceId, threadId, page);
}

export async function attachmentDownload(deps: ApiDeps, ctx: CallerContext, threadId: string, attachmentId: string) {
  const attachment = await deps.queries.getAttachment(ctx.workspaceId, threadId, attachmentId);
  if (!attachment) throw new NotFoundError(`attachment ${attachmentId} not found`);
  return presignedDownload(deps, attachment);
}

/** A short-lived download of an attachment (agents' and end users' routes alike): S3 serves it as a file. */
export async function presignedDownload(
  deps: ApiDeps,
  attachment: Pick<AttachmentMeta, 'attachmentId' | 'key' | 'filename' | 'contentType' | 'size'>,
) {
  const seconds = deps.downloadUrlSeconds ?? 300;
  const url = await deps.mail.presignDownload(attachment.key, attachment.filename, seconds);
  return {
    attachmentId: attachment.attachmentId,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
    url,
    expiresAt: new Date(deps.clock.now().getTime() + seconds * 1000).toISOString(),
  };
}

export interface MessageInput {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  quote?: boolean;
  /** startThread: the mailbox it goes out from. */
  mailbox?: string;
  subject?: string;
  text?: string;
  html?: string;
  templateId?: string;
  variables?: Record<string, string | number>;
  attachments?: Array<{ filename: string; contentType: string; content: Buffer; contentId?: string }>;
  status?: StatusTarget | 'keep';
  idempotencyKey?: string;
  /** A send id that Go!Chat chose itself (a draft's `draft-<id>`): kept apart from callers' `api.` keys. */
  internalSendKey?: string;
}

/** The body of a message: given as text, or rendered from a template with the thread's variables. */
export async function composeBody(
  deps: ApiDeps,
  ctx: CallerContext,
  thread: Thread,
  to: string[],
  input: MessageInput,
) {
  if (!input.templateId) {
    if (!input.text) throw new ValidationError('a message needs text or a templateId');
    return { text: input.text, subject: input.subject };
  }
  const template = await deps.admin.getTemplate(ctx.workspaceId, input.templateId);
  if (!template) throw new ValidationError(`template ${input.templateId} not found`, { templateId: input.templateId });
  const vars = await templateVars(deps, ctx, thread, to[0], input.variables);
  return {
    text: renderTemplate(template.body, vars),
    subject: input.subject ?? (template.subject ? renderTemplate(template.subject, vars) : undefined),
  };
}

/** The variables of a template: the thread's and the recipient's, then the caller's own on top. */
export async function templateVars(
  deps: ApiDeps,
  ctx: CallerContext,
  thread: Thread | null,
  recipient: string | undefined,
  extra: Record<string, string | number> = {},
): Promise<TemplateVars> {
  const contact = recipient ? await deps.admin.findContactByEmail(ctx.workspaceId, recipient) : null;
  return {
    ...(contact ? { contactName: contact.name ?? contact.email, contactEmail: contact.email } : {}),
    ...(thread ? { threadRef: thread.ref, subject: thread.subject } : {}),
    ...(ctx.actor.kind === 'agent' ? { agentName: ctx.actor.name ?? ctx.actor.id } : {}),
    ...extra,
  };
}

/** Sends a message on a thread through outbound mail (closed thread 409, foreign recipient 422). */
export async function postMessage(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  input: MessageInput,
): Promise<MessageItem> {
  const thread = await requireThread(deps, ctx, threadId);
  const to = input.to ?? (thread.latestContact ? [thread.latestContact.email] : []);
  if (to.length === 0) throw new ValidationError('to is required: the thread has no contact to reply to');
  const body = await composeBody(deps, ctx, thread, to, input);
  const message = await deps.sendMessage({
    workspaceId: ctx.workspaceId,
    threadId,
    to,
    ...(input.cc ? { cc: input.cc } : {}),
    ...(input.bcc ? { bcc: input.bcc } : {}),
    ...(input.quote !== undefined ? { quote: input.quote } : {}),
    ...(body.subject ? { subject: body.subject } : {}),
    text: body.text,
    ...(input.html ? { html: input.html } : {}),
    ...(input.attachments ? { attachments: input.attachments } : {}),
    actor: await namedActor(deps, ctx),
    ...(input.status ? { nextStatus: input.status } : {}),
    // `api.` keeps a caller's key apart from the timers' internal send ids (`v<n>-reminder`): the
    // header allows only [A-Za-z0-9_-], so no caller key can ever spell an internal one.
    ...(input.idempotencyKey ? { idempotencyKey: `api.${input.idempotencyKey}` } : {}),
    ...(input.internalSendKey ? { idempotencyKey: `internal.${input.internalSendKey}` } : {}),
  });
  await deps.threads.indexKeywords(ctx.workspaceId, threadId, tokenize(`${message.subject} ${body.text}`));
  return message;
}

/**
 * Starts an outbound thread: checks the customers and that every recipient is one of their contacts
 * (before anything is written), creates the thread, then sends its first message.
 */
export async function startThread(
  deps: ApiDeps,
  ctx: CallerContext,
  input: MessageInput & { customerIds: string[]; to: string[]; subject: string; threadId?: string },
): Promise<{ thread: Thread; message: MessageItem }> {
  const ws = ctx.workspaceId;
  // An idempotent retry after a failure between the thread and its message: the thread is there, send.
  const earlier = input.threadId ? await deps.threads.getThread(ws, input.threadId) : null;
  if (earlier) {
    const message = await postMessage(deps, ctx, earlier.threadId, { ...input, subject: input.subject });
    return { thread: await requireThread(deps, ctx, earlier.threadId), message };
  }
  const customerIds = [...new Set(input.customerIds)];
  const known = await deps.admin.existingCustomerIds(ws, customerIds);
  const unknown = customerIds.filter((c) => !known.includes(c));
  if (unknown.length > 0) throw new ValidationError('unknown customers', { customerIds: unknown });
  const mailbox = input.mailbox ? await requireMailbox(deps, ctx, input.mailbox) : undefined;
  for (const address of [...input.to, ...(input.cc ?? []), ...(input.bcc ?? [])]) {
    const contact = await deps.admin.findContactByEmail(ws, address);
    const of = contact ? await deps.admin.customerIdsOfContact(ws, contact.contactId) : [];
    if (!of.some((c) => customerIds.includes(c)))
      throw new RecipientNotAllowedError(`${address} is not a contact of the thread's customers`, { address });
  }
  if (input.templateId) {
    const template = await deps.admin.getTemplate(ws, input.templateId);
    if (!template)
      throw new ValidationError(`template ${input.templateId} not found`, { templateId: input.templateId });
  } else if (!input.text) throw new ValidationError('a message needs text or a templateId');

  const at = deps.clock.now().toISOString();
  const thread = newThread({
    workspaceId: ws,
    threadId: input.threadId ?? deps.ids.newId(),
    ref: await deps.threads.nextThreadRef(ws),
    subject: input.subject,
    customerIds,
    at,
    ...(mailbox ? { mailbox } : {}),
  });
  await deps.threads.commit({ before: null, after: thread, items: [] });
  await deps.threads.indexKeywords(ws, thread.threadId, tokenize(input.subject));
  await publishSafely(deps, [
    {
      type: 'thread.created',
      workspaceId: ws,
      threadId: thread.threadId,
      at,
      detail: { ref: thread.ref, subject: thread.subject, customerIds, direction: 'outbound', actor: ctx.actor },
    },
  ]);
  const message = await postMessage(deps, ctx, thread.threadId, { ...input, subject: input.subject });
  return { thread: await requireThread(deps, ctx, thread.threadId), message };
}

/** The mailbox a thread started by an agent goes out from: one of the workspace's, else a 400. */
async function requireMailbox(deps: ApiDeps, ctx: CallerContext, address: string): Promise<string> {
  const found = await deps.mailboxes?.get(ctx.workspaceId, address);
  if (!found) throw new ValidationError(`${address} is not a mailbox of this workspace`, { mailbox: address });
  return found.address;
}

/**
 * The caller's actor with the agent's display name: a key acting for an agent (X-Agent-Id) carries only
 * the id, and a customer must see a name (From, the widget), never an id.
 */
export async function namedActor(deps: ApiDeps, ctx: CallerContext): Promise<Actor> {
  const { actor } = ctx;
  if (actor.kind !== 'agent' || actor.name) return actor;
  const profile = await deps.agents.getAgent(ctx.workspaceId, actor.id);
  return profile?.name ? { ...actor, name: profile.name } : actor;
}
