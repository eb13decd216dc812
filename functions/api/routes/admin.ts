/** Routes of templates, workspace settings and API keys. */
import type { ApiDeps } from '../deps.ts';
import { noContent, ok, parse, type Route } from '../http.ts';
import { apiKeyBody, noQuery, pageOnlyQuery, previewBody, settingsBody, templateBody } from '../schemas.ts';
import * as admin from '../use-cases/admin.ts';
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
    async run(req, ctx, deps) {
      const body = parse(previewBody, req.body ?? {}, 'body');
      return ok(await admin.previewTemplate(deps, ctx, req.params.templateId, body));
    },
  },
  {
    method: 'GET',
    path: '/v1/settings',
    operationId: 'getSettings',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(await admin.getSettings(deps, ctx));
    },
  },
  {
    method: 'PUT',
    path: '/v1/settings',
    operationId: 'putSettings',
    async run(req, ctx, deps) {
      const body = parse(settingsBody, req.body, 'body');
      return ok(await admin.putSettings(deps, ctx, body));
    },
  },
  {
    method: 'GET',
    path: '/v1/api-keys',
    operationId: 'listApiKeys',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok({ items: (await deps.admin.listApiKeys(ctx.workspaceId)).map(apiKeyView) });
    },
  },
  {
    method: 'POST',
    path: '/v1/api-keys',
    operationId: 'createApiKey',
    async run(req, ctx, deps) {
      const body = parse(apiKeyBody, req.body, 'body');
      const key = await admin.createApiKey(deps, ctx.workspaceId, body.name, ctx.actor);
      return ok({ ...apiKeyView(key), apiKey: key.apiKey }, 201);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    operationId: 'revokeApiKey',
    async run(req, ctx, deps) {
      await deps.admin.revokeApiKey(ctx.workspaceId, req.params.keyId, deps.clock.now().toISOString());
      return noContent();
    },
  },
];
