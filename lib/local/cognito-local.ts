/**
 * The agents' user pool on one machine: cognito-local in a child process on a port of its own (never
 * 9229, Node's inspector port, its default), its data under `<dataDir>/cognito/.cognito`. The pool and
 * the app client are found or created by name, so a restart keeps the agents and their passwords.
 * The issuer of its tokens is `http://127.0.0.1:<port>/<poolId>` and its JWKS sits under it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  AuthFlowType,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CognitoAgentPool, cognitoClient } from '#adapters/cognito-agent-pool.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { systemClock } from '#adapters/system.ts';
import { provisionAgent } from '#api/use-cases/agents.ts';
import type { AgentProfile } from '#core/agents.ts';
import { freePort, waitFor } from './net.ts';

export interface CognitoLocal {
  endpoint: string;
  userPoolId: string;
  clientId: string;
  issuer: string;
  client: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/**
 * Runs cognito-local, and ends it when the Node process that started it is gone: a test worker can be
 * killed without running its exit handlers, and must not leave a server behind.
 */
const WATCHDOG = `
const parent = Number(process.env.GOCHAT_PARENT_PID);
setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 1000).unref();
require(process.env.GOCHAT_COGNITO_SCRIPT);
`;

const POOL_NAME = 'gochat-local-agents';
const CLIENT_NAME = 'gochat-local-inbox';

export async function startCognitoLocal(opts: { dir: string; port?: number; region: string }): Promise<CognitoLocal> {
  mkdirSync(opts.dir, { recursive: true });
  const port = opts.port || (await freePort());
  const script = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  const child: ChildProcess = spawn(process.execPath, ['-e', WATCHDOG], {
    cwd: opts.dir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_OPTIONS: '',
      GOCHAT_PARENT_PID: String(process.pid),
      GOCHAT_COGNITO_SCRIPT: script,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-2000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // The child dies with us even on a hard exit.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = cognitoClient({ region: opts.region, endpoint });
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`cognito-local exited: ${stderr}`);
      const res = await fetch(`${endpoint}/health`);
      if (!res.ok) throw new Error(`health ${res.status}`);
    }, 30_000);
    const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let userPoolId = pools.UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
    if (!userPoolId) {
      const created = await client.send(
        new CreateUserPoolCommand({
          PoolName: POOL_NAME,
          UsernameAttributes: ['email'],
          AutoVerifiedAttributes: ['email'],
        }),
      );
      userPoolId = created.UserPool?.Id;
    }
    if (!userPoolId) throw new Error('cognito-local created no user pool');
    const clients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
    let clientId = clients.UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
    if (!clientId) {
      const created = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId: userPoolId,
          ClientName: CLIENT_NAME,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      clientId = created.UserPoolClient?.ClientId;
    }
    if (!clientId) throw new Error('cognito-local created no app client');
    return {
      endpoint,
      userPoolId,
      clientId,
      issuer: `${endpoint}/${userPoolId}`,
      client,
      stop: async () => {
        client.destroy();
        await stop();
      },
    };
  } catch (e) {
    client.destroy();
    await stop();
    throw e;
  }
}

/** Signs an agent in with email and password (USER_PASSWORD_AUTH): the tokens an Inbox would hold. */
export async function signInAgent(
  client: CognitoIdentityProviderClient,
  clientId: string,
  email: string,
  password: string,
): Promise<{ idToken: string; accessToken: string; refreshToken?: string }> {
  const out = await client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const r = out.AuthenticationResult;
  if (!r?.IdToken || !r.AccessToken)
    throw new Error(`sign-in of ${email} returned no tokens (${out.ChallengeName ?? 'no challenge'})`);
  return {
    idToken: r.IdToken,
    accessToken: r.AccessToken,
    ...(r.RefreshToken ? { refreshToken: r.RefreshToken } : {}),
  };
}

/** The development agent of `npm start`: an admin of the default workspace. Local only. */
export const DEV_AGENT = {
  email: 'agent@gochat.localhost',
  name: 'Dev Agent',
  password: 'GoChat-local-agent-1',
  role: 'admin',
} as const;

/** Creates (or finds) the development agent: a user with a known password, admin of `workspaceId`. */
export async function ensureDevAgent(
  cognito: CognitoLocal,
  db: DynamoDBDocumentClient,
  tableName: string,
  workspaceId: string,
): Promise<AgentProfile> {
  const out = await provisionAgent(
    {
      pool: new CognitoAgentPool(cognito.client, cognito.userPoolId),
      agents: new DynamoAgentStore(db, tableName),
      clock: systemClock,
    },
    { workspaceId, ...DEV_AGENT },
  );
  return out.profile;
}
