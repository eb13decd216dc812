import { describe, expect, it } from 'vitest';
import { threadFacets } from '#adapters/dynamo/keys.ts';
import { chooseFacet, filterExpression, matchesFilter } from '#adapters/dynamo/thread-queries.ts';

describe('list facets', () => {
  it.each([
    [{}, 'all', {}],
    [{ status: 'open' as const }, 'status=open', {}],
    [{ customer: 'C1', status: 'open' as const }, 'customer=C1', { status: 'open' }],
    [{ tag: 'kyc', status: 'open' as const, assignee: 'a1' }, 'status=open&tag=kyc', { assignee: 'a1' }],
    [{ assignee: 'a1', status: 'waiting' as const }, 'status=waiting&assignee=a1', {}],
    [{ assignee: 'none', status: 'waiting' as const }, 'status=waiting&assignee=none', {}],
    [{ hasAttachments: true, status: 'closed' as const }, 'status=closed&attachments=true', {}],
    [{ hasAttachments: false, status: 'closed' as const }, 'status=closed', { hasAttachments: false }],
  ])('%j reads facet %s and filters %j', (filter, facet, remaining) => {
    expect(chooseFacet(filter)).toEqual({ facet, remaining });
  });

  it('only ever reads a facet that threadFacets() writes', () => {
    const thread = { status: 'open', assignee: 'a1', tags: ['kyc'], customerIds: ['C1'], hasAttachments: true };
    const written = threadFacets(thread);
    for (const filter of [
      {},
      { status: 'open' as const },
      { assignee: 'a1' },
      { tag: 'kyc' },
      { customer: 'C1' },
      { hasAttachments: true },
      { status: 'open' as const, assignee: 'a1' },
      { status: 'open' as const, tag: 'kyc' },
      { status: 'open' as const, hasAttachments: true },
    ])
      expect(written).toContain(chooseFacet(filter).facet);
    expect(threadFacets({ ...thread, assignee: undefined })).toContain(chooseFacet({ assignee: 'none' }).facet);
  });

  it('builds the FilterExpression of the rest, and the same test in memory', () => {
    expect(filterExpression({})).toBeNull();
    expect(filterExpression({ status: 'open', assignee: 'none', tag: 'kyc', hasAttachments: false })).toEqual({
      expression:
        '#status = :status AND attribute_not_exists(#assignee) AND contains(#tags, :tag) AND #hasAttachments = :hasAttachments',
      names: { '#status': 'status', '#assignee': 'assignee', '#tags': 'tags', '#hasAttachments': 'hasAttachments' },
      values: { ':status': 'open', ':tag': 'kyc', ':hasAttachments': false },
    });
    const entry = {
      threadId: 'T',
      ref: '1',
      customerIds: ['C1'],
      updatedAt: '2026-01-01T00:00:00.000Z',
      status: 'open' as const,
      subject: '',
      snippet: '',
      tags: ['kyc'],
      hasAttachments: false,
      attachmentNames: [],
      messageCount: 1,
      itemCount: 1,
    };
    expect(matchesFilter(entry, { status: 'open', assignee: 'none', tag: 'kyc', customer: 'C1' })).toBe(true);
    expect(matchesFilter(entry, { assignee: 'a1' })).toBe(false);
    expect(matchesFilter(entry, { hasAttachments: true })).toBe(false);
  });
});
