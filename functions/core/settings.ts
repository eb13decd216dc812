import type { WorkspaceSettings } from './model.ts';

const DAY = 86_400;

/** The product's default policy: 2 reminders, 3 days apart, then 3 days of waiting, then reopen (9 days). */
export const DEFAULT_SETTINGS: WorkspaceSettings = {
  policy: {
    reminders: 2,
    reminderDelaysSeconds: [3 * DAY, 3 * DAY],
    waitingDelaySeconds: 3 * DAY,
    afterWaiting: 'open',
  },
  sendCapPerAddress: 20,
  sendCapWindowSeconds: 3600,
};
