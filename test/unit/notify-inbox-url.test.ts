/** The Inbox's URL travels with a mail run (functions/core/notifications/notify.ts; docs/deploy.md). */
import { describe, expect, it } from 'vitest';
import { ensureMailRun } from '#core/notifications/notify.ts';

function deps(inboxUrl?: string) {
  const started: Array<{ name: string; input: unknown }> = [];
  return {
    started,
    deps: {
      notifications: { scheduleMailRun: async (_w: string, _a: string, _t: string, runAt: string) => runAt } as never,
      starter: {
        start: async (name: string, input: unknown) => {
          started.push({ name, input });
        },
        stop: async () => {},
      } as never,
      clock: { now: () => new Date('2026-12-06T10:00:00.000Z') },
      gatherSeconds: 60,
      ...(inboxUrl ? { inboxUrl } : {}),
    },
  };
}

describe('a mail run carries the Inbox URL', () => {
  it('in its input when the dispatcher knows it, and not otherwise (the workflow step then uses its own)', async () => {
    const withUrl = deps('https://d111.cloudfront.net');
    await ensureMailRun(withUrl.deps, 'ws', 'ana', 't1', { pending: ['n1'] });
    expect(withUrl.started[0].input).toMatchObject({
      action: 'notifyMail',
      runAt: '2026-12-06T10:01:00.000Z',
      delaySeconds: 60,
      inboxUrl: 'https://d111.cloudfront.net',
    });
    const without = deps();
    await ensureMailRun(without.deps, 'ws', 'ana', 't1', { pending: ['n1'] });
    expect(without.started[0].input).not.toHaveProperty('inboxUrl');
  });
});
