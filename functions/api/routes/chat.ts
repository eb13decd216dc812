/** Routes of chat through the API (an integrator's own chat system) and of the widget's settings. */
import * as z from 'zod';
import { CHAT_LIMITS } from '../../core/chat.ts';
import { ORIGIN_PATTERN } from '../../core/widget-identity.ts';
import type { ApiDeps } from '../deps.ts';
import { id, ok, parse, type Route } from '../http.ts';
import * as chat from '../use-cases/chat.ts';
import { messageView } from '../views.ts';

const text = z.string().min(1).max(CHAT_LIMITS.textChars);
const clientMessageId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of [A-Za-z0-9_-]');
const contactRef = z.union([
  z.object({ contactId: id() }).strict(),
  z.object({ email: z.string().trim().min(3).max(254).email() }).strict(),
  z.object({ externalId: z.string().min(1).max(200) }).strict(),
]);

export const chatMessageBody = z
  .object({
    contact: contactRef,
    threadId: id().optional(),
    subject: z.string().trim().min(1).max(CHAT_LIMITS.subjectChars).optional(),
    text,
    clientMessageId,
    channel: z.enum(['chat', 'api']).default('chat'),
  })
  .strict();

export const agentChatBody = z
  .object({
    text,
    status: z.enum(['keep', 'open', 'reminder', 'waiting', 'closed']).optional(),
  })
  .strict();

export const receiptBody = z.object({ type: z.enum(['delivered', 'read']), at: z.iso.datetime() }).strict();

const jwk = z.record(z.string().max(64), z.unknown());
export const widgetSettingsBody = z
  .object({
    enabled: z.boolean(),
    jwksUrl: z
      .string()
      .max(2048)
      .url()
      .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u), 'must be https')
      .optional(),
    jwks: z.object({ keys: z.array(jwk).min(1).max(10) }).optional(),
    issuer: z.string().min(1).max(256).optional(),
    allowedOrigins: z
      .array(z.string().regex(ORIGIN_PATTERN, 'must be an exact origin, e.g. https://app.example.com'))
      .max(20),
    anonymous: z.boolean().default(false),
  })
  .strict()
  .refine((s) => JSON.stringify(s).length <= 32_768, 'widget settings must fit in 32 KB');

export const chatRoutes: Route<ApiDeps>[] = [
  {
    method: 'POST',
    path: '/v1/chat/messages',
    operationId: 'postChatMessage',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(chatMessageBody, req.body, 'body');
      const out = await chat.postContactMessage(deps, ctx, body);
      return ok(
        { threadId: out.thread.threadId, createdThread: out.createdThread, message: messageView(out.message) },
        201,
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/chat',
    operationId: 'sendChatMessage',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(agentChatBody, req.body, 'body');
      const status = body.status === undefined || body.status === 'keep' ? body.status : { status: body.status };
      const message = await chat.sendAgentChat(deps, ctx, req.params.threadId, {
        text: body.text,
        ...(status ? { status } : {}),
      });
      return ok(messageView(message), 201);
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/receipts',
    operationId: 'postChatReceipt',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(receiptBody, req.body, 'body');
      return ok(await chat.postReceipt(deps, ctx, req.params.threadId, body));
    },
  },
  {
    method: 'GET',
    path: '/v1/settings/widget',
    operationId: 'getWidgetSettings',
    scope: 'settings:read',
    async run(_req, ctx, deps) {
      return ok(await chat.getWidgetSettings(deps, ctx));
    },
  },
  {
    method: 'PUT',
    path: '/v1/settings/widget',
    operationId: 'putWidgetSettings',
    scope: 'settings:write',
    async run(req, ctx, deps) {
      const body = parse(widgetSettingsBody, req.body, 'body');
      return ok(await chat.putWidgetSettings(deps, ctx, body));
    },
  },
];
