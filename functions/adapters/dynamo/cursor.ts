/**
 * Opaque pagination cursors. A cursor carries only the sort-key part of the last item read; the
 * partition is always rebuilt from the caller's own workspace, so a cursor can never lead into
 * another workspace's data. Tampered cursors are a ValidationError (400), never a 500: the shape, the
 * size (DynamoDB refuses a sort key over 1024 bytes) and, through `valid`, the key prefix are checked
 * before the cursor reaches a Query.
 */
import { ValidationError } from '#core/errors.ts';

/** DynamoDB's limit on a sort key value: a longer one in ExclusiveStartKey is a ValidationException. */
const MAX_FIELD_BYTES = 1024;

export function encodeCursor(value: Record<string, string>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(
  cursor: string | undefined,
  fields: string[],
  valid: (value: Record<string, string>) => boolean = () => true,
): Record<string, string> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      value &&
      typeof value === 'object' &&
      fields.every(
        (f) => typeof value[f] === 'string' && value[f] !== '' && Buffer.byteLength(value[f]) <= MAX_FIELD_BYTES,
      ) &&
      valid(value)
    )
      return value;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('invalid cursor');
}
