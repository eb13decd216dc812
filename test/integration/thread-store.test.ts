import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { ConcurrentUpdateError, DuplicateMessageError } from '#core/errors.ts';
import type { MessageItem } from '#core/model.ts';
import { newThread, withMessage, withStatus } from '#core/thread-state.ts';
import { freshTable } from '../support/ddb.ts';
import { inboundMessage } from '../support/threads.ts';

let store: DynamoThreadStore;
beforeAll(async () => {
  const t = await freshTable();
  store = new DynamoThreadStore(t.db, t.tableName);
});

const message = (ws: string, threadId: string, messageId: string, at: string): MessageItem =>
  inboundMessage({
    workspaceId: ws,
    threadId,
    messageId,
    at,
    from: { address: 'ann@example.com', name: 'Ann' },
    text: 'Hi there',
  });

describe('DynamoThreadStore', () => {
  it('creates a thread, refuses a duplicate Message-ID and a stale revision', async () => {
    const ws = ulid();
    const threadId = ulid();
    const at = '2026-11-23T10:00:00.000Z';
    const msg = message(ws, threadId, '<a@x>', at);
    const created = withMessage(
      newThread({ workspaceId: ws, threadId, ref: '1', subject: 'Hello', customerIds: ['c1'], at }),
      msg,
    );
    await store.commit({
      before: null,
      after: created,
      items: [msg],
      messageIds: [{ messageId: '<a@x>', threadId, itemId: msg.itemId, direction: 'inbound', dedupe: true }],
    });

    const stored = await store.getThread(ws, threadId);
    expect(stored).toMatchObject({ threadId, rev: 1, messageCount: 1, snippet: 'Hi there', status: 'open' });
    expect(await store.findThreadIdByRef(ws, '1')).toBe(threadId);
    expect(await store.findMessageIds(ws, ['<A@X>', 'a@x', '<missing@x>'])).toEqual([
      expect.objectContaining({ threadId, itemId: msg.itemId }),
    ]);

    const again = message(ws, threadId, '<a@x>', at);
    const dup = store.commit({
      before: stored,
      after: withMessage(stored!, again),
      items: [again],
      messageIds: [{ messageId: '<a@x>', threadId, itemId: again.itemId, direction: 'inbound', dedupe: true }],
    });
    await expect(dup).rejects.toBeInstanceOf(DuplicateMessageError);
    await expect(dup).rejects.toMatchObject({ existing: { threadId, itemId: msg.itemId } });

    const change = withStatus(
      stored!,
      { status: 'reminder', reminderIndex: 1 },
      { itemId: ulid(), at, actor: { kind: 'agent', id: 'ag1' } },
    )!;
    await store.commit({ before: stored, after: change.thread, items: [change.item] });
    await expect(store.commit({ before: stored, after: change.thread, items: [change.item] })).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );

    const feed = await store.listFeed(ws, threadId, { limit: 1 });
    expect(feed.items).toHaveLength(1);
    const rest = await store.listFeed(ws, threadId, { limit: 10, cursor: feed.cursor });
    expect([...feed.items, ...rest.items].map((i) => i.type)).toEqual(['message', 'update']);
    expect(await store.getThread(ws, threadId)).toMatchObject({
      rev: 2,
      statusVersion: 2,
      status: 'reminder',
      reminderIndex: 1,
      itemCount: 2,
    });
  });
});
