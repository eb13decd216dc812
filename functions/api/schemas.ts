/**
 * The zod schemas of every request body and query string. Strict objects: an unknown field is a 400,
 * so a typo never silently does nothing. Lengths are bounded so no input can reach a DynamoDB limit
 * (400 KB items, 1 KB sort keys) and turn into a 500.
 */

import * as z from 'zod';
import { SCOPES } from '../core/access.ts';
import { LIMITS, utf8Bytes } from '../core/limits.ts';
import { agentId, id, pageQuery } from './http.ts';

export const statusEnum = z.enum(['open', 'reminder', 'waiting', 'closed']);
const email = z.email().max(254);
/** Tags are lower-cased; they name a list facet, so the facet separators `&`, `=` and `#` are refused. */
export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}_.:/-]{1,50}$/u, 'must be 1-50 letters, digits or _.:/-');
/** 998 characters (RFC 5322's line), and within the subject's byte budget (limits.ts): 'é' is 2 bytes. */
const subject = z
  .string()
  .trim()
  .min(1)
  .max(998)
  .refine((s) => utf8Bytes(s) <= LIMITS.subjectBytes, `at most ${LIMITS.subjectBytes} bytes of UTF-8`);
const name = z.string().trim().min(1).max(200);
const externalId = z.string().trim().min(1).max(200);
const booleanString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listThreadsQuery = z
  .object({
    status: statusEnum.optional(),
    assignee: agentId().optional(),
    tag: tag.optional(),
    customer: id().optional(),
    hasAttachments: booleanString.optional(),
    quarantined: booleanString.optional(),
    q: z.string().trim().min(1).max(500).optional(),
    /** ISO 8601 with a time zone; compared as the UTC time that the list keys hold. */
    updatedSince: z.iso
      .datetime({ offset: true })
      .max(40)
      .transform((v) => new Date(v).toISOString())
      .optional(),
    /** Per agent: only the threads with (true) or without (false) messages newer than the agent's last view. */
    unread: booleanString.optional(),
    ...pageQuery,
  })
  .strict();

export const pageOnlyQuery = z.object(pageQuery).strict();
export const noQuery = z.object({}).strict();

export const patchThreadBody = z
  .object({
    version: z.number().int().min(0).optional(),
    status: statusEnum.optional(),
    reminderIndex: z.number().int().min(1).max(20).optional(),
    assignee: agentId().nullable().optional(),
    tags: z.array(tag).max(50).optional(),
    customerIds: z.array(id()).min(1).max(50).optional(),
    subject: subject.optional(),
  })
  .strict();

const base64 = z
  .string()
  .max(10_000_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

const attachment = z
  .object({
    filename: z.string().trim().min(1).max(255),
    contentType: z
      .string()
      .max(127)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type'),
    contentBase64: base64,
  })
  .strict();

const variables = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'variable names are letters, digits and _'),
    z.union([z.string().max(2000), z.number()]),
  )
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 variables');

export const messageFields = {
  to: z.array(email).min(1).max(50).optional(),
  cc: z.array(email).max(50).optional(),
  subject: subject.optional(),
  text: z.string().min(1).max(100_000).optional(),
  html: z.string().min(1).max(200_000).optional(),
  templateId: id().optional(),
  variables: variables.optional(),
  attachments: z.array(attachment).max(10).optional(),
  /** Status after the send: `keep`, or any status (reminder(1) by default). */
  status: z.enum(['keep', 'open', 'reminder', 'waiting', 'closed']).optional(),
  reminderIndex: z.number().int().min(1).max(20).optional(),
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
};

const needsBody = (m: { text?: string; templateId?: string }) => Boolean(m.text) !== Boolean(m.templateId);
const bodyRule = { message: 'give exactly one of text or templateId', path: ['text'] };

export const postMessageBody = z.object(messageFields).strict().refine(needsBody, bodyRule);

export const startThreadBody = z
  .object({
    ...messageFields,
    customerIds: z.array(id()).min(1).max(20),
    to: z.array(email).min(1).max(50),
    subject,
  })
  .strict()
  .refine(needsBody, bodyRule);

/** The thread to merge into the one named by the path. */
export const mergeThreadBody = z.object({ threadId: id() }).strict();

export const commentBody = z.object({ body: z.string().trim().min(1).max(20_000) }).strict();

export const customerBody = z.object({ name, externalId: externalId.optional() }).strict();
export const customerPatch = z.object({ name: name.optional(), externalId: externalId.nullable().optional() }).strict();

export const contactBody = z.object({ email, name: name.optional(), externalId: externalId.optional() }).strict();
export const contactPatch = z
  .object({ email: email.optional(), name: name.nullable().optional(), externalId: externalId.nullable().optional() })
  .strict();
export const listContactsQuery = z.object({ ...pageQuery, email: email.optional() }).strict();

export const templateBody = z
  .object({ name, subject: subject.optional(), body: z.string().min(1).max(100_000) })
  .strict();
export const previewBody = z
  .object({ variables: variables.optional(), threadId: id().optional(), to: email.optional() })
  .strict();

export const settingsBody = z
  .object({
    /** Validated by the lifecycle module's own schema (parseStatusPolicy). */
    policy: z.unknown().optional(),
    sendCapPerAddress: z.number().int().min(1).max(10_000).optional(),
    sendCapWindowSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .optional(),
  })
  .strict();

export const apiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** Absent: every scope of the caller. */
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).optional(),
  })
  .strict();
