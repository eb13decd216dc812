/**
 * Bench: what agents cost the API, as ratios within one run (DynamoDB Local):
 * - authentication: an agent token (jose RS256 verification + the profile's GetItem) against an
 *   integration key (SHA-256 + the hash's GetItem);
 * - a thread-list page (25 cards) for an agent (its unread flags: one BatchGetItem more) against the same
 *   page for a key, and an `unread=true` page, with the DynamoDB requests each makes.
 *
 *   npx tsx bench/agents.ts [--threads 2000] [--runs 100]
 */
import { performance } from 'node:perf_hooks';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ulid } from 'ulid';
import { documentClient } from '#adapters/aws-clients.ts';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { batchWriteItems } from '#adapters/dynamo/items.ts';
import { keys } from '#adapters/dynamo/keys.ts';
import { DynamoThreadQueries } from '#adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { noopPublisher } from '#adapters/event-publisher.ts';
import { systemClock, ulidGenerator } from '#adapters/system.ts';
import { createApiHandler } from '#api/router.ts';
import { provisionWorkspace } from '#api/use-cases/admin.ts';
import { createAgentTokenVerifier } from '#auth/agent-token.ts';
import { authenticate } from '#auth/authenticate.ts';
import { createTableInput, startDynamoDbLocal } from '#lib/local/dynamodb-local.ts';
import { isEntryPoint } from '#lib/paths.ts';
import type { BenchRow } from './run.ts';

async function medians(runs: number, fns: Array<() => Promise<unknown>>): Promise<number[]> {
  for (let i = 0; i < 5; i++) for (const fn of fns) await fn();
  const times: number[][] = fns.map(() => []);
  for (let i = 0; i < runs; i++)
    for (const [j, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      times[j].push(performance.now() - t0);
    }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

export async function run(opts: { threads?: number; runs?: number } = {}): Promise<BenchRow[]> {
  const threads = opts.threads ?? 2000;
  const runs = opts.runs ?? 100;
  const local = await startDynamoDbLocal();
  try {
    const tableName = `gochat-bench-${ulid().toLowerCase()}`;
    const raw = new DynamoDBClient({
      endpoint: local.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { StreamSpecification: _s, ...input } = createTableInput(tableName);
    await raw.send(new CreateTableCommand(input));
    raw.destroy();
    const db = documentClient({ region: 'local', endpoints: { dynamodb: local.endpoint } });
    const requests = new Map<string, number>();
    db.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String(context.commandName).replace(/Command$/, '');
        requests.set(name, (requests.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const admin = new DynamoAdminStore(db, tableName);
    const agents = new DynamoAgentStore(db, tableName);
    const ws = await provisionWorkspace(
      { admin, clock: systemClock, ids: ulidGenerator },
      { name: 'Bench', inbound: [`bench-${ulid().toLowerCase()}@bench.example`] },
    );
    const workspaceId = ws.workspace.workspaceId;
    const agentId = 'bench-agent';
    await agents.putAgent({
      workspaceId,
      agentId,
      email: 'a@bench.example',
      name: 'Bench Agent',
      role: 'agent',
      createdAt: new Date().toISOString(),
    });

    // Threads in the `all` list; the agent has read three in four of them.
    const start = Date.parse('2025-01-01T00:00:00.000Z');
    const items: Array<{ PutRequest: { Item: Record<string, unknown> } }> = [];
    for (let i = 0; i < threads; i++) {
      const threadId = ulid();
      const updatedAt = new Date(start + i * 60_000).toISOString();
      const card = {
        threadId,
        ref: String(i + 1),
        customerIds: ['C1'],
        updatedAt,
        status: 'open',
        subject: `Thread ${i}`,
        snippet: 'A snippet of the last message, about as long as a real one is on a card.',
        tags: [],
        hasAttachments: false,
        attachmentNames: [],
        messageCount: 2,
        itemCount: 3,
        lastMessageAt: updatedAt,
      };
      items.push({
        PutRequest: {
          Item: { ...keys.listEntry(workspaceId, threadId, 'all', updatedAt), entity: 'listEntry', ...card },
        },
      });
      if (i % 4 !== 0)
        items.push({
          PutRequest: {
            Item: {
              ...keys.readMarker(workspaceId, threadId, agentId),
              entity: 'readMarker',
              agentId,
              threadId,
              readAt: updatedAt,
            },
          },
        });
    }
    for (let i = 0; i < items.length; i += 25) await batchWriteItems(db, tableName, items.slice(i, i + 25));

    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256' };
    const issuer = 'http://127.0.0.1:1/local_bench';
    const verifyAgentToken = createAgentTokenVerifier(
      { issuer, clientIds: ['bench'] },
      createLocalJWKSet({ keys: [jwk] }),
    );
    const token = await new SignJWT({
      sub: agentId,
      token_use: 'id',
      aud: 'bench',
      'cognito:groups': [`ws_${workspaceId}`],
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
      .setIssuer(issuer)
      .setExpirationTime('2h')
      .sign(privateKey);

    const deps = { admin, agents, verifyAgentToken };
    const [keyAuth, tokenAuth] = await medians(runs, [
      () => authenticate(deps, { authorization: `Bearer ${ws.apiKey}` }),
      () => authenticate(deps, { authorization: `Bearer ${token}` }),
    ]);

    const handler = createApiHandler({
      threads: new DynamoThreadStore(db, tableName),
      queries: new DynamoThreadQueries(db, tableName),
      admin,
      agents,
      verifyAgentToken,
      mail: { getRaw: async () => Buffer.alloc(0), putObject: async () => {}, presignDownload: async () => '' },
      events: noopPublisher,
      clock: systemClock,
      ids: ulidGenerator,
      sendMessage: async () => {
        throw new Error('not in this bench');
      },
    });
    const page = (credential: string, query: Record<string, string> | null) => async () => {
      const res = await handler({
        httpMethod: 'GET',
        path: '/v1/threads',
        headers: { Authorization: `Bearer ${credential}` },
        queryStringParameters: query,
      } as never);
      if (res.statusCode !== 200) throw new Error(res.body);
      return JSON.parse(res.body) as { items: Array<{ unread?: boolean }> };
    };
    const counted = async (fn: () => Promise<{ items: Array<{ unread?: boolean }> }>) => {
      requests.clear();
      const body = await fn();
      return { body, requests: [...requests.entries()].map(([k, v]) => `${k} ${v}`).join(', ') };
    };
    const asKey = page(ws.apiKey, null);
    const asAgent = page(token, null);
    const unreadOnly = page(token, { unread: 'true' });
    const [keyPage, agentPage, unreadPage] = await medians(Math.ceil(runs / 2), [asKey, asAgent, unreadOnly]);
    const keyReq = await counted(asKey);
    const agentReq = await counted(asAgent);
    const unreadReq = await counted(unreadOnly);
    db.destroy();
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    return [
      { metric: 'authenticate: integration key', value: ms(keyAuth), note: 'SHA-256 + GetItem' },
      {
        metric: 'authenticate: agent token',
        value: `${ms(tokenAuth)} (×${(tokenAuth / keyAuth).toFixed(2)})`,
        note: 'RS256 verify (jose, cached JWKS) + profile GetItem',
      },
      { metric: 'list page (25), key', value: ms(keyPage), note: `requests: ${keyReq.requests}` },
      {
        metric: 'list page (25), agent with unread flags',
        value: `${ms(agentPage)} (×${(agentPage / keyPage).toFixed(2)})`,
        note: `requests: ${agentReq.requests}; ${agentReq.body.items.filter((c) => c.unread).length} of 25 unread`,
      },
      {
        metric: 'unread=true page (1 in 4 threads unread)',
        value: `${ms(unreadPage)} (×${(unreadPage / keyPage).toFixed(2)})`,
        note: `requests: ${unreadReq.requests}; ${unreadReq.body.items.length} cards`,
      },
    ];
  } finally {
    await local.stop();
  }
}

if (isEntryPoint(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const rows = await run({ threads: arg('threads'), runs: arg('runs') });
  const { printTable } = await import('./run.ts');
  printTable('agents', rows);
  process.exit(0);
}
