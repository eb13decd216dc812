/**
 * Routes of the end-user widget. The session and the frame take no credential (the session's is the
 * host's end-user JWT in the body); every other route requires the widget token (`X-Widget-Token`).
 */
import * as z from 'zod/mini';
import { CHAT_LIMITS } from '#core/chat.ts';
import type { ApiDeps } from '../deps.ts';
import { id, ok, parse, type Route } from '../http.ts';
import { noQuery } from '../schemas.ts';
import * as widget from '../use-cases/widget.ts';
import { UPLOAD_ID } from '../use-cases/widget.ts';

const text = z.string().check(z.minLength(1), z.maxLength(CHAT_LIMITS.textChars));
const clientMessageId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of [A-Za-z0-9_-]'));

export const sessionBody = z.strictObject({
  workspaceId: id(),
  token: z.string().check(z.minLength(1), z.maxLength(8192)),
});
const attachments = z.optional(
  z
    .array(z.strictObject({ uploadId: z.string().check(z.regex(UPLOAD_ID, 'must be an uploadId')) }))
    .check(z.maxLength(CHAT_LIMITS.attachments)),
);
export const widgetThreadBody = z.strictObject({
  subject: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(CHAT_LIMITS.subjectChars))),
  text,
  clientMessageId,
  attachments,
});
export const widgetReplyBody = z.strictObject({ text, clientMessageId, attachments });
export const widgetUploadBody = z.strictObject({
  filename: z.string().check(
    z.minLength(1),
    z.maxLength(CHAT_LIMITS.uploadFilenameChars),
    z.refine(
      (f: string) => ![...f].some((c) => c.charCodeAt(0) < 32 || c === '\u007f' || c === '/' || c === '\\'),
      'must not hold control characters or slashes',
    ),
  ),
  contentType: z.string().check(z.minLength(3), z.maxLength(255)),
  size: z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER)),
});
export const widgetReadBody = z.strictObject({ upTo: z.iso.datetime() });
const messagesQuery = z.strictObject({ cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))) });

export const widgetRoutes: Route<ApiDeps>[] = [
  {
    method: 'POST',
    path: '/v1/widget/session',
    operationId: 'createWidgetSession',
    scope: 'public',
    async run(req, _ctx, deps) {
      const body = parse(sessionBody, req.body, 'body');
      return ok(await widget.openSession(deps, body.workspaceId, body.token, req.sourceIp), 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/widget/frame/{workspaceId}',
    operationId: 'getWidgetFrame',
    scope: 'public',
    async run(req, _ctx, deps) {
      parse(noQuery, req.query, 'query');
      const frame = await widget.frameDocument(deps, req.params.workspaceId);
      return { statusCode: 200, html: frame.html, headers: frame.headers };
    },
  },
  {
    method: 'GET',
    path: '/v1/widget/threads',
    operationId: 'listWidgetThreads',
    scope: 'endUser',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ items: await widget.listEndUserThreads(deps, ctx) });
    },
  },
  {
    method: 'POST',
    path: '/v1/widget/threads',
    operationId: 'startWidgetThread',
    scope: 'endUser',
    async run(req, ctx, deps) {
      const body = parse(widgetThreadBody, req.body, 'body');
      return ok(await widget.endUserPost(deps, ctx, body), 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/widget/threads/{threadId}/messages',
    operationId: 'listWidgetMessages',
    scope: 'endUser',
    async run(req, ctx, deps) {
      const query = parse(messagesQuery, req.query, 'query');
      return ok(await widget.endUserMessages(deps, ctx, req.params.threadId, query.cursor));
    },
  },
  {
    method: 'POST',
    path: '/v1/widget/threads/{threadId}/messages',
    operationId: 'postWidgetMessage',
    scope: 'endUser',
    async run(req, ctx, deps) {
      const body = parse(widgetReplyBody, req.body, 'body');
      return ok(await widget.endUserPost(deps, ctx, { ...body, threadId: req.params.threadId }), 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/widget/threads/{threadId}/attachments/{attachmentId}',
    operationId: 'getWidgetAttachment',
    scope: 'endUser',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(await widget.endUserAttachmentDownload(deps, ctx, req.params.threadId, req.params.attachmentId));
    },
  },
  {
    method: 'POST',
    path: '/v1/widget/uploads',
    operationId: 'createWidgetUpload',
    scope: 'endUser',
    async run(req, ctx, deps) {
      const body = parse(widgetUploadBody, req.body, 'body');
      return ok(await widget.requestUpload(deps, ctx, body), 201);
    },
  },
  {
    method: 'POST',
    path: '/v1/widget/threads/{threadId}/read',
    operationId: 'markWidgetRead',
    scope: 'endUser',
    async run(req, ctx, deps) {
      const body = parse(widgetReadBody, req.body, 'body');
      return ok(await widget.endUserRead(deps, ctx, req.params.threadId, body.upTo));
    },
  },
];
