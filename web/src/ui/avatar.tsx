import { avatarFor, useAgents } from '../agents/use-agents.ts';

/** The seed's avatar "(I)": the assigned agent's initials on their colour. */
export function Avatar({ agentId, prefix = 'Assigned to' }: { agentId: string; prefix?: string }) {
  const { data: agents } = useAgents();
  const a = avatarFor(agentId, agents);
  return (
    <span
      className="avatar"
      role="img"
      aria-label={`${prefix} ${a.name}`}
      title={a.name}
      style={{ backgroundColor: a.colour }}
    >
      {a.initials}
    </span>
  );
}
