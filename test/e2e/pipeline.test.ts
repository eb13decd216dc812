/**
 * End to end, on the stack that `npm start` runs (lib/local/stack.ts): SMTP in, the HTTP API out, the
 * lifecycle state machine on a fast clock, outbound mail captured by the local SES. Every wait polls
 * with a deadline; nothing sleeps for a fixed time.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoClient } from '#adapters/cognito-agent-pool.ts';
import { s3Client } from '#adapters/s3-mail-store.ts';
import { signInAgent } from '#lib/local/cognito-local.ts';
import { freePort } from '#lib/local/net.ts';
import { type CapturedMail, listOutbox, summarise } from '#lib/local/ses-local.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#lib/local/stack.ts';

/** 3 days of the default policy pass in about 2.6 s. */
const TIME_SCALE = 100_000;
const POLL_TIMEOUT_MS = 30_000;

type Json = any;

let stack: LocalStack | undefined;
let options: LocalStackOptions;
let dataDir: string;

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = POLL_TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${stack!.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack!.apiKey}`,
      'x-agent-id': 'agent-ada',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function getThread(threadId: string): Promise<Json> {
  const { status, json } = await api('GET', `/v1/threads/${threadId}`);
  expect(status).toBe(200);
  return json;
}

async function feed(threadId: string): Promise<Json[]> {
  const { status, json } = await api('GET', `/v1/threads/${threadId}/feed?limit=100`);
  expect(status).toBe(200);
  return json.items;
}

function sendMail(mail: SendMailOptions) {
  const transport = nodemailer.createTransport({
    host: stack!.smtp.host,
    port: stack!.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  return transport.sendMail(mail).finally(() => transport.close());
}

const capturedTo = (address: string, since = 0): CapturedMail[] =>
  stack!.ses.captured().filter((m) => summarise(m.raw).to?.includes(address) && Date.parse(m.at) >= since);

const header = (raw: Buffer, name: string) =>
  new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(
    raw
      .toString()
      .split(/\r?\n\r?\n/, 1)[0]
      .replace(/\r?\n[ \t]+/g, ' '),
  )?.[1];

describe('the local pipeline, end to end', () => {
  const customer = `customer-${randomUUID().slice(0, 8)}@example.com`;
  const subject = `Invoice ${randomUUID().slice(0, 8)} is wrong`;
  let threadId: string;
  let firstMessageId: string;
  let agentMail: CapturedMail;

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
    dataDir = mkdtempSync(join(tmpdir(), 'gochat-e2e-'));
    options = {
      dataDir,
      timeScale: TIME_SCALE,
      // Fixed for the run: a restart must come back on the same endpoints (the handlers keep their clients).
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
    };
    stack = await startLocalStack(options);
  });

  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('1. a mail in over SMTP appears through the API as an open thread', async () => {
    const info = await sendMail({
      from: `Grace Customer <${customer}>`,
      to: stack!.inboundAddress,
      subject,
      text: 'Hello,\n\nmy invoice for March charges me twice.\n\nGrace',
    });
    firstMessageId = info.messageId;
    // The S3 action kept the raw mail, with the headers SES prepends, under the SES message id.
    const received = stack!.smtp.received().at(-1)!;
    const s3 = s3Client({ region: stack!.region, endpoints: { s3: stack!.endpoints.s3 } });
    const object = await s3.send(
      new GetObjectCommand({ Bucket: stack!.bucket, Key: `inbound/${received.sesMessageId}` }),
    );
    const raw = await object.Body!.transformToString();
    s3.destroy();
    expect(raw).toMatch(/^Return-Path: <customer-/);
    expect(raw).toContain(`Subject: ${subject}`);
    // A recipient that no receipt rule matches is refused, as SES does.
    await expect(
      sendMail({ from: customer, to: 'someone@not-a-gochat-domain.example', subject, text: 'x' }),
    ).rejects.toThrow(/550/);
    const card = await until('the new thread in the list', async () => {
      const { json } = await api('GET', '/v1/threads?limit=100');
      return json.items.find((t: Json) => t.subject === subject);
    });
    threadId = card.threadId;
    expect(card).toMatchObject({ status: 'open', messageCount: 1, latestContact: { email: customer } });
    const items = await feed(threadId);
    const inbound = items.filter((i) => i.type === 'message');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ direction: 'inbound', from: { address: customer } });
    expect(inbound[0].newText).toContain('charges me twice');
  });

  it('2. an agent reply through the API goes out with threading headers and the reply token', async () => {
    const sent = await api('POST', `/v1/threads/${threadId}/messages`, {
      text: 'Sorry about that, Grace: we have refunded the second charge.',
    });
    expect(sent.status).toBe(201);
    agentMail = await until('the captured outbound mail', () => capturedTo(customer)[0]);
    expect(header(agentMail.raw, 'In-Reply-To')).toBe(firstMessageId);
    expect(header(agentMail.raw, 'References')).toContain(firstMessageId);
    const replyTo = header(agentMail.raw, 'Reply-To') ?? '';
    const [local, domain] = stack!.inboundAddress.split('@');
    expect(replyTo).toMatch(new RegExp(`${local}\\+${threadId.toLowerCase()}\\.[a-z2-7]{16}@${domain}`));
    // The outbox keeps it as a file too, with the Message-ID that SES puts on the wire.
    expect(listOutbox(join(dataDir, 'outbox')).map((e) => e.messageId)).toContain(header(agentMail.raw, 'Message-ID'));
    // The send moved the thread on to reminder(1) (a later reminder may already have followed: the clock is fast).
    await until('the status change to reminder(1)', async () =>
      (await feed(threadId)).find((i) => i.type === 'update' && i.field === 'status' && i.to === 'reminder(1)'),
    );
    expect((await getThread(threadId)).status).not.toBe('open');
  });

  it('3. the customer replies to the captured mail over SMTP: same thread, open again', async () => {
    const replyTo = header(agentMail.raw, 'Reply-To')!.replace(/^.*<|>.*$/g, '');
    const wireId = header(agentMail.raw, 'Message-ID')!;
    await sendMail({
      from: `Grace Customer <${customer}>`,
      to: replyTo,
      subject: `Re: ${header(agentMail.raw, 'Subject')}`,
      inReplyTo: wireId,
      references: [firstMessageId, wireId],
      text: `Thanks, that works!\n\nOn Mon, someone wrote:\n> Sorry about that, Grace: we have refunded the second charge.\n`,
    });
    const isReply = (i: Json) =>
      i.type === 'message' && i.direction === 'inbound' && i.newText === 'Thanks, that works!';
    await until('the reply in the same thread', async () => (await feed(threadId)).find(isReply));
    const thread = await until('the thread open again', async () => {
      const t = await getThread(threadId);
      return t.status === 'open' ? t : undefined;
    });
    expect(thread.threadId).toBe(threadId);
    const { json } = await api('GET', '/v1/threads?limit=100');
    expect(json.items.filter((t: Json) => t.subject.includes(subject))).toHaveLength(1);
  });

  it('4. on the fast clock the default policy sends 2 reminders, then reopens the thread', async () => {
    const since = Date.now();
    const messagesBefore = (await getThread(threadId)).messageCount;
    const sent = await api('POST', `/v1/threads/${threadId}/messages`, {
      text: 'Could you confirm the refund arrived?',
    });
    expect(sent.status).toBe(201);
    const reopened = await until('2 reminders, then the thread open again', async () => {
      const t = await getThread(threadId);
      return t.status === 'open' ? t : undefined;
    });
    const mails = capturedTo(customer, since);
    // The agent's message, then exactly two reminders: no stale timer sent anything more.
    expect(mails).toHaveLength(3);
    for (const reminder of mails.slice(1)) {
      expect(header(reminder.raw, 'Auto-Submitted')).toBe('auto-generated');
      expect(header(reminder.raw, 'In-Reply-To')).toBeTruthy();
    }
    expect(reopened.messageCount).toBe(messagesBefore + 3);
    const statuses = (await feed(threadId))
      .filter((i) => i.type === 'update' && i.field === 'status' && Date.parse(i.at) >= since)
      .map((i) => i.to);
    expect(statuses).toEqual(['reminder(1)', 'reminder(2)', 'waiting', 'open']);
  });

  it('5. stopping and starting again keeps the data', async () => {
    const before = await getThread(threadId);
    const beforeFeed = await feed(threadId);
    const workspaceId = stack!.workspaceId;
    const sentToCustomer = capturedTo(customer).length;
    await stack!.stop();
    stack = undefined;
    stack = await startLocalStack(options);
    expect(stack.workspaceId).toBe(workspaceId);
    const after = await getThread(threadId);
    expect(after).toMatchObject({ status: before.status, messageCount: before.messageCount, version: before.version });
    expect(await feed(threadId)).toEqual(beforeFeed);
    expect(listOutbox(join(dataDir, 'outbox')).filter((e) => e.to?.includes(customer))).toHaveLength(sentToCustomer);
    // And it still takes mail.
    await sendMail({
      from: customer,
      to: stack.inboundAddress,
      subject: `${subject} (again)`,
      text: 'One more thing.',
    });
    await until('a second thread after the restart', async () => {
      const { json } = await api('GET', '/v1/threads?limit=100');
      return json.items.find((t: Json) => t.subject === `${subject} (again)`);
    });
    // The restart scheduled the old status changes again from the stream: every such timer is stale
    // and must end without acting.
    await stack.stepFunctions.idle(POLL_TIMEOUT_MS);
    expect(await feed(threadId)).toEqual(beforeFeed);
    expect(capturedTo(customer)).toHaveLength(0);
  });

  it('6. the development agent (kept across the restart) signs in and acts under its own name', async () => {
    const { devAgent, clientId } = stack!.agents;
    const cognito = cognitoClient({ region: stack!.region, endpoint: stack!.endpoints.cognito });
    const { idToken } = await signInAgent(cognito, clientId, devAgent.email, devAgent.password);
    cognito.destroy();
    const asAgent = (method: string, path: string, body?: unknown) =>
      fetch(`${stack!.api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${idToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const me = await (await asAgent('GET', '/v1/me')).json();
    expect(me).toMatchObject({
      kind: 'agent',
      role: 'admin',
      agent: { agentId: devAgent.agentId, email: devAgent.email },
    });
    const comment = await asAgent('POST', `/v1/threads/${threadId}/comments`, { body: 'Looking into it.' });
    expect(comment.status).toBe(201);
    expect(((await comment.json()) as Json).actor).toEqual({ kind: 'agent', id: devAgent.agentId, name: 'Dev Agent' });
  });
});
