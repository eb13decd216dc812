import { describe, expect, it } from 'vitest';
import { baseAddress, ReplyTokens } from '#core/reply-token.ts';

const tokens = new ReplyTokens('a-test-secret-of-enough-length');
const THREAD = '01JDXKZ3M4N5P6Q7R8S9T0VWXY';

describe('reply tokens', () => {
  it('round-trips through a reply address, whatever the case of the local part', () => {
    const address = tokens.replyAddress('support@acme.test', 'ws1', THREAD);
    expect(address).toMatch(/^support\+[0-9a-z]+\.[a-z2-7]{16}@acme\.test$/);
    expect(tokens.verify(address, 'ws1')).toBe(THREAD);
    expect(tokens.verify(address.toUpperCase(), 'ws1')).toBe(THREAD);
    expect(baseAddress(address)).toBe('support@acme.test');
  });

  it('refuses a token of another workspace, an altered thread id or signature, and plain addresses', () => {
    const address = tokens.replyAddress('support@acme.test', 'ws1', THREAD);
    expect(tokens.verify(address, 'ws2')).toBeNull();
    expect(
      tokens.verify(address.replace(THREAD.toLowerCase(), `${THREAD.slice(0, -1).toLowerCase()}z`), 'ws1'),
    ).toBeNull();
    expect(tokens.verify(address.replace(/\.[a-z2-7]/, '.a'), 'ws1')).toBeNull();
    expect(tokens.verify('support@acme.test', 'ws1')).toBeNull();
    expect(new ReplyTokens('another-secret-of-enough-length').verify(address, 'ws1')).toBeNull();
  });
});
