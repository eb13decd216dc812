/**
 * Routes of mailboxes (the workspace's inbound addresses, with a name and a From format), signatures, and
 * the edits of an agent's own internal comments (issue 20).
 */

import type { CommentEdit } from '#adapters/dynamo/comment-store.ts';
import { ForbiddenError, NotFoundError } from '#core/errors.ts';
import { checkSignature, type Mailbox, type MailboxStore, type SignatureOwner } from '#core/mailboxes.ts';
import { validateTemplate } from '#core/templates.ts';
import type { ApiDeps } from '../deps.ts';
import { type CallerContext, ok, parse, type Route } from '../http.ts';
import { commentPatch, commentRefQuery, mailboxPatch, noQuery, signatureBody } from '../schemas.ts';
import { feedItemView } from '../views.ts';

function storeOf(deps: ApiDeps): MailboxStore {
  if (!deps.mailboxes) throw new NotFoundError('mailboxes are not configured');
  return deps.mailboxes;
}

export const mailboxView = (m: Mailbox) => ({
  mailboxId: m.mailboxId,
  address: m.address,
  ...(m.displayName ? { displayName: m.displayName } : {}),
  fromFormat: m.fromFormat,
  ...(m.signature ? { signature: m.signature } : {}),
  createdAt: m.createdAt,
  ...(m.updatedAt ? { updatedAt: m.updatedAt } : {}),
});

/** A signature is a template: it must parse and fit (a 400 now, not a failed send later). */
function checkedSignature(text: string | null): string | null {
  if (text === null) return null;
  checkSignature(text);
  validateTemplate(text);
  return text;
}

function ownSignature(ctx: CallerContext): SignatureOwner {
  // A key acting for an agent (X-Agent-Id) names one; a key alone has no signature of its own.
  if (ctx.actor.kind !== 'agent') throw new ForbiddenError('only an agent has a signature of their own');
  return { kind: 'agent', agentId: ctx.actor.id };
}

/** An agent's own comment, edited or deleted: 404 when it is not theirs (or not a comment, or gone). */
async function editOwnComment(
  deps: ApiDeps,
  ctx: CallerContext,
  params: Record<string, string>,
  at: string,
  edit: CommentEdit,
) {
  if (!deps.comments) throw new NotFoundError('comment edits are not configured');
  if (ctx.actor.kind !== 'agent') throw new ForbiddenError('only the agent who wrote a comment edits it');
  const ref = { at, itemId: params.itemId };
  const now = deps.clock.now().toISOString();
  const out = await deps.comments.edit(ctx.workspaceId, params.threadId, ref, ctx.actor.id, edit, now);
  if (!out) throw new NotFoundError(`no comment ${params.itemId} of yours at ${at} in thread ${params.threadId}`);
  return out;
}

export const mailboxRoutes: Route<ApiDeps>[] = [
  {
    method: 'PATCH',
    path: '/v1/threads/{threadId}/comments/{itemId}',
    operationId: 'editComment',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const { at } = parse(commentRefQuery, req.query, 'query');
      const { body } = parse(commentPatch, req.body, 'body');
      return ok(feedItemView(await editOwnComment(deps, ctx, req.params, at, { kind: 'edit', body })));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/threads/{threadId}/comments/{itemId}',
    operationId: 'deleteComment',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const { at } = parse(commentRefQuery, req.query, 'query');
      return ok(feedItemView(await editOwnComment(deps, ctx, req.params, at, { kind: 'delete' })));
    },
  },
  {
    method: 'GET',
    path: '/v1/mailboxes',
    operationId: 'listMailboxes',
    // Agents read them too: a thread started from the Inbox picks its mailbox.
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ items: (await storeOf(deps).list(ctx.workspaceId)).map(mailboxView) });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/mailboxes/{mailboxId}',
    operationId: 'updateMailbox',
    scope: 'settings:write',
    async run(req, ctx, deps) {
      const body = parse(mailboxPatch, req.body, 'body');
      if (body.signature !== undefined) checkedSignature(body.signature);
      const store = storeOf(deps);
      const found = (await store.list(ctx.workspaceId)).find((m) => m.mailboxId === req.params.mailboxId);
      if (!found) throw new NotFoundError(`mailbox ${req.params.mailboxId} not found`);
      const updated = await store.update(ctx.workspaceId, found.address, body, deps.clock.now().toISOString());
      if (!updated) throw new NotFoundError(`mailbox ${req.params.mailboxId} not found`);
      return ok(mailboxView(updated));
    },
  },
  {
    method: 'GET',
    path: '/v1/signature',
    operationId: 'getWorkspaceSignature',
    scope: 'settings:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ text: await storeOf(deps).getSignature(ctx.workspaceId, { kind: 'workspace' }) });
    },
  },
  {
    method: 'PUT',
    path: '/v1/signature',
    operationId: 'putWorkspaceSignature',
    scope: 'settings:write',
    async run(req, ctx, deps) {
      const { text } = parse(signatureBody, req.body, 'body');
      const at = deps.clock.now().toISOString();
      await storeOf(deps).putSignature(ctx.workspaceId, { kind: 'workspace' }, checkedSignature(text), at);
      return ok({ text });
    },
  },
  {
    method: 'GET',
    path: '/v1/me/signature',
    operationId: 'getMySignature',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ text: await storeOf(deps).getSignature(ctx.workspaceId, ownSignature(ctx)) });
    },
  },
  {
    method: 'PUT',
    path: '/v1/me/signature',
    operationId: 'putMySignature',
    scope: 'threads:write',
    async run(req, ctx, deps) {
      const { text } = parse(signatureBody, req.body, 'body');
      const at = deps.clock.now().toISOString();
      await storeOf(deps).putSignature(ctx.workspaceId, ownSignature(ctx), checkedSignature(text), at);
      return ok({ text });
    },
  },
];
