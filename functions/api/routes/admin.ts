/** Routes of templates, workspace settings and API keys. */
import { ForbiddenError } from '#core/errors.ts';
import type { ApiDeps } from '../deps.ts';
import { noContent, ok, parse, type Route } from '../http.ts';
import { apiKeyBody, noQuery, pageOnlyQuery, previewBody, settingsBody, templateBody } from '../schemas.ts';
import * as admin from '../use-cases/admin.ts';
import { closeLiveConnections } from '../use-cases/live-access.ts';
import { apiKeyView, templateView } from '../views.ts';
import { collectionRoutes } from './collection.ts';

export const adminRoutes: Route<ApiDeps>[] = [
  ...collectionRoutes({
    path: '/v1/templates',
    idParam: 'templateId',
    operationIds: {
      list: 'listTemplates',
      create: 'createTemplate',
      get: 'getTemplate',
      update: 'replaceTemplate',
      delete: 'deleteTemplate',
    },
    scopes: { read: 'templates:read', write: 'templates:write' },
    view: templateView,
    list: { query: pageOnlyQuery, run: (deps, ctx, page) => deps.admin.listTemplates(ctx.workspaceId, page) },
    create: { body: templateBody, run: (deps, ctx, body) => admin.saveTemplate(deps, ctx, body) },
    get: admin.requireTemplate,
    update: {
      method: 'PUT',
      body: templateBody,
      run: (deps, ctx, id, body) => admin.saveTemplate(deps, ctx, body, id),
    },
    delete: (deps, ctx, id) => deps.admin.deleteTemplate(ctx.workspaceId, id),
  }),
  {
    method: 'POST',
    path: '/v1/templates/{templateId}/preview',
    operationId: 'previewTemplate',
    scope: 'templates:read',
    async run(req, ctx, deps) {
      const body = parse(previewBody, req.body ?? {}, 'body');
      return ok(await admin.previewTemplate(deps, ctx, req.params.templateId, body));
    },
  },
  {
    method: 'GET',
    path: '/v1/settings',
    operationId: 'getSettings',
    scope: 'settings:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(await admin.getSettings(deps, ctx));
    },
  },
  {
    method: 'PUT',
    path: '/v1/settings',
    operationId: 'putSettings',
    scope: 'settings:write',
    async run(req, ctx, deps) {
      const body = parse(settingsBody, req.body, 'body');
      return ok(await admin.putSettings(deps, ctx, body));
    },
  },
  {
    method: 'GET',
    path: '/v1/api-keys',
    operationId: 'listApiKeys',
    scope: 'keys:manage',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ items: (await deps.admin.listApiKeys(ctx.workspaceId)).map(apiKeyView) });
    },
  },
  {
    method: 'POST',
    path: '/v1/api-keys',
    operationId: 'createApiKey',
    scope: 'keys:manage',
    async run(req, ctx, deps) {
      const body = parse(apiKeyBody, req.body, 'body');
      // A key never gets more than its creator holds: an admin agent or a key with keys:manage.
      const beyond = (body.scopes ?? []).filter((s) => !ctx.scopes.includes(s));
      if (beyond.length > 0)
        throw new ForbiddenError(`a key cannot get scopes its creator lacks: ${beyond.join(', ')}`, { scopes: beyond });
      const key = await admin.createApiKey(deps, ctx.workspaceId, body.name, ctx.actor, body.scopes ?? ctx.scopes);
      return ok({ ...apiKeyView(key), apiKey: key.apiKey }, 201);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    operationId: 'revokeApiKey',
    scope: 'keys:manage',
    async run(req, ctx, deps) {
      await deps.admin.revokeApiKey(ctx.workspaceId, req.params.keyId, deps.clock.now().toISOString());
      await closeLiveConnections(deps, ctx.workspaceId, { keyId: req.params.keyId });
      return noContent();
    },
  },
];
