/**
 * What the API's use cases need, wired once per container by functions/api.ts and by the tests.
 */
import type { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import type { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import type { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import type { DynamoCommentStore } from '#adapters/dynamo/comment-store.ts';
import type { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import type { DynamoSavedViewStore } from '#adapters/dynamo/saved-view-store.ts';
import type { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import type { DynamoViewCounts } from '#adapters/dynamo/view-counts.ts';
import type { AgentTokenVerifier } from '#auth/agent-token.ts';
import type { RateLimits } from '#auth/end-user.ts';
import type { ConnectionStore } from '#core/live.ts';
import type { ConnectionCloser } from '#core/live-revocation.ts';
import type { MailboxStore } from '#core/mailboxes.ts';
import type { MessageItem } from '#core/model.ts';
import type { NotificationStore } from '#core/notifications/store.ts';
import type { SendMessageInput } from '#core/outbound.ts';
import type { Clock, EventPublisher, IdGenerator, MailStore, ThreadStore, WorkflowStarter } from '#core/ports.ts';
import type { KeySetFetcher, WidgetTokens } from '#core/widget-identity.ts';

export interface ApiDeps {
  threads: ThreadStore;
  queries: DynamoThreadQueries;
  admin: DynamoAdminStore;
  /** Agents' profiles, drafts, presence and read state. */
  agents: DynamoAgentStore;
  /** Verifies agents' user pool tokens; absent when no pool is configured (keys only). */
  verifyAgentToken?: AgentTokenVerifier;
  mail: MailStore;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  /** Outbound mail (functions/core/outbound.ts `sendMessage`), bound to its own dependencies (SES, the reply tokens, the send cap). */
  sendMessage(input: SendMessageInput): Promise<MessageItem>;
  /** How long a request waits for a running one with the same Idempotency-Key before a 409 (10 s by default). */
  idempotencyWaitMs?: number;
  /** Seconds that an attachment download URL stays valid. */
  downloadUrlSeconds?: number;
  log?: { warn(message: string, extra?: Record<string, unknown>): void };
  /** Agents' notifications, follows and preferences (docs/notifications.md); their routes answer 404 without it. */
  notifications?: NotificationStore;
  /** The counts of the queue's views (GET /v1/views answers 404 without it). */
  viewCounts?: DynamoViewCounts;
  /** The agents' saved searches (POST/PATCH/DELETE /v1/views answer 404 without it). */
  savedViews?: DynamoSavedViewStore;
  /** Mailboxes and signatures (issue 20); their routes answer 404 without it. */
  mailboxes?: MailboxStore;
  /** Edits of agents' own comments (issue 20); their routes answer 404 without it. */
  comments?: DynamoCommentStore;
  /** Chat and the end-user widget (docs/widget.md); their routes answer 404 without it. */
  chat?: ChatApiDeps;
  /**
   * The live connections, to close those of a revoked key or a removed or re-roled agent (DeleteConnection);
   * absent when there is no WebSocket API (LIVE_ENDPOINT unset).
   */
  live?: {
    connections: ConnectionStore;
    closer: ConnectionCloser;
    /** Where clients connect (`wss://…/live`): the widget's frame is told, and its CSP allows it. */
    url?: string;
  };
  /** Thread metrics and daily rollups (docs/reports.md); the report routes answer 404 without them. */
  metrics?: DynamoMetricsStore;
}

export interface ChatApiDeps {
  store: DynamoChatStore;
  /** Starts the email-fallback timer of an agent's chat message (the lifecycle state machine). */
  starter: WorkflowStarter;
  /** The widget token signer (its secret read once per container). */
  widgetTokens(): Promise<WidgetTokens>;
  /** Requests per minute on the widget routes, session attempts per address, uploads per day (end-user.ts). */
  rateLimits?: RateLimits;
  /** Fetches a host's key set from its JWKS URL (auth/jwks-fetch.ts); without it, only inline keys work. */
  fetchKeySet?: KeySetFetcher;
  /** The local stack's flag: a JWKS URL may be plain http on loopback. Never set in AWS. */
  allowLoopbackJwks?: boolean;
}

export type { SendMessageInput };
