/**
 * The JSON that the API returns for each entity: what an integrator sees, never a storage shape.
 * Storage details (object keys, raw MIME keys, Message-ID lists, counters of the timers) stay inside.
 */

import type { ApiKeyRecord } from '#adapters/dynamo/admin-store.ts';
import type { ThreadListEntry } from '#adapters/dynamo/thread-queries.ts';
import { keyScopes } from '#core/access.ts';
import type { Contact, Customer, FeedItem, MessageItem, Template, Thread } from '#core/model.ts';

const opt = <K extends string, V>(key: K, value: V | undefined | null) =>
  value === undefined || value === null ? {} : ({ [key]: value } as Record<K, V>);

/** The thread card (docs/data-model.md), as every list returns it. */
export function cardView(t: ThreadListEntry | Thread) {
  return {
    threadId: t.threadId,
    ref: t.ref,
    subject: t.subject,
    snippet: t.snippet,
    status: t.status,
    ...opt('reminderIndex', t.reminderIndex),
    ...opt('assignee', t.assignee),
    tags: t.tags,
    customerIds: t.customerIds,
    hasAttachments: t.hasAttachments,
    attachmentNames: t.attachmentNames,
    hasMultipleMessages: t.messageCount > 1,
    messageCount: t.messageCount,
    itemCount: t.itemCount,
    ...opt('lastMessageAt', t.lastMessageAt),
    ...opt(
      'latestContact',
      t.latestContact && {
        contactId: t.latestContact.contactId,
        email: t.latestContact.email,
        ...opt('name', t.latestContact.name),
        ...opt('externalId', t.latestContact.externalId),
      },
    ),
    updatedAt: t.updatedAt,
  };
}

/** A thread: its card plus what a single read adds; `version` is the one to send back with an update. */
export function threadView(t: Thread) {
  return {
    ...cardView(t),
    ...opt('linkedThreadId', t.linkedThreadId),
    ...opt('mergedInto', t.mergedInto),
    ...opt('snoozedUntil', t.snoozedUntil),
    ...(t.mergedFrom?.length ? { mergedFrom: t.mergedFrom } : {}),
    ...opt('mailbox', t.mailbox),
    ...opt('lastCustomerChannel', t.lastCustomerMessage?.channel),
    createdAt: t.createdAt,
    version: t.rev,
  };
}

export function messageView(m: MessageItem) {
  return {
    type: 'message' as const,
    itemId: m.itemId,
    at: m.at,
    direction: m.direction,
    messageId: m.messageId,
    from: m.from,
    to: m.to,
    cc: m.cc,
    ...(m.bcc?.length ? { bcc: m.bcc } : {}),
    subject: m.subject,
    newText: m.newText,
    text: m.text,
    ...opt('html', m.html),
    classification: m.classification,
    flags: m.flags,
    ...opt('auth', m.auth),
    attachments: m.attachments.map((a) => ({
      attachmentId: a.attachmentId,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      inline: a.inline,
      ...opt('contentId', a.contentId),
    })),
    ...opt('contactId', m.contactId),
    ...opt('delivery', m.delivery && { state: m.delivery.state, ...opt('error', m.delivery.error) }),
    ...(m.automated ? { automated: true } : {}),
    ...opt('actor', m.actor),
    ...opt('channel', m.channel),
    ...opt('emailedAs', m.emailedAs),
    ...opt('fallbackOf', m.fallbackOf),
  };
}

export function feedItemView(item: FeedItem) {
  switch (item.type) {
    case 'message':
      return messageView(item);
    case 'update':
      return {
        type: 'update' as const,
        itemId: item.itemId,
        at: item.at,
        actor: item.actor,
        field: item.field,
        from: item.from ?? null,
        to: item.to ?? null,
      };
    case 'comment':
      return {
        type: 'comment' as const,
        itemId: item.itemId,
        at: item.at,
        actor: item.actor,
        body: item.body,
        ...(item.mentions?.length ? { mentions: item.mentions } : {}),
        ...opt('editedAt', item.editedAt),
        ...opt('deletedAt', item.deletedAt),
      };
  }
}

export function customerView(c: Customer) {
  return {
    customerId: c.customerId,
    name: c.name,
    ...opt('externalId', c.externalId),
    autoCreated: Boolean(c.autoCreated),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function contactView(c: Contact) {
  return {
    contactId: c.contactId,
    email: c.email,
    ...opt('name', c.name),
    ...opt('externalId', c.externalId),
    ...opt('failing', c.failing),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

export function templateView(t: Template) {
  return {
    templateId: t.templateId,
    name: t.name,
    ...opt('subject', t.subject),
    body: t.body,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

export function apiKeyView(k: ApiKeyRecord) {
  return {
    keyId: k.keyId,
    name: k.name,
    displayPrefix: k.displayPrefix,
    createdAt: k.createdAt,
    scopes: keyScopes(k.scopes),
    ...opt('revokedAt', k.revokedAt),
  };
}
