/**
 * The signed-in agent: a Cognito ID token (the API verifies it against the user pool, docs/agents.md), kept
 * in sessionStorage so that a reload keeps the session, and dropped when the API answers 401.
 */
import { appConfig } from '../app/config.ts';
import {
  answerChallenge,
  type Challenge,
  type CognitoConfig,
  CognitoError,
  type SignInStep,
  startSignIn,
} from './cognito.ts';

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

function cognito(): CognitoConfig {
  const { cognitoEndpoint, cognitoClientId } = appConfig();
  if (!cognitoEndpoint || !cognitoClientId) throw new SignInError('Sign-in is not configured for this Inbox.');
  return { endpoint: cognitoEndpoint, clientId: cognitoClientId, issuer: 'Go!Chat' };
}

/**
 * Cognito's USER_PASSWORD_AUTH flow (web/src/auth/cognito.ts): signs in and returns null, or returns the
 * challenge the agent must answer (MFA code, MFA setup, new password) with `continueSignIn`.
 */
export async function signIn(email: string, password: string): Promise<Challenge | null> {
  return settle(await startSignIn(cognito(), email, password).catch(rethrow), email);
}

export async function continueSignIn(step: Challenge, answer: string): Promise<Challenge | null> {
  return settle(await answerChallenge(cognito(), step, answer).catch(rethrow), step.email);
}

function rethrow(err: unknown): never {
  throw err instanceof CognitoError ? new SignInError(err.message) : err;
}

function settle(step: SignInStep, email: string): Challenge | null {
  if (step.kind !== 'done') return step;
  const { defaultWorkspaceId } = appConfig();
  const { IdToken, RefreshToken, ExpiresIn } = step.tokens;
  const claims = claimsOf(IdToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  const workspaceIds = groups.filter((g) => g.startsWith('ws_')).map((g) => g.slice(3));
  const workspaceId =
    defaultWorkspaceId && workspaceIds.includes(defaultWorkspaceId) ? defaultWorkspaceId : workspaceIds[0];
  session = {
    token: IdToken,
    refreshToken: RefreshToken,
    // The token's own expiry (cognito-local leaves ExpiresIn out).
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + (ExpiresIn ?? 3600) * 1000,
    agentId: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email : email,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    workspaceId,
    workspaceIds,
  };
  notice = null;
  sessionStorage.setItem(KEY, JSON.stringify(session));
  emit();
  return null;
}
