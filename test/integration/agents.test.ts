/**
 * Agents against DynamoDB Local and cognito-local: sign-in, the actor, roles and scopes, drafts,
 * presence and unread state, through the API handler (every response checked against the OpenAPI document).
 */
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESENCE_TTL_SECONDS } from '#core/drafts.ts';
import { agentVerifier, signedInAgent, type TestAgent } from '../support/agents.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let ws: { workspaceId: string; apiKey: string; keyId: string };
let admin: TestAgent;
let ana: TestAgent;
let bo: TestAgent;
let reader: TestAgent;
let customerId: string;
let contact: string;

const as = (who: TestAgent | string, method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(typeof who === 'string' ? who : who.idToken, method, path, opts);

/** A thread started by the integration key, with a first outbound message to the contact. */
async function newThread(subject = 'Your documents'): Promise<string> {
  const start = await as(ws.apiKey, 'POST', '/v1/threads', {
    body: { customerIds: [customerId], to: [contact], subject, text: 'Please send your passport.' },
  });
  expect(start.status).toBe(201);
  return start.body.thread.threadId;
}

beforeAll(async () => {
  api = await createTestApi({ verifyAgentToken: await agentVerifier() });
  ws = await api.cliWorkspace('Acme', `support-${ulid().toLowerCase()}@acme.example`);
  // One after the other: cognito-local's CreateGroup replaces a group that a concurrent call just made.
  admin = await signedInAgent(api, ws.workspaceId, 'admin', 'Ada Admin');
  ana = await signedInAgent(api, ws.workspaceId, 'agent', 'Ana Silva');
  bo = await signedInAgent(api, ws.workspaceId, 'agent', 'Bo Chen');
  reader = await signedInAgent(api, ws.workspaceId, 'readonly', 'Rea Der');
  customerId = (await as(ws.apiKey, 'POST', '/v1/customers', { body: { name: 'Senders' } })).body.customerId;
  contact = `ann-${ulid().toLowerCase()}@example.com`;
  const c = await as(ws.apiKey, 'POST', '/v1/contacts', { body: { email: contact, name: 'Ann' } });
  expect((await as(ws.apiKey, 'PUT', `/v1/customers/${customerId}/contacts/${c.body.contactId}`)).status).toBe(204);
}, 180_000);

describe('sign-in and the actor', () => {
  it('a signed-in agent calls the API with its ID or access token, and /v1/me names it', async () => {
    const me = await as(ana, 'GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      workspaceId: ws.workspaceId,
      kind: 'agent',
      role: 'agent',
      agent: { agentId: ana.agentId, name: 'Ana Silva', email: ana.email, avatar: { initials: 'AS' } },
    });
    expect((await as(ana.accessToken, 'GET', '/v1/threads')).status).toBe(200);
    const forged = `${ana.idToken.slice(0, -4)}AAAA`;
    expect((await as(forged, 'GET', '/v1/threads')).status).toBe(401);
  });

  it("records an agent's action under that agent, and X-Agent-Id cannot make the token act as another", async () => {
    const threadId = await newThread();
    const thread = await as(ana, 'GET', `/v1/threads/${threadId}`);
    const patched = await as(ana, 'PATCH', `/v1/threads/${threadId}`, {
      body: { version: thread.body.version, tags: ['kyc'] },
    });
    expect(patched.status).toBe(200);
    const feed = await as(ana, 'GET', `/v1/threads/${threadId}/feed`);
    const update = feed.body.items.find((i: { type: string; field?: string }) => i.field === 'tags');
    expect(update.actor).toEqual({ kind: 'agent', id: ana.agentId, name: 'Ana Silva' });

    const spoof = await as(ana, 'POST', `/v1/threads/${threadId}/comments`, {
      headers: { 'X-Agent-Id': bo.agentId },
      body: { body: 'as Bo' },
    });
    expect(spoof.status).toBe(403);
    expect(spoof.body.error.code).toBe('forbidden');
    const feedAfter = await as(ana, 'GET', `/v1/threads/${threadId}/feed`);
    expect(feedAfter.body.items.some((i: { body?: string }) => i.body === 'as Bo')).toBe(false);
  });

  it('an agent of one workspace reaches nothing of another', async () => {
    const other = await api.cliWorkspace('Other', `support-${ulid().toLowerCase()}@other.example`);
    const threadId = await newThread();
    const res = await as(ana, 'GET', `/v1/threads/${threadId}`, { headers: { 'X-Workspace-Id': other.workspaceId } });
    expect(res.status).toBe(403);
  });
});

describe('roles and scopes', () => {
  it('a read-only agent reads but gets 403 on every write', async () => {
    const threadId = await newThread();
    expect((await as(reader, 'GET', '/v1/threads')).status).toBe(200);
    expect((await as(reader, 'GET', `/v1/threads/${threadId}/feed`)).status).toBe(200);
    expect((await as(reader, 'GET', '/v1/agents')).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/v1/threads/${threadId}/comments`, { body: 'no' }],
      ['POST', `/v1/threads/${threadId}/messages`, { text: 'no' }],
      ['POST', `/v1/threads/${threadId}/drafts`, { text: 'no' }],
      ['POST', '/v1/customers', { name: 'No' }],
      ['PUT', '/v1/settings', {}],
      ['POST', '/v1/api-keys', { name: 'no' }],
    ] as const) {
      const res = await as(reader, method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('an agent gets 403 on the admin routes; an admin passes', async () => {
    for (const [method, path, body] of [
      ['GET', '/v1/settings', undefined],
      ['POST', '/v1/templates', { name: 'T', body: 'x' }],
      ['GET', '/v1/api-keys', undefined],
      ['PATCH', `/v1/agents/${bo.agentId}`, { name: 'Bo' }],
    ] as const) {
      expect((await as(ana, method, path, { body })).status, `${method} ${path}`).toBe(403);
    }
    expect((await as(admin, 'GET', '/v1/settings')).status).toBe(200);
    expect((await as(admin, 'POST', '/v1/templates', { body: { name: 'T', body: 'x' } })).status).toBe(201);
  });

  it('a key gets the scopes it was created with, and never more than its creator', async () => {
    const created = await as(admin, 'POST', '/v1/api-keys', {
      body: { name: 'reporting', scopes: ['threads:read', 'customers:read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.scopes).toEqual(['threads:read', 'customers:read']);
    const key = created.body.apiKey;
    expect((await as(key, 'GET', '/v1/threads')).status).toBe(200);
    expect((await as(key, 'POST', '/v1/customers', { body: { name: 'X' } })).status).toBe(403);
    expect((await as(key, 'GET', '/v1/templates')).status).toBe(403);
    const escalate = await as(key, 'POST', '/v1/api-keys', { body: { name: 'x', scopes: ['keys:manage'] } });
    expect(escalate.status).toBe(403);
  });

  it('an admin changes a role, and it applies to the next request', async () => {
    const demoted = await signedInAgent(api, ws.workspaceId, 'agent', 'Dee Moted');
    const threadId = await newThread();
    expect((await as(demoted, 'POST', `/v1/threads/${threadId}/comments`, { body: { body: 'hi' } })).status).toBe(201);
    const res = await as(admin, 'PATCH', `/v1/agents/${demoted.agentId}`, { body: { role: 'readonly' } });
    expect(res.body).toMatchObject({ agentId: demoted.agentId, role: 'readonly' });
    expect((await as(demoted, 'POST', `/v1/threads/${threadId}/comments`, { body: { body: 'hi' } })).status).toBe(403);
  });
});

describe('the agent directory', () => {
  it('lists every agent with name, email, role, avatar and availability', async () => {
    const res = await as(reader, 'GET', '/v1/agents');
    const byId = new Map(res.body.items.map((a: { agentId: string }) => [a.agentId, a]));
    expect(byId.get(ana.agentId)).toEqual({
      agentId: ana.agentId,
      name: 'Ana Silva',
      email: ana.email,
      role: 'agent',
      avatar: { initials: 'AS', colour: expect.stringMatching(/^#[0-9a-f]{6}$/) },
      availability: 'available',
    });
    expect(byId.get(admin.agentId)).toMatchObject({ role: 'admin', avatar: { initials: 'AA' } });
  });
});

describe('drafts', () => {
  it('survive a reload, are private to their agent, show as "writing" to others, and send through the send path', async () => {
    const threadId = await newThread();
    const created = await as(ana, 'POST', `/v1/threads/${threadId}/drafts`, { body: { text: 'Dear Ann,' } });
    expect(created.status).toBe(201);
    const draftId = created.body.draftId;
    expect(created.body).toMatchObject({
      agentId: ana.agentId,
      agentName: 'Ana Silva',
      version: 1,
      text: 'Dear Ann,',
      mine: true,
    });

    // Another device of Ana: the draft is there.
    const mine = await as(ana.accessToken, 'GET', `/v1/threads/${threadId}/drafts`);
    expect(mine.body.items).toEqual([expect.objectContaining({ draftId, text: 'Dear Ann,', mine: true })]);
    // Bo sees that Ana is writing, not what.
    const theirs = await as(bo, 'GET', `/v1/threads/${threadId}/drafts`);
    expect(theirs.body.items).toEqual([
      {
        draftId,
        threadId,
        agentId: ana.agentId,
        agentName: 'Ana Silva',
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        mine: false,
      },
    ]);
    expect((await as(bo, 'GET', `/v1/threads/${threadId}/drafts/${draftId}`)).status).toBe(404);
    expect((await as(bo, 'PATCH', `/v1/threads/${threadId}/drafts/${draftId}`, { body: { text: 'x' } })).status).toBe(
      404,
    );
    expect((await as(bo, 'DELETE', `/v1/threads/${threadId}/drafts/${draftId}`)).status).toBe(404);

    const edited = await as(ana, 'PATCH', `/v1/threads/${threadId}/drafts/${draftId}`, {
      body: { version: 1, text: 'Dear Ann, thank you.', subject: 'Thanks' },
    });
    expect(edited.body).toMatchObject({ version: 2, text: 'Dear Ann, thank you.', subject: 'Thanks' });
    const stale = await as(ana, 'PATCH', `/v1/threads/${threadId}/drafts/${draftId}`, {
      body: { version: 1, text: 'old' },
    });
    expect(stale.status).toBe(409);
    const cleared = await as(ana, 'PATCH', `/v1/threads/${threadId}/drafts/${draftId}`, { body: { subject: null } });
    expect(cleared.body.subject).toBeUndefined();

    const sentBefore = api.sender.sent.length;
    const sent = await as(ana, 'POST', `/v1/threads/${threadId}/drafts/${draftId}/send`, {
      body: { status: 'waiting' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      direction: 'outbound',
      newText: 'Dear Ann, thank you.',
      actor: { kind: 'agent', id: ana.agentId },
    });
    expect(api.sender.sent.length).toBe(sentBefore + 1);
    // A retry sends nothing more and answers with the same message.
    const again = await as(ana, 'POST', `/v1/threads/${threadId}/drafts/${draftId}/send`, {
      body: { status: 'waiting' },
    });
    expect(again.status).toBe(201);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    expect(again.body.itemId).toBe(sent.body.itemId);
    expect(api.sender.sent.length).toBe(sentBefore + 1);

    expect((await as(ana, 'GET', `/v1/threads/${threadId}/drafts`)).body.items).toEqual([]);
    expect((await as(ana, 'GET', `/v1/threads/${threadId}`)).body.status).toBe('waiting');
  });

  it("are discarded, and refuse what cannot fit an item or is not an agent's", async () => {
    const threadId = await newThread();
    const d = await as(bo, 'POST', `/v1/threads/${threadId}/drafts`, { body: { text: 'draft' } });
    expect((await as(bo, 'DELETE', `/v1/threads/${threadId}/drafts/${d.body.draftId}`)).status).toBe(204);
    expect((await as(bo, 'DELETE', `/v1/threads/${threadId}/drafts/${d.body.draftId}`)).status).toBe(404);
    // 100,000 three-byte characters pass the length rule (characters) but not the draft's byte budget.
    const huge = await as(bo, 'POST', `/v1/threads/${threadId}/drafts`, { body: { text: '€'.repeat(100_000) } });
    expect(huge.status).toBe(400);
    // A key acting for nobody has no drafts.
    const keyOnly = await as(ws.apiKey, 'POST', `/v1/threads/${threadId}/drafts`, { body: { text: 'x' } });
    expect(keyOnly.status).toBe(400);
  });
});

describe('presence', () => {
  it('shows who views and who writes, and expires without a heartbeat', async () => {
    const threadId = await newThread();
    await as(ana, 'PUT', `/v1/threads/${threadId}/presence`, { body: { state: 'viewing' } });
    const both = await as(bo, 'PUT', `/v1/threads/${threadId}/presence`, { body: { state: 'writing' } });
    expect(both.status).toBe(200);
    expect(
      both.body.items.map((p: { agentName: string; state: string }) => `${p.agentName} ${p.state}`).sort(),
    ).toEqual(['Ana Silva viewing', 'Bo Chen writing']);
    expect((await as(bo, 'DELETE', `/v1/threads/${threadId}/presence`)).status).toBe(204);
    expect((await as(reader, 'GET', `/v1/threads/${threadId}/presence`)).body.items).toEqual([
      expect.objectContaining({ agentId: ana.agentId, state: 'viewing' }),
    ]);
    // No heartbeat for longer than the TTL: gone, even before DynamoDB's TTL deletes the item.
    api.clock.at += (PRESENCE_TTL_SECONDS + 1) * 1000;
    expect((await as(reader, 'GET', `/v1/threads/${threadId}/presence`)).body.items).toEqual([]);
  });
});

describe('unread', () => {
  it('is per agent: a new message makes the thread unread, opening it makes it read', async () => {
    const threadId = await newThread(`Unread ${ulid()}`);
    const card = async (who: TestAgent) =>
      (await as(who, 'GET', '/v1/threads', { query: { limit: '100' } })).body.items.find(
        (c: { threadId: string }) => c.threadId === threadId,
      );
    expect((await card(ana)).unread).toBe(true);
    expect((await card(bo)).unread).toBe(true);
    expect((await as(ana, 'GET', `/v1/threads/${threadId}`)).status).toBe(200);
    expect((await card(ana)).unread).toBe(false);
    expect((await card(bo)).unread).toBe(true);

    const unreadOfAna = await as(ana, 'GET', '/v1/threads', { query: { unread: 'true', limit: '100' } });
    expect(unreadOfAna.body.items.some((c: { threadId: string }) => c.threadId === threadId)).toBe(false);
    expect(unreadOfAna.body.items.every((c: { unread: boolean }) => c.unread)).toBe(true);
    const unreadOfBo = await as(bo, 'GET', '/v1/threads', { query: { unread: 'true', limit: '100' } });
    expect(unreadOfBo.body.items.some((c: { threadId: string }) => c.threadId === threadId)).toBe(true);

    // Bo answers: a newer message, so unread again for Ana, and read for Bo who wrote it.
    const reply = await as(bo, 'POST', `/v1/threads/${threadId}/messages`, { body: { text: 'We got it.' } });
    expect(reply.status).toBe(201);
    expect((await card(ana)).unread).toBe(true);
    expect((await card(bo)).unread).toBe(false);
    // Mark read and unread explicitly.
    expect((await as(ana, 'PUT', `/v1/threads/${threadId}/read`)).status).toBe(204);
    expect((await card(ana)).unread).toBe(false);
    expect((await as(ana, 'DELETE', `/v1/threads/${threadId}/read`)).status).toBe(204);
    expect((await card(ana)).unread).toBe(true);
    // A key alone has no read state: no flag on its cards, and unread=true is refused.
    const keyCards = await as(ws.apiKey, 'GET', '/v1/threads');
    expect(keyCards.body.items[0].unread).toBeUndefined();
    expect((await as(ws.apiKey, 'GET', '/v1/threads', { query: { unread: 'true' } })).status).toBe(400);
  });

  it('an unread page reads a bounded number of list pages and resumes exactly where it stopped', async () => {
    const fresh = await signedInAgent(api, ws.workspaceId, 'agent', 'Fre Sh');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await newThread(`Paged ${i}`));
    // Fresh has read the two newest; two older ones stay unread among them.
    for (const id of ids.slice(2)) await as(fresh, 'PUT', `/v1/threads/${id}/read`);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await as(fresh, 'GET', '/v1/threads', {
        query: { unread: 'true', limit: '1', ...(cursor ? { cursor } : {}) },
      });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((c: { threadId: string }) => c.threadId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(seen).toEqual(expect.arrayContaining(ids.slice(0, 2)));
    for (const id of ids.slice(2)) expect(seen).not.toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
