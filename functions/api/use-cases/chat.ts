/**
 * Chat through the API, for an integrator's own chat system: post a customer's message as a contact
 * (by contact id, email or external id) into a new or an existing thread; send an agent's chat message
 * (published with its content, so the integrator's system delivers it; emailed if unseen); post
 * delivery and read receipts back. And the widget's settings.
 */
import { type ChatDeps, postAgentChatMessage, postCustomerMessage } from '#core/chat.ts';
import { NotFoundError, ThreadNotFoundError, ValidationError } from '#core/errors.ts';
import type { Contact } from '#core/model.ts';
import type { StatusTarget } from '#core/thread-state.ts';
import { checkWidgetSettings, type WidgetSettings } from '#core/widget-identity.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';
import { chatDeps } from './widget.ts';

const coreDeps = (deps: ApiDeps): ChatDeps => ({
  threads: deps.threads,
  events: deps.events,
  clock: deps.clock,
  ids: deps.ids,
  ...(deps.log ? { log: deps.log } : {}),
});

export type ContactRef = { contactId: string } | { email: string } | { externalId: string };

async function resolveContact(deps: ApiDeps, ctx: CallerContext, ref: ContactRef): Promise<Contact> {
  const ws = ctx.workspaceId;
  const contact =
    'contactId' in ref
      ? await deps.admin.getContact(ws, ref.contactId)
      : 'email' in ref
        ? await deps.admin.findContactByEmail(ws, ref.email)
        : await chatDeps(deps).store.findContactByExternalId(ws, ref.externalId);
  if (!contact) throw new NotFoundError('contact not found', { contact: ref });
  return contact;
}

export async function postContactMessage(
  deps: ApiDeps,
  ctx: CallerContext,
  input: {
    contact: ContactRef;
    threadId?: string;
    subject?: string;
    text: string;
    clientMessageId: string;
    channel: 'chat' | 'api';
  },
) {
  const contact = await resolveContact(deps, ctx, input.contact);
  const customerIds = await deps.admin.customerIdsOfContact(ctx.workspaceId, contact.contactId);
  if (customerIds.length === 0)
    throw new ValidationError('the contact belongs to no customer: link it to one first', {
      contactId: contact.contactId,
    });
  return postCustomerMessage(coreDeps(deps), {
    workspaceId: ctx.workspaceId,
    contact,
    customerIds,
    ...(input.threadId ? { threadId: input.threadId } : {}),
    ...(input.subject ? { subject: input.subject } : {}),
    text: input.text,
    channel: input.channel,
    clientMessageId: input.clientMessageId,
  });
}

export async function sendAgentChat(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  input: { text: string; status?: StatusTarget | 'keep'; mailboxName?: string },
) {
  const { policy } = await deps.admin.getSettings(ctx.workspaceId);
  // The end user sees a name, never an id: with no agent's name (a key, or an agent id the caller named),
  // the name of the thread's mailbox (the workspace's first when it came in through none).
  let mailboxName = input.mailboxName;
  if (!mailboxName && !(ctx.actor.kind === 'agent' && ctx.actor.name) && deps.mailboxes) {
    const thread = await deps.threads.getThread(ctx.workspaceId, threadId);
    if (thread) mailboxName = (await deps.mailboxes.senderIdentity(ctx.workspaceId, thread.mailbox))?.displayName;
  }
  return postAgentChatMessage(
    { ...coreDeps(deps), starter: chatDeps(deps).starter },
    {
      workspaceId: ctx.workspaceId,
      threadId,
      text: input.text,
      actor: ctx.actor,
      ...(mailboxName ? { mailboxName } : {}),
      policy,
      ...(input.status ? { nextStatus: input.status } : {}),
    },
  );
}

export async function postReceipt(
  deps: ApiDeps,
  ctx: CallerContext,
  threadId: string,
  input: { type: 'delivered' | 'read'; at: string },
) {
  const thread = await deps.threads.getThread(ctx.workspaceId, threadId);
  if (!thread) throw new ThreadNotFoundError(`thread ${threadId} not found`);
  const now = deps.clock.now().toISOString();
  // A receipt cannot hold for messages not yet written.
  const upTo = [new Date(input.at).toISOString(), now].sort()[0];
  return chatDeps(deps).store.recordReceipt(ctx.workspaceId, threadId, input.type, upTo);
}

export async function getWidgetSettings(deps: ApiDeps, ctx: CallerContext) {
  return chatDeps(deps).store.getWidgetSettings(ctx.workspaceId);
}

export async function putWidgetSettings(deps: ApiDeps, ctx: CallerContext, settings: WidgetSettings) {
  checkWidgetSettings(settings, { allowLoopbackHttp: chatDeps(deps).allowLoopbackJwks === true });
  await chatDeps(deps).store.putWidgetSettings(ctx.workspaceId, settings, deps.clock.now().toISOString());
  return chatDeps(deps).store.getWidgetSettings(ctx.workspaceId);
}
