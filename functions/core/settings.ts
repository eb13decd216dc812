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

/**
 * A workspace's effective settings: what it stored over `defaults` (DEFAULT_SETTINGS, or the deploy-time
 * defaults of `Config.defaultSettings`). The policy is merged field by field, so a workspace that stored
 * only some of it keeps the defaults of the rest.
 */
export function effectiveSettings(
  stored: Partial<WorkspaceSettings> | undefined,
  defaults: WorkspaceSettings = DEFAULT_SETTINGS,
): WorkspaceSettings {
  return { ...defaults, ...stored, policy: { ...defaults.policy, ...stored?.policy } };
}
