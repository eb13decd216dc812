/**
 * Which saved searches the side bar counts: only a filter that is exactly one list partition (the facet that
 * GET /v1/threads reads with nothing left to filter); keywords, unread and combinations beyond one facet are not.
 */
import { describe, expect, it } from 'vitest';
import { countableFacet } from '#api/routes/views.ts';

describe('countableFacet', () => {
  it('names the one list partition that holds a filter', () => {
    expect(countableFacet({ status: 'open' })).toBe('status=open');
    expect(countableFacet({ tag: 'KYC' })).toBe('tag=kyc');
    expect(countableFacet({ status: 'open', tag: 'kyc' })).toBe('status=open&tag=kyc');
    expect(countableFacet({ status: 'waiting', assignee: 'ana' })).toBe('status=waiting&assignee=ana');
    expect(countableFacet({ status: 'open', assignee: 'none' })).toBe('status=open&assignee=none');
    expect(countableFacet({ customer: 'C1' })).toBe('customer=C1');
    expect(countableFacet({ hasAttachments: 'true' })).toBe('attachments=true');
    expect(countableFacet({ quarantined: 'true' })).toBe('quarantine');
  });

  it('counts nothing that would need reading and filtering threads', () => {
    expect(countableFacet({ q: 'contrat' })).toBeNull();
    expect(countableFacet({ status: 'open', unread: 'true' })).toBeNull();
    expect(countableFacet({ tag: 'kyc', assignee: 'ana' })).toBeNull();
    expect(countableFacet({ customer: 'C1', status: 'open' })).toBeNull();
    expect(countableFacet({ hasAttachments: 'false' })).toBeNull();
    expect(countableFacet({ status: 'sleeping' })).toBeNull();
  });
});
