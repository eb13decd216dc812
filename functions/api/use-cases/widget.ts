/**
 * The end-user widget's use cases: the session (the host's end-user JWT exchanged for a widget token),
 * the end user's threads and their messages (never updates or comments), starting a thread, replying and
 * read receipts. Every call but the session carries the widget token; an end user reaches only the
 * threads of the customers their token names.
 */

import { limitsOf, rateLimit, rateLimitAnonymous, widgetEnabled } from '#auth/end-user.ts';
import { CHAT_LIMITS, postCustomerMessage, sharesCustomer, UPLOAD_TYPES } from '#core/chat.ts';
import {
  NotFoundError,
  RateLimitedError,
  ThreadNotFoundError,
  UnauthorizedError,
  ValidationError,
} from '#core/errors.ts';
import type { AttachmentMeta, Contact, MessageItem, Thread } from '#core/model.ts';
import type { MailStore } from '#core/ports.ts';
import { type EndUser, keySetFingerprint, verifyEndUserToken, type WidgetSettings } from '#core/widget-identity.ts';
import type { ApiDeps, ChatApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { presignedDownload } from './threads.ts';

export function chatDeps(deps: ApiDeps): ChatApiDeps {
  return widgetEnabled(deps);
}

const endUserOf = (ctx: CallerContext): EndUser => {
  if (!ctx.endUser) throw new UnauthorizedError('missing widget token');
  return ctx.endUser;
};

/**
 * Exchanges the host's end-user token for a widget token. The end user becomes (or is found as) a
 * contact by email, linked to the token's customers that exist in the workspace.
 */
export async function openSession(deps: ApiDeps, workspaceId: string, token: string, sourceAddress = 'unknown') {
  const chat = chatDeps(deps);
  // Anonymous attempts count in a bucket of the sender's own; the workspace's budget only once the token
  // is verified, so junk tokens can neither use it up nor write counters for a workspace that does not exist.
  const now = deps.clock.now();
  await rateLimitAnonymous(deps, sourceAddress, now);
  const settings = await chat.store.getWidgetSettings(workspaceId);
  let claims: Awaited<ReturnType<typeof verifyEndUserToken>>;
  try {
    claims = await verifyEndUserToken(token, workspaceId, settings, now, chat.fetchKeySet);
  } catch (e) {
    deps.log?.warn('widget session refused', { workspaceId, reason: (e as { reason?: string }).reason });
    throw e;
  }
  await rateLimit(deps, workspaceId, 'workspace', limitsOf(chat).perWorkspace, now);
  const customerIds = await deps.admin.existingCustomerIds(workspaceId, [...new Set(claims.customerIds)]);
  if (customerIds.length === 0)
    throw new UnauthorizedError('none of the token\u2019s customers exists in this workspace');
  const at = now.toISOString();
  let contact: Contact | null = await deps.admin.findContactByEmail(workspaceId, claims.email);
  if (!contact) {
    const fresh: Contact = {
      workspaceId,
      contactId: deps.ids.newId(),
      email: claims.email.toLowerCase(),
      ...(claims.name ? { name: claims.name } : {}),
      externalId: claims.sub,
      createdAt: at,
      updatedAt: at,
    };
    try {
      await deps.admin.putContact(fresh, 'create');
      contact = fresh;
    } catch (e) {
      contact = await deps.admin.findContactByEmail(workspaceId, claims.email);
      if (!contact) throw e;
    }
  }
  if (contact.externalId) await chat.store.indexExternalId(workspaceId, contact.externalId, contact.contactId);
  const linked = await deps.admin.customerIdsOfContact(workspaceId, contact.contactId);
  for (const c of customerIds) if (!linked.includes(c)) await deps.admin.link(workspaceId, c, contact.contactId, at);
  const endUser: EndUser = {
    workspaceId,
    contactId: contact.contactId,
    email: contact.email,
    ...(claims.name || contact.name ? { name: claims.name ?? contact.name } : {}),
    externalId: claims.sub,
    customerIds,
    keySet: keySetFingerprint(settings),
  };
  const issued = (await chat.widgetTokens()).issue(endUser, now);
  return {
    widgetToken: issued.token,
    expiresAt: issued.expiresAt,
    endUser: { contactId: endUser.contactId, email: endUser.email, ...(endUser.name ? { name: endUser.name } : {}) },
  };
}

async function endUserThread(deps: ApiDeps, ctx: CallerContext, threadId: string): Promise<Thread> {
  const user = endUserOf(ctx);
  const thread = await deps.threads.getThread(user.workspaceId, threadId);
  // Another customer's thread is simply not found, as another workspace's is.
  if (!thread || !sharesCustomer(thread, user.customerIds))
    throw new ThreadNotFoundError(`thread ${threadId} not found`);
  return thread;
}

/** The end user's threads: one list query per customer (the `customer=` facet), merged, newest first. */
export async function listEndUserThreads(deps: ApiDeps, ctx: CallerContext) {
  const user = endUserOf(ctx);
  const seen = new Map<string, Awaited<ReturnType<ApiDeps['queries']['listThreads']>>['items'][number]>();
  for (const customer of user.customerIds) {
    const page = await deps.queries.listThreads(user.workspaceId, { customer }, { limit: 50 });
    for (const t of page.items) seen.set(t.threadId, t);
  }
  const threads = [...seen.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1)).slice(0, 50);
  return threads.map((t) => ({
    threadId: t.threadId,
    ref: t.ref,
    subject: t.subject,
    snippet: t.snippet,
    status: t.status === 'closed' ? ('closed' as const) : ('open' as const),
    ...(t.lastMessageAt ? { lastMessageAt: t.lastMessageAt } : {}),
    updatedAt: t.updatedAt,
  }));
}

/** What an end user may see of a message: its text and who wrote it, never flags, headers or internals. */
export function endUserMessageView(m: MessageItem, user: EndUser) {
  return {
    itemId: m.itemId,
    at: m.at,
    author: m.direction === 'inbound' ? (m.contactId === user.contactId ? 'me' : 'customer') : 'agent',
    ...(m.direction === 'outbound' && authorNameOf(m) ? { authorName: authorNameOf(m) } : {}),
    channel: m.channel ?? 'email',
    text: m.newText,
    attachments: shownAttachments(m).map((a) => ({ attachmentId: a.attachmentId, filename: a.filename, size: a.size })),
  };
}

/**
 * The name an end user sees on an agent's message, never an id: the agent's name, else the From name
 * (the mailbox's name for a key's message, since its From carries no agent).
 */
function authorNameOf(m: MessageItem): string | undefined {
  if (m.actor?.kind === 'agent' && m.actor.name) return m.actor.name;
  return m.from.name || undefined;
}

/** Messages an end user sees: never a stranger's (unverified, spam, quarantined) nor an email copy of a chat message. */
const visible = (m: MessageItem) => !m.flags.unverifiedSender && !m.flags.quarantined && !m.flags.spam && !m.fallbackOf;

/** The files of a message that the end user is shown, and may download: not the inline parts of an HTML body. */
const shownAttachments = (m: MessageItem) => m.attachments.filter((a) => !a.inline);

export async function endUserMessages(deps: ApiDeps, ctx: CallerContext, threadId: string, cursor?: string) {
  const user = endUserOf(ctx);
  const thread = await endUserThread(deps, ctx, threadId);
  // Up to 5 feed pages (500 items) a call, so the newest messages of a long thread come in one answer.
  const messages: MessageItem[] = [];
  let next = cursor;
  for (let pages = 0; pages < 5; pages++) {
    const page = await deps.threads.listFeed(user.workspaceId, threadId, {
      limit: 100,
      ...(next ? { cursor: next } : {}),
    });
    for (const i of page.items) if (i.type === 'message' && visible(i)) messages.push(i);
    next = page.cursor;
    if (!next) break;
  }
  const receipts = await chatDeps(deps).store.getReceipts(user.workspaceId, threadId);
  const items = messages.map((m) => endUserMessageView(m, user));
  return {
    thread: { threadId: thread.threadId, ref: thread.ref, subject: thread.subject },
    items,
    ...(receipts.readAt ? { readAt: receipts.readAt } : {}),
    ...(next ? { nextCursor: next } : {}),
  };
}

/**
 * A short-lived download of one attachment that the end user is shown: the thread must be theirs (as for
 * every widget route) and the attachment on one of its messages that they see. Found by walking the
 * thread's feed, as the messages route does (the attachment item alone does not say whether its message is
 * shown). Anything else is a 404, whatever the reason, so that an id tells a stranger nothing.
 */
export async function endUserAttachmentDownload(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  attachmentId: string,
) {
  const user = endUserOf(ctx);
  await endUserThread(deps, ctx, threadId);
  let found: AttachmentMeta | undefined;
  let cursor: string | undefined;
  do {
    const page = await deps.threads.listFeed(user.workspaceId, threadId, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const i of page.items)
      if (i.type === 'message' && visible(i))
        found ??= shownAttachments(i).find((a) => a.attachmentId === attachmentId);
    cursor = page.cursor;
  } while (!found && cursor);
  if (!found) throw new NotFoundError(`attachment ${attachmentId} not found`);
  return presignedDownload(deps, found);
}

/** An upload's id: its ULID, a dot, and the filename in base64url (so the id alone names the file). */
export const UPLOAD_ID = /^[0-9A-HJKMNP-TV-Z]{26}\.[A-Za-z0-9_-]{1,400}$/;

const uploadKey = (user: EndUser, uploadId: string) => `uploads/${user.workspaceId}/${user.contactId}/${uploadId}`;
/** Where an upload lives once attached: out of `uploads/` (which expires after a day), kept as mail is. */
const attachedKey = (user: EndUser, uploadId: string) =>
  `attachments/chat/${user.workspaceId}/${user.contactId}/${uploadId}`;

const baseType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

function uploadStore(deps: ApiDeps): Required<Pick<MailStore, 'presignUpload' | 'headObject'>> {
  const { mail } = deps;
  if (!mail.presignUpload || !mail.headObject) throw new NotFoundError('uploads are not enabled here');
  return { presignUpload: mail.presignUpload.bind(mail), headObject: mail.headObject.bind(mail) };
}

function checkUpload(contentType: string, size: number) {
  if (!UPLOAD_TYPES.includes(baseType(contentType)))
    throw new ValidationError(`files of type ${baseType(contentType)} cannot be attached`, [
      { path: 'contentType', message: `must be one of ${UPLOAD_TYPES.join(', ')}` },
    ]);
  if (size < 1 || size > CHAT_LIMITS.uploadBytes)
    throw new ValidationError(`a file must be 1 to ${CHAT_LIMITS.uploadBytes} bytes`, [
      { path: 'size', message: `must be 1 to ${CHAT_LIMITS.uploadBytes}` },
    ]);
}

/**
 * Answers a presigned POST for one file of the end user's: the type is checked against the allow-list
 * and the size against the cap here, and S3 enforces both again through the POST policy. The key lies
 * under `uploads/<workspace>/<contact>/`, so an upload belongs to one end user.
 */
export async function requestUpload(
  deps: ApiDeps,
  ctx: CallerContext,
  input: { threadId?: string; filename: string; contentType: string; size: number },
) {
  const user = endUserOf(ctx);
  if (input.threadId) await endUserThread(deps, ctx, input.threadId);
  checkUpload(input.contentType, input.size);
  const store = uploadStore(deps);
  const now = deps.clock.now();
  await uploadQuota(deps, user, now);
  const uploadId = `${deps.ids.newId()}.${Buffer.from(input.filename, 'utf8').toString('base64url')}`;
  const expiresSeconds = CHAT_LIMITS.uploadPostSeconds;
  const post = await store.presignUpload(uploadKey(user, uploadId), {
    contentType: baseType(input.contentType),
    maxBytes: CHAT_LIMITS.uploadBytes,
    expiresSeconds,
  });
  return {
    uploadId,
    url: post.url,
    fields: post.fields,
    maxBytes: CHAT_LIMITS.uploadBytes,
    expiresAt: new Date(now.getTime() + expiresSeconds * 1000).toISOString(),
  };
}

/**
 * Upload slots a day: per end user and per workspace (each slot is up to CHAT_LIMITS.uploadBytes in the
 * bucket until it is attached or expires). 429 past either.
 */
async function uploadQuota(deps: ApiDeps, user: EndUser, now: Date) {
  const chat = chatDeps(deps);
  const limits = limitsOf(chat);
  for (const [scope, limit] of [
    [`uploads:${user.contactId}`, limits.uploadsPerEndUserPerDay],
    ['uploads', limits.uploadsPerWorkspacePerDay],
  ] as const)
    if (!(await chat.store.hit(user.workspaceId, scope, limit, 86_400, now)))
      throw new RateLimitedError('upload quota reached: try again tomorrow', { scope: 'uploads' });
}

/** The attachments of an end user's message: each upload must exist under their own prefix, and pass the checks again. */
async function uploadedAttachments(deps: ApiDeps, user: EndUser, uploads: Array<{ uploadId: string }>) {
  const store = uploadStore(deps);
  const out: AttachmentMeta[] = [];
  for (const { uploadId } of uploads) {
    if (!UPLOAD_ID.test(uploadId)) throw new NotFoundError(`upload ${uploadId} not found`);
    const key = uploadKey(user, uploadId);
    const head = await store.headObject(key);
    if (!head) throw new NotFoundError(`upload ${uploadId} not found`);
    const contentType = baseType(head.contentType ?? 'application/octet-stream');
    checkUpload(contentType, head.size);
    const [ulid, name] = uploadId.split('.') as [string, string];
    // Attached, the file leaves `uploads/`: what stays there unattached expires after a day (lib/go-chat-data.ts).
    const kept = deps.mail.copyObject ? attachedKey(user, uploadId) : key;
    if (deps.mail.copyObject) await deps.mail.copyObject(key, kept);
    out.push({
      attachmentId: ulid,
      filename: Buffer.from(name, 'base64url').toString('utf8') || 'file',
      contentType,
      size: head.size,
      key: kept,
      inline: false,
    });
  }
  return out;
}

export async function endUserPost(
  deps: ApiDeps,
  ctx: CallerContext,
  input: {
    threadId?: string;
    subject?: string;
    text: string;
    clientMessageId: string;
    attachments?: Array<{ uploadId: string }>;
  },
) {
  const user = endUserOf(ctx);
  if (input.threadId) await endUserThread(deps, ctx, input.threadId);
  const attachments = input.attachments?.length ? await uploadedAttachments(deps, user, input.attachments) : [];
  const out = await postCustomerMessage(
    {
      threads: deps.threads,
      events: deps.events,
      clock: deps.clock,
      ids: deps.ids,
      ...(deps.log ? { log: deps.log } : {}),
    },
    {
      workspaceId: user.workspaceId,
      contact: {
        contactId: user.contactId,
        email: user.email,
        externalId: user.externalId,
        ...(user.name ? { name: user.name } : {}),
      },
      customerIds: user.customerIds,
      ...(input.threadId ? { threadId: input.threadId } : {}),
      ...(input.subject ? { subject: input.subject } : {}),
      text: input.text,
      channel: 'chat',
      clientMessageId: input.clientMessageId,
      ...(attachments.length ? { attachments } : {}),
    },
  );
  return {
    thread: { threadId: out.thread.threadId, ref: out.thread.ref, subject: out.thread.subject },
    message: endUserMessageView(out.message, user),
  };
}

export async function endUserRead(deps: ApiDeps, ctx: CallerContext, threadId: string, upTo: string) {
  const user = endUserOf(ctx);
  await endUserThread(deps, ctx, threadId);
  const now = deps.clock.now().toISOString();
  const at = [new Date(upTo).toISOString(), now].sort()[0];
  return chatDeps(deps).store.recordReceipt(user.workspaceId, threadId, 'read', at);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The frame's document: served from Go!Chat's origin, with CSP `frame-ancestors` naming exactly the
 * sites of the workspace's settings (none: no one may embed it). The allowed origins go to the app too,
 * so that its postMessage names its parent exactly.
 */
export async function frameDocument(deps: ApiDeps, workspaceId: string) {
  const settings: WidgetSettings = await chatDeps(deps).store.getWidgetSettings(workspaceId);
  if (!settings.enabled) throw new NotFoundError('the widget is not enabled for this workspace');
  const ancestors = settings.allowedOrigins.length ? settings.allowedOrigins.join(' ') : "'none'";
  const liveUrl = deps.live?.url;
  const config = escapeHtml(
    JSON.stringify({ workspaceId, allowedOrigins: settings.allowedOrigins, ...(liveUrl ? { liveUrl } : {}) }),
  );
  // The frame posts end users' files to the bucket (a presigned POST): its origin joins connect-src; and
  // it listens on the live WebSocket (docs/live.md, "End users"): its origin too.
  const uploads =
    (deps.mail.uploadOrigin ? ` ${await deps.mail.uploadOrigin()}` : '') +
    (liveUrl ? ` ${new URL(liveUrl).origin}` : '');
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Support</title><link rel="stylesheet" href="/widget/frame.css"></head><body><div id="app" data-config="${config}"></div><script type="module" src="/widget/frame.js"></script></body></html>`,
    headers: {
      'Content-Security-Policy': `frame-ancestors ${ancestors}; default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'${uploads}; base-uri 'none'; form-action 'none'`,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}
