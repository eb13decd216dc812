import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect } from 'vitest';
import { DynamoAdminStore } from '#adapters/dynamo/admin-store.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { DynamoCommentStore } from '#adapters/dynamo/comment-store.ts';
import { DynamoMailboxStore } from '#adapters/dynamo/mailbox-store.ts';
import { DynamoMetricsStore } from '#adapters/dynamo/metrics-store.ts';
import { DynamoNotificationStore } from '#adapters/dynamo/notification-store.ts';
import { DynamoSavedViewStore } from '#adapters/dynamo/saved-view-store.ts';
import { DynamoSendStore } from '#adapters/dynamo/send-store.ts';
import { DEFAULT_BUDGET, DynamoThreadQueries, type QueryBudget } from '#adapters/dynamo/thread-queries.ts';
import { DynamoThreadStore } from '#adapters/dynamo/thread-store.ts';
import { DynamoViewCounts } from '#adapters/dynamo/view-counts.ts';
import { MemoryPublisher } from '#adapters/event-publisher.ts';
import { ulidGenerator } from '#adapters/system.ts';
import type { ApiDeps } from '#api/deps.ts';
import { createApiHandler, matchRoute } from '#api/router.ts';
import type { AgentTokenVerifier } from '#auth/agent-token.ts';
import { type OutboundDeps, sendMessage } from '#core/outbound.ts';
import type { Clock, MailSender, MailStore } from '#core/ports.ts';
import { ReplyTokens } from '#core/reply-token.ts';
import { main } from '../../bin/gochat.ts';
import { freshTable } from './ddb.ts';
import { checkResponse } from './openapi.ts';

/** An API Gateway REST proxy event, as API Gateway hands it to the Lambda. */
export function apiEvent(input: {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}): APIGatewayProxyEvent {
  const body = input.rawBody ?? (input.body === undefined ? null : JSON.stringify(input.body));
  return {
    httpMethod: input.method,
    path: input.path,
    resource: '/v1/{proxy+}',
    pathParameters: { proxy: input.path.replace(/^\/v1\//, '') },
    queryStringParameters: input.query && Object.keys(input.query).length ? input.query : null,
    multiValueQueryStringParameters: null,
    headers: { 'Content-Type': 'application/json', ...input.headers },
    multiValueHeaders: {},
    body,
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

export class MemoryMailStore implements MailStore {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  async getRaw(key: string) {
    const o = this.objects.get(key);
    if (!o) throw new Error(`no object ${key}`);
    return o.body;
  }
  async putObject(key: string, body: Buffer, contentType: string) {
    this.objects.set(key, { body, contentType });
  }
  async presignDownload(key: string, filename: string, expiresSeconds: number) {
    return `https://mail.example.test/${key}?filename=${encodeURIComponent(filename)}&expires=${expiresSeconds}`;
  }
  async presignUpload(key: string, opts: { contentType: string; maxBytes: number; expiresSeconds: number }) {
    return { url: 'https://mail.example.test/', fields: { key, 'Content-Type': opts.contentType } };
  }
  async uploadOrigin() {
    return 'https://mail.example.test';
  }
  async headObject(key: string) {
    const o = this.objects.get(key);
    return o ? { size: o.body.length, contentType: o.contentType } : null;
  }
  async copyObject(from: string, to: string) {
    const o = this.objects.get(from);
    if (!o) throw new Error(`no object ${from}`);
    this.objects.set(to, o);
  }
}

export class CapturingSender implements MailSender {
  readonly sent: Array<{ raw: Buffer; from: string; destinations: string[] }> = [];
  async sendRaw(input: { raw: Buffer; from: string; destinations: string[] }) {
    this.sent.push(input);
    return { providerMessageId: `ses-${this.sent.length}-${ulidGenerator.newId().toLowerCase()}` };
  }
  wireMessageId(id: string) {
    return `<${id}@eu-west-1.amazonses.com>`;
  }
}

/** A clock that moves one second per reading, so every write has its own time. */
export function tickingClock(start = Date.parse('2026-11-23T10:00:00.000Z')): Clock & { at: number } {
  const clock = {
    at: start,
    now: () => {
      clock.at += 1000;
      return new Date(clock.at);
    },
  };
  return clock;
}

export interface ApiResult {
  status: number;
  body: any;
  headers: Record<string, string | number | boolean>;
}

/**
 * The API against a fresh DynamoDB Local table, with the real stores and outbound mail (SES captured).
 * `call` sends an API Gateway event through the handler and checks every response against the
 * OpenAPI document (status listed for the operation, body valid for its schema).
 */
export async function createTestApi(
  opts: { budget?: Partial<QueryBudget>; verifyAgentToken?: AgentTokenVerifier; mail?: MailStore } = {},
) {
  const table = await freshTable();
  const { db, tableName } = table;
  const threads = new DynamoThreadStore(db, tableName);
  const admin = new DynamoAdminStore(db, tableName);
  const agents = new DynamoAgentStore(db, tableName);
  const queries = new DynamoThreadQueries(db, tableName, { ...DEFAULT_BUDGET, ...opts.budget });
  // `opts.mail` (an S3 store on s3rver) is for the tests that need real uploads; `api.mail` is then that store.
  const mail = (opts.mail ?? new MemoryMailStore()) as MemoryMailStore;
  const events = new MemoryPublisher();
  const sender = new CapturingSender();
  const clock = tickingClock();
  const outbound: OutboundDeps = {
    threads,
    directory: admin,
    mail,
    sender,
    sends: new DynamoSendStore(db, tableName),
    events,
    replyTokens: new ReplyTokens('test-reply-token-secret-0123456789'),
    clock,
    ids: ulidGenerator,
  };
  const deps: ApiDeps = {
    threads,
    queries,
    admin,
    agents,
    ...(opts.verifyAgentToken ? { verifyAgentToken: opts.verifyAgentToken } : {}),
    mail,
    events,
    clock,
    ids: ulidGenerator,
    sendMessage: (input) => sendMessage(outbound, input),
    metrics: new DynamoMetricsStore(db, tableName),
    notifications: new DynamoNotificationStore(db, tableName),
    viewCounts: new DynamoViewCounts(db, tableName),
    savedViews: new DynamoSavedViewStore(db, tableName),
    mailboxes: new DynamoMailboxStore(db, tableName),
    comments: new DynamoCommentStore(db, tableName),
  };
  const errors: unknown[] = [];
  const handler = createApiHandler(deps, { error: (_m, e) => errors.push(e) });
  const env = { TABLE_NAME: tableName, AWS_ENDPOINT_URL_DYNAMODB: table.endpoint, AWS_REGION: 'local' };

  async function call(
    key: string | undefined,
    method: string,
    path: string,
    opts: { body?: unknown; rawBody?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<ApiResult> {
    const headers = { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...opts.headers };
    const res = await handler(apiEvent({ method, path, ...opts, headers }));
    const body = res.body ? JSON.parse(res.body) : undefined;
    const match = matchRoute(method, path.split('?')[0]);
    if (match && match !== 'method') {
      const problems = checkResponse(method, match.route.path, res.statusCode, body);
      expect(problems, `${method} ${path} → ${res.statusCode} ${res.body}`).toEqual([]);
    }
    if (res.statusCode >= 400) expect(Object.keys(body)).toEqual(['error']);
    return { status: res.statusCode, body, headers: res.headers ?? {} };
  }

  /** A workspace made by the ops CLI (`gochat workspace create`), and its API key. */
  async function cliWorkspace(name: string, inbound: string) {
    const lines: string[] = [];
    const code = await main(['workspace', 'create', '--name', name, '--inbound', inbound], env, {
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    });
    expect(code, lines.join('\n')).toBe(0);
    return JSON.parse(lines[0]) as { workspaceId: string; apiKey: string; keyId: string };
  }

  return {
    ...table,
    env,
    deps,
    handler,
    threads,
    admin,
    agents,
    queries,
    mail,
    events,
    sender,
    clock,
    errors,
    call,
    cliWorkspace,
  };
}

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;

/** `api.call` with the workspace's key, as the agent `agent` (X-Agent-Id) or, when undefined, as the key alone. */
export function callAs(
  api: TestApi,
  apiKey: string,
  agent: string | undefined,
  method: string,
  path: string,
  opts: Parameters<TestApi['call']>[3] = {},
) {
  return api.call(apiKey, method, path, {
    ...opts,
    headers: { ...(agent ? { 'X-Agent-Id': agent } : {}), ...opts.headers },
  });
}
