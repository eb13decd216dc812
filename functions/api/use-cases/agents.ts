/**
 * Agents: provisioning (ops, `gochat agent create`) and the directory that the API lists.
 */

import type { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { isRole, type Role } from '#core/access.ts';
import { AGENT_LIMITS, type AgentProfile, avatarOf } from '#core/agents.ts';
import { availabilityOf } from '#core/assignment.ts';
import { ValidationError } from '#core/errors.ts';
import type { Clock } from '#core/ports.ts';

/** What provisioning needs of the user pool (adapters/cognito-agent-pool.ts). */
export interface AgentPool {
  ensureUser(input: {
    email: string;
    name: string;
    password?: string;
    username?: string;
  }): Promise<{ sub: string; created: boolean; username: string }>;
  addToWorkspace(username: string, workspaceId: string): Promise<void>;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]{1,63}$/;

/**
 * Makes `email` an agent of the workspace with `role`: the user (created if missing), its membership of
 * the workspace's group, and its profile in the table. Running it again updates name and role.
 */
export async function provisionAgent(
  deps: { pool: AgentPool; agents: Pick<DynamoAgentStore, 'getAgent' | 'putAgent'>; clock: Clock },
  input: { workspaceId: string; email: string; name: string; role?: string; password?: string; username?: string },
): Promise<{ profile: AgentProfile; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const role: Role = input.role === undefined ? 'agent' : isRole(input.role) ? input.role : invalidRole(input.role);
  if (!EMAIL.test(email) || Buffer.byteLength(email) > AGENT_LIMITS.email)
    throw new ValidationError(`not an email address: ${input.email}`);
  if (!name || Buffer.byteLength(name) > AGENT_LIMITS.name)
    throw new ValidationError(`an agent name is 1-${AGENT_LIMITS.name} bytes`);
  const user = await deps.pool.ensureUser({
    email,
    name,
    ...(input.password ? { password: input.password } : {}),
    ...(input.username ? { username: input.username } : {}),
  });
  await deps.pool.addToWorkspace(user.username, input.workspaceId);
  const existing = await deps.agents.getAgent(input.workspaceId, user.sub);
  const at = deps.clock.now().toISOString();
  const profile: AgentProfile = {
    workspaceId: input.workspaceId,
    agentId: user.sub,
    email,
    name,
    role,
    createdAt: existing?.createdAt ?? at,
    ...(existing ? { updatedAt: at } : {}),
  };
  await deps.agents.putAgent(profile);
  return { profile, created: user.created };
}

function invalidRole(role: string): never {
  throw new ValidationError(`role must be admin, agent or readonly, not ${role}`);
}

/** An agent as the directory shows it. */
export function agentView(a: AgentProfile) {
  return {
    agentId: a.agentId,
    name: a.name,
    email: a.email,
    role: a.role,
    avatar: avatarOf(a),
    availability: availabilityOf(a),
  };
}
