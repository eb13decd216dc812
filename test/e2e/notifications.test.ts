/**
 * Notifications on the stack that `npm start` runs, with default preferences: SMTP in, the API, the
 * dispatcher on the table's stream, the mail runs on the lifecycle state machine (scaled clock), the
 * notification mail captured by the local SES. One stack for the file; every wait polls with a deadline.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { freePort } from '#lib/local/net.ts';
import { summarise } from '#lib/local/ses-local.ts';
import { type LocalStack, startLocalStack } from '#lib/local/stack.ts';

/** The 60 s a first notification mail waits are 3 s here; its 5-minute window 15 s. */
const TIME_SCALE = 20;

let stack: LocalStack;
let dataDir: string;
let me: { agentId: string; email: string };
const REA = { agentId: `rea-${randomUUID().slice(0, 8)}`, email: `rea-${randomUUID().slice(0, 8)}@gochat.localhost` };

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      'x-agent-id': me.agentId,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

function sendMail(mail: SendMailOptions) {
  const transport = nodemailer.createTransport({
    host: stack.smtp.host,
    port: stack.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  return transport.sendMail(mail).finally(() => transport.close());
}

const mailsTo = (address: string, ref: string) =>
  stack.ses.captured().filter((m) => {
    const s = summarise(m.raw);
    return s.to?.includes(address) && s.subject?.includes(`[#${ref}]`);
  });

/** A customer's new thread, self-assigned by the development agent (no notification for oneself). */
async function assignedThread(customer: string) {
  const subject = `Question ${randomUUID().slice(0, 8)}`;
  const info = await sendMail({ from: customer, to: stack.inboundAddress, subject, text: 'Hello, a question.' });
  const card = await until('the thread', async () => {
    const { json } = await api('GET', `/v1/threads?q=${encodeURIComponent(subject.split(' ')[1])}`);
    return json?.items?.find((c: { subject: string }) => c.subject === subject);
  });
  const thread = (await api('GET', `/v1/threads/${card.threadId}`)).json;
  const patched = await api('PATCH', `/v1/threads/${card.threadId}`, { version: thread.version, assignee: me.agentId });
  expect(patched.status).toBe(200);
  return { threadId: card.threadId as string, ref: thread.ref as string, subject, messageId: info.messageId };
}

const answer = (customer: string, t: { subject: string; messageId: string }, text: string) =>
  sendMail({
    from: customer,
    to: stack.inboundAddress,
    subject: `Re: ${t.subject}`,
    text,
    inReplyTo: t.messageId,
    references: [t.messageId],
  });

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  dataDir = mkdtempSync(join(tmpdir(), 'gochat-e2e-notify-'));
  stack = await startLocalStack({
    dataDir,
    timeScale: TIME_SCALE,
    ports: {
      api: await freePort(),
      smtp: await freePort(),
      dynamodb: await freePort(),
      s3: await freePort(),
      ses: await freePort(),
      events: await freePort(),
      sfn: await freePort(),
      live: await freePort(),
      cognito: await freePort(),
    },
  });
  me = stack.agents.devAgent;
  const db = documentClient({ region: stack.region, endpoints: { dynamodb: stack.endpoints.dynamodb } });
  await new DynamoAgentStore(db, stack.tableName).putAgent({
    workspaceId: stack.workspaceId,
    ...REA,
    name: 'Rea',
    role: 'agent',
    createdAt: new Date().toISOString(),
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('notification mail on the local stack (default preferences)', () => {
  it('three answers in a row from the customer: one mail to the assigned agent, within seconds', async () => {
    const customer = `c-${randomUUID().slice(0, 8)}@example.com`;
    const t = await assignedThread(customer);
    const before = stack.ses.captured().length;
    for (const text of ['One more thing.', 'And another.', 'Last one, sorry.']) await answer(customer, t, text);
    const [mail] = await until('the notification mail', () => {
      const found = mailsTo(me.email, t.ref);
      return found.length ? found : undefined;
    });
    expect(summarise(mail.raw).from).toMatch(/no-reply@/);
    // The three answers are in that one mail; a while later there is still just one, and none to the customer.
    await new Promise((r) => setTimeout(r, 4000));
    expect(mailsTo(me.email, t.ref)).toHaveLength(1);
    expect(
      stack.ses
        .captured()
        .slice(before)
        .filter((m) => summarise(m.raw).to?.includes(customer)),
    ).toEqual([]);
  }, 90_000);

  it('a comment mentioning a colleague: one mail to the colleague, nothing to the customer', async () => {
    const customer = `c-${randomUUID().slice(0, 8)}@example.com`;
    const t = await assignedThread(customer);
    const before = stack.ses.captured().length;
    const res = await api('POST', `/v1/threads/${t.threadId}/comments`, {
      body: '@Rea can you check?',
      mentions: [REA.agentId],
    });
    expect(res.status).toBe(201);
    await until('the mention mail', () => mailsTo(REA.email, t.ref).length === 1);
    await new Promise((r) => setTimeout(r, 1000));
    const fresh = stack.ses
      .captured()
      .slice(before)
      .map((m) => summarise(m.raw).to);
    expect(fresh).toEqual([expect.stringContaining(REA.email)]);
  }, 90_000);

  it('a thread seen in the app meanwhile: no mail', async () => {
    const customer = `c-${randomUUID().slice(0, 8)}@example.com`;
    const t = await assignedThread(customer);
    await answer(customer, t, 'Is anyone there?');
    // The agent opens the thread as soon as the answer is in it (well inside the 3 s a first mail waits).
    await until('the answer', async () => (await api('GET', `/v1/threads/${t.threadId}`)).json.messageCount === 2);
    await new Promise((r) => setTimeout(r, 6000));
    expect(mailsTo(me.email, t.ref)).toEqual([]);
  }, 90_000);
});
