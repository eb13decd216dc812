/**
 * What the API's use cases need, wired once per container by functions/api.ts and by the tests.
 */
import type { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import type { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import type { DynamoChatStore } from '#adapters/dynamo/chat-store.ts';
import type { DynamoCommentStore } from '#adapters/dynamo/comment-store.ts';
import type { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import type { AgentTokenVerifier } from '#auth/agent-token.ts';
import type { MailboxStore } from '#core/mailboxes.ts';
import type { MessageItem } from '#core/model.ts';
import type { SendMessageInput } from '#core/outbound.ts';
import type { Clock, EventPublisher, IdGenerator, MailStore, ThreadStore, WorkflowStarter } from '#core/ports.ts';
import type { WidgetTokens } from '#core/widget-identity.ts';

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
  /** Mailboxes and signatures (issue 20); their routes answer 404 without it. */
  mailboxes?: MailboxStore;
  /** Edits of agents' own comments (issue 20); their routes answer 404 without it. */
  comments?: DynamoCommentStore;
  /** Chat and the end-user widget (docs/widget.md); their routes answer 404 without it. */
  chat?: ChatApiDeps;
}

export interface ChatApiDeps {
  store: DynamoChatStore;
  /** Starts the email-fallback timer of an agent's chat message (the lifecycle state machine). */
  starter: WorkflowStarter;
  /** The widget token signer (its secret read once per container). */
  widgetTokens(): Promise<WidgetTokens>;
  /** Requests per minute on the widget routes: per end user, and per workspace. */
  rateLimits?: { perEndUser: number; perWorkspace: number };
}

export type { SendMessageInput };
