/** Routes of threads, their feed, messages, comments and attachments. */
import { ValidationError } from '#core/errors.ts';
import type { MessageItem } from '#core/model.ts';
import type { StatusTarget } from '#core/thread-state.ts';
import type { ApiDeps } from '../deps.ts';
import { type ApiRequest, type ApiResponse, type CallerContext, listBody, ok, parse, type Route } from '../http.ts';
import {
  commentBody,
  listThreadsQuery,
  mergeThreadBody,
  noQuery,
  pageOnlyQuery,
  patchThreadBody,
  postMessageBody,
  startThreadBody,
} from '../schemas.ts';
import * as agentWork from '../use-cases/agent-work.ts';
import { postAnswer } from '../use-cases/answer.ts';
import { idempotently } from '../use-cases/idempotency.ts';
import { mergeIntoThread } from '../use-cases/merge.ts';
import * as reports from '../use-cases/reports.ts';
import * as threads from '../use-cases/threads.ts';
import { cardView, feedItemView, messageView, threadView } from '../views.ts';

/** `If-Match: "3"` (or W/"3", or 3) and/or `version` in the body: the thread revision the caller saw. */
function versionOf(req: ApiRequest, bodyVersion: number | undefined): number {
  const header = req.headers['if-match'];
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
    if (!m) throw new ValidationError('If-Match must be a thread version, e.g. "3"', { header: 'If-Match' });
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion)
    throw new ValidationError('If-Match and version disagree');
  const version = fromHeader ?? bodyVersion;
  if (version === undefined) throw new ValidationError('version is required (in the body or If-Match)');
  return version;
}

/** The `Idempotency-Key` header, or the body's `idempotencyKey` (messages); both given must agree. */
const idempotencyKeyOf = (req: ApiRequest, body?: string) => {
  const header = req.headers['idempotency-key'];
  if (header !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(header))
    throw new ValidationError('Idempotency-Key must be 1-64 of [A-Za-z0-9_-]', { header: 'Idempotency-Key' });
  if (header !== undefined && body !== undefined && header !== body)
    throw new ValidationError('the Idempotency-Key header and idempotencyKey in the body disagree');
  return body ?? header;
};

/** 201, and `Idempotent-Replayed: true` when the body is an earlier request's result. */
const created = (out: { value: unknown; replayed: boolean }): ApiResponse => ({
  statusCode: 201,
  body: out.value,
  ...(out.replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
});

/** The message (or comment) that an idempotent request recorded as its result. */
async function recordedItem(deps: ApiDeps, ctx: CallerContext, result: Record<string, string>) {
  const item = await deps.queries.getFeedItem(ctx.workspaceId, result.threadId, result.at, result.itemId);
  if (!item) throw new Error(`recorded item ${result.itemId} of thread ${result.threadId} is missing`);
  return item;
}

const itemResult = (item: { threadId: string; at: string; itemId: string }) => ({
  threadId: item.threadId,
  at: item.at,
  itemId: item.itemId,
});

function messageInput(
  req: ApiRequest,
  body: ReturnType<typeof postMessageBody.parse> | ReturnType<typeof startThreadBody.parse>,
): threads.MessageInput {
  const { attachments, status, reminderIndex, idempotencyKey, ...fields } = body;
  const { channel: _channel, ...rest } = fields as typeof fields & { channel?: string };
  if (reminderIndex !== undefined && status !== 'reminder')
    throw new ValidationError('reminderIndex goes with status: reminder');
  const target: StatusTarget | 'keep' | undefined =
    status === undefined || status === 'keep'
      ? status
      : { status, ...(reminderIndex !== undefined ? { reminderIndex } : {}) };
  const key = idempotencyKeyOf(req, idempotencyKey);
  return {
    ...rest,
    ...(target ? { status: target } : {}),
    ...(key ? { idempotencyKey: key } : {}),
    ...(attachments
      ? {
          attachments: attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.contentBase64, 'base64'),
            ...(a.contentId ? { contentId: a.contentId } : {}),
          })),
        }
      : {}),
  };
}

export const threadRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/threads',
    operationId: 'listThreads',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const { unread, ...query } = parse(listThreadsQuery, req.query, 'query');
      if (unread !== undefined) {
        const page = await agentWork.listUnread(deps, ctx, query, unread, (p) =>
          threads.listThreads(deps, ctx, { ...query, ...p }),
        );
        return ok(listBody(page, (c) => ({ ...cardView(c), unread: page.unread.get(c.threadId) })));
      }
      const page = await threads.listThreads(deps, ctx, query);
      const [flags, sla] = await Promise.all([
        agentWork.unreadFlags(deps, ctx, page.items),
        reports.cardSlaMarks(
          deps,
          ctx.workspaceId,
          page.items.map((c) => c.threadId),
        ),
      ]);
      return ok(
        listBody(page, (c) => ({
          ...cardView(c),
          ...(flags ? { unread: flags.get(c.threadId) } : {}),
          ...sla.get(c.threadId),
        })),
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/threads',
    operationId: 'startThread',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(startThreadBody, req.body, 'body');
      const { customerIds, idempotencyKey: _key, ...message } = body;
      const input = messageInput(req, body);
      const out = await idempotently(deps, ctx, {
        key: input.idempotencyKey,
        request: { operation: 'startThread', body: { customerIds, ...message } },
        reserve: () => ({ threadId: deps.ids.newId() }),
        run: async (reserved) => {
          const started = await threads.startThread(deps, ctx, {
            ...input,
            customerIds,
            to: body.to,
            subject: body.subject,
            threadId: reserved.threadId,
          });
          return { value: started, result: itemResult(started.message) };
        },
        replay: async (result) => ({
          thread: await threads.requireThread(deps, ctx, result.threadId),
          message: (await recordedItem(deps, ctx, result)) as MessageItem,
        }),
      });
      return created({
        ...out,
        value: { thread: threadView(out.value.thread), message: messageView(out.value.message) },
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/threads/{threadId}',
    operationId: 'getThread',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      const thread = await threads.requireThread(deps, ctx, req.params.threadId);
      // Opening a thread reads it, for the agent who opens it.
      await agentWork.markThreadRead(deps, ctx, thread);
      // ...and sees its notifications: a notification mail still waiting for this thread is not sent.
      if (ctx.actor.kind === 'agent')
        await deps.notifications?.markThreadSeen(
          ctx.workspaceId,
          ctx.actor.id,
          thread.threadId,
          deps.clock.now().toISOString(),
        );
      const metrics = await reports.threadMetricsView(deps, thread);
      return { statusCode: 200, body: { ...threadView(thread), ...metrics }, headers: { ETag: `"${thread.rev}"` } };
    },
  },
  {
    method: 'PATCH',
    path: '/v1/threads/{threadId}',
    operationId: 'updateThread',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(patchThreadBody, req.body, 'body');
      const version = versionOf(req, body.version);
      const thread = await threads.updateThread(deps, ctx, req.params.threadId, { ...body, version });
      return { statusCode: 200, body: threadView(thread), headers: { ETag: `"${thread.rev}"` } };
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/merge',
    operationId: 'mergeThread',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(mergeThreadBody, req.body, 'body');
      // Idempotent by nature: merging threads that are already one changes nothing.
      const thread = await mergeIntoThread(deps, ctx, req.params.threadId, body.threadId);
      return { statusCode: 200, body: threadView(thread), headers: { ETag: `"${thread.rev}"` } };
    },
  },
  {
    method: 'GET',
    path: '/v1/threads/{threadId}/feed',
    operationId: 'getFeed',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const query = parse(pageOnlyQuery, req.query, 'query');
      return ok(listBody(await threads.getFeed(deps, ctx, req.params.threadId, query), feedItemView));
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/messages',
    operationId: 'sendMessage',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(postMessageBody, req.body, 'body');
      const input = messageInput(req, body);
      const { idempotencyKey: _key, ...request } = body;
      const out = await idempotently(deps, ctx, {
        key: input.idempotencyKey,
        request: { operation: 'sendMessage', params: req.params, body: request },
        reserve: () => ({}),
        // The key also goes down to outbound mail (its send id), which never sends one send twice.
        run: async () => {
          const message = await postAnswer(deps, ctx, req.params.threadId, input, body.channel);
          if (ctx.actor.kind === 'agent')
            await deps.agents.markRead(ctx.workspaceId, message.threadId, ctx.actor.id, message.at);
          return { value: message, result: itemResult(message) };
        },
        replay: async (result) => (await recordedItem(deps, ctx, result)) as MessageItem,
      });
      return created({ ...out, value: messageView(out.value) });
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/comments',
    operationId: 'addComment',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(commentBody, req.body, 'body');
      const out = await idempotently(deps, ctx, {
        key: idempotencyKeyOf(req),
        request: { operation: 'addComment', params: req.params, body },
        reserve: () => ({ itemId: deps.ids.newId(), at: deps.clock.now().toISOString() }),
        run: async (reserved) => {
          const fixed = reserved.itemId ? { itemId: reserved.itemId, at: reserved.at } : undefined;
          const comment = await threads.addComment(deps, ctx, req.params.threadId, body.body, fixed, body.mentions);
          return { value: comment, result: itemResult(comment) };
        },
        replay: (result) => recordedItem(deps, ctx, result),
      });
      return created({ ...out, value: feedItemView(out.value) });
    },
  },
  {
    method: 'GET',
    path: '/v1/threads/{threadId}/attachments/{attachmentId}',
    operationId: 'getAttachment',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(await threads.attachmentDownload(deps, ctx, req.params.threadId, req.params.attachmentId));
    },
  },
];
