/**
 * What the ingest pipeline takes and gives: the inbound mail as SES describes it, the ports and knobs
 * it runs with, and the outcome per workspace.
 */
import type { MessageClassification } from '../model.ts';
import type { Clock, DirectoryStore, EventPublisher, MailStore, ThreadStore } from '../ports.ts';
import type { ThreadingVia } from '../threading.ts';

/** An SES verdict: `PASS`, `FAIL`, `GRAY` or `PROCESSING_FAILED`. */
export type Verdict = string;

/** One inbound mail as the SES receipt event describes it (no body: the raw MIME is in the mail store). */
export interface InboundMail {
  sesMessageId: string;
  /** Key of the raw MIME in the mail store (`inbound/<sesMessageId>`). */
  rawKey: string;
  /** Envelope recipients that the receipt rule matched (Bcc included). */
  recipients: string[];
  /** When SES received the mail (ISO 8601): the time of the message in the feed. */
  receivedAt?: string;
  /** Envelope MAIL FROM; empty for bounces. */
  source?: string;
  verdicts?: { spam?: Verdict; virus?: Verdict; spf?: Verdict; dkim?: Verdict; dmarc?: Verdict };
}

/** Checks reply tokens; `ReplyTokens` from reply-token.ts fits. */
export interface ReplyTokenVerifier {
  verify(address: string, workspaceId: string): string | null;
}

export interface IngestDeps {
  threads: ThreadStore;
  directory: DirectoryStore;
  mail: MailStore;
  tokens: ReplyTokenVerifier;
  clock: Clock;
  /** Domain events; skipped when absent. */
  events?: EventPublisher;
  /** Raw mail above this size is not parsed: the message records the error, the raw mail stays. */
  maxMailBytes: number;
  /** Optimistic-concurrency retries (a busy thread): attempts and backoff bounds. */
  retry?: { attempts?: number; baseMs?: number; capMs?: number };
  /** How long an address → workspace routing result is reused in this container. */
  routeCacheMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type WorkspaceOutcome = {
  workspaceId: string;
  threadId: string;
  itemId: string;
  classification: MessageClassification;
} & (
  | { outcome: 'created'; via?: ThreadingVia; linkedThreadId?: string }
  | { outcome: 'appended'; via: ThreadingVia; verifiedSender: boolean; reopened: boolean }
  | { outcome: 'duplicate' }
);

export interface IngestResult {
  sesMessageId: string;
  /** One entry per workspace the mail was routed to. */
  workspaces: WorkspaceOutcome[];
  /** True when no recipient routed: the mail was recorded as unroutable. */
  unroutable: boolean;
  /** Non-fatal problems after the commit (events not published, …), for the handler to log. */
  warnings: string[];
}
