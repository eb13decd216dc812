/** The agents feature's public face: other features import from here (or queries.ts), never deeper. */

export { AgentAvatar } from './agent-avatar.tsx';
export { AvailabilitySwitch } from './availability-switch.tsx';
export { agentQueries } from './queries.ts';
export { type Agent, avatarFor, useAgents } from './use-agents.ts';
