/**
 * What in the table's stream raises a notice: a feed item added (an assignment, a customer's answer, a
 * comment with mentions) or a thread created by a customer's first message. Pure: the adapter decodes
 * the stream record into these shapes (functions/adapters/notification-stream.ts).
 */
import type { FeedItem, Thread } from '../model.ts';
import type { Notice } from './rules.ts';

const EXCERPT_CHARS = 140;

const excerptOf = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);

/** A written item as the stream shows it: only insertions raise notices (a repeat delivery is the same insertion). */
export type StreamChange = { kind: 'feedInserted'; item: FeedItem } | { kind: 'threadInserted'; thread: Thread };

export function noticesOf(change: StreamChange): Notice[] {
  if (change.kind === 'threadInserted') {
    const t = change.thread;
    // A thread an agent starts is committed before its first message (messageCount 0); ingest commits
    // a customer's thread with its message. Quarantined and merged threads are nobody's work.
    if (t.messageCount < 1 || t.quarantined || t.mergedInto) return [];
    return [
      {
        workspaceId: t.workspaceId,
        threadId: t.threadId,
        event: 'newThread',
        at: t.createdAt,
        sourceId: `thread-${t.threadId}`,
        assigned: Boolean(t.assignee),
        ...(t.snippet ? { excerpt: excerptOf(t.snippet) } : {}),
      },
    ];
  }
  const item = change.item;
  const base = { workspaceId: item.workspaceId, threadId: item.threadId, at: item.at, sourceId: item.itemId };
  switch (item.type) {
    case 'update':
      if (item.field !== 'assignee' || typeof item.to !== 'string' || item.to === '') return [];
      return [{ ...base, event: 'assigned', actor: item.actor, agentIds: [item.to] }];
    case 'comment':
      if (!item.mentions?.length) return [];
      return [
        { ...base, event: 'mentioned', actor: item.actor, agentIds: item.mentions, excerpt: excerptOf(item.body) },
      ];
    case 'message':
      // A customer's real answer: not an agent's, not automated mail, not a stranger's or a quarantined mail.
      if (item.direction !== 'inbound' || item.classification !== 'ordinary') return [];
      if (item.flags?.unverifiedSender || item.flags?.quarantined || item.flags?.spam) return [];
      return [{ ...base, event: 'answered', excerpt: excerptOf(item.newText) }];
  }
}
