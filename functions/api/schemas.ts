/**
 * The zod schemas of every request body and query string. Strict objects: an unknown field is a 400,
 * so a typo never silently does nothing. Lengths are bounded so no input can reach a DynamoDB limit
 * (400 KB items, 1 KB sort keys) and turn into a 500.
 */

import * as z from 'zod/mini';
import { SCOPES } from '#core/access.ts';
import { LIMITS, utf8Bytes } from '#core/limits.ts';
import { agentId, id, pageQuery } from './http.ts';

export const statusEnum = z.enum(['open', 'reminder', 'waiting', 'closed', 'snoozed']);
const email = z.email().check(z.maxLength(254));
/** Tags are lower-cased; they name a list facet, so the facet separators `&`, `=` and `#` are refused. */
export const tag = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.regex(/^[\p{L}\p{N}_.:/-]{1,50}$/u, 'must be 1-50 letters, digits or _.:/-'));
/** 998 characters (RFC 5322's line), and within the subject's byte budget (limits.ts): 'é' is 2 bytes. */
const subject = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(998),
  z.refine((s: string) => utf8Bytes(s) <= LIMITS.subjectBytes, `at most ${LIMITS.subjectBytes} bytes of UTF-8`),
);
const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const externalId = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
export const booleanString = z.pipe(
  z.enum(['true', 'false']),
  z.transform((v) => v === 'true'),
);
const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

export const listThreadsQuery = z.strictObject({
  status: z.optional(statusEnum),
  assignee: z.optional(agentId()),
  tag: z.optional(tag),
  customer: z.optional(id()),
  hasAttachments: z.optional(booleanString),
  quarantined: z.optional(booleanString),
  /** The Late view: threads with a breached SLA clock, not closed (only `true`). */
  late: z.optional(
    z.pipe(
      z.literal('true'),
      z.transform(() => true as const),
    ),
  ),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500))),
  /** ISO 8601 with a time zone; compared as the UTC time that the list keys hold. */
  updatedSince: z.optional(
    z.pipe(
      z.iso.datetime({ offset: true }).check(z.maxLength(40)),
      z.transform((v) => new Date(v).toISOString()),
    ),
  ),
  /** Per agent: only the threads with (true) or without (false) messages newer than the agent's last view. */
  unread: z.optional(booleanString),
  ...pageQuery,
});

export const pageOnlyQuery = z.strictObject(pageQuery);
export const noQuery = z.strictObject({});

export const patchThreadBody = z.strictObject({
  version: z.optional(z.number().check(z.int(), z.gte(0))),
  status: z.optional(statusEnum),
  reminderIndex: z.optional(int(1, 20)),
  /** With status `snoozed`: when the thread comes back (an ISO 8601 time, in the future, within a year). */
  snoozedUntil: z.optional(z.iso.datetime({ offset: true })),
  assignee: z.optional(z.nullable(agentId())),
  tags: z.optional(z.array(tag).check(z.maxLength(50))),
  customerIds: z.optional(z.array(id()).check(z.minLength(1), z.maxLength(50))),
  subject: z.optional(subject),
});

const base64 = z.string().check(z.maxLength(10_000_000), z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'));

/** The decoded size of a base64 string. */
const base64Bytes = (b64: string) =>
  Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

const attachment = z.strictObject({
  filename: z.string().check(z.trim(), z.minLength(1), z.maxLength(255)),
  contentType: z.string().check(z.maxLength(127), z.regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type')),
  contentBase64: base64,
  /** An inline image: the HTML shows it as `<img src="cid:<contentId>">`. */
  contentId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._@-]{1,100}$/, 'must be 1-100 of [A-Za-z0-9._@-]'))),
});

const variables = z
  .record(
    z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'variable names are letters, digits and _')),
    z.union([z.string().check(z.maxLength(2000)), z.number()]),
  )
  .check(z.refine((v: Record<string, unknown>) => Object.keys(v).length <= 50, 'at most 50 variables'));

export const messageFields = {
  to: z.optional(z.array(email).check(z.minLength(1), z.maxLength(50))),
  cc: z.optional(z.array(email).check(z.maxLength(50))),
  subject: z.optional(subject),
  text: z.optional(z.string().check(z.minLength(1), z.maxLength(100_000))),
  html: z.optional(z.string().check(z.minLength(1), z.maxLength(200_000))),
  templateId: z.optional(id()),
  variables: z.optional(variables),
  attachments: z.optional(
    z.array(attachment).check(
      z.maxLength(10),
      z.refine(
        (files) => files.reduce((n, f) => n + base64Bytes(f.contentBase64), 0) <= LIMITS.outboundAttachmentBytes,
        `the files of a message are at most ${LIMITS.outboundAttachmentBytes / 1024 / 1024} MB together`,
      ),
    ),
  ),
  /** Blind copies: contacts of the thread's customers, as To and Cc. */
  bcc: z.optional(z.array(email).check(z.maxLength(50))),
  /** Quote the customer's last message under "On <date>, <name> wrote:" (default true). */
  quote: z.optional(z.boolean()),
  /** Status after the send: `keep`, or any status (reminder(1) by default). */
  status: z.optional(z.enum(['keep', 'open', 'reminder', 'waiting', 'closed'])),
  reminderIndex: z.optional(int(1, 20)),
  idempotencyKey: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
};

const needsBody = (m: { text?: string; templateId?: string }) => Boolean(m.text) !== Boolean(m.templateId);
const bodyRule = { message: 'give exactly one of text or templateId', path: ['text'] };

export const postMessageBody = z
  .strictObject({
    ...messageFields,
    /** chat: through the chat path (the widget, or an event), emailed only if unseen; default: the customer's last channel. */
    channel: z.optional(z.enum(['email', 'chat'])),
  })
  .check(z.refine(needsBody, bodyRule));

export const startThreadBody = z
  .strictObject({
    ...messageFields,
    customerIds: z.array(id()).check(z.minLength(1), z.maxLength(20)),
    to: z.array(email).check(z.minLength(1), z.maxLength(50)),
    subject,
    /** The mailbox (one of the workspace's inbound addresses) it goes out from; default: the first. */
    mailbox: z.optional(email),
  })
  .check(z.refine(needsBody, bodyRule));

/** The thread to merge into the one named by the path. */
export const mergeThreadBody = z.strictObject({ threadId: id() });

/** A comment, and the agents it mentions (each is told, and follows the thread): at most 20. */
export const commentBody = z.strictObject({
  body: z.string().check(z.trim(), z.minLength(1), z.maxLength(20_000)),
  mentions: z.optional(z.array(agentId()).check(z.maxLength(20, 'at most 20 mentions'))),
});

export const customerBody = z.strictObject({ name, externalId: z.optional(externalId) });
export const customerPatch = z.strictObject({ name: z.optional(name), externalId: z.optional(z.nullable(externalId)) });

export const contactBody = z.strictObject({ email, name: z.optional(name), externalId: z.optional(externalId) });
export const contactPatch = z.strictObject({
  email: z.optional(email),
  name: z.optional(z.nullable(name)),
  externalId: z.optional(z.nullable(externalId)),
});
export const listContactsQuery = z.strictObject({ ...pageQuery, email: z.optional(email) });

export const templateBody = z.strictObject({
  name,
  subject: z.optional(subject),
  body: z.string().check(z.minLength(1), z.maxLength(100_000)),
});
export const previewBody = z.strictObject({
  variables: z.optional(variables),
  threadId: z.optional(id()),
  to: z.optional(email),
});

export const settingsBody = z.strictObject({
  /** Validated by the lifecycle module's own schema (parseStatusPolicy). */
  policy: z.optional(z.unknown()),
  sendCapPerAddress: z.optional(int(1, 10_000)),
  sendCapWindowSeconds: z.optional(int(60, 30 * 86_400)),
  /** Validated by core/business-time/policy.ts; null clears them. */
  businessHours: z.optional(z.unknown()),
  sla: z.optional(z.unknown()),
  /** New threads assigned round-robin among the available agents (docs/assignment.md). */
  assignOnArrival: z.optional(z.boolean()),
});

export const apiKeyBody = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  /** Absent: every scope of the caller. */
  scopes: z.optional(z.array(z.enum(SCOPES)).check(z.minLength(1), z.maxLength(SCOPES.length))),
});

// ---- reports (issue 24) ----
const isoDay = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  z.refine((s: string) => {
    const t = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === s;
  }, 'must be a real date'),
);
export const reportDimension = z.enum(['agent', 'tag', 'mailbox', 'channel']);
export const reportRangeQuery = z.strictObject({ from: isoDay, to: isoDay });
export const reportThreadsQuery = z.strictObject({
  ...pageQuery,
  metric: z.enum(['created', 'resolved', 'reopened', 'merged', 'firstResponse', 'slaBreached']),
  from: isoDay,
  to: isoDay,
  dimension: z.optional(reportDimension),
  value: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});
// ---------- mailboxes and signatures (issue 20) ----------

export const mailboxPatch = z.strictObject({
  displayName: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))),
  fromFormat: z.optional(z.enum(['agentFromMailbox', 'mailbox'])),
  signature: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(4096)))),
});

export const signatureBody = z.strictObject({
  /** A template (the variables of templates); null removes it. */
  text: z.nullable(z.string().check(z.minLength(1), z.maxLength(4096))),
});

export const commentPatch = z.strictObject({ body: z.string().check(z.trim(), z.minLength(1), z.maxLength(20_000)) });
/** A comment is found by its time and id (its feed key), both from the feed. */
export const commentRefQuery = z.strictObject({ at: z.iso.datetime().check(z.maxLength(40)) });
