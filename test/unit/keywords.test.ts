import { describe, expect, it } from 'vitest';
import { foldText, isPrefixToken, MAX_TOKENS, stem, tokenize } from '#core/keywords.ts';

describe('keyword tokens', () => {
  it('ignore accents and case', () => {
    expect(foldText('Identité RÉSILIATION Straße Æsir Łódź')).toBe('identite resiliation strasse aesir lodz');
    expect(tokenize('Mon identité')).toEqual(['mon', 'identite']);
    expect(tokenize('identite')).toEqual(tokenize('IDENTITÉ'));
  });

  it('fold plurals the same way on both sides', () => {
    expect(tokenize('passwords')).toEqual(['password']);
    expect(tokenize('password')).toEqual(['password']);
    expect(tokenize('replies')).toEqual(tokenize('reply'));
    expect(tokenize('identités')).toEqual(['identite']);
    // Not plurals: a double s, -us, -is, and short words stay whole.
    expect(['class', 'status', 'analysis', 'bus', 'gas'].map(stem)).toEqual([
      'class',
      'status',
      'analysis',
      'bus',
      'gas',
    ]);
  });

  it('drop stop words, folded too', () => {
    expect(tokenize('für the Kunden')).toEqual(['kunden']);
  });

  it('keep names and addresses searchable', () => {
    expect(tokenize('Zoë Ångström zoe.angstrom@client.example')).toEqual(['zoe', 'angstrom', 'client', 'example']);
  });

  it('are at most MAX_TOKENS per text, unique', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    expect(tokenize(`${words} ${words}`)).toHaveLength(MAX_TOKENS);
    expect(tokenize('invoice invoices Invoice')).toEqual(['invoice']);
  });

  it('match as prefixes from 3 letters', () => {
    expect(isPrefixToken('ren')).toBe(true);
    expect(isPrefixToken('re')).toBe(false);
  });
});
