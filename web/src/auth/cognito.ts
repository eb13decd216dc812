/**
 * The sign-in's calls to Cognito's user pool API: plain JSON POSTs to the public endpoint (a public client,
 * no AWS credentials, no SDK), and the state machine of its challenges. A pool that requires MFA answers the
 * password with `MFA_SETUP` (first sign-in: associate an authenticator app) or `SOFTWARE_TOKEN_MFA` (the
 * app's code); an account created by `gochat agent create` first answers `NEW_PASSWORD_REQUIRED`. No DOM
 * here: the unit tests (test/unit/web-sign-in.test.ts) run it against a fake Cognito.
 */

export interface CognitoConfig {
  /** `https://cognito-idp.<region>.amazonaws.com/`, or `/_cognito/` locally. */
  endpoint: string;
  clientId: string;
  /** The app's name in authenticator apps (the otpauth:// URI's issuer). */
  issuer?: string;
  fetch?: typeof fetch;
}

export interface Tokens {
  IdToken: string;
  AccessToken?: string;
  RefreshToken?: string;
  ExpiresIn?: number;
}

/** Where the sign-in stands: signed in, or waiting for the agent's answer to a challenge. */
export type SignInStep =
  | { kind: 'done'; tokens: Tokens }
  | { kind: 'mfa-code'; email: string; username: string; session: string }
  | { kind: 'mfa-setup'; email: string; username: string; session: string; secretCode: string; otpauthUri: string }
  | { kind: 'new-password'; email: string; username: string; session: string };

export type Challenge = Exclude<SignInStep, { kind: 'done' }>;

export class CognitoError extends Error {
  constructor(
    message: string,
    /** Cognito's `__type` (e.g. `NotAuthorizedException`), when it answered. */
    readonly type = '',
  ) {
    super(message);
  }
}

interface AuthResponse {
  AuthenticationResult?: Tokens;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}

async function call<T>(cfg: CognitoConfig, action: string, body: Record<string, unknown>): Promise<T> {
  const res = await (cfg.fetch ?? fetch)(cfg.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  }).catch(() => undefined);
  if (!res) throw new CognitoError('The sign-in service cannot be reached.');
  const json = (await res.json().catch(() => ({}))) as T & { __type?: string; message?: string };
  if (!res.ok) {
    // `__type` may carry a namespace prefix (`...#NotAuthorizedException`).
    const type = (json.__type ?? '').split('#').pop() ?? '';
    throw new CognitoError(json.message ?? `Sign-in failed (${res.status}).`, type);
  }
  return json;
}

/** Sends the email and password (USER_PASSWORD_AUTH) and returns the next step. */
export async function startSignIn(cfg: CognitoConfig, email: string, password: string): Promise<SignInStep> {
  let res: AuthResponse;
  try {
    res = await call<AuthResponse>(cfg, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cfg.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
  } catch (err) {
    // cognito-local answers a wrong password with InvalidPasswordException, Cognito with NotAuthorizedException.
    if (err instanceof CognitoError && /NotAuthorized|InvalidPassword|UserNotFound/.test(err.type))
      throw new CognitoError('Wrong email or password.', err.type);
    throw err;
  }
  return next(cfg, { email }, res);
}

/**
 * Trades the refresh token for a fresh ID token (REFRESH_TOKEN_AUTH): agents stay signed in all day while
 * the ID token lives an hour. Cognito answers without a new refresh token; the caller keeps the old one.
 */
export async function refreshTokens(cfg: CognitoConfig, refreshToken: string): Promise<Tokens> {
  const res = await call<AuthResponse>(cfg, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: cfg.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  if (!res.AuthenticationResult?.IdToken) throw new CognitoError('The session could not be renewed.');
  return res.AuthenticationResult;
}

/** Answers the current challenge: a 6-digit code (`mfa-code`, `mfa-setup`) or a new password. */
export async function answerChallenge(cfg: CognitoConfig, step: Challenge, answer: string): Promise<SignInStep> {
  try {
    switch (step.kind) {
      case 'mfa-code':
        return next(
          cfg,
          step,
          await respond(cfg, 'SOFTWARE_TOKEN_MFA', step.session, {
            USERNAME: step.username,
            SOFTWARE_TOKEN_MFA_CODE: answer,
          }),
        );
      case 'mfa-setup': {
        const verified = await call<{ Status?: string; Session?: string }>(cfg, 'VerifySoftwareToken', {
          Session: step.session,
          UserCode: answer,
          FriendlyDeviceName: 'Go!Chat Inbox',
        });
        if (verified.Status !== 'SUCCESS') throw new CognitoError('Wrong code.', 'CodeMismatchException');
        return next(
          cfg,
          step,
          await respond(cfg, 'MFA_SETUP', verified.Session ?? step.session, { USERNAME: step.username }),
        );
      }
      case 'new-password':
        return next(
          cfg,
          step,
          await respond(cfg, 'NEW_PASSWORD_REQUIRED', step.session, {
            USERNAME: step.username,
            NEW_PASSWORD: answer,
          }),
        );
    }
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    if (/CodeMismatch|EnableSoftwareTokenMFA/.test(err.type))
      throw new CognitoError('Wrong code: check the authenticator app and try again.', err.type);
    if (/NotAuthorized|ExpiredCode/.test(err.type))
      throw new CognitoError('This sign-in has expired: start again.', err.type);
    throw err;
  }
}

function respond(cfg: CognitoConfig, challenge: string, session: string, responses: Record<string, string>) {
  return call<AuthResponse>(cfg, 'RespondToAuthChallenge', {
    ChallengeName: challenge,
    ClientId: cfg.clientId,
    Session: session,
    ChallengeResponses: responses,
  });
}

async function next(
  cfg: CognitoConfig,
  from: { email: string; username?: string },
  res: AuthResponse,
): Promise<SignInStep> {
  if (res.AuthenticationResult?.IdToken) return { kind: 'done', tokens: res.AuthenticationResult };
  const params = res.ChallengeParameters ?? {};
  const email = from.email;
  // The pool's username (a UUID when users sign in by email): what the challenge responses name.
  const username = params.USER_ID_FOR_SRP ?? params.USERNAME ?? from.username ?? email;
  const session = res.Session ?? '';
  switch (res.ChallengeName) {
    case 'SOFTWARE_TOKEN_MFA':
      return { kind: 'mfa-code', email, username, session };
    case 'NEW_PASSWORD_REQUIRED':
      return { kind: 'new-password', email, username, session };
    case 'MFA_SETUP': {
      const associated = await call<{ SecretCode: string; Session?: string }>(cfg, 'AssociateSoftwareToken', {
        Session: session,
      });
      return {
        kind: 'mfa-setup',
        email,
        username,
        session: associated.Session ?? session,
        secretCode: associated.SecretCode,
        otpauthUri: otpauthUri(cfg.issuer ?? 'Go!Chat', email, associated.SecretCode),
      };
    }
    case undefined:
      throw new CognitoError('Sign-in failed: the sign-in service gave no token.');
    default:
      throw new CognitoError(
        `This account needs a sign-in step the Inbox does not support (${res.ChallengeName}). Ask an administrator.`,
        res.ChallengeName,
      );
  }
}

/** The key URI of authenticator apps (what a QR code would hold). */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}
