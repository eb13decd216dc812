/**
 * Who may do what: the agents' roles and the scopes that integration keys carry. A role is a fixed set
 * of scopes, so every route checks one scope whoever calls it (functions/api/router.ts).
 */

export const ROLES = ['admin', 'agent', 'readonly'] as const;
export type Role = (typeof ROLES)[number];

/** Every scope, in the order the OpenAPI document lists them. */
export const SCOPES = [
  'threads:read',
  'threads:write',
  'customers:read',
  'customers:write',
  'templates:read',
  'templates:write',
  'agents:read',
  'agents:manage',
  'agents:act',
  'settings:read',
  'settings:write',
  'keys:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * The admin scopes: settings, keys, templates and agents. The OpenAPI document marks their routes.
 * `agents:act` lets an integration key act as any agent (`X-Agent-Id`): their drafts, presence and read
 * state included, so it is an admin's to give.
 */
export const ADMIN_SCOPES: readonly Scope[] = [
  'templates:write',
  'agents:manage',
  'agents:act',
  'settings:read',
  'settings:write',
  'keys:manage',
];

const READ: Scope[] = ['threads:read', 'customers:read', 'templates:read', 'agents:read'];

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  readonly: READ,
  agent: [...READ, 'threads:write', 'customers:write'],
  admin: SCOPES,
};

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
export const isScope = (v: unknown): v is Scope => typeof v === 'string' && (SCOPES as readonly string[]).includes(v);
export const isAdminScope = (s: Scope) => ADMIN_SCOPES.includes(s);

/**
 * The scopes of an integration key as stored: a key made before scopes existed has every scope (it could
 * do everything then, and taking that away silently would break integrations). Unknown names are dropped.
 */
export function keyScopes(stored: unknown): Scope[] {
  if (!Array.isArray(stored)) return [...SCOPES];
  return SCOPES.filter((s) => stored.includes(s));
}

/** Whether a caller holding `held` may give `role` to an agent: only a role whose every scope it holds. */
export const mayGrantRole = (held: readonly Scope[], role: Role) => ROLE_SCOPES[role].every((s) => held.includes(s));
