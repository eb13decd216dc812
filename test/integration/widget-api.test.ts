import { generateKeyPair, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, createTestApi, type TestApi } from '../support/api.ts';
import { customerWithContact, enableChat, hostKeys } from '../support/chat.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string };
let host: Awaited<ReturnType<typeof hostKeys>>;
let acme: Awaited<ReturnType<typeof customerWithContact>>;
let globex: Awaited<ReturnType<typeof customerWithContact>>;
const ORIGIN = 'https://shop.example.com';

const call = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(ws.apiKey, method, path, opts);
const asUser = (token: string, method: string, path: string, body?: unknown) =>
  api.call(undefined, method, path, { headers: { 'X-Widget-Token': token }, ...(body ? { body } : {}) });

async function session(claims: { sub: string; email: string; customerIds: string[]; name?: string }) {
  const token = await host.sign(ws.workspaceId, claims);
  const res = await api.call(undefined, 'POST', '/v1/widget/session', { body: { workspaceId: ws.workspaceId, token } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.widgetToken as string;
}

beforeAll(async () => {
  api = await createTestApi();
  ws = await api.cliWorkspace('Widgety', `support-${ulid().toLowerCase()}@widget.example`);
  enableChat(api);
  host = await hostKeys('ES256', () => api.clock.at);
  const put = await call('PUT', '/v1/settings/widget', {
    body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [ORIGIN] },
  });
  expect(put.status).toBe(200);
  acme = await customerWithContact(api, ws.apiKey, 'Acme');
  globex = await customerWithContact(api, ws.apiKey, 'Globex');
});

describe('widget identity', () => {
  it('exchanges a host token for a widget token; the end user becomes a contact of the token\u2019s customers', async () => {
    const email = `zoe-${ulid().toLowerCase()}@acme.example`;
    const token = await session({ sub: 'zoe-1', email, name: 'Zoe', customerIds: [acme.customerId] });
    const contact = await call('GET', '/v1/contacts', { query: { email } });
    const found = contact.body.items?.[0] ?? contact.body;
    expect(found).toMatchObject({ email, name: 'Zoe', externalId: 'zoe-1' });
    const customers = await call('GET', `/v1/contacts/${found.contactId}/customers`);
    expect(customers.body.items.map((c: any) => c.customerId)).toEqual([acme.customerId]);
    expect((await asUser(token, 'GET', '/v1/widget/threads')).status).toBe(200);
  });

  it('refuses forged, expired, wrongly signed, wrong-audience, long-lived and HS256 tokens', async () => {
    const claims = { sub: 'u', email: 'u@acme.example', customerIds: [acme.customerId] };
    const now = Math.floor(api.clock.at / 1000);
    const other = await hostKeys('ES256', () => api.clock.at);
    const { privateKey: hsKey } = { privateKey: new TextEncoder().encode('a-shared-secret-of-32-bytes-long!') };
    const cases: Record<string, string> = {
      'signed by another key': await other.sign(ws.workspaceId, claims),
      expired: await host.sign(ws.workspaceId, claims, { iat: now - 400, exp: now - 100 }),
      'issued too long ago': await host.sign(ws.workspaceId, claims, { iat: now - 3600, exp: now + 60 }),
      'lives longer than 10 minutes': await host.sign(ws.workspaceId, claims, { iat: now, exp: now + 3600 }),
      'for another workspace': await host.sign(ws.workspaceId, claims, { aud: ulid() }),
      HS256: await new SignJWT({ email: claims.email, customerIds: claims.customerIds })
        .setProtectedHeader({ alg: 'HS256', kid: host.jwk.kid })
        .setSubject('u')
        .setAudience(ws.workspaceId)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(hsKey),
      'payload altered': (() => {
        return '';
      })(),
      'not a JWT': 'hello.world.again',
    };
    const good = await host.sign(ws.workspaceId, claims);
    const [h, , sig] = good.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claims, customerIds: [globex.customerId], aud: ws.workspaceId, iat: now, exp: now + 300 }),
    ).toString('base64url');
    cases['payload altered'] = `${h}.${forged}.${sig}`;
    for (const [name, token] of Object.entries(cases)) {
      const res = await api.call(undefined, 'POST', '/v1/widget/session', {
        body: { workspaceId: ws.workspaceId, token },
      });
      expect(res.status, name).toBe(401);
    }
    const noCustomer = await host.sign(ws.workspaceId, { ...claims, customerIds: ['NOPE'] });
    expect(
      (
        await api.call(undefined, 'POST', '/v1/widget/session', {
          body: { workspaceId: ws.workspaceId, token: noCustomer },
        })
      ).status,
    ).toBe(401);
  });

  it('refuses every widget route without a valid widget token, and never accepts an API key there', async () => {
    const token = await session({
      sub: 'w',
      email: `w-${ulid().toLowerCase()}@acme.example`,
      customerIds: [acme.customerId],
    });
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const t of [undefined, '', 'garbage', tampered, ws.apiKey]) {
      const res = await api.call(undefined, 'GET', '/v1/widget/threads', {
        headers: t === undefined ? {} : { 'X-Widget-Token': t },
      });
      expect(res.status, String(t)).toBe(401);
    }
    const withKey = await api.call(ws.apiKey, 'GET', '/v1/widget/threads');
    expect(withKey.status).toBe(401);
    // An expired widget token.
    const { tokens } = { tokens: await api.deps.chat!.widgetTokens() };
    const old = tokens.issue(
      { workspaceId: ws.workspaceId, contactId: 'c', email: 'x@y.z', externalId: 'x', customerIds: [acme.customerId] },
      new Date(api.clock.at - 3_600_000),
    ).token;
    expect((await asUser(old, 'GET', '/v1/widget/threads')).status).toBe(401);
  });

  it('a disabled widget (the default) refuses sessions', async () => {
    const other = await api.cliWorkspace('Plain', `support-${ulid().toLowerCase()}@plain.example`);
    const token = await host.sign(other.workspaceId, { sub: 'a', email: 'a@b.example', customerIds: ['X'] });
    const res = await api.call(undefined, 'POST', '/v1/widget/session', {
      body: { workspaceId: other.workspaceId, token },
    });
    expect(res.status).toBe(401);
    const settings = await api.call(other.apiKey, 'GET', '/v1/settings/widget');
    expect(settings.body).toEqual({ enabled: false, allowedOrigins: [], anonymous: false });
  });

  it('validates widget settings: no private keys, exact origins, no anonymous', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const { exportJWK } = await import('jose');
    const bad = [
      { enabled: true, jwks: { keys: [await exportJWK(privateKey)] }, allowedOrigins: [] },
      { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: ['https://shop.example.com/path'] },
      { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: ['*'] },
      { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [], anonymous: true },
      { enabled: true, allowedOrigins: [] },
    ];
    for (const body of bad)
      expect((await call('PUT', '/v1/settings/widget', { body })).status, JSON.stringify(body)).toBe(400);
  });
});

describe('widget threads', () => {
  it('an end user starts a thread, replies, sees only messages (never updates or comments), and agents\u2019 chat replies', async () => {
    const email = `yan-${ulid().toLowerCase()}@acme.example`;
    const token = await session({ sub: 'yan', email, name: 'Yan', customerIds: [acme.customerId] });
    const started = await asUser(token, 'POST', '/v1/widget/threads', {
      text: 'My order is late',
      clientMessageId: 'y1',
    });
    expect(started.status).toBe(201);
    const threadId = started.body.thread.threadId;
    expect(started.body.message).toMatchObject({ author: 'me', channel: 'chat', text: 'My order is late' });
    await call('POST', `/v1/threads/${threadId}/comments`, { body: { body: 'internal: customer is VIP' } });
    const agent = await call('POST', `/v1/threads/${threadId}/chat`, {
      body: { text: 'On it!' },
      headers: { 'X-Agent-Id': 'ada' },
    });
    expect(agent.status).toBe(201);
    const reply = await asUser(token, 'POST', `/v1/widget/threads/${threadId}/messages`, {
      text: 'Thanks',
      clientMessageId: 'y2',
    });
    expect(reply.status).toBe(201);
    const messages = await asUser(token, 'GET', `/v1/widget/threads/${threadId}/messages`);
    expect(messages.body.items.map((m: any) => [m.author, m.text])).toEqual([
      ['me', 'My order is late'],
      ['agent', 'On it!'],
      ['me', 'Thanks'],
    ]);
    expect(JSON.stringify(messages.body)).not.toContain('VIP');
    const feed = await call('GET', `/v1/threads/${threadId}/feed`);
    expect(feed.body.items.map((i: any) => i.type)).toContain('comment');
    expect((await call('GET', `/v1/threads/${threadId}`)).body.status).toBe('open');

    const read = await asUser(token, 'POST', `/v1/widget/threads/${threadId}/read`, { upTo: agent.body.at });
    expect(read.body.readAt).toBe(agent.body.at);
    const threads = await asUser(token, 'GET', '/v1/widget/threads');
    expect(threads.body.items.map((t: any) => t.threadId)).toContain(threadId);
  });

  it('an end user of another customer sees nothing of the first one\u2019s threads', async () => {
    const a = await session({
      sub: 'a',
      email: `a-${ulid().toLowerCase()}@acme.example`,
      customerIds: [acme.customerId],
    });
    const g = await session({
      sub: 'g',
      email: `g-${ulid().toLowerCase()}@globex.example`,
      customerIds: [globex.customerId],
    });
    const secret = await asUser(a, 'POST', '/v1/widget/threads', { text: 'Acme secret plans', clientMessageId: 's1' });
    const threadId = secret.body.thread.threadId;
    const list = await asUser(g, 'GET', '/v1/widget/threads');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(threadId);
    expect(JSON.stringify(list.body)).not.toContain('Acme secret');
    expect((await asUser(g, 'GET', `/v1/widget/threads/${threadId}/messages`)).status).toBe(404);
    expect(
      (await asUser(g, 'POST', `/v1/widget/threads/${threadId}/messages`, { text: 'hi', clientMessageId: 'x' })).status,
    ).toBe(404);
    expect(
      (await asUser(g, 'POST', `/v1/widget/threads/${threadId}/read`, { upTo: new Date().toISOString() })).status,
    ).toBe(404);
    const messages = await asUser(a, 'GET', `/v1/widget/threads/${threadId}/messages`);
    expect(messages.body.items).toHaveLength(1);
  });

  it('rate-limits per end user and per workspace (429 with the error shape)', async () => {
    const limited = await createTestApi();
    const w = await limited.cliWorkspace('Limited', `support-${ulid().toLowerCase()}@limited.example`);
    enableChat(limited, { perEndUser: 3, perWorkspace: 5 });
    const limitedHost = await hostKeys('ES256', () => limited.clock.at);
    await limited.call(w.apiKey, 'PUT', '/v1/settings/widget', {
      body: { enabled: true, jwks: { keys: [limitedHost.jwk] }, allowedOrigins: [] },
    });
    const c = await customerWithContact(limited, w.apiKey, 'Lim');
    const open = async (sub: string) => {
      const jwt = await limitedHost.sign(w.workspaceId, {
        sub,
        email: `${sub}-${ulid().toLowerCase()}@l.example`,
        customerIds: [c.customerId],
      });
      return (
        await limited.call(undefined, 'POST', '/v1/widget/session', {
          body: { workspaceId: w.workspaceId, token: jwt },
        })
      ).body.widgetToken as string;
    };
    const one = await open('one'); // workspace: 1
    const get = (t: string) =>
      limited.call(undefined, 'GET', '/v1/widget/threads', { headers: { 'X-Widget-Token': t } });
    expect([(await get(one)).status, (await get(one)).status, (await get(one)).status]).toEqual([200, 200, 200]); // workspace: 4
    const fourth = await get(one);
    expect(fourth.status).toBe(429); // per end user
    expect(fourth.body.error.code).toBe('rate_limited');
    const two = await open('two'); // workspace: 5
    expect((await get(two)).status).toBe(429); // per workspace
  });

  it('serves the frame with CSP frame-ancestors naming exactly the allowed sites', async () => {
    const res = await api.handler(apiEvent({ method: 'GET', path: `/v1/widget/frame/${ws.workspaceId}` }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Content-Type']).toBe('text/html; charset=utf-8');
    expect(String(res.headers?.['Content-Security-Policy'])).toMatch(new RegExp(`^frame-ancestors ${ORIGIN};`));
    expect(res.body).toContain('/widget/frame.js');
    expect(res.body).toContain(`&quot;allowedOrigins&quot;:[&quot;${ORIGIN}&quot;]`);
    expect(res.body).not.toContain('liveUrl');
    // With live updates: the app is told where the WebSocket is, and its CSP lets it connect there only.
    api.deps.live = {
      connections: undefined as never,
      closer: undefined as never,
      url: 'wss://live.gochat.example/live',
    };
    try {
      const live = await api.handler(apiEvent({ method: 'GET', path: `/v1/widget/frame/${ws.workspaceId}` }));
      expect(live.body).toContain('&quot;liveUrl&quot;:&quot;wss://live.gochat.example/live&quot;');
      expect(String(live.headers?.['Content-Security-Policy'])).toMatch(
        /connect-src 'self'[^;]* wss:\/\/live\.gochat\.example;/,
      );
    } finally {
      delete api.deps.live;
    }
    const unknown = await api.handler(apiEvent({ method: 'GET', path: `/v1/widget/frame/${ulid()}` }));
    expect(unknown.statusCode).toBe(404);
  });
});
