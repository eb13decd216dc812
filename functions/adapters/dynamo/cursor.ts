/**
 * Opaque pagination cursors. A cursor carries only the sort-key part of the last item read; the
 * partition is always rebuilt from the caller's own workspace, so a cursor can never lead into
 * another workspace's data. Tampered cursors are a ValidationError (400), never a 500.
 */
import { ValidationError } from '../../core/errors.ts';

export function encodeCursor(value: Record<string, string>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, fields: string[]): Record<string, string> | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && fields.every((f) => typeof value[f] === 'string')) return value;
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('invalid cursor');
}
