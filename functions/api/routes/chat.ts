/** Routes of chat through the API (an integrator's own chat system) and of the widget's settings. */
import * as z from 'zod/mini';
import { CHAT_LIMITS } from '#core/chat.ts';
import { ORIGIN_PATTERN } from '#core/widget-identity.ts';
import type { ApiDeps } from '../deps.ts';
import { id, ok, parse, type Route } from '../http.ts';
import * as chat from '../use-cases/chat.ts';
import { messageView } from '../views.ts';

const text = z.string().check(z.minLength(1), z.maxLength(CHAT_LIMITS.textChars));
const clientMessageId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of [A-Za-z0-9_-]'));
const contactRef = z.union([
  z.strictObject({ contactId: id() }),
  z.strictObject({ email: z.string().check(z.trim(), z.minLength(3), z.maxLength(254), z.email()) }),
  z.strictObject({ externalId: z.string().check(z.minLength(1), z.maxLength(200)) }),
]);

export const chatMessageBody = z.strictObject({
  contact: contactRef,
  threadId: z.optional(id()),
  subject: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(CHAT_LIMITS.subjectChars))),
  text,
  clientMessageId,
  channel: z._default(z.enum(['chat', 'api']), 'chat'),
});

export const agentChatBody = z.strictObject({
  text,
  status: z.optional(z.enum(['keep', 'open', 'reminder', 'waiting', 'closed'])),
});

export const receiptBody = z.strictObject({ type: z.enum(['delivered', 'read']), at: z.iso.datetime() });

const jwk = z.record(z.string().check(z.maxLength(64)), z.unknown());
export const widgetSettingsBody = z
  .strictObject({
    enabled: z.boolean(),
    jwksUrl: z.optional(
      z.string().check(
        z.maxLength(2048),
        z.url(),
        z.refine(
          (u: string) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(u),
          'must be https',
        ),
      ),
    ),
    jwks: z.optional(z.object({ keys: z.array(jwk).check(z.minLength(1), z.maxLength(10)) })),
    issuer: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    allowedOrigins: z
      .array(z.string().check(z.regex(ORIGIN_PATTERN, 'must be an exact origin, e.g. https://app.example.com')))
      .check(z.maxLength(20)),
    anonymous: z._default(z.boolean(), false),
  })
  .check(z.refine((s) => JSON.stringify(s).length <= 32_768, 'widget settings must fit in 32 KB'));

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
