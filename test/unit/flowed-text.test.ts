import { describe, expect, it } from 'vitest';
import { decodeFlowed } from '#core/flowed-text.ts';
import { parseMail } from '#core/mime.ts';

describe('decodeFlowed (RFC 3676)', () => {
  it('joins soft-broken lines of one paragraph', () => {
    expect(decodeFlowed('Hello \nworld\nnext', false)).toBe('Hello world\nnext');
  });

  it('never joins lines of different quote depth (section 4.5)', () => {
    expect(decodeFlowed('On Monday, Ann wrote:\n> Hi \nHello', false)).toBe('On Monday, Ann wrote:\n> Hi \nHello');
    expect(decodeFlowed('> a \n>> b', false)).toBe('> a \n>> b');
  });

  it('joins quoted lines of the same depth without repeating the quote marks', () => {
    expect(decodeFlowed('> one \n> two\n> three', false)).toBe('> one two\n> three');
  });

  it('removes space-stuffing, drops the soft-break space with delsp=yes, keeps the signature separator', () => {
    expect(decodeFlowed(' From here\n', false)).toBe('From here\n');
    expect(decodeFlowed('abc \ndef', true)).toBe('abcdef');
    expect(decodeFlowed('text\n-- \nAnn', false)).toBe('text\n-- \nAnn');
  });
});

describe('parseMail with format=flowed', () => {
  it('keeps the reply apart from the soft-broken quote above it', async () => {
    const mail = await parseMail(
      Buffer.from(
        'From: a@example.com\r\nSubject: Re: x\r\nContent-Type: text/plain; charset=us-ascii; format=flowed\r\n\r\n' +
          'On Monday, Ann wrote:\r\n> Hi \r\nHello\r\n',
      ),
    );
    expect(mail.text.split('\n')).toEqual(['On Monday, Ann wrote:', '> Hi ', 'Hello', '']);
  });
});
