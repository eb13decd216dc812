import { describe, expect, it } from 'vitest';
import { auditVerdict } from '../../scripts/audit-prod.ts';

/** The shape of `npm audit --json` (npm 7 and later), cut down to what the verdict reads. */
const report = (counts: Record<string, number>, vulnerabilities: Record<string, { severity: string }> = {}) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...counts } },
  });

describe('the production audit of npm test', () => {
  it('fails on a high or a critical advisory, and names the packages', () => {
    expect(auditVerdict(report({ high: 1 }, { 'fast-xml-parser': { severity: 'high' } }))).toEqual({
      kind: 'vulnerable',
      counts: expect.objectContaining({ high: 1 }),
      packages: ['fast-xml-parser (high)'],
    });
    expect(auditVerdict(report({ critical: 2 })).kind).toBe('vulnerable');
  });

  it('passes on moderate and low advisories only', () => {
    expect(auditVerdict(report({ moderate: 3, low: 1 }, { x: { severity: 'moderate' } })).kind).toBe('clean');
  });

  it('says NOT CHECKED, never clean, when the registry gave no report (offline, or an endpoint that refuses)', () => {
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
    });
    expect(auditVerdict(refused)).toEqual({ kind: 'unchecked', reason: expect.stringContaining('405') });
    expect(auditVerdict('').kind).toBe('unchecked');
  });
});
