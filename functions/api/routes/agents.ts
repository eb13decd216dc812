/**
 * Routes of agents: the directory, the caller itself, and an agent's work on a thread (drafts,
 * presence, read state). Drafts, presence and read state belong to the acting agent.
 */
import * as z from 'zod/mini';
import { mayGrantRole } from '#core/access.ts';
import type { Draft, Presence } from '#core/drafts.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { noContent, ok, parse, type Route } from '../http.ts';
import { messageFields, noQuery } from '../schemas.ts';
import * as agentWork from '../use-cases/agent-work.ts';
import { agentView } from '../use-cases/agents.ts';
import { idempotently } from '../use-cases/idempotency.ts';
import { closeLiveConnections } from '../use-cases/live-access.ts';
import { requireThread } from '../use-cases/threads.ts';
import { messageView } from '../views.ts';

const { to, cc, bcc, quote, subject, text, html, templateId, variables } = messageFields;
const draftFields = { to, cc, bcc, quote, subject, text, html, templateId, variables };
const draftBody = z.strictObject(draftFields);
/** A field of the draft that PATCH may also clear (null). */
const clearable = <T extends z.ZodMiniType>(field: z.ZodMiniOptional<T>) => z.optional(z.nullable(field.def.innerType));
const draftPatch = z.strictObject({
  version: z.optional(z.number().check(z.int(), z.gte(1))),
  to: clearable(to),
  cc: clearable(cc),
  bcc: clearable(bcc),
  quote: clearable(quote),
  subject: clearable(subject),
  text: clearable(text),
  html: clearable(html),
  templateId: clearable(templateId),
  variables: clearable(variables),
});
const sendDraftBody = z.strictObject({
  status: messageFields.status,
  reminderIndex: messageFields.reminderIndex,
  attachments: messageFields.attachments,
  /** chat or email; default: the channel of the customer's last message (use-cases/answer.ts). */
  channel: z.optional(z.enum(['email', 'chat'])),
});
const presenceBody = z.strictObject({ state: z.enum(['viewing', 'writing']) });
const availability = z.enum(['available', 'away']);
const agentPatch = z.strictObject({
  role: z.optional(z.enum(['admin', 'agent', 'readonly'])),
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  availability: z.optional(availability),
});
const availabilityBody = z.strictObject({ availability });

/** A draft as its owner sees it (everything), or as a colleague does (who writes, since when). */
export function draftView(d: Draft, me: string | undefined) {
  const mine = d.agentId === me;
  const { workspaceId: _w, ...rest } = d;
  if (mine) return { ...rest, mine };
  return {
    draftId: d.draftId,
    threadId: d.threadId,
    agentId: d.agentId,
    ...(d.agentName ? { agentName: d.agentName } : {}),
    version: d.version,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    mine,
  };
}

const presenceView = (p: Presence) => ({
  agentId: p.agentId,
  ...(p.agentName ? { agentName: p.agentName } : {}),
  state: p.state,
  at: p.at,
  expiresAt: new Date(p.expiresAt * 1000).toISOString(),
});

const idempotencyKeyOf = (header: string | undefined) => {
  if (header !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(header))
    throw new ValidationError('Idempotency-Key must be 1-64 of [A-Za-z0-9_-]', { header: 'Idempotency-Key' });
  return header;
};

export const agentRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/agents',
    operationId: 'listAgents',
    scope: 'agents:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      const agents = await deps.agents.listAgents(ctx.workspaceId);
      agents.sort((a, b) => a.name.localeCompare(b.name));
      return ok({ items: agents.map(agentView) });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/agents/{agentId}',
    operationId: 'updateAgent',
    scope: 'agents:manage',
    async run(req, ctx, deps) {
      const body = parse(agentPatch, req.body, 'body');
      const agent = await deps.agents.getAgent(ctx.workspaceId, req.params.agentId);
      if (!agent) throw new NotFoundError(`agent ${req.params.agentId} not found`);
      // A caller grants only what it holds itself: agents:manage alone cannot make an admin.
      for (const role of [body.role, body.role !== undefined ? agent.role : undefined])
        if (role !== undefined && !mayGrantRole(ctx.scopes, role))
          throw new ForbiddenError(`only a caller holding every scope of the ${role} role may grant or take it`, {
            role,
          });
      const next = { ...agent, ...body, updatedAt: deps.clock.now().toISOString() };
      await deps.agents.putAgent(next);
      // A connection carries the access of its $connect: a new role starts on a new connection.
      if (body.role !== undefined && body.role !== agent.role)
        await closeLiveConnections(deps, ctx.workspaceId, { agentId: agent.agentId });
      return ok(agentView(next));
    },
  },
  {
    method: 'GET',
    path: '/v1/me',
    operationId: 'getMe',
    scope: 'agents:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      const profile =
        ctx.agentId && ctx.kind === 'agent' ? await deps.agents.getAgent(ctx.workspaceId, ctx.agentId) : null;
      return ok({
        workspaceId: ctx.workspaceId,
        kind: ctx.kind,
        role: ctx.role,
        scopes: [...ctx.scopes],
        ...(ctx.keyId ? { keyId: ctx.keyId } : {}),
        ...(profile ? { agent: agentView(profile) } : {}),
      });
    },
  },
  {
    method: 'PUT',
    path: '/v1/me/availability',
    operationId: 'setMyAvailability',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(availabilityBody, req.body, 'body');
      const me = agentWork.actingAgent(ctx).agentId;
      // Only the field: a concurrent rename or role change by an admin is not overwritten.
      const agent = await deps.agents.setAvailability(
        ctx.workspaceId,
        me,
        body.availability,
        deps.clock.now().toISOString(),
      );
      if (!agent) throw new NotFoundError(`agent ${me} has no profile in this workspace`);
      return ok(agentView(agent));
    },
  },
  // ---------- drafts ----------
  {
    method: 'GET',
    path: '/v1/threads/{threadId}/drafts',
    operationId: 'listDrafts',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      const { drafts, me } = await agentWork.listDrafts(deps, ctx, req.params.threadId);
      return ok({ items: drafts.map((d) => draftView(d, me)) });
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/drafts',
    operationId: 'createDraft',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(draftBody, req.body ?? {}, 'body');
      const out = await idempotently(deps, ctx, {
        key: idempotencyKeyOf(req.headers['idempotency-key']),
        request: { operation: 'createDraft', params: req.params, body },
        reserve: () => ({ draftId: deps.ids.newId() }),
        run: async (reserved) => {
          const draft = await agentWork.createDraft(deps, ctx, req.params.threadId, body, reserved.draftId);
          return { value: draft, result: { draftId: draft.draftId } };
        },
        replay: (result) => agentWork.requireOwnDraft(deps, ctx, req.params.threadId, result.draftId),
      });
      return {
        statusCode: 201,
        body: draftView(out.value, out.value.agentId),
        ...(out.replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/v1/threads/{threadId}/drafts/{draftId}',
    operationId: 'getDraft',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      const draft = await agentWork.requireOwnDraft(deps, ctx, req.params.threadId, req.params.draftId);
      return ok(draftView(draft, draft.agentId));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/threads/{threadId}/drafts/{draftId}',
    operationId: 'updateDraft',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(draftPatch, req.body, 'body');
      const draft = await agentWork.editDraft(deps, ctx, req.params.threadId, req.params.draftId, body);
      return ok(draftView(draft, draft.agentId));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/threads/{threadId}/drafts/{draftId}',
    operationId: 'discardDraft',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      await agentWork.discardDraft(deps, ctx, req.params.threadId, req.params.draftId);
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/threads/{threadId}/drafts/{draftId}/send',
    operationId: 'sendDraft',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const body = parse(sendDraftBody, req.body ?? {}, 'body');
      const { threadId, draftId } = req.params;
      // One send per draft, whatever the retries: the key is the draft's own, in Go!Chat's namespace.
      const key = `draft-${draftId}`;
      const { status, reminderIndex, attachments } = body;
      if (reminderIndex !== undefined && status !== 'reminder')
        throw new ValidationError('reminderIndex goes with status: reminder');
      const out = await idempotently(deps, ctx, {
        key,
        namespace: 'internal',
        request: { operation: 'sendDraft', params: req.params, body },
        reserve: () => ({}),
        run: async () => {
          const message = await agentWork.sendDraft(deps, ctx, threadId, draftId, {
            internalSendKey: key,
            ...(body.channel ? { channel: body.channel } : {}),
            ...(status === undefined || status === 'keep'
              ? status
                ? { status }
                : {}
              : { status: { status, ...(reminderIndex !== undefined ? { reminderIndex } : {}) } }),
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
          });
          return { value: message, result: { threadId: message.threadId, at: message.at, itemId: message.itemId } };
        },
        replay: async (result) => {
          const item = await deps.queries.getFeedItem(ctx.workspaceId, result.threadId, result.at, result.itemId);
          if (item?.type !== 'message') throw new Error(`recorded message ${result.itemId} is missing`);
          return item;
        },
      });
      return {
        statusCode: 201,
        body: messageView(out.value),
        ...(out.replayed ? { headers: { 'Idempotent-Replayed': 'true' } } : {}),
      };
    },
  },
  // ---------- presence ----------
  {
    method: 'GET',
    path: '/v1/threads/{threadId}/presence',
    operationId: 'listPresence',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ items: (await agentWork.listPresence(deps, ctx, req.params.threadId)).map(presenceView) });
    },
  },
  {
    method: 'PUT',
    path: '/v1/threads/{threadId}/presence',
    operationId: 'reportPresence',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const body = parse(presenceBody, req.body, 'body');
      const items = await agentWork.reportPresence(deps, ctx, req.params.threadId, body.state);
      return ok({ items: items.map(presenceView) });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/threads/{threadId}/presence',
    operationId: 'leaveThread',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      await agentWork.leaveThread(deps, ctx, req.params.threadId);
      return noContent();
    },
  },
  // ---------- read state ----------
  {
    method: 'PUT',
    path: '/v1/threads/{threadId}/read',
    operationId: 'markThreadRead',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      agentWork.actingAgent(ctx);
      await agentWork.markThreadRead(deps, ctx, await requireThread(deps, ctx, req.params.threadId));
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/v1/threads/{threadId}/read',
    operationId: 'markThreadUnread',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      await agentWork.markThreadUnread(deps, ctx, req.params.threadId);
      return noContent();
    },
  },
];
