import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#api/router.ts';
import { apiEvent, createTestApi, type TestApi } from '../support/api.ts';
import { enableChat, hostKeys } from '../support/chat.ts';
import { operations } from '../support/openapi.ts';

/**
 * Two workspaces, made by the ops CLI code path. Workspace A's key tries every route with workspace B's
 * ids: nothing of B is read or changed.
 */
let api: TestApi;
let a: { workspaceId: string; apiKey: string; keyId: string };
let b: { workspaceId: string; apiKey: string; keyId: string };
const B: Record<string, string> = {};
const A: Record<string, string> = {};
/** Both workspaces have an agent with this id: an agent id alone opens nothing of the other workspace. */
const SHARED_AGENT = 'agent-shared';
const asAgent = { headers: { 'X-Agent-Id': SHARED_AGENT } };

const asA = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(a.apiKey, method, path, opts);
const asB = (method: string, path: string, opts: Parameters<TestApi['call']>[3] = {}) =>
  api.call(b.apiKey, method, path, opts);

let snapshotAt: number | undefined;

/** Everything of B that the API can show, read with B's own key. */
async function snapshotB() {
  // Presence lasts a minute of the ticking test clock: both snapshots read B at the same moment of it.
  snapshotAt ??= api.clock.at;
  api.clock.at = snapshotAt;
  const reads = [
    `/v1/threads/${B.threadId}`,
    `/v1/threads/${B.threadId}/feed`,
    `/v1/customers/${B.customerId}`,
    `/v1/customers/${B.customerId}/contacts`,
    `/v1/contacts/${B.contactId}`,
    `/v1/contacts/${B.contactId}/customers`,
    `/v1/templates/${B.templateId}`,
    '/v1/threads',
    '/v1/customers',
    '/v1/contacts',
    '/v1/templates',
    '/v1/settings',
    '/v1/settings/widget',
    '/v1/mailboxes',
    '/v1/signature',
    '/v1/api-keys',
    '/v1/agents',
    `/v1/threads/${B.threadId}/drafts`,
    `/v1/threads/${B.threadId}/drafts/${B.draftId}`,
    `/v1/threads/${B.threadId}/presence`,
  ];
  const out: Record<string, unknown> = {};
  for (const path of reads) {
    const res = await asB('GET', path, {
      query: path === '/v1/threads' ? { limit: '100' } : {},
      // The agent's own view: the full draft, and the read state of the cards.
      headers: { 'X-Agent-Id': SHARED_AGENT },
    });
    expect(res.status, path).toBe(200);
    out[path] = res.body;
  }
  return out;
}

beforeAll(async () => {
  api = await createTestApi();
  a = await api.cliWorkspace('Tenant A', `a-${ulid().toLowerCase()}@a.example`);
  b = await api.cliWorkspace('Tenant B', `b-${ulid().toLowerCase()}@b.example`);
  for (const [who, key, bag] of [
    ['a', a.apiKey, A],
    ['b', b.apiKey, B],
  ] as const) {
    const call = (m: string, p: string, o: Parameters<TestApi['call']>[3] = {}) => api.call(key, m, p, o);
    bag.customerId = (await call('POST', '/v1/customers', { body: { name: `${who} customer` } })).body.customerId;
    bag.email = `${who}-${ulid().toLowerCase()}@customer.example`;
    bag.contactId = (await call('POST', '/v1/contacts', { body: { email: bag.email, name: who } })).body.contactId;
    expect((await call('PUT', `/v1/customers/${bag.customerId}/contacts/${bag.contactId}`)).status).toBe(204);
    bag.templateId = (
      await call('POST', '/v1/templates', { body: { name: 't', body: 'Hello {{contactName}}' } })
    ).body.templateId;
    const pdf = Buffer.from('secret document').toString('base64');
    const started = await call('POST', '/v1/threads', {
      body: {
        customerIds: [bag.customerId],
        to: [bag.email],
        subject: `${who} zanzibar secret`,
        text: 'private',
        attachments: [{ filename: 'secret.pdf', contentType: 'application/pdf', contentBase64: pdf }],
      },
    });
    expect(started.status).toBe(201);
    bag.threadId = started.body.thread.threadId;
    bag.attachmentId = started.body.message.attachments[0].attachmentId;
    await call('POST', `/v1/threads/${bag.threadId}/comments`, { body: { body: 'internal' } });
    bag.keyId = (await call('POST', '/v1/api-keys', { body: { name: 'second' } })).body.keyId;
    const at = new Date().toISOString();
    await api.agents.putAgent({
      workspaceId: who === 'a' ? a.workspaceId : b.workspaceId,
      agentId: SHARED_AGENT,
      email: `${who}@agents.example`,
      name: `${who} agent`,
      role: 'agent',
      createdAt: at,
    });
    bag.agentId = SHARED_AGENT;
    bag.draftId = (
      await call('POST', `/v1/threads/${bag.threadId}/drafts`, { ...asAgent, body: { text: `${who} zanzibar draft` } })
    ).body.draftId;
    // A comment by the agent id that both workspaces share, and the mailbox with a name and a signature.
    const comment = await call('POST', `/v1/threads/${bag.threadId}/comments`, {
      ...asAgent,
      body: { body: `${who} zanzibar note` },
    });
    bag.commentId = comment.body.itemId;
    bag.commentAt = comment.body.at;
    const mailbox = (await call('GET', '/v1/mailboxes')).body.items[0];
    bag.mailboxId = mailbox.mailboxId;
    await call('PATCH', `/v1/mailboxes/${bag.mailboxId}`, {
      body: { displayName: `${who} desk`, signature: `${who} sig` },
    });
    await call('PUT', '/v1/signature', { body: { text: `${who} workspace sig` } });
    // A saved search of the shared agent id, shared with its workspace (queue, issue 21).
    const view = await call('POST', '/v1/views', {
      ...asAgent,
      body: { name: `${who} zanzibar view`, filter: { tag: 'kyc' }, shared: true },
    });
    expect(view.status).toBe(201);
    bag.savedViewId = view.body.id;
    // Last: presence lasts a minute of the test clock, which every request moves on.
    await call('PUT', `/v1/threads/${bag.threadId}/presence`, { ...asAgent, body: { state: 'writing' } });
  }
  // Chat and the widget, each workspace with its own host keys and one end user of its customer.
  enableChat(api);
  for (const [who, key, bag, ws] of [
    ['a', a.apiKey, A, a],
    ['b', b.apiKey, B, b],
  ] as const) {
    const host = await hostKeys('ES256', () => api.clock.at);
    const call = (m: string, p: string, o: Parameters<TestApi['call']>[3] = {}) => api.call(key, m, p, o);
    expect(
      (
        await call('PUT', '/v1/settings/widget', {
          body: { enabled: true, jwks: { keys: [host.jwk] }, allowedOrigins: [] },
        })
      ).status,
    ).toBe(200);
    const jwt = await host.sign(ws.workspaceId, {
      sub: `${who}-user`,
      email: bag.email,
      customerIds: [bag.customerId],
    });
    bag.hostToken = jwt;
    const session = await api.call(undefined, 'POST', '/v1/widget/session', {
      body: { workspaceId: ws.workspaceId, token: jwt },
    });
    bag.widgetToken = session.body.widgetToken;
    // An upload of the end user's, as posted to S3 (without a request: the presence above must not expire).
    bag.uploadId = `${ulid().toUpperCase()}.${Buffer.from(`${who}.txt`).toString('base64url')}`;
    await api.mail.putObject(
      `uploads/${ws.workspaceId}/${session.body.endUser.contactId}/${bag.uploadId}`,
      Buffer.from('hello'),
      'text/plain',
    );
    // The end user's chat thread starts with a file of theirs, that they (and only they) download from the widget.
    bag.chatUploadId = `${ulid().toUpperCase()}.${Buffer.from(`${who}-chat.txt`).toString('base64url')}`;
    await api.mail.putObject(
      `uploads/${ws.workspaceId}/${session.body.endUser.contactId}/${bag.chatUploadId}`,
      Buffer.from('chat file'),
      'text/plain',
    );
    const chat = await api.call(undefined, 'POST', '/v1/widget/threads', {
      headers: { 'X-Widget-Token': bag.widgetToken },
      body: { text: `${who} chat hello`, clientMessageId: `${who}1`, attachments: [{ uploadId: bag.chatUploadId }] },
    });
    expect(chat.status).toBe(201);
    bag.chatThreadId = chat.body.thread.threadId;
    bag.chatAttachmentId = chat.body.message.attachments[0].attachmentId;
  }
});

const asEndUserA = (method: string, path: string, body?: unknown) =>
  api.call(undefined, method, path, { headers: { 'X-Widget-Token': A.widgetToken }, ...(body ? { body } : {}) });

/** One attempt per route, with B's ids, made with A's key. */
const attempts: Record<string, () => Promise<{ status: number; body: any }>> = {
  listThreads: () => asA('GET', '/v1/threads', { query: { customer: B.customerId } }),
  startThread: () =>
    asA('POST', '/v1/threads', { body: { customerIds: [B.customerId], to: [B.email], subject: 's', text: 't' } }),
  getThread: () => asA('GET', `/v1/threads/${B.threadId}`),
  updateThread: () =>
    asA('PATCH', `/v1/threads/${B.threadId}`, { body: { version: 2, subject: 'hijacked', status: 'closed' } }),
  getFeed: () => asA('GET', `/v1/threads/${B.threadId}/feed`),
  // Merging two of B's threads with A's key: refused, and neither thread changes.
  mergeThread: () => asA('POST', `/v1/threads/${B.threadId}/merge`, { body: { threadId: B.chatThreadId } }),
  sendMessage: () => asA('POST', `/v1/threads/${B.threadId}/messages`, { body: { to: [B.email], text: 'hi' } }),
  addComment: () => asA('POST', `/v1/threads/${B.threadId}/comments`, { body: { body: 'x' } }),
  getAttachment: () => asA('GET', `/v1/threads/${B.threadId}/attachments/${B.attachmentId}`),
  listCustomers: () => asA('GET', '/v1/customers'),
  createCustomer: () => asA('POST', '/v1/customers', { body: { name: 'mine' } }),
  getCustomer: () => asA('GET', `/v1/customers/${B.customerId}`),
  updateCustomer: () => asA('PATCH', `/v1/customers/${B.customerId}`, { body: { name: 'hijacked' } }),
  deleteCustomer: () => asA('DELETE', `/v1/customers/${B.customerId}`),
  listContactsOfCustomer: () => asA('GET', `/v1/customers/${B.customerId}/contacts`),
  linkContact: () => asA('PUT', `/v1/customers/${A.customerId}/contacts/${B.contactId}`),
  unlinkContact: () => asA('DELETE', `/v1/customers/${B.customerId}/contacts/${B.contactId}`),
  listContacts: () => asA('GET', '/v1/contacts', { query: { email: B.email } }),
  createContact: () => asA('POST', '/v1/contacts', { body: { email: B.email } }),
  getContact: () => asA('GET', `/v1/contacts/${B.contactId}`),
  updateContact: () => asA('PATCH', `/v1/contacts/${B.contactId}`, { body: { name: 'hijacked' } }),
  deleteContact: () => asA('DELETE', `/v1/contacts/${B.contactId}`),
  listCustomersOfContact: () => asA('GET', `/v1/contacts/${B.contactId}/customers`),
  listTemplates: () => asA('GET', '/v1/templates'),
  createTemplate: () => asA('POST', '/v1/templates', { body: { name: 'mine', body: 'x' } }),
  getTemplate: () => asA('GET', `/v1/templates/${B.templateId}`),
  replaceTemplate: () => asA('PUT', `/v1/templates/${B.templateId}`, { body: { name: 'hijacked', body: 'x' } }),
  deleteTemplate: () => asA('DELETE', `/v1/templates/${B.templateId}`),
  previewTemplate: () => asA('POST', `/v1/templates/${A.templateId}/preview`, { body: { threadId: B.threadId } }),
  getSettings: () => asA('GET', '/v1/settings'),
  putSettings: () =>
    asA('PUT', '/v1/settings', {
      body: {
        policy: {
          reminders: 1,
          reminderDelaysSeconds: [60],
          waitingDelaySeconds: 60,
          afterWaiting: 'open',
          reminderTemplateId: B.templateId,
        },
      },
    }),
  listApiKeys: () => asA('GET', '/v1/api-keys'),
  createApiKey: () => asA('POST', '/v1/api-keys', { body: { name: 'mine' } }),
  revokeApiKey: () => asA('DELETE', `/v1/api-keys/${B.keyId}`),
  listAgents: () => asA('GET', '/v1/agents'),
  updateAgent: () => asA('PATCH', `/v1/agents/${B.agentId}`, { body: { role: 'admin', name: 'hijacked' } }),
  getMe: () => asA('GET', '/v1/me', asAgent),
  // An agent's availability is its own profile in its own workspace: B's agent is not reached.
  setMyAvailability: () => asA('PUT', '/v1/me/availability', { ...asAgent, body: { availability: 'away' } }),
  listDrafts: () => asA('GET', `/v1/threads/${B.threadId}/drafts`, asAgent),
  createDraft: () => asA('POST', `/v1/threads/${B.threadId}/drafts`, { ...asAgent, body: { text: 'x' } }),
  getDraft: () => asA('GET', `/v1/threads/${B.threadId}/drafts/${B.draftId}`, asAgent),
  updateDraft: () =>
    asA('PATCH', `/v1/threads/${B.threadId}/drafts/${B.draftId}`, { ...asAgent, body: { text: 'hijacked' } }),
  discardDraft: () => asA('DELETE', `/v1/threads/${B.threadId}/drafts/${B.draftId}`, asAgent),
  sendDraft: () => asA('POST', `/v1/threads/${B.threadId}/drafts/${B.draftId}/send`, { ...asAgent, body: {} }),
  listPresence: () => asA('GET', `/v1/threads/${B.threadId}/presence`, asAgent),
  reportPresence: () => asA('PUT', `/v1/threads/${B.threadId}/presence`, { ...asAgent, body: { state: 'viewing' } }),
  leaveThread: () => asA('DELETE', `/v1/threads/${B.threadId}/presence`, asAgent),
  markThreadRead: () => asA('PUT', `/v1/threads/${B.threadId}/read`, asAgent),
  markThreadUnread: () => asA('DELETE', `/v1/threads/${B.threadId}/read`, asAgent),
  postChatMessage: () =>
    asA('POST', '/v1/chat/messages', {
      body: { contact: { contactId: B.contactId }, threadId: B.threadId, text: 'x', clientMessageId: 'i1' },
    }),
  sendChatMessage: () => asA('POST', `/v1/threads/${B.chatThreadId}/chat`, { body: { text: 'hijacked' } }),
  postChatReceipt: () =>
    asA('POST', `/v1/threads/${B.chatThreadId}/receipts`, { body: { type: 'read', at: new Date().toISOString() } }),
  getWidgetSettings: () => asA('GET', '/v1/settings/widget'),
  putWidgetSettings: () => asA('PUT', '/v1/settings/widget', { body: { enabled: false, allowedOrigins: [] } }),
  // A's host token, presented for B's workspace: B's keys refuse it.
  createWidgetSession: () =>
    api.call(undefined, 'POST', '/v1/widget/session', { body: { workspaceId: b.workspaceId, token: A.hostToken } }),
  // The frame document is public (an iframe loads it); it names its workspace and nothing else of it.
  getWidgetFrame: async () => {
    const res = await api.handler(apiEvent({ method: 'GET', path: `/v1/widget/frame/${b.workspaceId}` }));
    return { status: res.statusCode, body: res.body.replaceAll(b.workspaceId, 'the-workspace') };
  },
  listWidgetThreads: () => asEndUserA('GET', '/v1/widget/threads'),
  startWidgetThread: () => asEndUserA('POST', '/v1/widget/threads', { text: 'mine', clientMessageId: 'i2' }),
  listWidgetMessages: () => asEndUserA('GET', `/v1/widget/threads/${B.chatThreadId}/messages`),
  postWidgetMessage: () =>
    asEndUserA('POST', `/v1/widget/threads/${B.chatThreadId}/messages`, { text: 'x', clientMessageId: 'i3' }),
  markWidgetRead: () =>
    asEndUserA('POST', `/v1/widget/threads/${B.chatThreadId}/read`, { upTo: new Date().toISOString() }),
  // B's end user's file on B's chat thread, asked for by A's end user (A's key is tried below).
  getWidgetAttachment: () =>
    asEndUserA('GET', `/v1/widget/threads/${B.chatThreadId}/attachments/${B.chatAttachmentId}`),
  // A's end user gets an upload of their own: its key names A's workspace, nothing of B's.
  listMailboxes: () => asA('GET', '/v1/mailboxes'),
  updateMailbox: () => asA('PATCH', `/v1/mailboxes/${B.mailboxId}`, { body: { displayName: 'hijacked' } }),
  getWorkspaceSignature: () => asA('GET', '/v1/signature'),
  putWorkspaceSignature: () => asA('PUT', '/v1/signature', { body: { text: 'mine' } }),
  getMySignature: () => asA('GET', '/v1/me/signature', asAgent),
  putMySignature: () => asA('PUT', '/v1/me/signature', { ...asAgent, body: { text: 'mine' } }),
  // The same agent id in both workspaces: B's comment is still not theirs in A.
  editComment: () =>
    asA('PATCH', `/v1/threads/${B.threadId}/comments/${B.commentId}`, {
      ...asAgent,
      query: { at: B.commentAt },
      body: { body: 'hijacked' },
    }),
  deleteComment: () =>
    asA('DELETE', `/v1/threads/${B.threadId}/comments/${B.commentId}`, { ...asAgent, query: { at: B.commentAt } }),
  createWidgetUpload: () =>
    asEndUserA('POST', '/v1/widget/uploads', { filename: 'mine.txt', contentType: 'text/plain', size: 4 }),
  // The queue: A's views, notifications and preferences are A's own; a bulk change of B's thread finds nothing.
  listViews: () => asA('GET', '/v1/views', asAgent),
  bulkUpdateThreads: () =>
    asA('POST', '/v1/threads/bulk', { body: { threads: [{ threadId: B.threadId }], status: 'closed' } }),
  listNotifications: () => asA('GET', '/v1/notifications', asAgent),
  markNotificationsRead: () =>
    asA('POST', '/v1/notifications/read', {
      ...asAgent,
      body: { notificationIds: ['20261123100000000-0123456789abcdef'] },
    }),
  getNotificationPreferences: () => asA('GET', '/v1/notifications/preferences', asAgent),
  updateNotificationPreferences: () =>
    asA('PATCH', '/v1/notifications/preferences', { ...asAgent, body: { rules: { assigned: { email: false } } } }),
  getNotificationDefaults: () => asA('GET', '/v1/settings/notifications'),
  // Saved searches: A's agent (the same id as B's) creates its own, and finds nothing of B's to rename or delete.
  createSavedView: () => asA('POST', '/v1/views', { ...asAgent, body: { name: 'a view', filter: { status: 'open' } } }),
  updateSavedView: () => asA('PATCH', `/v1/views/${B.savedViewId}`, { ...asAgent, body: { name: 'hijacked' } }),
  deleteSavedView: () => asA('DELETE', `/v1/views/${B.savedViewId}`, asAgent),
  updateNotificationDefaults: () =>
    asA('PATCH', '/v1/settings/notifications', { body: { rules: { assigned: { email: false } } } }),
  // Reports: A's rollups and events only.
  getReportOverview: () => asA('GET', '/v1/reports/overview', { query: { from: '2026-11-01', to: '2026-11-30' } }),
  getReportByDimension: () => asA('GET', '/v1/reports/by/agent', { query: { from: '2026-11-01', to: '2026-11-30' } }),
  listReportThreads: () =>
    asA('GET', '/v1/reports/threads', { query: { metric: 'created', from: '2026-11-01', to: '2026-11-30' } }),
};

describe('tenant isolation', () => {
  it('has an attempt for every route, and every operation of the OpenAPI document', () => {
    expect(Object.keys(attempts).sort()).toEqual(routes.map((r) => r.operationId).sort());
    expect(Object.keys(attempts).sort()).toEqual(
      operations()
        .map((o) => o.op.operationId as string)
        .sort(),
    );
  });

  it('reads and changes nothing of another workspace, through any route', async () => {
    const before = await snapshotB();
    const bIds = [
      B.savedViewId,
      'b zanzibar view',
      B.threadId,
      B.chatThreadId,
      B.customerId,
      B.contactId,
      B.templateId,
      B.keyId,
      B.attachmentId,
      B.chatAttachmentId,
      b.workspaceId,
      B.email,
      B.draftId,
      B.mailboxId,
      B.commentId,
      'b desk',
      'b sig',
      'b@agents.example',
      'b agent',
    ];
    for (const [operationId, attempt] of Object.entries(attempts)) {
      const res = await attempt();
      const text = JSON.stringify(res.body ?? '');
      if (res.status < 300) {
        // Allowed to succeed only on A's own data: nothing of B in the answer.
        // A may have a contact with the same address as B's (addresses are unique per workspace only).
        const secret = operationId === 'createContact' ? bIds.filter((id) => id !== B.email) : bIds;
        if (operationId === 'bulkUpdateThreads') {
          // It answers for the thread id it was given (A's own input), and finds nothing there.
          expect(res.body.results).toEqual([{ threadId: B.threadId, result: 'notFound' }]);
          continue;
        }
        for (const id of secret) expect(text, `${operationId} leaked ${id}`).not.toContain(id);
      } else {
        // 401: a token of A's host or end user is worth nothing in B.
        expect([400, 401, 404, 422], `${operationId}: ${res.status} ${text}`).toContain(res.status);
      }
    }
    // B's saved search outlived A's attempts at it.
    const bViews = await api.call(b.apiKey, 'GET', '/v1/views', asAgent);
    expect(bViews.body.items).toContainEqual(expect.objectContaining({ id: B.savedViewId, name: 'b zanzibar view' }));
    // Cross-tenant references inside A's own requests are refused too.
    const version = (await asA('GET', `/v1/threads/${A.threadId}`)).body.version;
    expect(
      (await asA('PATCH', `/v1/threads/${A.threadId}`, { body: { version, customerIds: [B.customerId] } })).status,
    ).toBe(400);
    expect(
      (await asA('POST', `/v1/threads/${A.threadId}/messages`, { body: { to: [B.email], text: 'x' } })).status,
    ).toBe(422);
    expect(
      (await asA('GET', '/v1/threads', { query: { q: 'zanzibar' } })).body.items.map(
        (t: { threadId: string }) => t.threadId,
      ),
    ).toEqual([A.threadId]);
    // B's cursor used with A's key pages A's own partition, never B's.
    const bPage = await asB('GET', '/v1/threads', { query: { limit: '1' } });
    expect([B.threadId, B.chatThreadId]).toContain(bPage.body.items[0].threadId);
    expect(await snapshotB()).toEqual(before);
    expect((await asB('GET', '/v1/threads', { query: { customer: B.customerId } })).body.items).toHaveLength(2);
    // B's end user's upload, named in a message of A's end user, is not found.
    expect(
      (
        await asEndUserA('POST', '/v1/widget/threads', {
          text: 'with B\u2019s file',
          clientMessageId: 'i4',
          attachments: [{ uploadId: B.uploadId }],
        })
      ).status,
    ).toBe(404);
    // B's end user's file: A's key (on the widget's route, or as a widget token) is refused, and A's end user
    // does not reach it through a thread of their own either.
    const bFile = `/v1/widget/threads/${B.chatThreadId}/attachments/${B.chatAttachmentId}`;
    expect((await asA('GET', bFile)).status).toBe(401);
    expect((await api.call(undefined, 'GET', bFile, { headers: { 'X-Widget-Token': a.apiKey } })).status).toBe(401);
    const viaA = await asEndUserA('GET', `/v1/widget/threads/${A.chatThreadId}/attachments/${B.chatAttachmentId}`);
    expect(viaA.status).toBe(404);
    // B's end user does download it.
    const own = await api.call(undefined, 'GET', bFile, { headers: { 'X-Widget-Token': B.widgetToken } });
    expect(own.status).toBe(200);
    expect(own.body.filename).toBe('b-chat.txt');
  });
});
