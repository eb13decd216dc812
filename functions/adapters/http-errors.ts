/**
 * The one mapper from the named errors of `functions/core/errors.ts` to HTTP. Every error response has
 * the same shape: `{ "error": { "code", "message", "details" } }`. Anything unnamed is a 500 that logs
 * the full error and tells the caller nothing about it.
 */
import {
  AlreadyExistsError,
  ConcurrentUpdateError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  RecipientNotAllowedError,
  SendCapExceededError,
  ThreadClosedError,
  ThreadMergedError,
  UnauthorizedError,
  ValidationError,
  VersionConflictError,
} from '#core/errors.ts';

/** The route exists, but not with this method: 405. */
export class MethodNotAllowedError extends DomainError {}
/** An `Idempotency-Key` sent again with a different request (another body, path or actor): 422. */
export class IdempotencyKeyReusedError extends DomainError {}
/** The first request with this `Idempotency-Key` is still running: 409, the caller retries later. */
export class IdempotencyInProgressError extends DomainError {}

export interface HttpErrorBody {
  error: { code: string; message: string; details: unknown };
}

export interface HttpErrorResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: HttpErrorBody;
}

/** Ordered: subclasses before their parents. */
const MAPPING: Array<[new (...args: never[]) => Error, number, string]> = [
  [ValidationError, 400, 'validation_failed'],
  [UnauthorizedError, 401, 'unauthorized'],
  [ForbiddenError, 403, 'forbidden'],
  [NotFoundError, 404, 'not_found'],
  [MethodNotAllowedError, 405, 'method_not_allowed'],
  [ThreadClosedError, 409, 'thread_closed'],
  [ThreadMergedError, 409, 'thread_merged'],
  [VersionConflictError, 409, 'version_conflict'],
  [AlreadyExistsError, 409, 'already_exists'],
  [ConflictError, 409, 'conflict'],
  [IdempotencyInProgressError, 409, 'idempotency_in_progress'],
  [RecipientNotAllowedError, 422, 'recipient_not_allowed'],
  [IdempotencyKeyReusedError, 422, 'idempotency_key_reused'],
  [SendCapExceededError, 429, 'send_cap_exceeded'],
  [RateLimitedError, 429, 'rate_limited'],
];

/**
 * The service's own transient failures, after the SDK's retries (MAX_ATTEMPTS in aws-clients.ts): throttling,
 * a 5xx of the service (DynamoDB's `InternalServerError`; DynamoDB Local's lock timeout is one), a timeout,
 * or a transaction cancelled by a conflict or throttling only. None is the caller's fault and none applied a
 * write: 503 with Retry-After, so the client retries (with its Idempotency-Key), never a 500 or a 502.
 */
const TRANSIENT_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const TRANSIENT_CANCELLATIONS = new Set([
  'None',
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

export function isTransientServiceError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    $fault?: string;
    $retryable?: unknown;
    CancellationReasons?: Array<{ Code?: string }>;
  };
  if (e.name === 'TransactionCanceledException')
    return (
      (e.CancellationReasons ?? []).some((r) => r.Code && r.Code !== 'None') &&
      (e.CancellationReasons ?? []).every((r) => TRANSIENT_CANCELLATIONS.has(r.Code ?? 'None'))
    );
  return TRANSIENT_NAMES.has(e.name) || e.$retryable !== undefined || e.$fault === 'server';
}

/** Seconds a client waits before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** The answer to a transient failure (and to a request about to outlive its function's timeout). */
export function serviceUnavailable(): HttpErrorResponse {
  return {
    statusCode: 503,
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    body: {
      error: {
        code: 'service_unavailable',
        message: `the service is busy; nothing was changed by this request, retry it in ${RETRY_AFTER_SECONDS} s`,
        details: null,
      },
    },
  };
}

export interface ErrorLogger {
  error(message: string, ...extra: unknown[]): void;
}

export function toHttpError(error: unknown, logger?: ErrorLogger): HttpErrorResponse {
  for (const [type, statusCode, code] of MAPPING) {
    if (error instanceof type) {
      const e = error as DomainError;
      return {
        statusCode,
        ...(statusCode === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}),
        body: { error: { code, message: e.message, details: e.details ?? null } },
      };
    }
  }
  // A lost optimistic race that a use case did not retry: the caller may retry with a fresh version.
  if (error instanceof ConcurrentUpdateError) {
    return {
      statusCode: 409,
      body: { error: { code: 'version_conflict', message: 'the resource changed concurrently', details: null } },
    };
  }
  if (error instanceof DomainError) {
    // A named error without an HTTP meaning of its own is still the caller's: 400 with its message.
    return {
      statusCode: 400,
      body: { error: { code: 'bad_request', message: error.message, details: error.details ?? null } },
    };
  }
  if (isTransientServiceError(error)) {
    logger?.error('transient service error after retries', error as Error);
    return serviceUnavailable();
  }
  logger?.error('unhandled error', error as Error);
  return {
    statusCode: 500,
    body: { error: { code: 'internal', message: 'internal error', details: null } },
  };
}
