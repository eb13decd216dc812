/**
 * The keyword tokenizer of thread search. Ingest indexes the tokens of a message and the API
 * tokenizes a query with the very same function, so both sides always agree on what a word is.
 *
 * A word matches the way people type it (docs/performance.md, "Keyword search"):
 * - accents and case are ignored: every token is folded (`Identité` and `identite` are `identite`);
 * - a plural is its singular: a final `s` is dropped from words of 4 letters or more (not after `s`,
 *   `u` or `i`: `class`, `status`, `analysis`), and `ies` becomes `y`, on both sides, so `passwords`
 *   finds `password` and the other way round;
 * - a query word of {@link MIN_PREFIX} letters or more matches every token that starts with it
 *   (`renouvel` finds `renouveler`); a shorter one matches whole tokens only.
 */

/**
 * Tokens kept per text. The index holds one item per (token, thread), so the count is the write cost
 * of every message: 24 fit one BatchWriteItem (25 items). A thread accumulates its messages' tokens.
 */
export const MAX_TOKENS = 24;
/** Query words at least this long match as prefixes; the key layout (keys.ts `keyword`) depends on it. */
export const MIN_PREFIX = 3;
const MIN_LENGTH = 2;
/** Longer runs are base64, hashes or URLs rather than words someone searches for. */
const MAX_LENGTH = 40;

const STOP_WORDS = new Set(
  [
    // English
    'a an and are as at be but by can did do does for from had has have he her his how i if in into is it its',
    'me my no not of on or our she so than that the their them then there these they this to too was we were',
    'what when where which who why will with would you your yours re fw fwd aw wg sv vs',
    'hi hello dear thanks thank regards best sent wrote am pm com www http https mailto',
    // German, French, Spanish, Dutch: the most frequent function words
    'der die das und ist ich sie es ein eine nicht mit von zu den dem auf für',
    'le la les un une et est des du en pour pas que qui dans sur au',
    'el los las y es del por con para una lo se al',
    'het een van en ik je dat op te zijn',
  ]
    .join(' ')
    .split(' ')
    // Compared with folded words: `für` is stored as `fur`.
    .map((w) => w.normalize('NFKD').replace(/\p{M}+/gu, '')),
);

/** Letters that Unicode does not decompose into a base letter and a mark. */
const FOLD_EXTRA: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower case without accents: NFKD, marks removed, the few letters NFKD leaves whole mapped. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => FOLD_EXTRA[c] ?? c)
    .normalize('NFC');
}

/** Plural folding: the same light rule for what is indexed and what is searched. */
export function stem(token: string): string {
  if (!/^[a-z]+$/.test(token) || token.length < 4) return token;
  if (token.length >= 5 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.endsWith('s') && !/[siu]s$/.test(token)) return token.slice(0, -1);
  return token;
}

/**
 * Search tokens of a text: folded (no accents, lower case), plural-folded runs of Unicode letters and
 * digits, without stop words and very short or very long runs, unique, in order of first appearance,
 * capped at `max`.
 */
export function tokenize(text: string, max = MAX_TOKENS): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const match of foldText(text.normalize('NFKC')).matchAll(/[\p{L}\p{N}]+/gu)) {
    const word = match[0];
    const length = [...word].length;
    if (length < MIN_LENGTH || length > MAX_LENGTH || STOP_WORDS.has(word)) continue;
    const token = stem(word);
    if (seen.has(token)) continue;
    seen.add(token);
    out.push(token);
    if (out.length >= max) break;
  }
  return out;
}

/** Whether a query token matches by prefix (else it must equal a stored token). */
export const isPrefixToken = (token: string) => [...token].length >= MIN_PREFIX;
