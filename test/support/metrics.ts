/**
 * The metrics' stream images (core/reports/metrics.ts) for unit tests: one thread `T` of workspace `WS`,
 * opened at 09:00 on 2 November 2026, and its messages; each test overrides what it is about.
 */
import type { MessageImage, ThreadImage } from '#core/reports/metrics.ts';

export const WS = 'W1';
export const T = 'T1';

/** The thread, open since 09:00 with no tags. */
export const threadImage = (over: Partial<ThreadImage> = {}): ThreadImage => ({
  workspaceId: WS,
  threadId: T,
  status: 'open',
  statusVersion: 1,
  tags: [],
  createdAt: '2026-11-02T09:00:00.000Z',
  updatedAt: '2026-11-02T09:00:00.000Z',
  ...over,
});

/** A message on it: by default the customer's email at 09:00 (a random item id unless given). */
export const messageImage = (over: Partial<MessageImage> = {}): MessageImage => ({
  workspaceId: WS,
  threadId: T,
  itemId: `I${Math.random()}`,
  at: '2026-11-02T09:00:00.000Z',
  direction: 'inbound',
  fromCustomer: true,
  automated: false,
  copy: false,
  channel: 'email',
  ...over,
});
