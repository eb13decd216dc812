/**
 * Threads and agents written straight into the stores, as ingest and `gochat agent create` write them: for
 * the integration tests and benchmarks that need a customer's thread or a few agents, not the mail path.
 */
import { ulid } from 'ulid';
import type { AgentProfile } from '#core/agents.ts';
import type { MailAddress, MessageItem, Thread } from '#core/model.ts';
import type { ThreadStore } from '#core/ports.ts';
import { newThread, withMessage } from '#core/thread-state.ts';

/** The customer who writes, unless a test says otherwise. */
export const CUSTOMER = 'carla@customer.example';

/** A customer's plain-text mail as ingest stores it: ordinary, no attachments, a fresh Message-ID. */
export function inboundMessage(m: {
  workspaceId: string;
  threadId: string;
  at?: string;
  subject?: string;
  text?: string;
  from?: MailAddress;
  messageId?: string;
}): MessageItem {
  const text = m.text ?? 'Hello';
  return {
    type: 'message',
    workspaceId: m.workspaceId,
    threadId: m.threadId,
    itemId: ulid(),
    at: m.at ?? new Date().toISOString(),
    direction: 'inbound',
    messageId: m.messageId ?? `<${ulid().toLowerCase()}@customer.example>`,
    from: m.from ?? { address: CUSTOMER },
    to: [],
    cc: [],
    subject: m.subject ?? 'Hello',
    newText: text,
    text,
    classification: 'ordinary',
    flags: {},
    attachments: [],
  };
}

/**
 * A customer's new thread as ingest commits it (the thread and its first message in one write), read back
 * as stored. `messageSubject` is the mail's subject when it differs from the thread's.
 */
export async function customerThread(
  threads: Pick<ThreadStore, 'commit' | 'getThread'>,
  t: { workspaceId: string; subject: string; messageSubject?: string; text?: string; assignee?: string },
): Promise<Thread> {
  const at = new Date().toISOString();
  const threadId = ulid();
  const message = inboundMessage({
    workspaceId: t.workspaceId,
    threadId,
    at,
    subject: t.messageSubject ?? t.subject,
    text: t.text,
  });
  const thread = {
    ...newThread({
      workspaceId: t.workspaceId,
      threadId,
      ref: threadId.slice(-6),
      subject: t.subject,
      customerIds: [],
      at,
    }),
    ...(t.assignee ? { assignee: t.assignee } : {}),
  };
  await threads.commit({ before: null, after: withMessage(thread, message), items: [message] });
  return (await threads.getThread(t.workspaceId, threadId)) as Thread;
}

/** Agents put straight into the agent store: role `agent`, email `<name>@acme.example`. */
export async function putAgents(
  agents: { putAgent(profile: AgentProfile): Promise<void> },
  workspaceId: string,
  names: readonly (readonly [agentId: string, name: string])[],
): Promise<void> {
  for (const [agentId, name] of names)
    await agents.putAgent({
      workspaceId,
      agentId,
      name,
      email: `${name.toLowerCase()}@acme.example`,
      role: 'agent',
      createdAt: new Date().toISOString(),
    });
}
