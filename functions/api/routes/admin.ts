/** Routes of templates, workspace settings and API keys. */
import type { ApiDeps } from '../deps.ts';
import { listBody, noContent, ok, parse, type Route } from '../http.ts';
import { apiKeyBody, noQuery, pageOnlyQuery, previewBody, settingsBody, templateBody } from '../schemas.ts';
import * as admin from '../use-cases/admin.ts';
import { apiKeyView, templateView } from '../views.ts';

export const adminRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/templates',
    operationId: 'listTemplates',
    async run(req, ctx, deps) {
      const query = parse(pageOnlyQuery, req.query, 'query');
      return ok(listBody(await deps.admin.listTemplates(ctx.workspaceId, query), templateView));
    },
  },
  {
    method: 'POST',
    path: '/v1/templates',
    operationId: 'createTemplate',
    async run(req, ctx, deps) {
      const body = parse(templateBody, req.body, 'body');
      return ok(templateView(await admin.saveTemplate(deps, ctx, body)), 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/templates/{templateId}',
    operationId: 'getTemplate',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(templateView(await admin.requireTemplate(deps, ctx, req.params.templateId)));
    },
  },
  {
    method: 'PUT',
    path: '/v1/templates/{templateId}',
    operationId: 'replaceTemplate',
    async run(req, ctx, deps) {
      const body = parse(templateBody, req.body, 'body');
      return ok(templateView(await admin.saveTemplate(deps, ctx, body, req.params.templateId)));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/templates/{templateId}',
    operationId: 'deleteTemplate',
    async run(req, ctx, deps) {
      await deps.admin.deleteTemplate(ctx.workspaceId, req.params.templateId);
      return noContent();
    },
  },
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
