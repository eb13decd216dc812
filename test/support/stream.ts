/**
 * The table stream's dispatcher as integration tests wire it on startLocalLifecycle: the real dispatch
 * handler, then the notifications (and whatever a test layers on top), with a log that keeps the errors.
 */
import type { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { createDispatchHandler, type HandlerLog } from '#adapters/lifecycle-handlers.ts';
import { withNotifications } from '#adapters/notification-stream.ts';
import type { WorkflowStarter } from '#core/ports.ts';
import type { TestApi } from './api.ts';

/** A stream handler's log that keeps each error in `errors` (a test expects none) and drops the rest. */
export const errorsInto = (errors: unknown[]): HandlerLog => ({
  info() {},
  warn() {},
  error: (m, e) => errors.push({ m, ...e }),
});

/** The dispatcher with notifications on the real clock, a 60 s gathering delay. */
export function dispatchWithNotifications(
  api: TestApi,
  notifications: DynamoNotificationStore,
  starter: WorkflowStarter,
  log?: HandlerLog,
) {
  return withNotifications(
    createDispatchHandler({ directory: api.admin, starter }),
    {
      notifications,
      agents: api.agents,
      threads: api.threads,
      starter,
      clock: { now: () => new Date() },
      gatherSeconds: 60,
    },
    log,
  );
}
