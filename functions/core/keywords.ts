/**
 * The keyword tokenizer of thread search. Ingest indexes the tokens of a message and the API
 * tokenizes a query with the very same function, so both sides always agree on what a word is.
 */

/**
 * Tokens kept per text. The index holds one item per (token, thread), so the count is the write cost
 * of every message: 24 fit one BatchWriteItem (25 items). A thread accumulates its messages' tokens.
 */
export const MAX_TOKENS = 24;
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
    .split(' '),
);

/**
 * Search tokens of a text: NFKC-normalised, lower-cased runs of Unicode letters and digits, without
 * stop words and very short or very long runs, unique, in order of first appearance, capped at `max`.
 */
export function tokenize(text: string, max = MAX_TOKENS): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const match of text
    .normalize('NFKC')
    .toLowerCase()
    .matchAll(/[\p{L}\p{N}]+/gu)) {
    const token = match[0];
    const length = [...token].length;
    if (length < MIN_LENGTH || length > MAX_LENGTH || STOP_WORDS.has(token) || seen.has(token)) continue;
    seen.add(token);
    out.push(token);
    if (out.length >= max) break;
  }
  return out;
}
