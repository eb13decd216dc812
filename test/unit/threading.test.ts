import { describe, expect, it } from 'vitest';
import type { Thread } from '../../functions/core/model.ts';
import { newThread } from '../../functions/core/thread-state.ts';
import { bestHeaderMatch, decideThread, subjectTagRef, threadingCandidates } from '../../functions/core/threading.ts';

const thread = (threadId: string, customerIds: string[], status: Thread['status'] = 'open'): Thread => ({
  ...newThread({ workspaceId: 'ws', threadId, ref: '7', subject: 's', customerIds, at: '2026-11-23T10:00:00Z' }),
  status,
});
const none = { tokenThread: null, headerThread: null, tagThread: null, senderCustomerIds: [] as string[] };

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
      { ...none, tokenThread: thread('T1', ['c1']), headerThread: thread('T2', ['c1']), senderCustomerIds: ['c1'] },
      { kind: 'append', via: 'token', thread: expect.objectContaining({ threadId: 'T1' }) },
    ],
    [
      'header match from a non-contact: append, unverified',
      { ...none, headerThread: thread('T2', ['c1']), senderCustomerIds: ['c9'] },
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
      { ...none, headerThread: thread('T4', ['c1'], 'closed'), senderCustomerIds: ['c1'] },
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
