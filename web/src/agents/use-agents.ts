import { useQuery } from '@tanstack/react-query';
import { currentSession } from '../auth/session.ts';

/** An agent of the workspace, as GET /v1/agents lists them (with the avatar the Inbox draws). */
export interface Agent {
  agentId: string;
  name: string;
  email: string;
  role: string;
  avatar?: { initials: string; colour: string };
}

export const agentsKey = ['agents'] as const;

export function useAgents() {
  return useQuery({
    queryKey: agentsKey,
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<Agent[]> => {
      const session = currentSession();
      const res = await fetch('/v1/agents', {
        headers: {
          Authorization: `Bearer ${session?.token ?? ''}`,
          ...(session?.workspaceId ? { 'X-Workspace-Id': session.workspaceId } : {}),
        },
      });
      if (!res.ok) throw new Error(`GET /v1/agents: ${res.status}`);
      return ((await res.json()) as { items: Agent[] }).items;
    },
  });
}

/** Initials and colour for an agent id, from the agents list when it is known. */
export function avatarFor(agentId: string, agents: Agent[] | undefined) {
  const agent = agents?.find((a) => a.agentId === agentId);
  const name = agent?.name ?? agentId;
  const initials =
    agent?.avatar?.initials ??
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((w) => w[0])
      .join('')
      .toUpperCase();
  return { name, initials: initials || '?', colour: agent?.avatar?.colour ?? '#57606a' };
}
