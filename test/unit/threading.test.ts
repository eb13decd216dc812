import { describe, expect, it } from 'vitest';
import type { Thread } from '#core/model.ts';
import { newThread } from '#core/thread-state.ts';
import { bestHeaderMatch, decideThread, oldest, subjectTagRef, threadingCandidates } from '#core/threading.ts';

const thread = (threadId: string, customerIds: string[], status: Thread['status'] = 'open'): Thread => ({
  ...newThread({ workspaceId: 'ws', threadId, ref: '7', subject: 's', customerIds, at: '2026-11-23T10:00:00Z' }),
  status,
});
const none = {
  tokenThread: null,
  headerThreads: [] as Thread[],
  tagThread: null,
  senderCustomerIds: [] as string[],
  mayMerge: true,
};

describe('decideThread', () => {
  it.each([
    ['no match: new thread', none, { kind: 'new', reason: 'no-match' }],
    [
      'token from a contact: append, verified',
      { ...none, tokenThread: thread('T1', ['c1']), senderCustomerIds: ['c1'] },
      { kind: 'append', via: 'token', verifiedSender: true },
    ],
    [
      'token wins over headers',
      { ...none, tokenThread: thread('T1', ['c1']), headerThreads: [thread('T2', ['c1'])], senderCustomerIds: ['c1'] },
      { kind: 'append', via: 'token', thread: expect.objectContaining({ threadId: 'T1' }) },
    ],
    [
      'header match from a non-contact: append, unverified',
      { ...none, headerThreads: [thread('T2', ['c1'])], senderCustomerIds: ['c9'] },
      { kind: 'append', via: 'header', verifiedSender: false },
    ],
    [
      'token from an unknown sender: append, unverified',
      { ...none, tokenThread: thread('T1', ['c1']) },
      { kind: 'append', via: 'token', verifiedSender: false },
    ],
    [
      'subject tag from a contact: append',
      { ...none, tagThread: thread('T3', ['c1', 'c2']), senderCustomerIds: ['c2'] },
      { kind: 'append', via: 'subject', verifiedSender: true },
    ],
    [
      'subject tag from a non-contact: new thread',
      { ...none, tagThread: thread('T3', ['c1']), senderCustomerIds: ['c9'] },
      { kind: 'new', reason: 'subject-tag-from-non-contact' },
    ],
    [
      'closed thread by headers: new linked thread',
      { ...none, headerThreads: [thread('T4', ['c1'], 'closed')], senderCustomerIds: ['c1'] },
      { kind: 'new', reason: 'closed', linkedThreadId: 'T4' },
    ],
    [
      'closed thread by token: new linked thread',
      { ...none, tokenThread: thread('T5', ['c1'], 'closed') },
      { kind: 'new', reason: 'closed', linkedThreadId: 'T5', via: 'token' },
    ],
    [
      'closed thread by subject tag from a contact: new linked thread',
      { ...none, tagThread: thread('T6', ['c1'], 'closed'), senderCustomerIds: ['c1'] },
      { kind: 'new', reason: 'closed', linkedThreadId: 'T6', via: 'subject' },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(decideThread(facts)).toMatchObject(expected);
  });
});

describe('decideThread: headers that name two live threads', () => {
  const older = { ...thread('T1', ['c1']), createdAt: '2026-11-23T09:00:00Z' };
  const newer = thread('T2', ['c1']);
  it('merges them into the oldest when the sender is a contact of both', () => {
    expect(decideThread({ ...none, headerThreads: [newer, older], senderCustomerIds: ['c1'] })).toEqual({
      kind: 'merge',
      survivor: older,
      merged: [newer],
    });
  });
  it.each([
    ['a stranger to one of them', { senderCustomerIds: ['c9'] }],
    ['spam, quarantined or auth-failed mail', { senderCustomerIds: ['c1'], mayMerge: false }],
  ])('appends to the nearest one, without merging, for %s', (_n, over) => {
    const other = { ...thread('T3', ['c9']), createdAt: '2026-11-23T08:00:00Z' };
    const facts = { ...none, headerThreads: [newer, over.senderCustomerIds[0] === 'c9' ? other : older], ...over };
    expect(decideThread(facts)).toMatchObject({ kind: 'append', thread: { threadId: 'T2' } });
  });
  it('never merges a closed thread', () => {
    const closed = { ...older, status: 'closed' as const };
    expect(decideThread({ ...none, headerThreads: [newer, closed], senderCustomerIds: ['c1'] })).toMatchObject({
      kind: 'append',
      thread: { threadId: 'T2' },
    });
  });
  it('picks the same survivor whatever the order (ties broken by id)', () => {
    const a = thread('TA', ['c1']);
    const b = thread('TB', ['c1']);
    expect(oldest([a, b]).threadId).toBe('TA');
    expect(oldest([b, a]).threadId).toBe('TA');
  });
});

describe('header candidates', () => {
  it('puts In-Reply-To first, then References nearest first, unique and capped', () => {
    expect(threadingCandidates('<c@x>', ['<a@x>', '<b@x>', '<C@x>'])).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(threadingCandidates(undefined, [])).toEqual([]);
    expect(
      threadingCandidates(
        undefined,
        Array.from({ length: 500 }, (_, i) => `<${i}@x>`),
      ),
    ).toHaveLength(50);
  });

  it('picks the best known candidate, whatever the brackets and case', () => {
    const known = [
      { messageId: 'a@x', threadId: 'TA', itemId: '1', direction: 'inbound' as const },
      { messageId: 'b@x', threadId: 'TB', itemId: '2', direction: 'outbound' as const },
    ];
    expect(bestHeaderMatch(['<B@X>', '<a@x>'], known)?.threadId).toBe('TB');
    expect(bestHeaderMatch(['<z@x>'], known)).toBeNull();
  });
});

describe('subjectTagRef', () => {
  it.each([
    ['Re: Invoice [#42]', '42'],
    ['[#7] Re: [#42] thing', '42'],
    ['no tag', null],
    ['[# 42]', null],
    ['[#ABC-12]', 'ABC-12'],
  ])('%s → %s', (subject, ref) => {
    expect(subjectTagRef(subject)).toBe(ref);
  });
});
