/** Routes of notifications: the acting agent's bell and preferences, and the workspace's defaults. */
import * as z from 'zod/mini';
import { NOTIFICATION_EVENTS } from '#core/notifications/rules.ts';
import type { ApiDeps } from '../deps.ts';
import { listBody, ok, pageQuery, parse, type Route } from '../http.ts';
import { booleanString, noQuery } from '../schemas.ts';
import * as notifications from '../use-cases/notifications.ts';

const listQuery = z.strictObject({
  ...pageQuery,
  unread: z.optional(booleanString),
  /** Only one event (the Mentions list): a filter on the page read, so a page may be short. */
  event: z.optional(z.enum(NOTIFICATION_EVENTS)),
});
const readBody = z.strictObject({
  notificationIds: z
    .array(z.string().check(z.regex(/^\d{17}-[0-9a-f]{16}$/, 'must be a notification id')))
    .check(z.minLength(1), z.maxLength(100)),
});

export const notificationRoutes: Route<ApiDeps>[] = [
  {
    method: 'GET',
    path: '/v1/notifications',
    operationId: 'listNotifications',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const query = parse(listQuery, req.query, 'query');
      const out = await notifications.listNotifications(deps, ctx, query);
      return ok({
        ...listBody(out.page, notifications.notificationView),
        unreadCount: out.unreadCount,
        unreadMore: out.unreadMore,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/notifications/read',
    operationId: 'markNotificationsRead',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      const body = parse(readBody, req.body, 'body');
      return ok(await notifications.markNotificationsRead(deps, ctx, body.notificationIds));
    },
  },
  {
    method: 'GET',
    path: '/v1/notifications/preferences',
    operationId: 'getNotificationPreferences',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(await notifications.getPreferences(deps, ctx));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/notifications/preferences',
    operationId: 'updateNotificationPreferences',
    scope: 'threads:read',
    async run(req, ctx, deps) {
      return ok(await notifications.updatePreferences(deps, ctx, req.body));
    },
  },
  {
    method: 'GET',
    path: '/v1/settings/notifications',
    operationId: 'getNotificationDefaults',
    scope: 'settings:read',
    async run(req, ctx, deps) {
      parse(noQuery, req.query, 'query');
      return ok(await notifications.getWorkspaceDefaults(deps, ctx));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/settings/notifications',
    operationId: 'updateNotificationDefaults',
    scope: 'settings:write',
    async run(req, ctx, deps) {
      return ok(await notifications.updateWorkspaceDefaults(deps, ctx, req.body));
    },
  },
];
