/**
 * Agents for integration tests: a cognito-local user pool (its own process and port, data in a temporary
 * folder), agents provisioned the way `gochat agent create` does, and their signed-in tokens.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll } from 'vitest';
import { CognitoAgentPool } from '#adapters/cognito-agent-pool.ts';
import { provisionAgent } from '#api/use-cases/agents.ts';
import { createAgentTokenVerifier } from '#auth/agent-token.ts';
import type { Role } from '#core/access.ts';
import { type CognitoLocal, signInAgent, startCognitoLocal } from '#lib/local/cognito-local.ts';
import type { TestApi } from './api.ts';

let started: Promise<CognitoLocal> | undefined;
let dir: string | undefined;

// Registered when a test file imports this module: a hook registered inside `beforeAll` never runs.
afterAll(async () => {
  await (await started)?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One cognito-local per test file, stopped after it. */
export function cognitoLocal(): Promise<CognitoLocal> {
  if (!started) {
    dir = mkdtempSync(join(tmpdir(), 'gochat-cognito-'));
    started = startCognitoLocal({ dir, region: 'us-east-1' });
  }
  return started;
}

/** The verifier that the API Lambda builds from AGENT_POOL_ISSUER and AGENT_POOL_CLIENT_IDS. */
export async function agentVerifier() {
  const c = await cognitoLocal();
  return createAgentTokenVerifier({ issuer: c.issuer, clientIds: [c.clientId] });
}

export interface TestAgent {
  agentId: string;
  email: string;
  name: string;
  idToken: string;
  accessToken: string;
}

/** Provisions an agent of `workspaceId` with `role` and signs it in (USER_PASSWORD_AUTH). */
export async function signedInAgent(
  api: TestApi,
  workspaceId: string,
  role: Role,
  name = `Agent ${role}`,
): Promise<TestAgent> {
  const c = await cognitoLocal();
  const email = `${role}-${ulid().toLowerCase()}@agents.example`;
  const password = `Pw-${ulid()}`;
  const out = await provisionAgent(
    { pool: new CognitoAgentPool(c.client, c.userPoolId), agents: api.agents, clock: api.clock },
    { workspaceId, email, name, role, password },
  );
  const tokens = await signInAgent(c.client, c.clientId, email, password);
  return { agentId: out.profile.agentId, email, name, ...tokens };
}
