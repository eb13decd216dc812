import { describe, expect, it, vi } from 'vitest';
import { MethodNotAllowedError, toHttpError } from '#adapters/http-errors.ts';
import {
  AlreadyExistsError,
  ConcurrentUpdateError,
  ConflictError,
  NotFoundError,
  RecipientNotAllowedError,
  SendCapExceededError,
  ThreadClosedError,
  ThreadNotFoundError,
  UnauthorizedError,
  ValidationError,
  VersionConflictError,
} from '#core/errors.ts';

describe('the one error mapper', () => {
  it.each([
    [new ValidationError('bad', [{ path: 'body.x' }]), 400, 'validation_failed'],
    [new UnauthorizedError('who'), 401, 'unauthorized'],
    [new NotFoundError('nope'), 404, 'not_found'],
    [new ThreadNotFoundError('nope'), 404, 'not_found'],
    [new MethodNotAllowedError('no'), 405, 'method_not_allowed'],
    [new ThreadClosedError('closed'), 409, 'thread_closed'],
    [new VersionConflictError('stale', { currentVersion: 3 }), 409, 'version_conflict'],
    [new AlreadyExistsError('dup'), 409, 'already_exists'],
    [new ConflictError('busy'), 409, 'conflict'],
    [new ConcurrentUpdateError('race'), 409, 'version_conflict'],
    [new RecipientNotAllowedError('who'), 422, 'recipient_not_allowed'],
    [new SendCapExceededError('slow down'), 429, 'send_cap_exceeded'],
  ])('%s → %i %s', (error, status, code) => {
    const out = toHttpError(error);
    expect(out.statusCode).toBe(status);
    expect(out.body.error.code).toBe(code);
    expect(Object.keys(out.body.error).sort()).toEqual(['code', 'details', 'message']);
  });

  it('keeps details, and null when there are none', () => {
    expect(toHttpError(new VersionConflictError('stale', { currentVersion: 3 })).body.error.details).toEqual({
      currentVersion: 3,
    });
    expect(toHttpError(new NotFoundError('x')).body.error.details).toBeNull();
  });

  it('logs anything else in full and answers a generic 500', () => {
    const logger = { error: vi.fn() };
    const secret = new Error('connect ECONNREFUSED 10.0.0.1: table gochat-prod');
    const out = toHttpError(secret, logger);
    expect(out).toEqual({
      statusCode: 500,
      body: { error: { code: 'internal', message: 'internal error', details: null } },
    });
    expect(logger.error).toHaveBeenCalledWith('unhandled error', secret);
  });
});
