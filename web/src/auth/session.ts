/**
 * The signed-in agent: a Cognito ID token (the API verifies it against the user pool, docs/agents.md), kept
 * in sessionStorage so that a reload keeps the session, and dropped when the API answers 401.
 */
import { appConfig } from '../app/config.ts';

export interface Session {
  token: string;
  refreshToken?: string;
  expiresAt: number;
  /** The token's `sub`: the agent id everywhere in Go!Chat. */
  agentId: string;
  email?: string;
  name?: string;
  /** The workspace acted in (X-Workspace-Id), among the token's `ws_<id>` groups. */
  workspaceId?: string;
  workspaceIds: string[];
}

const KEY = 'gochat.session';
let session: Session | null = read();
let notice: string | null = null;
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

export const currentSession = () => session;
export const signOutNotice = () => notice;
export function subscribeSession(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signOut(message?: string) {
  session = null;
  notice = message ?? null;
  sessionStorage.removeItem(KEY);
  emit();
}

export function switchWorkspace(workspaceId: string) {
  if (!session) return;
  session = { ...session, workspaceId };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  emit();
}

/** The claims of a JWT, read (not verified: the API verifies it) to know who signed in. */
export function claimsOf(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}

export class SignInError extends Error {}

/** Cognito's USER_PASSWORD_AUTH flow: a plain JSON call to the user pool's public endpoint (no AWS credentials). */
export async function signIn(email: string, password: string): Promise<Session> {
  const { cognitoEndpoint, cognitoClientId, defaultWorkspaceId } = appConfig();
  if (!cognitoEndpoint || !cognitoClientId) throw new SignInError('Sign-in is not configured for this Inbox.');
  const res = await fetch(cognitoEndpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cognitoClientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  }).catch(() => undefined);
  if (!res) throw new SignInError('The sign-in service cannot be reached.');
  const body = (await res.json().catch(() => ({}))) as {
    AuthenticationResult?: { IdToken: string; RefreshToken?: string; ExpiresIn: number };
    __type?: string;
    message?: string;
  };
  if (!res.ok || !body.AuthenticationResult) {
    // cognito-local answers a wrong password with InvalidPasswordException, Cognito with NotAuthorizedException.
    const type = body.__type ?? '';
    if (/NotAuthorized|InvalidPassword|UserNotFound/.test(type)) throw new SignInError('Wrong email or password.');
    throw new SignInError(body.message ?? `Sign-in failed (${res.status}).`);
  }
  const { IdToken, RefreshToken, ExpiresIn } = body.AuthenticationResult;
  const claims = claimsOf(IdToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  const workspaceIds = groups.filter((g) => g.startsWith('ws_')).map((g) => g.slice(3));
  const workspaceId =
    defaultWorkspaceId && workspaceIds.includes(defaultWorkspaceId) ? defaultWorkspaceId : workspaceIds[0];
  session = {
    token: IdToken,
    refreshToken: RefreshToken,
    expiresAt: Date.now() + ExpiresIn * 1000,
    agentId: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email : email,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    workspaceId,
    workspaceIds,
  };
  notice = null;
  sessionStorage.setItem(KEY, JSON.stringify(session));
  emit();
  return session;
}
