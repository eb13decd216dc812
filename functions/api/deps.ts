/**
 * What the API's use cases need, wired once per container by functions/api.ts and by the tests.
 */
import type { DynamoAdminStore } from '../adapters/dynamo/admin-store.ts';
import type { DynamoAgentStore } from '../adapters/dynamo/agent-store.ts';
import type { DynamoThreadQueries } from '../adapters/dynamo/thread-queries.ts';
import type { MessageItem } from '../core/model.ts';
import type { SendMessageInput } from '../core/outbound.ts';
import type { Clock, EventPublisher, IdGenerator, MailStore, ThreadStore } from '../core/ports.ts';
import type { AgentTokenVerifier } from './auth/agent-token.ts';

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
}

export type { SendMessageInput };
