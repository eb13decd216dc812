/**
 * `npm run demo`: a guided tour against a running `npm start` (best with `GOCHAT_TIME_SCALE=86400`):
 *   1. a customer writes in over SMTP;
 *   2. an agent replies through the API (the mail is captured by the local SES);
 *   3. the reminder cycle runs on the fast clock: 2 reminders, waiting, then the thread reopens;
 *   4. the customer replies to the captured mail's Reply-To, with In-Reply-To: same thread.
 * It prints the thread's feed at each step. Ports and key: the same GOCHAT_* variables as npm start.
 */
import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { DEFAULTS } from '#lib/local/stack.ts';

const env = process.env;
const apiUrl = `http://127.0.0.1:${env.GOCHAT_API_PORT || DEFAULTS.apiPort}`;
const apiKey = env.GOCHAT_API_KEY || DEFAULTS.apiKey;
const DAY = 86_400;

type Json = any;

interface StackInfo {
  workspaceId: string;
  inboundAddress: string;
  timeScale: number;
  smtp: { host: string; port: number };
  outbound: { webUrl: string; outbox: string; outboxDir?: string };
}

interface Captured {
  sesMessageId: string;
  at: string;
  to?: string;
  replyTo?: string;
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  file?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      'x-agent-id': 'agent-demo',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return json;
}

async function send(info: StackInfo, mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ ...info.smtp, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

async function captured(info: StackInfo): Promise<Captured[]> {
  const res = await fetch(info.outbound.outbox);
  return ((await res.json()) as { emails: Captured[] }).emails;
}

/** The first lines of a message, on one line: enough to recognise it in the feed. */
const firstLine = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' / ')
    .slice(0, 100);

function who(actor: Json): string {
  if (!actor) return '';
  if (actor.kind === 'agent') return `agent ${actor.id}`;
  if (actor.kind === 'integration') return 'the integration';
  if (actor.kind === 'customer') return 'the customer';
  return `the ${actor.id ?? 'system'}`;
}

async function printFeed(threadId: string, title: string): Promise<Json> {
  const thread = await api('GET', `/v1/threads/${threadId}`);
  const feed = await api('GET', `/v1/threads/${threadId}/feed?limit=100`);
  const status = thread.status === 'reminder' ? `reminder(${thread.reminderIndex ?? 1})` : thread.status;
  console.log(`\n── ${title}`);
  console.log(
    `   thread [#${thread.ref}] "${thread.subject}" is ${status.toUpperCase()}, ${thread.messageCount} messages`,
  );
  for (const item of feed.items) {
    const at = String(item.at).slice(11, 19);
    if (item.type === 'message') {
      const arrow = item.direction === 'inbound' ? '←' : '→';
      const party = item.direction === 'inbound' ? `from ${item.from.address}` : `to ${item.to[0]?.address ?? ''}`;
      const tag = item.automated ? ' (automatic reminder)' : '';
      console.log(`   ${at} ${arrow} ${party}${tag}: ${firstLine(item.newText)}`);
    } else if (item.type === 'update') {
      console.log(
        `   ${at}   ${item.field}: ${JSON.stringify(item.from)} → ${JSON.stringify(item.to)} by ${who(item.actor)}`,
      );
    } else {
      console.log(`   ${at}   comment by ${who(item.actor)}: ${firstLine(item.body)}`);
    }
  }
  return thread;
}

async function main(): Promise<void> {
  const info = (await fetch(`${apiUrl}/_local/info`)
    .then((r) => (r.ok ? r.json() : undefined))
    .catch(() => undefined)) as StackInfo | undefined;
  if (!info) {
    console.error(`No local stack answers at ${apiUrl}. Start one first, on the fast clock:`);
    console.error('  GOCHAT_TIME_SCALE=86400 npm start');
    process.exit(1);
  }
  const fast = info.timeScale >= 3_600;
  const run = randomUUID().slice(0, 6);
  const customer = { name: 'Dana Whitfield', address: `dana.${run}@example.com` };
  console.log(`Go!Chat demo: customer ${customer.address} writes to ${info.inboundAddress}.`);
  console.log(`Outbound mail is captured at ${info.outbound.webUrl} (and npm run outbox).`);

  // 1. A new request, through SMTP: the local SES receipt path stores it in S3 and invokes ingest.
  const subject = `Cannot download my March statement (${run})`;
  const first = await send(info, {
    from: customer,
    to: info.inboundAddress,
    subject,
    text: [
      'Hello,',
      '',
      'When I click "Download" on my March statement I get an error page.',
      'Could you send it to me, or tell me what is wrong?',
      '',
      'Thanks,',
      'Dana',
      '--',
      'Dana Whitfield | Whitfield & Sons Ltd',
    ].join('\n'),
  });
  const card = await until(
    'the new thread',
    async () => (await api('GET', '/v1/threads?limit=50')).items.find((t: Json) => t.subject === subject),
    20_000,
  );
  const threadId: string = card.threadId;
  await printFeed(threadId, `1. Dana's mail arrived over SMTP (${first.messageId}) and opened a thread`);

  // 2. An agent replies through the API; the local SES captures the mail.
  const before = (await captured(info)).length;
  await api('POST', `/v1/threads/${threadId}/messages`, {
    text: 'Hi Dana,\n\nsorry about that. Your March statement is attached to your account again: could you try once more?\n\nAda, Go!Chat support',
  });
  const agentMail = await until(
    'the captured outbound mail',
    async () => (await captured(info)).slice(before).find((m) => m.to?.includes(customer.address)),
    20_000,
  );
  await printFeed(threadId, '2. Agent Ada replied through the API; the thread now waits for Dana');
  console.log(`   captured mail: ${agentMail.subject}`);
  console.log(`     Message-ID:  ${agentMail.messageId}   (the id SES puts on the wire)`);
  console.log(`     In-Reply-To: ${agentMail.inReplyTo}`);
  console.log(`     Reply-To:    ${agentMail.replyTo}   (carries the thread's reply token)`);
  if (agentMail.file) console.log(`     file:        ${agentMail.file}`);

  // 3. The reminder cycle: 2 reminders 3 days apart, 3 days of waiting, then the thread reopens.
  if (fast) {
    const seconds = (9 * DAY) / info.timeScale;
    console.log(`\n   The clock runs ${info.timeScale}× faster: 9 days of silence take about ${seconds.toFixed(0)} s…`);
    let seen = 0;
    await until(
      'the thread to reopen',
      async () => {
        const thread = await api('GET', `/v1/threads/${threadId}`);
        const reminders = (await captured(info)).filter(
          (m) => m.to?.includes(customer.address) && m.sesMessageId !== agentMail.sesMessageId,
        ).length;
        if (reminders > seen) {
          seen = reminders;
          await printFeed(threadId, `3. Reminder ${reminders} sent (Dana has not answered)`);
        }
        return thread.status === 'open' ? thread : undefined;
      },
      Math.max(30_000, seconds * 3_000),
    );
    await printFeed(threadId, '3. No answer after 9 days: the thread is back with the agents');
  } else {
    console.log(`\n3. Skipped: the stack runs on the real clock (time scale ${info.timeScale}), so the first reminder`);
    console.log('   would come in 3 days. To see the whole cycle in seconds, restart with:');
    console.log('     GOCHAT_TIME_SCALE=86400 npm start');
  }

  // 4. Dana answers the captured mail: to its Reply-To, with In-Reply-To and References.
  const outbound = (await captured(info)).filter((m) => m.to?.includes(customer.address));
  const latest = outbound[outbound.length - 1] ?? agentMail;
  const replyTo = (latest.replyTo ?? '').replace(/^.*<|>.*$/g, '');
  await send(info, {
    from: customer,
    to: replyTo,
    subject: `Re: ${latest.subject ?? subject}`,
    inReplyTo: latest.messageId,
    references: [first.messageId, latest.messageId].filter(Boolean).join(' '),
    text: [
      'It works now, thank you!',
      '',
      `On ${new Date().toUTCString()}, Go!Chat support <${info.inboundAddress}> wrote:`,
      '> Hi Dana,',
      '> sorry about that.',
    ].join('\n'),
  });
  const expected = card.messageCount + outbound.length + 1;
  await until(
    "Dana's reply in the same thread",
    async () => {
      const t = await api('GET', `/v1/threads/${threadId}`);
      return t.messageCount >= expected ? t : undefined;
    },
    20_000,
  );
  await printFeed(threadId, `4. Dana replied to ${replyTo}: same thread, open for the agents`);
  console.log(`\nDone. The thread: GET ${apiUrl}/v1/threads/${threadId} (Authorization: Bearer <key>).`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
