/**
 * Fault injection on a local endpoint: an HTTP proxy on loopback that refuses a share of the requests
 * it is asked to with the service's own throttle error, in the service's own protocol, and forwards
 * the rest untouched. A refused request never reaches the endpoint (as a throttled call never reaches
 * the table, the state machine or SES), so a retry of it is safe; what it proves is that the callers
 * retry, back off, and lose or duplicate nothing.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, readBody } from './net.ts';

/** What a request is, as the proxy sees it: the operation named by its protocol. */
export interface ProxiedRequest {
  /** `X-Amz-Target` operation (JSON protocols, e.g. `DynamoDB_20120810.PutItem` → `PutItem`), or the query `Action`. */
  operation: string;
}

export interface ThrottleError {
  status: number;
  contentType: string;
  body: string;
}

/** The throttle errors of the services Go!Chat calls, as each service sends them. */
export const THROTTLES = {
  dynamodb: {
    status: 400,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify({
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'The level of configured provisioned throughput for the table was exceeded.',
    }),
  },
  sfn: {
    status: 400,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
  },
  ses: {
    status: 400,
    contentType: 'text/xml',
    body:
      '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>' +
      '<Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error>' +
      '<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
  },
} satisfies Record<string, ThrottleError>;

export interface FaultRule {
  error: ThrottleError;
  /** Decides, per request, whether it is refused. */
  refuse(req: ProxiedRequest): boolean;
}

export interface FaultProxy {
  endpoint: string;
  /** Requests refused and forwarded, by operation. */
  stats: { refused: Map<string, number>; forwarded: Map<string, number> };
  stop(): Promise<void>;
}

/**
 * A deterministic share: a seeded generator (mulberry32) refuses about `share` of the requests whose
 * operation `operations` names (all when absent), so a run is repeatable in its draws.
 */
export function refuseShare(share: number, opts: { operations?: string[]; seed?: number } = {}) {
  let state = opts.seed ?? 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (req: ProxiedRequest) => (!opts.operations || opts.operations.includes(req.operation)) && next() < share;
}

/** Refuses the first `count` requests of the named operations (a burst), then none. */
export function refuseFirst(count: number, operations: string[]) {
  let left = count;
  return (req: ProxiedRequest) => operations.includes(req.operation) && left-- > 0;
}

function operationOf(target: string | undefined, url: string, body: Buffer): string {
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const form = new URLSearchParams(query || body.toString('utf8'));
  return form.get('Action') ?? '';
}

export async function startFaultProxy(target: string, rule: FaultRule): Promise<FaultProxy> {
  const to = new URL(target);
  const stats = { refused: new Map<string, number>(), forwarded: new Map<string, number>() };
  const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation = operationOf(req.headers['x-amz-target'] as string | undefined, req.url ?? '', body);
    if (rule.refuse({ operation })) {
      count(stats.refused, operation);
      res.writeHead(rule.error.status, {
        'content-type': rule.error.contentType,
        'x-amzn-requestid': 'fault-proxy',
        ...(rule.error.contentType.includes('json') ? { 'x-amzn-errortype': JSON.parse(rule.error.body).__type } : {}),
      });
      res.end(rule.error.body);
      return;
    }
    count(stats.forwarded, operation);
    const out = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    out.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    out.end(body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    stop: () => closeServer(server),
  };
}
