/** The one error model. `functions/adapters/http-errors.ts` maps these to HTTP; nothing else does. */

export class DomainError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that breaks a rule of the product: 400. */
export class ValidationError extends DomainError {}
/** 400 too: a body, subject or rendered template over its size budget (limits.ts). */
export class ContentTooLargeError extends ValidationError {}
/** 401. */
export class UnauthorizedError extends DomainError {}
/** 403: the caller is known, but its role or its key's scopes do not allow this. */
export class ForbiddenError extends DomainError {}
/** 404: also what a caller gets for another workspace's id, so ids cannot be probed. */
export class NotFoundError extends DomainError {}
export class ThreadNotFoundError extends NotFoundError {}
/** 409: agents cannot send on a closed thread until it is reopened. */
export class ThreadClosedError extends DomainError {}
/** 409: the thread was merged into another one (`details.mergedInto`); write to the survivor instead. */
export class ThreadMergedError extends DomainError {}
/** 409: the version given with an update is stale. */
export class VersionConflictError extends DomainError {}
/** 409: a uniqueness rule (one contact per address, one workspace per inbound address). */
export class AlreadyExistsError extends DomainError {}
/** 409: the resource's current state forbids the change (a customer that threads still name). */
export class ConflictError extends DomainError {}
/** 422: a recipient is not a contact of the thread's customers. */
export class RecipientNotAllowedError extends DomainError {}
/** 429: the cap on mail to one address in a time window. */
export class SendCapExceededError extends DomainError {}
/** 429: too many widget requests from one end user or one workspace in the current minute. */
export class RateLimitedError extends DomainError {}

/**
 * Thrown by a store when an optimistic write lost a race (the thread's `rev` moved). The use case
 * re-reads and retries; it never reaches a caller.
 */
export class ConcurrentUpdateError extends Error {
  override name = 'ConcurrentUpdateError';
}

/** Thrown by a store when the Message-ID (the de-duplication key) is already recorded. */
export class DuplicateMessageError extends Error {
  override name = 'DuplicateMessageError';
  constructor(
    readonly existing: {
      threadId: string;
      itemId: string;
      /** What the index entry says of the stored mail, to tell a repeat delivery from a reused Message-ID. */
      direction?: 'inbound' | 'outbound';
      contentHash?: string;
      inert?: boolean;
    },
  ) {
    super('message already recorded');
  }
}
