import fc from 'fast-check';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#api/router.ts';
import { createAgentTokenVerifier } from '#auth/agent-token.ts';
import { apiEvent, createTestApi, type TestApi } from '../support/api.ts';
import { enableChat, hostKeys } from '../support/chat.ts';
import { openapi, operations } from '../support/openapi.ts';

/**
 * Bad input gets a 4xx, never a 5xx, and always the one error shape: malformed bodies, paths and query
 * strings are thrown at every route.
 */
let api: TestApi;
let ws: { workspaceId: string; apiKey: string };
const ids: Record<string, string> = {};

/** A signing key of a pool that the API trusts: tokens go through the real verifier (jose). */
let signToken: (claims: Record<string, unknown>) => Promise<string>;
const AGENT = 'fuzz-agent';

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'fuzz', alg: 'RS256' };
  const issuer = 'http://127.0.0.1:1/local_fuzz';
  signToken = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'fuzz' })
      .setIssuer(issuer)
      .setExpirationTime('1h')
      .sign(privateKey);
  api = await createTestApi({
    verifyAgentToken: createAgentTokenVerifier(
      { issuer, clientIds: ['fuzz-client'] },
      createLocalJWKSet({ keys: [jwk] }),
    ),
  });
  ws = await api.cliWorkspace('Fuzz', `fuzz-${ulid().toLowerCase()}@fuzz.example`);
  const call = (m: string, p: string, o: Parameters<TestApi['call']>[3] = {}) => api.call(ws.apiKey, m, p, o);
  ids.customerId = (await call('POST', '/v1/customers', { body: { name: 'c' } })).body.customerId;
  const email = `x-${ulid().toLowerCase()}@fuzz.example`;
  ids.contactId = (await call('POST', '/v1/contacts', { body: { email } })).body.contactId;
  await call('PUT', `/v1/customers/${ids.customerId}/contacts/${ids.contactId}`);
  ids.templateId = (await call('POST', '/v1/templates', { body: { name: 't', body: 'x' } })).body.templateId;
  const started = await call('POST', '/v1/threads', {
    body: { customerIds: [ids.customerId], to: [email], subject: 's', text: 't', status: 'keep' },
  });
  ids.threadId = started.body.thread.threadId;
  ids.attachmentId = 'none';
  ids.keyId = ulid();
  await api.agents.putAgent({
    workspaceId: ws.workspaceId,
    agentId: AGENT,
    email: 'fuzz@agents.example',
    name: 'Fuzz',
    role: 'admin',
    createdAt: new Date().toISOString(),
  });
  ids.agentId = AGENT;
  ids.draftId = (
    await call('POST', `/v1/threads/${ids.threadId}/drafts`, { headers: { 'X-Agent-Id': AGENT }, body: { text: 'd' } })
  ).body.draftId;
  agentToken = await signToken({
    sub: AGENT,
    token_use: 'id',
    aud: 'fuzz-client',
    'cognito:groups': [`ws_${ws.workspaceId}`],
  });
  // Chat and the widget: widget routes get a valid widget token, so the fuzz reaches their validation.
  enableChat(api, { perEndUser: 1_000_000, perWorkspace: 1_000_000 });
  const host = await hostKeys('ES256', () => api.clock.at);
  await call('PUT', '/v1/settings/widget', { body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [] } });
  ids.workspaceId = ws.workspaceId;
  const jwt = await host.sign(ws.workspaceId, { sub: 'fuzz', email, customerIds: [ids.customerId] });
  const session = await api.call(undefined, 'POST', '/v1/widget/session', {
    body: { workspaceId: ws.workspaceId, token: jwt },
  });
  widgetToken = session.body.widgetToken;
});
let widgetToken = '';
let agentToken: string;

const HAND_FIELDS = [
  'version',
  'status',
  'reminderIndex',
  'assignee',
  'tags',
  'customerIds',
  'subject',
  'to',
  'cc',
  'text',
  'html',
  'templateId',
  'variables',
  'attachments',
  'idempotencyKey',
  'body',
  'name',
  'externalId',
  'email',
  'policy',
  'sendCapPerAddress',
  'sendCapWindowSeconds',
  'threadId',
  'contentBase64',
  'filename',
  'reminders',
  'state',
  'role',
  'scopes',
  'contact',
  'clientMessageId',
  'channel',
  'token',
  'workspaceId',
  'upTo',
  'at',
  'type',
  'enabled',
  'jwks',
  'jwksUrl',
  'keys',
  'allowedOrigins',
  'anonymous',
  'issuer',
  'externalId',
  'contentType',
  'size',
  'uploadId',
];
const HAND_QUERY_KEYS = [
  'status',
  'assignee',
  'tag',
  'customer',
  'q',
  'hasAttachments',
  'unread',
  'limit',
  'cursor',
  'email',
  'x',
];

/** Every property name of a schema, through its $refs, combinators, items and nested objects. */
function propertyNames(schema: any, seen = new Set<any>()): string[] {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
  seen.add(schema);
  if (typeof schema.$ref === 'string')
    return propertyNames(openapi.components.schemas[schema.$ref.split('/').pop()], seen);
  return [
    ...Object.keys(schema.properties ?? {}),
    ...Object.values(schema.properties ?? {}).flatMap((p) => propertyNames(p, seen)),
    ...['allOf', 'oneOf', 'anyOf'].flatMap((k) => (schema[k] ?? []).flatMap((s: any) => propertyNames(s, seen))),
    ...propertyNames(schema.items, seen),
    ...(typeof schema.additionalProperties === 'object' ? propertyNames(schema.additionalProperties, seen) : []),
  ];
}

/**
 * The fields and query keys that the fuzz throws: every one the OpenAPI document names for a request (so a
 * new route's are thrown with no edit here), and the hand-picked ones above.
 */
const FIELDS = [
  ...new Set([
    ...HAND_FIELDS,
    ...operations().flatMap(({ op }) => propertyNames(op.requestBody?.content?.['application/json']?.schema)),
  ]),
];
const QUERY_KEYS = [
  ...new Set([
    ...HAND_QUERY_KEYS,
    ...operations().flatMap(({ op }) =>
      (op.parameters ?? [])
        .map((p: any) => (p.$ref ? openapi.components.parameters[p.$ref.split('/').pop()] : p))
        .filter((p: any) => p?.in === 'query')
        .map((p: any) => p.name as string),
    ),
  ]),
];

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '#',
    '%',
    '%zz',
    '..',
    'a#b',
    'WS#x',
    '\u0000',
    '\ud800',
    'x'.repeat(5000),
    '-1',
    '1e400',
    'null',
  ),
  fc.integer().map(String),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 4 }),
  fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 3 }),
  fc.array(fc.dictionary(fc.constantFrom(...FIELDS), nasty, { maxKeys: 3 }), { maxLength: 2 }),
);
const body = fc.oneof(fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 }), fc.jsonValue(), fc.anything());
const rawBody = fc.oneof(fc.string(), fc.constantFrom('{', '[1,', '"', 'null', '{"a":1}}', '\u0000'));
const query = fc.dictionary(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), nasty, {
  maxKeys: 4,
});

const segment = (name: string) =>
  fc.oneof(fc.constant(ids[name] ?? ulid()), nasty, fc.stringMatching(/^[0-9A-Z]{26}$/));

function expectFourHundred(res: { statusCode: number; body: string }, where: string) {
  expect(res.statusCode, `${where} → ${res.statusCode} ${res.body}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const parsed = JSON.parse(res.body);
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(Object.keys(parsed.error).sort()).toEqual(['code', 'details', 'message']);
    expect(typeof parsed.error.code).toBe('string');
    expect(typeof parsed.error.message).toBe('string');
  }
}

describe('malformed input never gives a 5xx', () => {
  it('fuzzes every operation of the OpenAPI document (the routes below are its operations)', () => {
    const documented = operations().map((o) => `${o.method} ${o.path}`);
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
    // Every request field of the document is among those thrown.
    for (const { op } of operations())
      for (const name of propertyNames(op.requestBody?.content?.['application/json']?.schema))
        expect(FIELDS).toContain(name);
  });

  for (const route of routes) {
    it(`${route.method} ${route.path}`, async () => {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...names.map((n) => segment(n))),
          query,
          fc.oneof(
            body.map((b) => ({ json: b })),
            rawBody.map((r) => ({ raw: r })),
          ),
          fc.option(fc.oneof(nasty, fc.constantFrom('"1"', 'W/"0"', '999999999999999999999')), { nil: undefined }),
          // As the integration key alone, as the key for an agent, or as the agent's own token.
          fc.constantFrom('key', 'key+agent', 'token'),
          async (params, q, payload, ifMatch, caller) => {
            let path = route.path;
            names.forEach((n, i) => {
              path = path.replace(`{${n}}`, params[i]);
            });
            const strings: Record<string, string> = {};
            for (const [k, v] of Object.entries(q)) strings[k] = v;
            const res = await api.handler(
              apiEvent({
                method: route.method,
                path,
                query: strings,
                headers: {
                  Authorization: `Bearer ${caller === 'token' ? agentToken : ws.apiKey}`,
                  ...(caller === 'key+agent' ? { 'X-Agent-Id': AGENT } : {}),
                  ...(route.scope === 'endUser' ? { 'X-Widget-Token': widgetToken } : {}),
                  ...(ifMatch !== undefined ? { 'If-Match': ifMatch } : {}),
                },
                ...('raw' in payload
                  ? { rawBody: payload.raw }
                  : {
                      rawBody: (() => {
                        try {
                          return JSON.stringify(payload.json) ?? 'undefined';
                        } catch {
                          return '{}';
                        }
                      })(),
                    }),
              }),
            );
            expectFourHundred(res, `${route.method} ${path}`);
          },
        ),
        { numRuns: 40 },
      );
    });
  }

  it('random methods, paths and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', ''),
        fc.oneof(fc.string(), fc.constantFrom('/v1/threads/', '/v1//threads', '/v1/threads/%E0%A4%A', '/', '')),
        fc.oneof(
          fc.constant(`Bearer ${ws.apiKey}`),
          nasty,
          fc.constant(`Bearer gck_${ulid()}_${'0'.repeat(64)}`),
          fc.constant(`Bearer ${agentToken}`),
          nasty.map((s) => `Bearer ${s}`),
          fc.constantFrom('Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', `Bearer ${'x.'.repeat(5000)}`),
          // Well signed, but claims that must not pass: another client, no groups, a hostile sub.
          fc
            .constantFrom(
              { sub: AGENT, token_use: 'id', aud: 'other' },
              { sub: AGENT, token_use: 'access', client_id: 'fuzz-client' },
              { sub: 'WS#x#y', token_use: 'id', aud: 'fuzz-client', 'cognito:groups': [`ws_${ws.workspaceId}`] },
              { sub: AGENT, token_use: 'id', aud: 'fuzz-client', 'cognito:groups': 'ws_x' },
            )
            .map((claims) => ({ signed: claims })),
        ),
        fc.option(nasty, { nil: undefined }),
        fc.option(nasty, { nil: undefined }),
        async (method, path, presented, agent, workspace) => {
          const authorization =
            typeof presented === 'string' ? presented : `Bearer ${await signToken(presented.signed)}`;
          const res = await api.handler(
            apiEvent({
              method,
              path,
              headers: {
                Authorization: authorization,
                ...(agent !== undefined ? { 'X-Agent-Id': agent } : {}),
                ...(workspace !== undefined ? { 'X-Workspace-Id': workspace } : {}),
              },
            }),
          );
          expectFourHundred(res, `${method} ${path}`);
        },
      ),
      { numRuns: 200 },
    );
    expect(api.errors).toEqual([]);
  });
});

describe('tampered cursors and oversized bodies never give a 5xx (issue 8)', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  /** Cursors shaped like the real ones (sk, k, o) with values from the key scheme, hostile or oversized. */
  const cursor = fc.oneof(
    fc
      .record({
        field: fc.constantFrom('sk', 'k', 'o', 'x'),
        prefix: fc.constantFrom('', 'ITEM#', 'LIST#all', 'TPL#', 'CONT#', 'META', '2026-11-30T10:00:00.000Z#', '#'),
        tail: fc.oneof(nasty, fc.stringMatching(/^[0-9A-Z]{26}$/), fc.constant('x'.repeat(1100))),
      })
      .map(({ field, prefix, tail }) => b64({ [field]: `${prefix}${tail}` })),
    fc.dictionary(fc.constantFrom('sk', 'k', 'o'), value, { maxKeys: 3 }).map(b64),
    nasty,
  );
  const listPaths = () => [
    '/v1/threads',
    `/v1/threads/${ids.threadId}/feed`,
    '/v1/customers',
    '/v1/contacts',
    '/v1/templates',
    '/v1/api-keys',
    `/v1/customers/${ids.customerId}/contacts`,
    `/v1/contacts/${ids.contactId}/customers`,
  ];

  it('tampered cursors on every list', async () => {
    let responses = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...listPaths()), cursor, fc.boolean(), async (path, c, filtered) => {
        const query: Record<string, string> = {
          cursor: c,
          ...(filtered && path === '/v1/threads' ? { status: 'open' } : {}),
        };
        const res = await api.handler(
          apiEvent({ method: 'GET', path, query, headers: { Authorization: `Bearer ${ws.apiKey}` } }),
        );
        responses++;
        expectFourHundred(res, `GET ${path}?cursor=${c.slice(0, 40)}`);
      }),
      { numRuns: 300 },
    );
    expect(responses).toBeGreaterThanOrEqual(300);
    expect(api.errors).toEqual([]);
  });

  it('oversized bodies, subjects and rendered templates', async () => {
    const big = fc.oneof(
      fc.integer({ min: 30_000, max: 100_000 }).map((n) => 'é'.repeat(n)),
      fc.integer({ min: 60_000, max: 100_000 }).map((n) => 'a'.repeat(n)),
      fc.constant('€'.repeat(99_999)),
    );
    const echo = await api.call(ws.apiKey, 'POST', '/v1/templates', {
      body: { name: 'echo', body: '{{x}}'.repeat(20_000) },
    });
    expect(echo.status).toBe(201);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          big.map((text) => ({ path: `/v1/threads/${ids.threadId}/messages`, body: { text, status: 'keep' } })),
          big.map((html) => ({
            path: `/v1/threads/${ids.threadId}/messages`,
            body: { text: 'x', html: html.slice(0, 200_000), status: 'keep' },
          })),
          fc.integer({ min: 1, max: 2000 }).map((n) => ({
            path: `/v1/threads/${ids.threadId}/messages`,
            body: { templateId: echo.body.templateId, variables: { x: 'é'.repeat(n) }, status: 'keep' },
          })),
          big.map((text) => ({
            path: '/v1/threads',
            body: { customerIds: [ids.customerId], to: ['nobody@fuzz.example'], subject: 's', text },
          })),
          big.map((body) => ({ path: '/v1/templates', body: { name: 'big', body } })),
          big.map((body) => ({ path: `/v1/threads/${ids.threadId}/comments`, body: { body } })),
        ),
        async ({ path, body }) => {
          const res = await api.handler(
            apiEvent({ method: 'POST', path, body, headers: { Authorization: `Bearer ${ws.apiKey}` } }),
          );
          expectFourHundred(res, `POST ${path} (${JSON.stringify(body).length} chars)`);
        },
      ),
      { numRuns: 40 },
    );
    expect(api.errors).toEqual([]);
  });
});
