/**
 * `gochat agent create` against DynamoDB Local and cognito-local (the same code path as against AWS, only
 * the endpoints differ), and how every `gochat` command finds the stack that `npm start` runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgent } from '#lib/local/cognito-local.ts';
import { type Discovery, discoveryFile } from '#lib/local/discovery.ts';
import { main } from '../../bin/gochat.ts';
import { agentVerifier, cognitoLocal } from '../support/agents.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let env: Record<string, string>;
let workspaceId: string;
const dataDir = mkdtempSync(join(tmpdir(), 'gochat-discovery-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(args: string[], withEnv: Record<string, string | undefined>) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await main(args, withEnv, { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  return { code, out: lines.join('\n'), err: errors.join('\n') };
}

beforeAll(async () => {
  api = await createTestApi({ verifyAgentToken: await agentVerifier() });
  const c = await cognitoLocal();
  env = {
    ...api.env,
    AGENT_POOL_ID: c.userPoolId,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: c.endpoint,
  };
  workspaceId = (await api.cliWorkspace('Agents CLI', `cli-${ulid().toLowerCase()}@cli.example`)).workspaceId;
}, 180_000);

describe('gochat agent create', () => {
  it('creates a user, its membership and its profile: the agent signs in and calls the API with its role', async () => {
    const email = `ana-${ulid().toLowerCase()}@acme.example`;
    const args = ['agent', 'create', '--workspace', workspaceId, '--email', email, '--name', 'Ana Silva'];
    const created = await run([...args, '--role', 'readonly', '--password', 'Ana-secret-123'], env);
    expect(created.code, created.err).toBe(0);
    const agent = JSON.parse(created.out);
    expect(agent).toMatchObject({ workspaceId, email, name: 'Ana Silva', role: 'readonly', created: true });

    const c = await cognitoLocal();
    const tokens = await signInAgent(c.client, c.clientId, email, 'Ana-secret-123');
    const me = await api.call(tokens.idToken, 'GET', '/v1/me');
    expect(me.body).toMatchObject({ kind: 'agent', role: 'readonly', agent: { agentId: agent.agentId } });
    expect((await api.call(tokens.idToken, 'POST', '/v1/customers', { body: { name: 'x' } })).status).toBe(403);

    // Again with another role: the same user, its role changed (idempotent provisioning).
    const again = await run([...args, '--role', 'agent'], env);
    expect(JSON.parse(again.out)).toMatchObject({ agentId: agent.agentId, role: 'agent', created: false });
    expect((await api.call(tokens.idToken, 'POST', '/v1/customers', { body: { name: 'x' } })).status).toBe(201);

    const list = await run(['agent', 'list', '--workspace', workspaceId], env);
    expect(JSON.parse(list.out)).toEqual([expect.objectContaining({ agentId: agent.agentId, email, role: 'agent' })]);
  });

  it('refuses a bad role, a bad address, an unknown workspace, and a missing pool id', async () => {
    const base = ['agent', 'create', '--workspace', workspaceId, '--name', 'X'];
    expect((await run([...base, '--email', 'x@acme.example', '--role', 'root'], env)).err).toMatch(/role must be/);
    expect((await run([...base, '--email', 'not-an-address'], env)).err).toMatch(/not an email address/);
    const unknown = await run(['agent', 'create', '--workspace', ulid(), '--email', 'x@a.example', '--name', 'X'], env);
    expect(unknown.code).toBe(2);
    const { AGENT_POOL_ID: _p, ...noPool } = env;
    expect((await run([...base, '--email', 'x@acme.example'], noPool)).err).toMatch(/AGENT_POOL_ID/);
  });
});

describe('finding the local stack', () => {
  it('reads the discovery file that npm start writes when TABLE_NAME is not set', async () => {
    const discovery: Partial<Discovery> = { pid: process.pid, env };
    writeFileSync(discoveryFile(dataDir), JSON.stringify(discovery));
    const found = await run(['agent', 'list', '--workspace', workspaceId], { GOCHAT_DATA_DIR: dataDir });
    expect(found.code, found.err).toBe(0);
    expect(JSON.parse(found.out).length).toBeGreaterThan(0);
  });

  it('ignores a file left by a stack that died, and says so with --local', async () => {
    // A pid that cannot be a live process.
    writeFileSync(discoveryFile(dataDir), JSON.stringify({ pid: 2 ** 22 + 1, env }));
    const none = await run(['agent', 'list', '--workspace', workspaceId], { GOCHAT_DATA_DIR: dataDir });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/TABLE_NAME is not set, and no local stack is running/);
    const local = await run(['--local', 'agent', 'list', '--workspace', workspaceId], { GOCHAT_DATA_DIR: dataDir });
    expect(local.err).toMatch(/no local stack is running/);
  });
});
