/**
 * Routes of the end-user widget. The session and the frame take no credential (the session's is the
 * host's end-user JWT in the body); every other route requires the widget token (`X-Widget-Token`).
 */
import * as z from 'zod';
import { CHAT_LIMITS } from '../../core/chat.ts';
import type { ApiDeps } from '../deps.ts';
import { id, ok, parse, type Route } from '../http.ts';
import { noQuery } from '../schemas.ts';
import * as widget from '../use-cases/widget.ts';
import { UPLOAD_ID } from '../use-cases/widget.ts';

const text = z.string().min(1).max(CHAT_LIMITS.textChars);
const clientMessageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of [A-Za-z0-9_-]');

export const sessionBody = z.object({ workspaceId: id(), token: z.string().min(1).max(8192) }).strict();
const attachments = z
  .array(z.object({ uploadId: z.string().regex(UPLOAD_ID, 'must be an uploadId') }).strict())
  .max(CHAT_LIMITS.attachments)
  .optional();
export const widgetThreadBody = z
  .object({
    subject: z.string().trim().min(1).max(CHAT_LIMITS.subjectChars).optional(),
    text,
    clientMessageId,
    attachments,
  })
  .strict();
export const widgetReplyBody = z.object({ text, clientMessageId, attachments }).strict();
export const widgetUploadBody = z
  .object({
    filename: z
      .string()
      .min(1)
      .max(CHAT_LIMITS.uploadFilenameChars)
      .refine(
        (f) => ![...f].some((c) => c.charCodeAt(0) < 32 || c === '\u007f' || c === '/' || c === '\\'),
        'must not hold control characters or slashes',
      ),
    contentType: z.string().min(3).max(255),
    size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })
  .strict();
export const widgetReadBody = z.object({ upTo: z.iso.datetime() }).strict();
const messagesQuery = z.object({ cursor: z.string().min(1).max(2048).optional() }).strict();

export const widgetRoutes: Route<ApiDeps>[] = [
  {
    method: 'POST',
    path: '/v1/widget/session',
    operationId: 'createWidgetSession',
    scope: 'public',
    async run(req, _ctx, deps) {
      const body = parse(sessionBody, req.body, 'body');
      return ok(await widget.openSession(deps, body.workspaceId, body.token), 201);
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
