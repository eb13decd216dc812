/**
 * The signed-in agent: a Cognito ID token (the API verifies it against the user pool, docs/agents.md), kept
 * in sessionStorage so that a reload keeps the session. The refresh token renews the ID token five minutes
 * before it expires (and when the API answers 401); the session ends only when renewing fails.
 */
import { appConfig } from '../app/config.ts';
import {
  answerChallenge,
  type Challenge,
  type CognitoConfig,
  CognitoError,
  refreshTokens,
  type SignInStep,
  startSignIn,
  type Tokens,
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
    // An expired token with a refresh token is renewed on start (scheduleRefresh, below).
    return s && (s.expiresAt > Date.now() || s.refreshToken) ? s : null;
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
  clearTimeout(renewal);
  session = null;
  notice = message ?? null;
  sessionStorage.removeItem(KEY);
  emit();
}

export function switchWorkspace(workspaceId: string) {
  if (!session) return;
  store({ ...session, workspaceId });
}

function store(next: Session) {
  session = next;
  sessionStorage.setItem(KEY, JSON.stringify(next));
  scheduleRefresh();
  emit();
}

/** Renew this long before the token expires, so that no request goes out with an expired one. */
const RENEW_BEFORE_MS = 5 * 60_000;
let renewal: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<boolean> | null = null;

/** Starts renewing the stored session, once the app's configuration (Cognito's endpoint) is loaded. */
export const resumeSession = () => scheduleRefresh();

function scheduleRefresh() {
  clearTimeout(renewal);
  if (!session?.refreshToken) return;
  // A pool may issue tokens for as little as five minutes: renew halfway then, never in a tight loop.
  const left = session.expiresAt - Date.now();
  const wait = left > 2 * RENEW_BEFORE_MS ? left - RENEW_BEFORE_MS : Math.max(left / 2, 10_000);
  renewal = setTimeout(() => {
    void refreshSession().then((ok) => {
      if (!ok && session && session.expiresAt <= Date.now()) signOut('Your session has ended: please sign in again.');
    });
  }, wait);
}

/** Whether the token is expired or about to be: a request had better renew it first. */
export const sessionExpiring = () => !!session && session.expiresAt - Date.now() < 60_000;

/**
 * Renews the ID token with the refresh token; true when the session goes on with a fresh token. Calls made
 * while one renewal runs share it. A refresh token that Cognito refuses (revoked, expired) gives false.
 */
export function refreshSession(): Promise<boolean> {
  const from = session;
  if (!from?.refreshToken) return Promise.resolve(false);
  renewing ??= Promise.resolve()
    .then(() => refreshTokens(cognito(), from.refreshToken as string))
    .then((tokens) => {
      // Signed out (or in as someone else) meanwhile: the renewal is dropped.
      if (session?.agentId !== from.agentId) return false;
      store({ ...session, token: tokens.IdToken, expiresAt: expiryOf(tokens) });
      return true;
    })
    .catch(() => false)
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

/** The token's own expiry (cognito-local leaves ExpiresIn out). */
function expiryOf({ IdToken, ExpiresIn }: Tokens): number {
  const { exp } = claimsOf(IdToken);
  return typeof exp === 'number' ? exp * 1000 : Date.now() + (ExpiresIn ?? 3600) * 1000;
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
  const { IdToken, RefreshToken } = step.tokens;
  const claims = claimsOf(IdToken);
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  const workspaceIds = groups.filter((g) => g.startsWith('ws_')).map((g) => g.slice(3));
  const workspaceId =
    defaultWorkspaceId && workspaceIds.includes(defaultWorkspaceId) ? defaultWorkspaceId : workspaceIds[0];
  notice = null;
  store({
    token: IdToken,
    refreshToken: RefreshToken,
    expiresAt: expiryOf(step.tokens),
    agentId: String(claims.sub),
    email: typeof claims.email === 'string' ? claims.email : email,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    workspaceId,
    workspaceIds,
  });
  return null;
}
