/**
 * Idempotent API writes (`Idempotency-Key`). Clients retry, and a retry must not create a second
 * thread, message or comment, even while the first request is still running. One item per (workspace,
 * key) serialises them: the first request claims it with a conditional put and runs; a retry either
 * replays the recorded result, waits for the running one, or (after a crash) takes over with the ids
 * that the first attempt reserved, so the redo writes the very same items.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IdempotencyRecord } from '#adapters/dynamo/admin-store.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError } from '#adapters/http-errors.ts';
import { SEND_RECORD_RETENTION_SECONDS } from '#core/limits.ts';
import type { ApiDeps } from '../deps.ts';
import type { CallerContext } from '../http.ts';

/** How long a key is remembered: as long as the send records it guards (limits.ts). */
export const IDEMPOTENCY_TTL_SECONDS = SEND_RECORD_RETENTION_SECONDS;
/** Longer than the API Lambda's timeout (29 s): a live attempt never loses its lease. */
const LEASE_MS = 60_000;
/** How long a retry waits for the first request to finish before answering 409. */
const DEFAULT_WAIT_MS = 10_000;

export interface IdempotentOperation<T> {
  /** The key, or undefined: then the request simply runs. */
  key: string | undefined;
  /**
   * `internal`: a key that Go!Chat chose itself (a draft's send), kept apart from the callers' own
   * Idempotency-Keys, so no caller's key can ever take it first.
   */
  namespace?: 'caller' | 'internal';
  /** The request as the fingerprint sees it: operation id, path parameters and the parsed body. */
  request: { operation: string; params?: Record<string, string>; body: unknown };
  /** Chooses the ids the request will create (once per key, kept for a takeover). */
  reserve(): Record<string, string>;
  /** Runs the request with the reserved ids; returns its value and the ids that identify it. */
  run(reserved: Record<string, string>): Promise<{ value: T; result: Record<string, string> }>;
  /** Rebuilds the value from a recorded result. */
  replay(result: Record<string, string>): Promise<T>;
}

/** Runs `op` once per key; `replayed` says that the value comes from an earlier request. */
export async function idempotently<T>(
  deps: ApiDeps,
  ctx: CallerContext,
  op: IdempotentOperation<T>,
): Promise<{ value: T; replayed: boolean }> {
  if (op.key === undefined) return { value: (await op.run(op.reserve())).value, replayed: false };
  // Callers' keys are 1-64 of [A-Za-z0-9_-] (the routes check): a `#` can never be theirs.
  const key = op.namespace === 'internal' ? `internal#${op.key}` : op.key;
  const fingerprint = fingerprintOf({ ...op.request, actor: ctx.actor });
  const waitMs = deps.idempotencyWaitMs ?? DEFAULT_WAIT_MS;
  const started = Date.now();
  let reserved: Record<string, string> | undefined;
  for (let poll = 0; ; poll++) {
    // Wall-clock time, not deps.clock: leases and DynamoDB's TTL are about real time passing.
    const now = Date.now();
    reserved ??= op.reserve();
    const fresh: IdempotencyRecord = {
      key,
      fingerprint,
      state: 'pending',
      reserved,
      owner: randomUUID(),
      lockedUntil: now + LEASE_MS,
      createdAt: deps.clock.now().toISOString(),
      expiresAt: Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
    };
    const claim = await deps.admin.claimIdempotencyKey(ctx.workspaceId, fresh, now);
    switch (claim.kind) {
      case 'mismatch':
        throw new IdempotencyKeyReusedError(
          'this Idempotency-Key was already used for a different request; use a new key for a new request',
          { idempotencyKey: op.key },
        );
      case 'done':
        return { value: await op.replay(claim.record.result ?? {}), replayed: true };
      case 'busy':
        if (Date.now() - started >= waitMs)
          throw new IdempotencyInProgressError(
            'a request with this Idempotency-Key is still in progress; retry later',
            {
              idempotencyKey: op.key,
            },
          );
        await sleep(Math.min(50 * 2 ** poll, 500));
        continue;
      case 'claimed': {
        let out: { value: T; result: Record<string, string> };
        try {
          out = await op.run(claim.record.reserved);
        } catch (e) {
          // Nothing to replay: the next request with this key runs again (with the same reserved ids).
          await deps.admin
            .releaseIdempotencyKey(ctx.workspaceId, key, claim.record.owner)
            .catch((release) => deps.log?.warn('idempotency key release failed', { key, error: String(release) }));
          throw e;
        }
        await deps.admin.completeIdempotencyKey(ctx.workspaceId, key, out.result);
        return { value: out.value, replayed: false };
      }
    }
  }
}

/** SHA-256 of the request as canonical JSON (object keys sorted), so field order does not matter. */
export function fingerprintOf(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
