import { describe, expect, it } from 'vitest';
import { listThreadsQuery } from '#api/schemas.ts';
import { openapi, operations } from '../support/openapi.ts';

/** The thread list's query string: what the OpenAPI document says is what the route accepts. */
describe('GET /v1/threads query parameters (contract)', () => {
  const op = operations().find((o) => o.method === 'GET' && o.path === '/v1/threads')!.op;
  const params = (op.parameters as any[])
    .map((p) => (p.$ref ? openapi.components.parameters[p.$ref.split('/').pop()] : p))
    .filter((p) => p.in === 'query');

  it('documents exactly the parameters that the schema accepts', () => {
    expect(params.map((p) => p.name).sort()).toEqual(Object.keys(listThreadsQuery.shape).sort());
  });

  it('documents updatedSince as a bounded date-time, and the schema agrees', () => {
    const updatedSince = params.find((p) => p.name === 'updatedSince');
    expect(updatedSince.schema).toEqual({ type: 'string', format: 'date-time', maxLength: 40 });
    const ok = listThreadsQuery.safeParse({ updatedSince: '2026-11-30T11:00:00+01:00' });
    expect(ok.success && ok.data.updatedSince).toBe('2026-11-30T10:00:00.000Z');
    expect(listThreadsQuery.safeParse({ updatedSince: '2026-11-30' }).success).toBe(false);
    expect(listThreadsQuery.safeParse({ updatedSince: `2026-11-30T10:00:00.${'0'.repeat(40)}Z` }).success).toBe(false);
  });
});
