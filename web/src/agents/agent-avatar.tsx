import { t } from '../i18n/index.ts';
import { Avatar } from '../ui/index.ts';
import { avatarFor, useAgents } from './use-agents.ts';

/** An agent's avatar, named for what it means here ("Assigned to Ada"). */
export function AgentAvatar({ agentId, prefix = t('card.assignedTo') }: { agentId: string; prefix?: string }) {
  const { data: agents } = useAgents();
  const a = avatarFor(agentId, agents);
  return <Avatar name={`${prefix} ${a.name}`} initials={a.initials} colour={a.colour} />;
}
