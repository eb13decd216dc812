/**
 * One outbound message, before it is claimed: who it goes out as (the thread's mailbox, mailboxes.ts),
 * its signature layers rendered with the templates' variables, the customer's last message to quote,
 * the MIME (outbound-mime.ts) and the message item that the feed will hold.
 */
import { RecipientNotAllowedError } from './errors.ts';
import { LIMITS } from './limits.ts';
import { fromName, type SenderIdentity } from './mailboxes.ts';
import type { AttachmentMeta, Contact, MessageItem, Thread } from './model.ts';
import { buildMime, type QuotedMessage } from './outbound-mime.ts';
import type { OutboundDeps, SendMessageInput, SendRecord } from './outbound-types.ts';
import type { DirectoryStore } from './ports.ts';
import { renderTemplate, type TemplateVars } from './templates.ts';

export interface Recipients {
  to: string[];
  cc: string[];
  bcc: string[];
}

/** The agent's name as the From line and the signatures show it; an id is never shown to a customer. */
export const agentNameOf = (actor: SendMessageInput['actor']) =>
  actor.kind === 'agent' && actor.name?.trim() ? actor.name.trim() : undefined;

/** The signature layers, rendered (text format: verbatim variables) and without empty ones. */
export function renderSignatures(identity: SenderIdentity, vars: TemplateVars): string[] {
  const { workspace, mailbox, agent } = identity.signatures;
  return [workspace, mailbox, agent]
    .filter((s): s is string => typeof s === 'string' && s.trim() !== '')
    .map((s) => renderTemplate(s, vars).trim())
    .filter(Boolean);
}

/** The customer's latest real message, to quote; null when there is none (a thread an agent started). */
async function quoted(deps: OutboundDeps, thread: Thread): Promise<QuotedMessage | undefined> {
  const last = thread.lastCustomerMessage;
  if (!last) return undefined;
  const m = await deps.threads.getMessage(thread.workspaceId, thread.threadId, last.at, last.itemId);
  if (m?.direction !== 'inbound') return undefined;
  const text = (m.newText || m.text).trim();
  return text ? { at: m.at, name: m.from.name?.trim() || m.from.address, text } : undefined;
}

/** Builds the message: attachments stored, MIME built; nothing claimed or committed yet. */
export async function prepareMessage(
  deps: OutboundDeps,
  input: SendMessageInput,
  thread: Thread,
  record: SendRecord,
  identity: SenderIdentity,
  recipients: Recipients,
): Promise<{ message: MessageItem; raw: Buffer }> {
  const tag = `[#${thread.ref}]`;
  const base = input.subject?.trim() || (/^re:/i.test(thread.subject) ? thread.subject : `Re: ${thread.subject}`);
  const subject = base.includes(tag) ? base : `${base} ${tag}`;
  const attachments: AttachmentMeta[] = [];
  for (const [i, a] of (input.attachments ?? []).entries()) {
    const attachmentId = `${record.itemId}-${i + 1}`;
    const key = `attachments/${thread.workspaceId}/${thread.threadId}/${attachmentId}`;
    await deps.mail.putObject(key, a.content, a.contentType);
    attachments.push({
      attachmentId,
      filename: a.filename,
      contentType: a.contentType,
      size: a.content.length,
      key,
      ...(a.contentId ? { contentId: a.contentId } : {}),
      inline: Boolean(a.contentId),
    });
  }
  const agentName = agentNameOf(input.actor);
  const contact = thread.latestContact;
  const vars: TemplateVars = {
    ...(contact ? { contactName: contact.name ?? contact.email, contactEmail: contact.email } : {}),
    threadRef: thread.ref,
    subject: thread.subject,
    ...(agentName ? { agentName } : {}),
    ...(identity.workspaceName ? { workspaceName: identity.workspaceName } : {}),
    ...(identity.displayName ? { mailboxName: identity.displayName } : {}),
  };
  const signatures = renderSignatures(identity, vars);
  const quote = (input.quote ?? !input.automated) ? await quoted(deps, thread) : undefined;
  const name = fromName(identity, agentName);
  const from = { address: record.from, ...(name ? { name } : {}) };
  const replyTo = deps.replyTokens.replyAddress(record.from, thread.workspaceId, thread.threadId);
  const built = await buildMime({
    from,
    replyTo,
    to: recipients.to,
    cc: recipients.cc,
    subject,
    text: input.text,
    ...(input.html !== undefined ? { html: input.html } : {}),
    signatures,
    ...(quote ? { quote } : {}),
    messageId: record.messageId,
    date: new Date(record.at),
    ...(thread.lastMessageId ? { inReplyTo: thread.lastMessageId } : {}),
    references: thread.references,
    attachments: input.attachments ?? [],
    // RFC 3834: automated mail says so, so that auto-responders do not answer it (no mail loops).
    ...(input.automated ? { headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } } : {}),
  });
  const message: MessageItem = {
    type: 'message',
    workspaceId: thread.workspaceId,
    threadId: thread.threadId,
    itemId: record.itemId,
    at: record.at,
    direction: 'outbound',
    messageId: record.messageId,
    from,
    to: recipients.to.map((address) => ({ address })),
    cc: recipients.cc.map((address) => ({ address })),
    ...(recipients.bcc.length ? { bcc: recipients.bcc.map((address) => ({ address })) } : {}),
    subject,
    newText: input.text,
    text: input.text,
    // The sanitised answer (the layout, signature and quote live in the stored MIME).
    ...(input.html !== undefined && built.answerHtml.length <= LIMITS.bodyBytes ? { html: built.answerHtml } : {}),
    classification: 'ordinary',
    flags: {},
    attachments,
    rawKey: record.rawKey,
    delivery: { state: 'pending' },
    ...(input.automated ? { automated: true } : {}),
    actor: input.actor,
  };
  return { message, raw: built.raw };
}

/** To, Cc and Bcc, each address once, in that order of precedence. */
export function recipientsOf(input: Pick<SendMessageInput, 'to' | 'cc' | 'bcc'>): Recipients {
  const to = unique(input.to);
  const cc = unique(input.cc ?? []).filter((a) => !to.includes(a));
  const bcc = unique(input.bcc ?? []).filter((a) => !to.includes(a) && !cc.includes(a));
  return { to, cc, bcc };
}

const unique = (addresses: string[]) => [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter(Boolean))];

/**
 * Every recipient must be a contact of one of the thread's customers. Automated mail (reminders) also
 * skips an address that bounced: it would only bounce again. Returns the contacts, in order.
 */
export async function checkRecipients(
  directory: DirectoryStore,
  thread: Thread,
  addresses: string[],
  automated: boolean,
): Promise<Contact[]> {
  const contacts: Contact[] = [];
  for (const address of addresses) {
    const contact = await directory.findContactByEmail(thread.workspaceId, address);
    const customers = contact ? await directory.customerIdsOfContact(thread.workspaceId, contact.contactId) : [];
    if (!contact || !customers.some((c) => thread.customerIds.includes(c)))
      throw new RecipientNotAllowedError(`${address} is not a contact of this thread's customers`, { address });
    if (automated && contact.failing) {
      const { since, reason } = contact.failing;
      throw new RecipientNotAllowedError(`${address} is failing since ${since}: ${reason}`, { address });
    }
    contacts.push(contact);
  }
  return contacts;
}
