/**
 * Drafts and presence: what agents are writing and viewing in a thread, kept on the server so that a
 * draft survives a reload or a change of device and colleagues see "Ana is writing".
 */

export interface DraftFields {
  to?: string[];
  cc?: string[];
  /** Blind copies: sent as the messages route sends them (SES destinations only). */
  bcc?: string[];
  /** Quote the customer's last message (default true), as on the messages route. */
  quote?: boolean;
  subject?: string;
  text?: string;
  html?: string;
  templateId?: string;
  variables?: Record<string, string | number>;
}

export interface Draft extends DraftFields {
  workspaceId: string;
  threadId: string;
  draftId: string;
  /** The agent who writes it; only they read its content, edit, discard or send it. */
  agentId: string;
  agentName?: string;
  /** Bumped by every edit: an edit may name the version it saw (409 when stale). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A draft item stays far below DynamoDB's 400 KB: its fields together are at most this many bytes. */
export const DRAFT_MAX_BYTES = 256 * 1024;
/** Drafts per thread and agent: a bound on what a thread partition holds. */
export const MAX_DRAFTS_PER_AGENT = 20;

export type PresenceState = 'viewing' | 'writing';

export interface Presence {
  threadId: string;
  agentId: string;
  agentName?: string;
  state: PresenceState;
  /** When this state was last reported. */
  at: string;
  /** Epoch seconds: the item's TTL; readers ignore an expired one (TTL deletion lags). */
  expiresAt: number;
}

/** How long a presence lasts without a heartbeat. Clients report every 20 s or so. */
export const PRESENCE_TTL_SECONDS = 60;

/** Unread for an agent: the thread has a message newer than the last one the agent saw. */
export function isUnread(lastMessageAt: string | undefined, readAt: string | undefined): boolean {
  if (!lastMessageAt) return false;
  return readAt === undefined || lastMessageAt > readAt;
}
