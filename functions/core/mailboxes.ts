/**
 * Mailboxes: each inbound address of a workspace is a mailbox, with a display name and a From format.
 * A thread belongs to the mailbox it came in through; every answer goes From that mailbox, and its
 * reply-token address stays in it. Signatures are layered: the workspace's, the mailbox's, the agent's.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from './errors.ts';
import { utf8Bytes } from './limits.ts';

/** "Ana from Acme Billing" (the default) or "Acme Billing" alone. */
export type FromFormat = 'agentFromMailbox' | 'mailbox';
export const FROM_FORMATS: readonly FromFormat[] = ['agentFromMailbox', 'mailbox'];

/** Byte budgets of what an admin or an agent types here (docs/limits.md): each lands on one small item. */
export const MAILBOX_LIMITS = { displayNameChars: 100, signatureBytes: 4096 } as const;

export interface Mailbox {
  /** Derived from the address (see {@link mailboxIdOf}): a path-safe id for the API. */
  mailboxId: string;
  address: string;
  displayName?: string;
  fromFormat: FromFormat;
  /** A template (mustache, the variables of templates.ts), plain text. */
  signature?: string;
  createdAt: string;
  updatedAt?: string;
}

export interface MailboxPatch {
  displayName?: string | null;
  fromFormat?: FromFormat;
  signature?: string | null;
}

/** The signature layers that apply to one send, outermost first. */
export interface SignatureLayers {
  workspace?: string;
  mailbox?: string;
  agent?: string;
}

/** Who a send goes out as: the mailbox's address and name, and the signatures that apply. */
export interface SenderIdentity {
  address: string;
  displayName?: string;
  fromFormat: FromFormat;
  signatures: SignatureLayers;
  /** The workspace's name: the `{{workspaceName}}` of signatures. */
  workspaceName?: string;
}

/** Where a send's identity comes from: the mailbox store, and the send store of the send path. */
export interface SenderIdentitySource {
  /**
   * The identity of a send: the thread's mailbox when it still is one of the workspace's, else the one
   * {@link fallbackMailbox} picks (`wroteTo`: the addresses the customer wrote to); null when the workspace
   * has no inbound address at all.
   */
  senderIdentity(
    workspaceId: string,
    mailbox: string | undefined,
    agentId?: string,
    wroteTo?: readonly string[],
  ): Promise<SenderIdentity | null>;
}

/** Mailboxes and signatures, as outbound mail and the API read and write them. */
export interface MailboxStore extends SenderIdentitySource {
  list(workspaceId: string): Promise<Mailbox[]>;
  get(workspaceId: string, address: string): Promise<Mailbox | null>;
  /** Changes a mailbox's name, format or signature; null when the workspace has no such address. */
  update(workspaceId: string, address: string, patch: MailboxPatch, at: string): Promise<Mailbox | null>;
  getSignature(workspaceId: string, owner: SignatureOwner): Promise<string | null>;
  /** Sets (or, with null, removes) the workspace's or an agent's signature. */
  putSignature(workspaceId: string, owner: SignatureOwner, text: string | null, at: string): Promise<void>;
}

export type SignatureOwner = { kind: 'workspace' } | { kind: 'agent'; agentId: string };

/** A stable, path-safe id for an address (the API's `{mailboxId}`): the same address, the same id. */
export function mailboxIdOf(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('base64url').slice(0, 22);
}

/** The address part before any `+tag`, lower-cased: `Billing+tok@x.com` → `billing@x.com`. */
export function mailboxAddressOf(recipient: string): string {
  const address = recipient.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 0) return address;
  return `${address.slice(0, at).split('+')[0]}${address.slice(at)}`;
}

/**
 * The mailbox of a thread that names none (created before mailboxes, by the API without one, a chat) or
 * whose mailbox was removed: the first of the workspace's mailboxes among the addresses the customer wrote
 * to (`wroteTo`: the To, then the Cc, of the thread's first inbound mail, `+tags` ignored), else the
 * workspace's default mailbox: its oldest (the address the workspace was created with), the earliest
 * address first on a tie. Never the first in address order: `billing@` would then answer for `support@`.
 */
export function fallbackMailbox(mailboxes: readonly Mailbox[], wroteTo: readonly string[] = []): Mailbox | undefined {
  const byAddress = new Map(mailboxes.map((m) => [m.address.trim().toLowerCase(), m]));
  for (const recipient of wroteTo) {
    const hit = byAddress.get(mailboxAddressOf(recipient));
    if (hit) return hit;
  }
  return [...mailboxes].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.address.localeCompare(b.address))[0];
}

/** Checks what an admin or agent gave before it reaches an item (a 400, never a 500 later). */
export function checkSignature(text: string): void {
  const bytes = utf8Bytes(text);
  if (bytes > MAILBOX_LIMITS.signatureBytes)
    throw new ValidationError(`a signature is at most ${MAILBOX_LIMITS.signatureBytes} bytes of UTF-8`, {
      bytes,
      limit: MAILBOX_LIMITS.signatureBytes,
    });
}

/**
 * The From display name of a send: "<agent> from <mailbox>" when the format says so and an agent
 * writes; the mailbox's name alone otherwise (reminders, integrations); none when the mailbox has none.
 */
export function fromName(identity: Pick<SenderIdentity, 'displayName' | 'fromFormat'>, agentName?: string) {
  const mailbox = identity.displayName?.trim();
  const agent = agentName?.trim();
  if (!mailbox) return agent || undefined;
  if (identity.fromFormat === 'agentFromMailbox' && agent) return `${agent} from ${mailbox}`;
  return mailbox;
}
