/**
 * Live updates, end to end on the stack that `npm start` runs: two clients of one workspace and one of
 * another on the local `ws` server; a mail in over SMTP and an agent's reply reach both within 2 s and
 * never the other workspace; a client that reconnects catches up with `updatedSince`.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoClient } from '#adapters/cognito-agent-pool.ts';
import { signInAgent } from '#lib/local/cognito-local.ts';
import { type LocalStack, startLocalStack } from '#lib/local/stack.ts';
import { main } from '../../bin/gochat.ts';
import { connectLive, type LiveClient, refusedHandshake } from '../support/live.ts';

/** The promise of the issue: clients are told within about 2 s. */
const LIVE_WITHIN_MS = 2000;

let stack: LocalStack;
let other: { workspaceId: string; apiKey: string };
const clients: LiveClient[] = [];

async function api(method: string, path: string, body?: unknown, key = stack.apiKey) {
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'x-agent-id': 'agent-ada',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function sendMail(from: string, subject: string) {
  const transport = nodemailer.createTransport({
    host: stack.smtp.host,
    port: stack.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ from, to: stack.inboundAddress, subject, text: `Hello, about ${subject}.` });
  } finally {
    transport.close();
  }
}

async function connect(key: string) {
  const client = await connectLive(stack.live.url, key);
  clients.push(client);
  return client;
}

const changedThread =
  (threadId?: string, minRev = 0) =>
  (frame: any) =>
    frame.type === 'changed' &&
    frame.events.some((e: any) => (threadId === undefined || e.threadId === threadId) && (e.rev ?? 0) >= minRev);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  stack = await startLocalStack({ dataDir: 'memory' });
  const lines: string[] = [];
  const code = await main(
    ['workspace', 'create', '--name', 'Other', '--inbound', `other-${randomUUID().slice(0, 8)}@other.localhost`],
    { TABLE_NAME: stack.tableName, AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb, AWS_REGION: stack.region },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
  );
  expect(code, lines.join('\n')).toBe(0);
  other = JSON.parse(lines[0]);
  // One mail through first, as a Lambda's first invocation warms its container: the figures below are
  // a warm stack's (bench/live.ts reports the first mail's latency too).
  const warm = await connectLive(stack.live.url, stack.apiKey);
  await sendMail(`warm-${randomUUID().slice(0, 8)}@example.com`, 'Warm-up');
  await warm.next(changedThread(), 30_000);
  await warm.close();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await stack?.stop();
});

describe('live updates on the local stack', () => {
  it('tells both clients of the workspace, within 2 s, of a mail in over SMTP and of an agent reply; never the other workspace', async () => {
    const lists = await connect(stack.apiKey);
    const viewer = await connect(stack.apiKey);
    const stranger = await connect(other.apiKey);
    // The stranger's connection works: it is answered, and it even asks for the threads it will never see.
    stranger.send({ action: 'ping' });
    await stranger.next((f) => f.type === 'pong');

    const subject = `Live ${randomUUID().slice(0, 8)}`;
    await sendMail(`live-${randomUUID().slice(0, 8)}@example.com`, subject);
    const mailInAt = Date.now();
    const [first, second] = await Promise.all([
      lists.next(changedThread(), 10_000),
      viewer.next(changedThread(), 10_000),
    ]);
    const threadId: string = first.frame.events[0].threadId;
    expect(second.frame.events.map((e: any) => e.threadId)).toContain(threadId);
    expect(first.at - mailInAt, `mail → first client: ${first.at - mailInAt} ms`).toBeLessThan(LIVE_WITHIN_MS);
    expect(second.at - mailInAt, `mail → second client: ${second.at - mailInAt} ms`).toBeLessThan(LIVE_WITHIN_MS);
    // Ids and versions only; the data comes from REST, and says the same thread.
    const event = first.frame.events.find((e: any) => e.threadId === threadId);
    expect(Object.keys(event).sort()).toEqual(['changes', 'rev', 'threadId', 'updatedAt']);
    // Neither client views the thread yet: a list hears of the card only, not of the thread's items.
    expect(event.changes).toEqual([{ entity: 'thread' }]);
    const thread = (await api('GET', `/v1/threads/${threadId}`)).json;
    expect(thread.subject).toBe(subject);
    expect(thread.version).toBe(event.rev);

    viewer.send({ action: 'subscribe', threadIds: [threadId] });
    await viewer.next((f) => f.type === 'subscribed' && f.threadIds[0] === threadId);
    stranger.send({ action: 'subscribe', threadIds: [threadId] });
    await stranger.next((f) => f.type === 'subscribed');

    const reply = await api('POST', `/v1/threads/${threadId}/messages`, { text: 'We are on it.' });
    expect(reply.status).toBe(201);
    const repliedAt = Date.now();
    const [a, b] = await Promise.all([
      lists.next(changedThread(threadId, event.rev + 1)),
      viewer.next(changedThread(threadId, event.rev + 1)),
    ]);
    expect(a.at - repliedAt, `reply → client: ${a.at - repliedAt} ms`).toBeLessThan(LIVE_WITHIN_MS);
    expect(b.at - repliedAt, `reply → client: ${b.at - repliedAt} ms`).toBeLessThan(LIVE_WITHIN_MS);
    const after = (await api('GET', `/v1/threads/${threadId}`)).json;
    const replyEvent = b.frame.events.find((e: any) => e.threadId === threadId);
    expect(replyEvent.changes).toContainEqual({ entity: 'feed', id: reply.json.itemId });
    expect(a.frame.events.find((e: any) => e.threadId === threadId).changes).toEqual([{ entity: 'thread' }]);
    expect(after.status).toBe('reminder');

    // A comment (only the thread's own counters change) reaches the viewer too.
    const comment = await api('POST', `/v1/threads/${threadId}/comments`, { body: 'Checked the invoice.' });
    expect(comment.status).toBe(201);
    await viewer.next((f) => changedThread(threadId)(f) && JSON.stringify(f).includes(comment.json.itemId));

    // Presence and drafts (items of the agents' work) reach the viewer, and not the lists.
    const writingAt = Date.now();
    expect((await api('PUT', `/v1/threads/${threadId}/presence`, { state: 'writing' })).status).toBe(200);
    const draft = await api('POST', `/v1/threads/${threadId}/drafts`, { text: 'A draft reply' });
    expect(draft.status).toBe(201);
    const hasChange = (entity: string, id: string) => (f: any) =>
      changedThread(threadId)(f) &&
      f.events.some((e: any) => e.changes.some((c: any) => c.entity === entity && c.id === id));
    const presence = await viewer.next(hasChange('presence', 'agent-ada'));
    const drafted = await viewer.next(hasChange('draft', draft.json.draftId));
    expect(presence.at - writingAt, `presence → viewer: ${presence.at - writingAt} ms`).toBeLessThan(LIVE_WITHIN_MS);
    expect(drafted.at - writingAt, `draft → viewer: ${drafted.at - writingAt} ms`).toBeLessThan(LIVE_WITHIN_MS);

    // The other workspace's client got answers to its own frames, and not one event.
    await new Promise((r) => setTimeout(r, 500));
    expect(stranger.frames.map((f) => f.frame.type).sort()).toEqual(['pong', 'subscribed']);
    expect(stranger.events()).toEqual([]);
    const listed = lists.events().flatMap(({ event }) => event.changes.map((c: any) => c.entity));
    expect(listed).not.toContain('presence');
    expect(listed).not.toContain('draft');
  });

  it('takes an agent’s token (the local user pool) for the agent’s own workspace only', async () => {
    const cognito = cognitoClient({ region: stack.region, endpoint: stack.endpoints.cognito });
    const { devAgent, clientId } = stack.agents;
    const { idToken } = await signInAgent(cognito, clientId, devAgent.email, devAgent.password);
    cognito.destroy();
    const refused = await refusedHandshake(stack.live.url, idToken, { workspaceId: other.workspaceId });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const agent = await connectLive(stack.live.url, idToken, { workspaceId: stack.workspaceId });
    clients.push(agent);
    const subject = `Agent ${randomUUID().slice(0, 8)}`;
    await sendMail(`agent-${randomUUID().slice(0, 8)}@example.com`, subject);
    const seen = await agent.next(changedThread(), 10_000);
    const threadId: string = seen.frame.events[0].threadId;
    expect((await api('GET', `/v1/threads/${threadId}`)).json.subject).toBe(subject);
  });

  it('lets a client that reconnects catch up with updatedSince', async () => {
    const subject = `Reconnect ${randomUUID().slice(0, 8)}`;
    const client = await connect(stack.apiKey);
    await sendMail(`reconnect-${randomUUID().slice(0, 8)}@example.com`, subject);
    const seen = await client.next(changedThread(), 10_000);
    const threadId: string = seen.frame.events[0].threadId;
    const lastSeen: string = seen.frame.events[0].updatedAt;
    await client.close();

    // While it is away: an agent assigns and tags the thread.
    const before = (await api('GET', `/v1/threads/${threadId}`)).json;
    const patched = await api('PATCH', `/v1/threads/${threadId}`, {
      version: before.version,
      assignee: 'agent-bo',
      tags: ['billing'],
    });
    expect(patched.status).toBe(200);

    const back = await connect(stack.apiKey);
    const caughtUp = await api('GET', `/v1/threads?updatedSince=${encodeURIComponent(lastSeen)}`);
    expect(caughtUp.status).toBe(200);
    const card = caughtUp.json.items.find((t: any) => t.threadId === threadId);
    expect(card).toMatchObject({ assignee: 'agent-bo', tags: ['billing'] });
    for (const t of caughtUp.json.items) expect(t.updatedAt >= lastSeen).toBe(true);
    // Nothing older comes back: a moment after the change, the list is empty of it.
    const later = new Date(Date.parse(card.updatedAt) + 1).toISOString();
    const none = await api('GET', `/v1/threads?updatedSince=${encodeURIComponent(later)}`);
    expect(none.json.items.map((t: any) => t.threadId)).not.toContain(threadId);

    // And the reconnected client is live again.
    const again = await api('PATCH', `/v1/threads/${threadId}`, { version: patched.json.version, status: 'closed' });
    expect(again.status).toBe(200);
    await back.next(changedThread(threadId, again.json.version));
  });
});
