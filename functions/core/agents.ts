/**
 * Agents as a workspace knows them: their profile (name, email, role) and the avatar the Inbox draws for
 * them. The identity itself (sign-in, password, federation) belongs to the Cognito user pool; the agent id
 * is the user's `sub`.
 */
import { createHash } from 'node:crypto';
import type { Role } from './access.ts';

export interface AgentProfile {
  workspaceId: string;
  /** The user pool's `sub`. */
  agentId: string;
  email: string;
  name: string;
  role: Role;
  /** Set by the agent (or an admin): an away agent gets no thread on arrival. Absent: available. */
  availability?: 'available' | 'away';
  createdAt: string;
  updatedAt?: string;
}

/** Byte budgets of a profile: names and addresses come from outside. */
export const AGENT_LIMITS = { name: 200, email: 254 } as const;

/** A palette of 12 colours with white text readable on each (WCAG AA for large text). */
const PALETTE = [
  '#1f6feb',
  '#8957e5',
  '#bf3989',
  '#cf222e',
  '#bc4c00',
  '#9a6700',
  '#1a7f37',
  '#0a7d83',
  '#0969da',
  '#6639ba',
  '#953800',
  '#57606a',
] as const;

/** Up to two initials: the first letters of the first and last words of the name, else of the email. */
export function initialsOf(name: string, email: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean).slice(0, 20);
  const letters =
    words.length === 0
      ? [...email.trim()].slice(0, 1)
      : words.length === 1
        ? [...words[0]].slice(0, 1)
        : [[...words[0]][0], [...words[words.length - 1]][0]];
  return letters.join('').toUpperCase() || '?';
}

/** A stable colour per agent: the same agent has the same colour on every device. */
export function colourOf(agentId: string): string {
  const n = createHash('sha256').update(agentId).digest().readUInt32BE(0);
  return PALETTE[n % PALETTE.length];
}

export const avatarOf = (a: Pick<AgentProfile, 'agentId' | 'name' | 'email'>) => ({
  initials: initialsOf(a.name, a.email),
  colour: colourOf(a.agentId),
});
