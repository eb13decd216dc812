/**
 * In-memory ports for the ingest use case's unit tests. The thread store keeps the contract of the
 * DynamoDB one: a commit is conditioned on `before.rev`, and a `dedupe` Message-ID entry that exists
 * refuses the whole change.
 */
import { ConcurrentUpdateError, DuplicateMessageError, ThreadMergedError } from '#core/errors.ts';
import type { Contact, FeedItem, MessageItem, Thread } from '#core/model.ts';
import type {
  DirectoryStore,
  DomainEvent,
  EventPublisher,
  MailStore,
  MergeChange,
  MessageIdEntry,
  ThreadChange,
  ThreadStore,
} from '#core/ports.ts';
import { DEFAULT_SETTINGS } from '#core/settings.ts';

const norm = (id: string) => id.trim().replace(/^<|>$/g, '').toLowerCase();

export class MemoryThreadStore implements ThreadStore {
  threads = new Map<string, Thread>();
  feed = new Map<string, FeedItem[]>();
  messageIds = new Map<string, MessageIdEntry>();
  refs = new Map<string, string>();
  keywords = new Map<string, Set<string>>();
  attachments: Array<{ itemId: string; key: string }> = [];
  counter = 0;
  calls: string[] = [];

  private k = (ws: string, id: string) => `${ws}|${id}`;

  async getThread(ws: string, threadId: string) {
    this.calls.push('getThread');
    const t = this.threads.get(this.k(ws, threadId));
    return t ? structuredClone(t) : null;
  }
  async findThreadIdByRef(ws: string, ref: string) {
    this.calls.push('findThreadIdByRef');
    return this.refs.get(this.k(ws, ref)) ?? null;
  }
  async findMessageIds(ws: string, ids: string[]) {
    this.calls.push('findMessageIds');
    return ids.map((id) => this.messageIds.get(this.k(ws, norm(id)))).filter((e): e is MessageIdEntry => !!e);
  }
  async lookup(ws: string, input: { messageIds: string[]; threadIds: string[] }) {
    this.calls.push('lookup');
    const entries = input.messageIds
      .map((id) => this.messageIds.get(this.k(ws, norm(id))))
      .filter((e): e is MessageIdEntry => !!e)
      .map((e) => structuredClone(e));
    const threads = [...new Set(input.threadIds)]
      .map((id) => this.threads.get(this.k(ws, id)))
      .filter((t): t is Thread => !!t)
      .map((t) => structuredClone(t));
    return { entries, threads };
  }
  async copyFeed(ws: string, from: string, to: string) {
    this.calls.push('copyFeed');
    const items = (this.feed.get(this.k(ws, from)) ?? [])
      .filter((i) => !(i.type === 'update' && i.field === 'merge'))
      .map((i) => ({ ...structuredClone(i), threadId: to }));
    const target = this.feed.get(this.k(ws, to)) ?? [];
    for (const i of items) if (!target.some((x) => x.itemId === i.itemId)) target.push(i);
    this.feed.set(this.k(ws, to), target);
    return items;
  }
  async commitMerge(change: MergeChange) {
    this.calls.push('commitMerge');
    const ws = change.survivorAfter.workspaceId;
    for (const before of [change.survivorBefore, change.mergedBefore]) {
      const current = this.threads.get(this.k(ws, before.threadId));
      if (current?.rev !== before.rev || current.mergedInto) throw new ConcurrentUpdateError('stale');
    }
    for (const t of [change.survivorAfter, change.mergedAfter])
      this.threads.set(this.k(ws, t.threadId), { ...t, rev: t.rev + 1 });
    for (const i of change.items)
      this.feed.set(this.k(ws, i.threadId), [...(this.feed.get(this.k(ws, i.threadId)) ?? []), i]);
  }
  async nextThreadRef(_ws: string) {
    this.calls.push('nextThreadRef');
    return String(++this.counter);
  }
  async commit(change: ThreadChange) {
    this.calls.push('commit');
    const ws = change.after.workspaceId;
    const key = this.k(ws, change.after.threadId);
    if (change.before?.mergedInto) throw new ThreadMergedError('merged');
    for (const m of change.messageIds ?? []) {
      const existing = this.messageIds.get(this.k(ws, norm(m.messageId)));
      if (!existing) continue;
      if (m.dedupe && !existing.placeholder) throw new DuplicateMessageError(existing);
      // Same conditions as DynamoDB's: a placeholder is replaced only if it is the one that was read.
      if (!m.dedupe || m.replacesPlaceholderOf !== existing.threadId) throw new ConcurrentUpdateError('claimed');
    }
    const current = this.threads.get(key);
    if (change.before ? current?.rev !== change.before.rev : current) throw new ConcurrentUpdateError('stale');
    this.threads.set(key, { ...change.after, rev: (change.before?.rev ?? 0) + 1 });
    if (change.keywords) {
      const set = this.keywords.get(key) ?? new Set();
      for (const t of change.keywords) set.add(t);
      this.keywords.set(key, set);
    }
    for (const m of change.messageIds ?? []) {
      const { dedupe: _d, replacesPlaceholderOf: _r, ...entry } = m;
      this.messageIds.set(this.k(ws, norm(m.messageId)), { ...entry, messageId: norm(m.messageId) });
    }
    this.feed.set(key, [...(this.feed.get(key) ?? []), ...change.items]);
    if (!change.before) this.refs.set(this.k(ws, change.after.ref), change.after.threadId);
    for (const a of change.attachments ?? []) this.attachments.push({ itemId: a.itemId, key: a.key });
  }
  async indexKeywords(ws: string, threadId: string, tokens: string[]) {
    this.calls.push('indexKeywords');
    const set = this.keywords.get(this.k(ws, threadId)) ?? new Set();
    for (const t of tokens) set.add(t);
    this.keywords.set(this.k(ws, threadId), set);
  }
  async listFeed(ws: string, threadId: string) {
    return { items: structuredClone(this.feed.get(this.k(ws, threadId)) ?? []) };
  }
  async getMessage(ws: string, threadId: string, _at: string, itemId: string) {
    return ((this.feed.get(this.k(ws, threadId)) ?? []).find((i) => i.itemId === itemId) as MessageItem) ?? null;
  }
  async setDelivery() {}

  /** All message items of a workspace. */
  messagesOf(ws: string): MessageItem[] {
    return [...this.feed.entries()]
      .filter(([k]) => k.startsWith(`${ws}|`))
      .flatMap(([, items]) => items)
      .filter((i): i is MessageItem => i.type === 'message');
  }
}

export class MemoryDirectory implements DirectoryStore {
  addresses = new Map<string, string>();
  contacts = new Map<string, Contact>();
  links = new Map<string, string[]>();
  unroutable: Array<{ sesMessageId: string; rawKey: string; recipients: string[] }> = [];
  failing: Array<{ ws: string; email: string; reason: string }> = [];
  calls: string[] = [];

  async routeAddress(address: string) {
    this.calls.push('routeAddress');
    return this.addresses.get(address.toLowerCase()) ?? null;
  }
  async getSettings() {
    return DEFAULT_SETTINGS;
  }
  async findContactByEmail(ws: string, email: string) {
    this.calls.push('findContactByEmail');
    return this.contacts.get(`${ws}|${email.toLowerCase()}`) ?? null;
  }
  async customerIdsOfContact(ws: string, contactId: string) {
    this.calls.push('customerIdsOfContact');
    return this.links.get(`${ws}|${contactId}`) ?? [];
  }
  async ensureContact(
    ws: string,
    input: { email: string; name?: string; contactId: string; customerId: string; at: string },
  ) {
    this.calls.push('ensureContact');
    const existing = await this.findContactByEmail(ws, input.email);
    if (existing)
      return {
        contact: existing,
        customerIds: await this.customerIdsOfContact(ws, existing.contactId),
        created: false,
      };
    const contact: Contact = {
      workspaceId: ws,
      contactId: input.contactId,
      email: input.email.toLowerCase(),
      ...(input.name ? { name: input.name } : {}),
      createdAt: input.at,
      updatedAt: input.at,
    };
    this.contacts.set(`${ws}|${contact.email}`, contact);
    this.links.set(`${ws}|${contact.contactId}`, [input.customerId]);
    return { contact, customerIds: [input.customerId], created: true };
  }
  async markContactFailing(ws: string, email: string, reason: string) {
    this.failing.push({ ws, email, reason });
  }
  async clearContactFailing(ws: string, email: string) {
    this.failing = this.failing.filter((f) => !(f.ws === ws && f.email === email));
  }
  async recordUnroutable(input: { sesMessageId: string; rawKey: string; recipients: string[]; at: string }) {
    this.unroutable.push(input);
  }
}

export class MemoryMailStore implements MailStore {
  objects = new Map<string, Buffer>();
  async getRaw(key: string) {
    const b = this.objects.get(key);
    if (!b) throw new Error(`no object ${key}`);
    return b;
  }
  async putObject(key: string, body: Buffer) {
    this.objects.set(key, body);
  }
  async presignDownload(key: string) {
    return `memory://${key}`;
  }
}

export class MemoryEvents implements EventPublisher {
  events: DomainEvent[] = [];
  async publish(events: DomainEvent[]) {
    this.events.push(...events);
  }
}
