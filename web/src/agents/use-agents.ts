import { useQuery } from '@tanstack/react-query';
import type { Schemas } from '../api/client.ts';
import { currentSession } from '../auth/session.ts';
import { agentQueries } from './queries.ts';

/** An agent of the workspace, as GET /v1/agents lists them (with the avatar the Inbox draws). */
export type Agent = Schemas['Agent'];

export const useAgents = () => useQuery(agentQueries.list());

/** Initials, colour and name for an agent id, from the agents list (or the signed-in agent's token). */
export function avatarFor(agentId: string, agents: Agent[] | undefined) {
  const agent = agents?.find((a) => a.agentId === agentId);
  const session = currentSession();
  const self = session?.agentId === agentId ? (session.name ?? session.email) : undefined;
  const name = agent?.name ?? self ?? agentId;
  const initials =
    agent?.avatar.initials ??
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0])
      .join('')
      .toUpperCase();
  // The agent's own colour comes from the API; without one, the avatar takes the neutral token.
  return { name, initials: initials || '?', colour: agent?.avatar.colour };
}
