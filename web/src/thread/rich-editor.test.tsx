/**
 * The rich editor's canned responses: when `/` opens the list. (Typing into ProseMirror is not reproduced by
 * happy-dom, which reports its selection moves as not implemented; the editor's typing wants Chromium.)
 */
import { describe, expect, it } from 'vitest';
import { slashQuery } from './rich-editor.tsx';

describe('RichEditor', () => {
  it('finds the search after a slash typed at a word start only', () => {
    expect(slashQuery('Hi /ref')).toBe('ref');
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('and/or')).toBeNull();
    expect(slashQuery('Hi /ref ')).toBeNull();
  });
});
