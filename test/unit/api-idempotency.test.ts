import { describe, expect, it } from 'vitest';
import { keys } from '#adapters/dynamo/keys.ts';
import { fingerprintOf } from '#api/use-cases/idempotency.ts';

describe('idempotency keys', () => {
  it('live in the workspace key space', () => {
    expect(keys.idempotency('01WS', 'key-1')).toEqual({ PK: 'WS#01WS#IDEM#key-1', SK: 'META' });
  });

  it('fingerprint a request independently of field order, and tell different requests apart', () => {
    const a = { operation: 'sendMessage', params: { threadId: 't1' }, body: { text: 'x', to: ['a@b.c'] } };
    const reordered = { body: { to: ['a@b.c'], text: 'x' }, params: { threadId: 't1' }, operation: 'sendMessage' };
    expect(fingerprintOf(a)).toBe(fingerprintOf(reordered));
    expect(fingerprintOf(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(a)).not.toBe(fingerprintOf({ ...a, body: { ...a.body, text: 'y' } }));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf({ ...a, params: { threadId: 't2' } }));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf({ ...a, body: { ...a.body, to: ['a@b.c', 'd@e.f'] } }));
    expect(fingerprintOf({ body: { x: undefined } })).toBe(fingerprintOf({ body: {} }));
  });
});
