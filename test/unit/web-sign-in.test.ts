/**
 * The Inbox's sign-in state machine (web/src/auth/cognito.ts) against a fake Cognito that answers each
 * challenge of a pool that requires MFA: the exact requests sent (X-Amz-Target, ChallengeName,
 * ChallengeResponses, Session) and the steps returned.
 */
import { describe, expect, it } from 'vitest';
import {
  answerChallenge,
  type Challenge,
  type CognitoConfig,
  refreshTokens,
  startSignIn,
} from '../../web/src/auth/cognito.ts';

interface Sent {
  target: string;
  body: Record<string, any>;
}

/** A fake Cognito endpoint: answers each call with the next scripted reply, and records what it was sent. */
function fakeCognito(replies: { status?: number; body: unknown }[]) {
  const sent: Sent[] = [];
  const cfg: CognitoConfig = {
    endpoint: 'https://cognito-idp.example.test/',
    clientId: 'inbox-client',
    issuer: 'Go!Chat',
    fetch: async (url, init) => {
      expect(String(url)).toBe('https://cognito-idp.example.test/');
      expect(init?.method).toBe('POST');
      const headers = new Headers(init?.headers);
      expect(headers.get('content-type')).toBe('application/x-amz-json-1.1');
      sent.push({ target: headers.get('x-amz-target') ?? '', body: JSON.parse(String(init?.body)) });
      const reply = replies.shift();
      if (!reply) throw new Error('unexpected call');
      return new Response(JSON.stringify(reply.body), {
        status: reply.status ?? 200,
        headers: { 'Content-Type': 'application/x-amz-json-1.1' },
      });
    },
  };
  return { cfg, sent };
}

const T = (action: string) => `AWSCognitoIdentityProviderService.${action}`;
const USER = '0f1e2d3c-aaaa-bbbb-cccc-000000000001';
const TOKENS = { IdToken: 'h.p.s', AccessToken: 'a', RefreshToken: 'r', ExpiresIn: 3600, TokenType: 'Bearer' };
const initiate = {
  target: T('InitiateAuth'),
  body: {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: 'inbox-client',
    AuthParameters: { USERNAME: 'ana@example.com', PASSWORD: 'Correct-horse-1' },
  },
};

describe('sign-in against a pool that requires MFA', () => {
  it('signs in straight away when Cognito answers with tokens (cognito-local: no MFA)', async () => {
    const { cfg, sent } = fakeCognito([{ body: { AuthenticationResult: TOKENS, ChallengeParameters: {} } }]);
    expect(await startSignIn(cfg, 'ana@example.com', 'Correct-horse-1')).toEqual({ kind: 'done', tokens: TOKENS });
    expect(sent).toEqual([initiate]);
  });

  it('SOFTWARE_TOKEN_MFA: answers the code with the session and the pool username', async () => {
    const { cfg, sent } = fakeCognito([
      {
        body: {
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: 'sess-1',
          ChallengeParameters: { USER_ID_FOR_SRP: USER },
        },
      },
      { body: { AuthenticationResult: TOKENS, ChallengeParameters: {} } },
    ]);
    const step = await startSignIn(cfg, 'ana@example.com', 'Correct-horse-1');
    expect(step).toEqual({ kind: 'mfa-code', email: 'ana@example.com', username: USER, session: 'sess-1' });
    expect(await answerChallenge(cfg, step as Challenge, '123456')).toEqual({ kind: 'done', tokens: TOKENS });
    expect(sent).toEqual([
      initiate,
      {
        target: T('RespondToAuthChallenge'),
        body: {
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          ClientId: 'inbox-client',
          Session: 'sess-1',
          ChallengeResponses: { USERNAME: USER, SOFTWARE_TOKEN_MFA_CODE: '123456' },
        },
      },
    ]);
  });

  it('MFA_SETUP: associates a TOTP app, verifies its code, then answers MFA_SETUP with the new session', async () => {
    const { cfg, sent } = fakeCognito([
      {
        body: {
          ChallengeName: 'MFA_SETUP',
          Session: 'sess-1',
          ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: USER },
        },
      },
      { body: { SecretCode: 'JBSWY3DPEHPK3PXP', Session: 'sess-2' } },
      { body: { Status: 'SUCCESS', Session: 'sess-3' } },
      { body: { AuthenticationResult: TOKENS, ChallengeParameters: {} } },
    ]);
    const step = await startSignIn(cfg, 'ana@example.com', 'Correct-horse-1');
    expect(step).toEqual({
      kind: 'mfa-setup',
      email: 'ana@example.com',
      username: USER,
      session: 'sess-2',
      secretCode: 'JBSWY3DPEHPK3PXP',
      otpauthUri:
        'otpauth://totp/Go!Chat:ana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Go!Chat&algorithm=SHA1&digits=6&period=30',
    });
    expect(await answerChallenge(cfg, step as Challenge, '654321')).toEqual({ kind: 'done', tokens: TOKENS });
    expect(sent).toEqual([
      initiate,
      { target: T('AssociateSoftwareToken'), body: { Session: 'sess-1' } },
      {
        target: T('VerifySoftwareToken'),
        body: { Session: 'sess-2', UserCode: '654321', FriendlyDeviceName: 'Go!Chat Inbox' },
      },
      {
        target: T('RespondToAuthChallenge'),
        body: {
          ChallengeName: 'MFA_SETUP',
          ClientId: 'inbox-client',
          Session: 'sess-3',
          ChallengeResponses: { USERNAME: USER },
        },
      },
    ]);
  });

  it('NEW_PASSWORD_REQUIRED: sends the new password, then goes on to the MFA setup', async () => {
    const { cfg, sent } = fakeCognito([
      {
        body: {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: 'sess-1',
          ChallengeParameters: { USER_ID_FOR_SRP: USER, requiredAttributes: '[]', userAttributes: '{}' },
        },
      },
      { body: { ChallengeName: 'MFA_SETUP', Session: 'sess-2', ChallengeParameters: {} } },
      { body: { SecretCode: 'SECRET', Session: 'sess-3' } },
    ]);
    const step = await startSignIn(cfg, 'ana@example.com', 'Correct-horse-1');
    expect(step).toMatchObject({ kind: 'new-password', username: USER, session: 'sess-1' });
    const setup = await answerChallenge(cfg, step as Challenge, 'My-own-password-2');
    // The MFA_SETUP challenge names no user: the one from the previous step is kept.
    expect(setup).toMatchObject({ kind: 'mfa-setup', username: USER, session: 'sess-3', secretCode: 'SECRET' });
    expect(sent.slice(1)).toEqual([
      {
        target: T('RespondToAuthChallenge'),
        body: {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          ClientId: 'inbox-client',
          Session: 'sess-1',
          ChallengeResponses: { USERNAME: USER, NEW_PASSWORD: 'My-own-password-2' },
        },
      },
      { target: T('AssociateSoftwareToken'), body: { Session: 'sess-2' } },
    ]);
  });

  it('says clearly what went wrong: wrong password, wrong code, expired session, unsupported challenge', async () => {
    const wrong = fakeCognito([
      { status: 400, body: { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' } },
    ]);
    await expect(startSignIn(wrong.cfg, 'ana@example.com', 'nope')).rejects.toThrow('Wrong email or password.');

    const step: Challenge = { kind: 'mfa-code', email: 'ana@example.com', username: USER, session: 's' };
    const code = fakeCognito([{ status: 400, body: { __type: 'CodeMismatchException', message: 'Invalid code' } }]);
    await expect(answerChallenge(code.cfg, step, '000000')).rejects.toThrow(/^Wrong code/);
    const expired = fakeCognito([
      { status: 400, body: { __type: 'NotAuthorizedException', message: 'Invalid session for the user.' } },
    ]);
    await expect(answerChallenge(expired.cfg, step, '000000')).rejects.toThrow('This sign-in has expired');

    const custom = fakeCognito([
      { body: { ChallengeName: 'CUSTOM_CHALLENGE', Session: 's', ChallengeParameters: {} } },
    ]);
    await expect(startSignIn(custom.cfg, 'ana@example.com', 'x')).rejects.toThrow(
      'This account needs a sign-in step the Inbox does not support (CUSTOM_CHALLENGE). Ask an administrator.',
    );
    const down = { ...custom.cfg, fetch: () => Promise.reject(new TypeError('fetch failed')) };
    await expect(startSignIn(down, 'ana@example.com', 'x')).rejects.toThrow('The sign-in service cannot be reached.');
  });
});

describe('renewing the session', () => {
  it('trades the refresh token for a fresh ID token (REFRESH_TOKEN_AUTH)', async () => {
    const fresh = { IdToken: 'h.p2.s', AccessToken: 'a2', ExpiresIn: 3600, TokenType: 'Bearer' };
    const { cfg, sent } = fakeCognito([{ body: { AuthenticationResult: fresh, ChallengeParameters: {} } }]);
    expect(await refreshTokens(cfg, 'r')).toEqual(fresh);
    expect(sent).toEqual([
      {
        target: T('InitiateAuth'),
        body: { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'inbox-client', AuthParameters: { REFRESH_TOKEN: 'r' } },
      },
    ]);
  });

  it('fails when Cognito refuses the refresh token (revoked or expired)', async () => {
    const { cfg } = fakeCognito([
      { status: 400, body: { __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' } },
    ]);
    await expect(refreshTokens(cfg, 'r')).rejects.toThrow('Refresh Token has been revoked');
  });
});
