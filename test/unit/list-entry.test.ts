/** A list entry's card stays under its byte budget (issue 22: 1 write unit per facet, not 2). */
import { describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { cardOf, LIST_ENTRY_CARD_BYTES, listCardOf } from '#adapters/dynamo/thread-store.ts';
import type { Thread } from '#core/model.ts';
import { newThread } from '#core/thread-state.ts';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
const base = newThread({
  workspaceId: '01JWORKSPACE00000000000000',
  threadId: '01JTHREAD0000000000000000A',
  ref: '1042',
  subject: 'Invoice 1042',
  customerIds: ['01JCUSTOMER000000000000000'],
  at: '2026-12-06T02:00:00.000Z',
});

describe('listCardOf', () => {
  it('keeps a card that fits as it is', () => {
    expect(listCardOf(base)).toEqual(cardOf(base));
  });

  it('cuts the snippet first, then attachment names, then the subject, to the budget', () => {
    const long: Thread = {
      ...base,
      subject: '請求書'.repeat(100),
      snippet: 'お問い合わせ'.repeat(30),
      hasAttachments: true,
      attachmentNames: Array.from({ length: 5 }, (_, i) => `${'添付ファイル'.repeat(10)}-${i}.pdf`),
    };
    const card = listCardOf(long);
    expect(bytes(card)).toBeLessThanOrEqual(LIST_ENTRY_CARD_BYTES);
    expect(card.snippet === '' || card.snippet.endsWith('…')).toBe(true);
    expect(card.attachmentNames).toEqual(long.attachmentNames.slice(0, 1));
    expect(card.subject.endsWith('…')).toBe(true);
    expect(long.subject.startsWith(card.subject.slice(0, -1))).toBe(true);
    // With its keys, the whole entry stays under 1 KB.
    const entry = {
      ...keys.listEntry(base.workspaceId, base.threadId, 'status=open&assignee=none', long.updatedAt),
      entity: 'listEntry',
      ...card,
    };
    expect(bytes(entry)).toBeLessThan(1024);
  });
});
