/**
 * Notifications: which agent is told of what, on which channel. Pure rules: the events, the channels,
 * the defaults (workspace and agent), and who receives a notice. See docs/notifications.md.
 */
import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import type { Actor } from '../model.ts';

/** What an agent can be told of. `slaWarning` and `slaBreach` are emitted by the SLA timers. */
export const NOTIFICATION_EVENTS = [
  'assigned',
  'answered',
  'mentioned',
  'newThread',
  'slaWarning',
  'slaBreach',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** `app`: the Inbox's bell (stored items, pushed live); `browser`: the Inbox's own browser notifications; `email`. */
export const NOTIFICATION_CHANNELS = ['app', 'browser', 'email'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export type ChannelRules = Record<NotificationChannel, boolean>;
export type NotificationRules = Record<NotificationEvent, ChannelRules>;

/** The views a new thread can be followed in. */
export const FOLLOWABLE_VIEWS = ['unassigned', 'all'] as const;
export type FollowableView = (typeof FOLLOWABLE_VIEWS)[number];

export interface NotificationPreferences {
  rules: NotificationRules;
  /** Views whose new threads raise `newThread` (when that rule is on). */
  followedViews: FollowableView[];
}

const on: ChannelRules = { app: true, browser: true, email: true };
const off: ChannelRules = { app: false, browser: false, email: false };

/** The product's defaults: assigned, answered-on-mine and mentions on in every channel; the rest off. */
export const DEFAULT_RULES: NotificationRules = {
  assigned: on,
  answered: on,
  mentioned: on,
  newThread: off,
  slaWarning: off,
  slaBreach: off,
};

/** Admins follow the Unassigned view by default; other roles follow none. */
export function defaultFollowedViews(role: string): FollowableView[] {
  return role === 'admin' ? ['unassigned'] : [];
}

const channelRules = z.partial(z.strictObject({ app: z.boolean(), browser: z.boolean(), email: z.boolean() }));
const rulesPatch = z.partial(
  z.strictObject(
    Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, channelRules])) as Record<
      NotificationEvent,
      typeof channelRules
    >,
  ),
);
/** A change of preferences (an agent's own, or the workspace's defaults): only what changes. */
export const preferencesPatchSchema = z.strictObject({
  rules: z.optional(rulesPatch),
  followedViews: z.optional(z.array(z.enum(FOLLOWABLE_VIEWS)).check(z.maxLength(FOLLOWABLE_VIEWS.length))),
});
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

export function parsePreferencesPatch(input: unknown): PreferencesPatch {
  const out = preferencesPatchSchema.safeParse(input);
  if (!out.success)
    throw new ValidationError(
      'invalid notification preferences',
      out.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return out.data;
}

/** Rules over rules: each event's channels from `patch` where it says, else from `base`. */
export function mergeRules(base: NotificationRules, patch: PreferencesPatch['rules'] | undefined): NotificationRules {
  const out = { ...base };
  for (const e of NOTIFICATION_EVENTS) {
    const p = patch?.[e];
    if (p)
      out[e] = {
        ...base[e],
        ...(Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<ChannelRules>),
      };
  }
  return out;
}

/**
 * An agent's effective preferences: the product defaults, then the workspace's defaults, then the
 * agent's own choices. Followed views: the agent's own when set, else the workspace's, else the role's.
 */
export function effectivePreferences(
  role: string,
  workspace: PreferencesPatch | undefined,
  agent: PreferencesPatch | undefined,
): NotificationPreferences {
  const rules = mergeRules(mergeRules(DEFAULT_RULES, workspace?.rules), agent?.rules);
  const followedViews = agent?.followedViews ?? workspace?.followedViews ?? defaultFollowedViews(role);
  return { rules, followedViews: [...new Set(followedViews)] };
}

/** The channels on for one event; empty means the agent is not told. */
export function channelsFor(prefs: NotificationPreferences, event: NotificationEvent): NotificationChannel[] {
  return NOTIFICATION_CHANNELS.filter((c) => prefs.rules[event][c]);
}

/** Something happened that may concern agents: one thread, one source (a feed item, the thread itself). */
export interface Notice {
  workspaceId: string;
  threadId: string;
  event: NotificationEvent;
  /** When it happened (the source item's time): the notification's time. */
  at: string;
  /** The feed item (or thread, or SLA timer) it came from: with the agent and event, the idempotency key. */
  sourceId: string;
  actor?: Actor;
  /** Named recipients (mentions, the new assignee); the rest are found from the thread. */
  agentIds?: string[];
  /** For `newThread`: whether the new thread has an assignee. */
  assigned?: boolean;
  /** A short excerpt of the source (a comment's text, a message's snippet). */
  excerpt?: string;
}

/** What the rules need to know of a thread and its people to choose the recipients. */
export interface RecipientContext {
  assignee?: string;
  /** Agents who follow the thread (a mention makes one follow). */
  followers: string[];
  /** Agents of the workspace with the views they follow (for `newThread` only). */
  viewFollowers?: Array<{ agentId: string; followedViews: FollowableView[] }>;
}

/**
 * Who is concerned by a notice (before preferences): never the actor who caused it.
 * - assigned: the new assignee; mentioned: the agents named;
 * - answered: the assignee and the thread's followers;
 * - newThread: the agents who follow a view the thread is in (unassigned, all);
 * - slaWarning/slaBreach: the assignee, else the agents named (the SLA says whom).
 */
export function recipientsOf(notice: Notice, ctx: RecipientContext): string[] {
  const actor = notice.actor?.kind === 'agent' ? notice.actor.id : undefined;
  let ids: string[];
  switch (notice.event) {
    case 'assigned':
    case 'mentioned':
      ids = notice.agentIds ?? [];
      break;
    case 'answered':
      ids = [...(ctx.assignee ? [ctx.assignee] : []), ...ctx.followers];
      break;
    case 'newThread':
      ids = (ctx.viewFollowers ?? [])
        .filter((f) => f.followedViews.includes('all') || (!notice.assigned && f.followedViews.includes('unassigned')))
        .map((f) => f.agentId);
      break;
    case 'slaWarning':
    case 'slaBreach':
      ids = ctx.assignee ? [ctx.assignee] : (notice.agentIds ?? []);
      break;
  }
  return [...new Set(ids)].filter((id) => id !== actor);
}
