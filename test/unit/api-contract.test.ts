import { describe, expect, it } from 'vitest';
import { routes } from '#api/router.ts';
import { isAdminScope, SCOPES } from '#core/access.ts';
import { checkResponse, openapi, operations } from '../support/openapi.ts';

/** The OpenAPI document and the router agree: the same routes, the same operation ids. */
describe('OpenAPI contract', () => {
  it('is OpenAPI 3.1', () => {
    expect(openapi.openapi).toBe('3.1.0');
  });

  it('lists exactly the routes of the router, with the same operation ids', () => {
    const inDoc = operations()
      .map((o) => `${o.method} ${o.path} ${o.op.operationId}`)
      .sort();
    const inCode = routes.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort();
    expect(inDoc).toEqual(inCode);
  });

  it('names the scope of every operation as the router checks it, and marks the admin ones', () => {
    const inDoc = operations()
      .map((o) => `${o.op.operationId} ${o.op['x-scope']} ${o.op['x-admin'] === true}`)
      .sort();
    const inCode = routes
      .map(
        (r) => `${r.operationId} ${r.scope} ${r.scope !== 'endUser' && r.scope !== 'public' && isAdminScope(r.scope)}`,
      )
      .sort();
    expect(inDoc).toEqual(inCode);
    expect(openapi.components.schemas.Scope.enum).toEqual([...SCOPES]);
  });

  it('documents an error response and a success response for every operation, with schemas that compile', () => {
    for (const { method, path, op } of operations()) {
      expect(op.responses.default, `${method} ${path}`).toBeDefined();
      const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      expect(success, `${method} ${path}`).toHaveLength(1);
      // Compiling every documented response schema resolves every $ref on the way.
      for (const status of Object.keys(op.responses).filter((s) => s !== 'default'))
        expect(() => checkResponse(method, path, Number(status), undefined)).not.toThrow();
    }
  });

  it('validates the error shape', () => {
    const good = { error: { code: 'not_found', message: 'x', details: null } };
    expect(checkResponse('GET', '/v1/threads/{threadId}', 404, good)).toEqual([]);
    expect(checkResponse('GET', '/v1/threads/{threadId}', 404, { message: 'x' })).not.toEqual([]);
    expect(
      checkResponse('GET', '/v1/threads/{threadId}', 404, { error: { code: 'nope', message: 'x', details: 1 } }),
    ).not.toEqual([]);
  });

  it('declares every path parameter that the path template names', () => {
    for (const [path, item] of Object.entries<any>(openapi.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (item.parameters ?? [])
        .map((p: any) => (p.$ref ? openapi.components.parameters[p.$ref.split('/').pop()] : p))
        .filter((p: any) => p.in === 'path')
        .map((p: any) => p.name)
        .sort();
      expect(declared, path).toEqual(names);
    }
  });
});
