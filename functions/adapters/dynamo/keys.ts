/**
 * The one module that owns every key of the single table: the table description (shared by the CDK
 * stack and the local/test table), the PK/SK builders and the GSI keys. Nothing else builds a key.
 *
 * Every workspace-owned key starts with `WS#<workspaceId>#` (or is the workspace partition itself), so
 * no key built for one workspace can reach another's data. The only global keys are the ones used before
 * a workspace is known: an inbound address (routing), an API key hash (authentication), the workspace
 * registry (ops) and unroutable mail.
 *
 * Parts that come from outside (addresses, Message-IDs, names, tokens, Idempotency-Keys) go through
 * `part` (limits.ts): bounded, hashed past 256 bytes, so no key reaches DynamoDB's 2 KB / 1 KB limits.
 */

import { createHash } from 'node:crypto';

/** Table description: the CDK stack and DynamoDB Local both create the table from this. */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  timeToLiveAttribute: 'expiresAt',
  /** NEW_AND_OLD_IMAGES: the dispatcher compares statusVersion before and after. */
  stream: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    /** Thread lists: one partition per (workspace, facet), sorted by last updated. */
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /** Directory listings and inverse links: customers, contacts, customers of a contact, workspaces. */
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;

export type IndexName = (typeof TABLE.globalSecondaryIndexes)[number]['indexName'];

export type Key = {
  PK: string;
  SK: string;
};

import { boundKeyPart as part } from '#core/limits.ts';

const META = 'META';
const ws = (workspaceId: string) => `WS#${workspaceId}`;

/** Lower-cases and trims an email address; the local part is kept as is apart from case. */
export const normalizeEmail = (address: string) => address.trim().toLowerCase();

/** Message-IDs compare without angle brackets and case-insensitively on the domain part. */
export function normalizeMessageId(messageId: string): string {
  const bare = messageId.trim().replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  return at < 0 ? bare : `${bare.slice(0, at)}@${bare.slice(at + 1).toLowerCase()}`;
}

/** Key parts from outside longer than 200 bytes are hashed, so the same value always gives the same key. */
export function boundedPart(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= 200) return value;
  return `H#${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

/** The partition of one agent's notifications (notifications section below). */
const notifPk = (workspaceId: string, agentId: string) => `${ws(workspaceId)}#NOTIF#${part(agentId)}`;

export const keys = {
  // ---- global (before a workspace is known) ----
  workspace: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: META }),
  /** Registry of workspaces, for ops listing (GSI2). */
  workspaceRegistry: (name: string, workspaceId: string) => ({
    GSI2PK: 'WORKSPACES',
    GSI2SK: `${part(name.toLowerCase())}#${workspaceId}`,
  }),
  workspaceRegistryPartition: () => 'WORKSPACES',
  /** Inbound address → workspace (routing). */
  inboundAddress: (address: string): Key => ({ PK: `ADDR#${part(normalizeEmail(address))}`, SK: META }),
  /** API key hash → workspace (authentication). */
  apiKeyHash: (hash: string): Key => ({ PK: `APIKEY#${hash}`, SK: META }),
  /** Mail that no inbound address matched: kept, one partition per day. */
  unroutable: (day: string, sesMessageId: string): Key => ({ PK: `UNROUTABLE#${day}`, SK: sesMessageId }),

  // ---- workspace partition: settings, addresses, keys, templates, counters ----
  settings: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'SETTINGS' }),
  workspaceAddress: (workspaceId: string, address: string): Key => ({
    PK: ws(workspaceId),
    SK: `ADDR#${part(normalizeEmail(address))}`,
  }),
  workspaceAddressPrefix: () => 'ADDR#',
  apiKey: (workspaceId: string, keyId: string): Key => ({ PK: ws(workspaceId), SK: `APIKEY#${keyId}` }),
  apiKeyPrefix: () => 'APIKEY#',
  template: (workspaceId: string, templateId: string): Key => ({ PK: ws(workspaceId), SK: `TPL#${templateId}` }),
  templatePrefix: () => 'TPL#',
  /** Atomic counter for thread refs (`[#<ref>]`). */
  threadRefCounter: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'COUNTER#THREADREF' }),
  workspacePartition: (workspaceId: string) => ws(workspaceId),
  /** An agent's profile in a workspace (role, name, email); the agent id is the user pool's `sub`. */
  agent: (workspaceId: string, agentId: string): Key => ({ PK: ws(workspaceId), SK: `AGENT#${agentId}` }),
  agentPrefix: () => 'AGENT#',
  /** An API write's Idempotency-Key: its request fingerprint, the ids it reserved and its result. */
  idempotency: (workspaceId: string, key: string): Key => ({ PK: `${ws(workspaceId)}#IDEM#${part(key)}`, SK: META }),

  // ---- directory: customers, contacts, links ----
  customer: (workspaceId: string, customerId: string): Key => ({
    PK: `${ws(workspaceId)}#CUST#${customerId}`,
    SK: META,
  }),
  customerListing: (workspaceId: string, name: string, customerId: string) => ({
    GSI2PK: `${ws(workspaceId)}#CUSTOMERS`,
    GSI2SK: `${part(name.toLowerCase())}#${customerId}`,
  }),
  customerListingPartition: (workspaceId: string) => `${ws(workspaceId)}#CUSTOMERS`,
  contact: (workspaceId: string, contactId: string): Key => ({ PK: `${ws(workspaceId)}#CONT#${contactId}`, SK: META }),
  contactListing: (workspaceId: string, email: string, contactId: string) => ({
    GSI2PK: `${ws(workspaceId)}#CONTACTS`,
    GSI2SK: `${part(normalizeEmail(email))}#${contactId}`,
  }),
  contactListingPartition: (workspaceId: string) => `${ws(workspaceId)}#CONTACTS`,
  /** Email → contact id, unique per workspace. */
  contactEmail: (workspaceId: string, email: string): Key => ({
    PK: `${ws(workspaceId)}#EMAIL#${part(normalizeEmail(email))}`,
    SK: META,
  }),
  /** Customer ↔ contact link: contacts of a customer by PK, customers of a contact by GSI2. */
  link: (workspaceId: string, customerId: string, contactId: string) => ({
    PK: `${ws(workspaceId)}#CUST#${customerId}`,
    SK: `CONT#${contactId}`,
    GSI2PK: `${ws(workspaceId)}#CONT#${contactId}`,
    GSI2SK: `CUST#${customerId}`,
  }),
  linkPrefix: () => 'CONT#',
  customersOfContactPartition: (workspaceId: string, contactId: string) => `${ws(workspaceId)}#CONT#${contactId}`,

  // ---- threads and their feed ----
  thread: (workspaceId: string, threadId: string): Key => ({ PK: `${ws(workspaceId)}#TH#${threadId}`, SK: META }),
  threadPartition: (workspaceId: string, threadId: string) => `${ws(workspaceId)}#TH#${threadId}`,
  /** Feed items sort by time, then id: a feed page is one Query on the thread partition. */
  feedItem: (workspaceId: string, threadId: string, at: string, itemId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `ITEM#${at}#${itemId}`,
  }),
  feedPrefix: () => 'ITEM#',
  attachment: (workspaceId: string, threadId: string, attachmentId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `ATT#${attachmentId}`,
  }),
  /** A draft of a message on the thread, owned by one agent. */
  draft: (workspaceId: string, threadId: string, draftId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `DRAFT#${draftId}`,
  }),
  draftPrefix: () => 'DRAFT#',
  /** Who views or writes in the thread: one item per agent, expiring by TTL (`expiresAt`). */
  presence: (workspaceId: string, threadId: string, agentId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `PRESENCE#${agentId}`,
  }),
  presencePrefix: () => 'PRESENCE#',
  /** Live (chat): someone types in the thread (`agent:<id>`, `customer:<contactId>`), expiring by TTL. */
  typing: (workspaceId: string, threadId: string, typist: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `TYPING#${part(typist)}`,
  }),
  /** Up to which message an agent has read the thread (unread = a newer lastMessageAt). */
  readMarker: (workspaceId: string, threadId: string, agentId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `READ#${agentId}`,
  }),
  /** Subject tag `[#<ref>]` → thread. */
  threadRef: (workspaceId: string, ref: string): Key => ({ PK: `${ws(workspaceId)}#REF#${part(ref)}`, SK: META }),
  /** Message-ID index: threading (In-Reply-To/References) and de-duplication, inbound and outbound. */
  messageId: (workspaceId: string, messageId: string): Key => ({
    PK: `${ws(workspaceId)}#MID#${part(normalizeMessageId(messageId))}`,
    SK: META,
  }),
  /**
   * A list entry: a copy of the thread card under one facet (`all`, `status=open`, `tag=kyc`, …).
   * Stable key per (thread, facet), so a write is idempotent; GSI1 sorts each facet by last updated.
   */
  listEntry: (workspaceId: string, threadId: string, facet: string, updatedAt: string) => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `LIST#${facet}`,
    GSI1PK: listShardPartition(workspaceId, facet, isShardedFacet(facet) ? listShardOf(threadId) : null),
    GSI1SK: `${updatedAt}#${threadId}`,
  }),
  listEntryKey: (workspaceId: string, threadId: string, facet: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `LIST#${facet}`,
  }),
  /**
   * The GSI1 partitions that hold a facet: one, or LIST_SHARDS for a hot facet (a page is a merge of them,
   * thread-queries.ts; a count is one COUNT Query each, view-counts.ts).
   */
  listPartitions: (workspaceId: string, facet: string): string[] =>
    isShardedFacet(facet)
      ? Array.from({ length: LIST_SHARDS }, (_, n) => listShardPartition(workspaceId, facet, n))
      : [listShardPartition(workspaceId, facet, null)],
  /**
   * Keyword search: one item per (token, thread), in the partition of the token's first 3 letters and
   * sorted by token, so that a prefix of 3 letters or more is one Query (`begins_with` on the sort
   * key) and a whole token is `<token>#`. Tokens are at most 40 characters (core/keywords.ts).
   */
  keyword: (workspaceId: string, token: string, threadId: string): Key => ({
    PK: keys.keywordPartition(workspaceId, token),
    SK: `${token}#TH#${threadId}`,
  }),
  keywordPartition: (workspaceId: string, token: string) => `${ws(workspaceId)}#KW#${[...token].slice(0, 3).join('')}`,
  /** The sort-key prefix that a query token reads: itself when it is a prefix, `<token>#` when whole. */
  keywordSortPrefix: (token: string, prefix: boolean) => (prefix ? token : `${token}#`),

  // ---- chat and the end-user widget (docs/widget.md) ----
  /** The widget's settings of a workspace: the end users' token keys, the sites allowed to embed it. */
  widgetSettings: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'WIDGET' }),
  /** Delivery and read receipts of a thread's chat messages: the latest time up to which each holds. */
  chatReceipts: (workspaceId: string, threadId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: 'RECEIPTS',
  }),
  /** External id → contact (written with the contact; a lookup checks the contact still carries it). */
  contactExternalId: (workspaceId: string, externalId: string): Key => ({
    PK: `${ws(workspaceId)}#EXTID#${boundedPart(externalId)}`,
    SK: META,
  }),
  /** A widget rate-limit counter: per end user or per workspace, one item per window (TTL-expired). */
  rateLimit: (workspaceId: string, scope: string, window: string): Key => ({
    PK: `${ws(workspaceId)}#RATE#${boundedPart(scope)}`,
    SK: window,
  }),
  // ---- security (issue 19): counters that belong to no workspace ----
  /**
   * An anonymous rate-limit counter (the widget's session attempts, per source address): a partition of its
   * own, so junk for a workspace that does not exist writes nothing under that workspace's id.
   */
  anonymousRateLimit: (bucket: string, window: string): Key => ({
    PK: `RATE#ANON#${boundedPart(bucket)}`,
    SK: window,
  }),
  // ---- end of security (issue 19) ----
  // ---- live updates: WebSocket connections (docs/live.md) ----
  /** A connection of a workspace: the fan-out reads them all with one Query on this partition. */
  connection: (workspaceId: string, connectionId: string): Key => ({
    PK: `${ws(workspaceId)}#CONN`,
    SK: `CONN#${connectionId}`,
  }),
  connectionPartition: (workspaceId: string) => `${ws(workspaceId)}#CONN`,
  /** Connection id → workspace: `$disconnect` and the client's frames know only the connection id. */
  connectionRef: (connectionId: string): Key => ({ PK: `CONN#${connectionId}`, SK: META }),

  // ---- notifications, follows and views of the queue (issue 21; docs/notifications.md) ----
  /** An agent's notifications, newest last by id (`<time>-<hash>`); the bell reads this partition. */
  notificationPartition: (workspaceId: string, agentId: string) => notifPk(workspaceId, agentId),
  notification: (workspaceId: string, agentId: string, notificationId: string): Key => ({
    PK: notifPk(workspaceId, agentId),
    SK: `N#${notificationId}`,
  }),
  notificationPrefix: () => 'N#',
  /** Sparse GSI1 entry of an unread in-app notification: the bell's count reads only the unread. */
  unreadNotification: (workspaceId: string, agentId: string, notificationId: string) => ({
    GSI1PK: `${notifPk(workspaceId, agentId)}#UNREAD`,
    GSI1SK: notificationId,
  }),
  unreadNotificationPartition: (workspaceId: string, agentId: string) => `${notifPk(workspaceId, agentId)}#UNREAD`,
  /** The agent's notification-mail queue of one thread (pending ids, the scheduled run, the last mail). */
  notificationMailQueue: (workspaceId: string, agentId: string, threadId: string): Key => ({
    PK: notifPk(workspaceId, agentId),
    SK: `MAILQ#${threadId}`,
  }),
  /** One notification mail (claimed before it is sent: never twice). */
  notificationMail: (workspaceId: string, mailId: string): Key => ({
    PK: `${ws(workspaceId)}#NMAIL#${part(mailId)}`,
    SK: META,
  }),
  /** An agent's notification preferences; the workspace's defaults under `NOTIFPREFS`. */
  agentNotificationPrefs: (workspaceId: string, agentId: string): Key => ({
    PK: ws(workspaceId),
    SK: `NOTIFPREFS#${part(agentId)}`,
  }),
  workspaceNotificationPrefs: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'NOTIFPREFS' }),
  /** An agent follows a thread (a mention makes one follow): told of the customer's answers. */
  follow: (workspaceId: string, threadId: string, agentId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `FOLLOW#${part(agentId)}`,
  }),
  followPrefix: () => 'FOLLOW#',
  // ---- end of notifications ----
  // ---- saved searches of the queue (issue 21, queue; docs/notifications.md) ----
  /** One agent's saved search (a named filter of GET /v1/threads), in that agent's own partition. */
  savedView: (workspaceId: string, agentId: string, viewId: string): Key => ({
    PK: `${ws(workspaceId)}#SAVED#${part(agentId)}`,
    SK: `V#${viewId}`,
  }),
  savedViewPartition: (workspaceId: string, agentId: string) => `${ws(workspaceId)}#SAVED#${part(agentId)}`,
  savedViewPrefix: () => 'V#',
  /** How many saved searches the agent has (the per-agent limit is a condition on it). */
  savedViewCount: (workspaceId: string, agentId: string): Key => ({
    PK: `${ws(workspaceId)}#SAVED#${part(agentId)}`,
    SK: 'COUNT',
  }),
  /** Sparse GSI2 entry of a saved search shared with the workspace. */
  sharedSavedView: (workspaceId: string, viewId: string) => ({
    GSI2PK: `${ws(workspaceId)}#SAVED#SHARED`,
    GSI2SK: viewId,
  }),
  sharedSavedViewPartition: (workspaceId: string) => `${ws(workspaceId)}#SAVED#SHARED`,
  // ---- end of saved searches ----

  // ---- assignment on arrival (issue 21; docs/assignment.md) ----
  /** The workspace's round-robin cursor: the next slot of the rotation, advanced by a conditional write. */
  assignCursor: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'ASSIGN#CURSOR' }),
  /** A thread's claim of one slot (written once per thread, TTL-expired): its own partition per thread. */
  assignClaim: (workspaceId: string, threadId: string): Key => ({
    PK: `${ws(workspaceId)}#ASSIGN#${part(threadId)}`,
    SK: META,
  }),
  // ---- end of assignment on arrival ----

  // ---- outbound mail ----
  /** One record per logical send: a retry finds it and never sends twice. */
  send: (workspaceId: string, sendId: string): Key => ({ PK: `${ws(workspaceId)}#SEND#${sendId}`, SK: META }),
  /** Per-address send counter for one time window (TTL-expired). */
  sendCap: (workspaceId: string, address: string, window: string): Key => ({
    PK: `${ws(workspaceId)}#CAP#${part(normalizeEmail(address))}`,
    SK: window,
  }),

  // ---- reports and SLA (issue 24; docs/reports.md): metrics state, event log, daily rollups ----
  /** A thread's metrics: its cycle, the customer message awaiting an answer, its SLA clocks. */
  threadMetrics: (workspaceId: string, threadId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: 'METRICS',
  }),
  /** One event of a thread's log, in time order; the id makes the write of a record delivered twice fail. */
  metricsEvent: (workspaceId: string, threadId: string, at: string, eventId: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `EVT#${at}#${eventId}`,
  }),
  metricsEventPrefix: () => 'EVT#',
  /** The threads behind a report's figure: events of one type across the workspace, by time (GSI2). */
  metricsEventListing: (workspaceId: string, type: string, at: string, threadId: string) => ({
    GSI2PK: `${ws(workspaceId)}#EVT#${type}`,
    GSI2SK: `${at}#${threadId}`,
  }),
  metricsEventListingPartition: (workspaceId: string, type: string) => `${ws(workspaceId)}#EVT#${type}`,
  /**
   * The counters of one day under one dimension value (`-` for the workspace). One partition per
   * (workspace, dimension), sorted by day: a report over any range is one Query per dimension.
   */
  rollup: (workspaceId: string, dimension: string, value: string, day: string): Key => ({
    PK: `${ws(workspaceId)}#ROLLUP#${dimension}`,
    SK: `${day}#${part(value)}`,
  }),
  rollupPartition: (workspaceId: string, dimension: string) => `${ws(workspaceId)}#ROLLUP#${dimension}`,
  /** An SLA alert already sent (its idempotency key): a retried step sends nothing twice. */
  slaAlert: (workspaceId: string, threadId: string, key: string): Key => ({
    PK: `${ws(workspaceId)}#TH#${threadId}`,
    SK: `SLAALERT#${part(key)}`,
  }),
  /**
   * The Late view: a sparse list facet, a copy of the card of each thread with a breached SLA clock while it is
   * not closed (written by the breach's mark and the metrics recorder, removed on close or when the breach goes).
   */
  lateFacet: (): string => 'late',
  lateListEntry: (workspaceId: string, threadId: string, updatedAt: string): Key & { GSI1PK: string; GSI1SK: string } =>
    keys.listEntry(workspaceId, threadId, keys.lateFacet(), updatedAt),
  lateListEntryKey: (workspaceId: string, threadId: string): Key =>
    keys.listEntryKey(workspaceId, threadId, keys.lateFacet()),
  /** The paged re-arm of open threads' SLA clocks after a change of policy: one job per workspace, its cursor. */
  slaRearmJob: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'SLAREARM' }),
  /** The workspace of the settings item's partition key (`WS#<id>`), or null: the re-arm reads its record. */
  workspaceOfSettingsPartition: (pk: string): string | null => /^WS#([^#]{1,64})$/.exec(pk)?.[1] ?? null,
  // ---- end of reports and SLA ----
  // ---- mailboxes and signatures (issue 20) ----
  /** A mailbox is its inbound address's item in the workspace partition, with its name, format and signature. */
  mailbox: (workspaceId: string, address: string): Key => ({
    PK: ws(workspaceId),
    SK: `ADDR#${part(normalizeEmail(address))}`,
  }),
  mailboxPrefix: () => 'ADDR#',
  /** The workspace's signature: the outer layer of every outbound mail's signature. */
  workspaceSignature: (workspaceId: string): Key => ({ PK: ws(workspaceId), SK: 'SIG#WORKSPACE' }),
  /** An agent's own signature: the inner layer (not under `AGENT#`, which lists the agents). */
  agentSignature: (workspaceId: string, agentId: string): Key => ({
    PK: ws(workspaceId),
    SK: `SIG#AGENT#${part(agentId)}`,
  }),
} as const;

// ---- write sharding of the hot list facets (issue 22; docs/scale.md) ----
/**
 * The facets that every change of a workspace's threads writes (or most of them): each is spread over
 * LIST_SHARDS GSI1 partitions, `WS#<ws>#LIST#<facet>#<n>`, n a stable hash of the thread id, so no one
 * index partition takes all of a workspace's list writes (≈ 1,000 WCU/s each). A new hot facet is sharded
 * by adding it here (a name, or a pattern); every other facet stays one partition, `WS#<ws>#LIST#<facet>`.
 */
export const HOT_FACETS: ReadonlyArray<string | RegExp> = [
  'all',
  'assignee=none',
  /^status=[^&]+$/,
  /^status=[^&]+&assignee=none$/,
];
/** Shards per hot facet. Changing it moves every hot entry: entries are rewritten only on their thread's next change. */
export const LIST_SHARDS = 4;

export const isShardedFacet = (facet: string) =>
  HOT_FACETS.some((f) => (typeof f === 'string' ? f === facet : f.test(facet)));

/** A thread's shard, the same for all its hot facets: FNV-1a of its id, modulo LIST_SHARDS. */
export function listShardOf(threadId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < threadId.length; i++) h = Math.imul(h ^ threadId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % LIST_SHARDS;
}

function listShardPartition(workspaceId: string, facet: string, shard: number | null): string {
  return shard === null ? `${ws(workspaceId)}#LIST#${facet}` : `${ws(workspaceId)}#LIST#${facet}#${shard}`;
}
// ---- end of write sharding ----

/** The facets under which a thread is listed: each is one GSI1 partition, sorted by last updated. */
export function threadFacets(t: {
  status: string;
  assignee?: string;
  tags: string[];
  customerIds: string[];
  hasAttachments: boolean;
  quarantined?: boolean;
}): string[] {
  // A quarantined mail's thread is listed in the quarantine view only, never in the inbox's lists.
  if (t.quarantined) return ['quarantine'];
  const facets = ['all', `status=${t.status}`];
  if (t.assignee) facets.push(`assignee=${t.assignee}`, `status=${t.status}&assignee=${t.assignee}`);
  // `status=<s>&assignee=none`: the Unassigned view (open threads nobody has) and its count (docs/notifications.md).
  else facets.push('assignee=none', `status=${t.status}&assignee=none`);
  for (const tag of t.tags) facets.push(`tag=${tag.toLowerCase()}`, `status=${t.status}&tag=${tag.toLowerCase()}`);
  for (const c of t.customerIds) facets.push(`customer=${c}`);
  if (t.hasAttachments) facets.push('attachments=true', `status=${t.status}&attachments=true`);
  return facets;
}

const THREAD_PARTITION = /^WS#([^#]{1,64})#TH#([^#]{1,64})$/;

/** The workspace and thread of a thread partition key (`WS#<ws>#TH#<t>`), or null for any other key. */
export function threadOfPartition(pk: string): { workspaceId: string; threadId: string } | null {
  const m = THREAD_PARTITION.exec(pk);
  return m ? { workspaceId: m[1], threadId: m[2] } : null;
}
