/**
 * Trailing signatures. Stricter than email-reply-parser's own rules, which drop any line that starts
 * with "Sent from" or "Regards" and so also eat real sentences and sign-offs.
 */

import { SIGN_OFFS } from './sign-off-templates.ts';

/**
 * What mobile and desktop clients append ("Sent from my iPhone", "Envoyé de Outlook pour iOS",
 * "Gesendet von Outlook für Android<https://aka.ms/…>"), per language: the verb, then the preposition.
 */
const SENT_FROM: { lang: string; sent: string[]; from: string[]; my: string[] }[] = [
  { lang: 'en', sent: ['sent'], from: ['from', 'with', 'via', 'using'], my: ['my'] },
  { lang: 'fr', sent: ['envoyé', 'envoye'], from: ['de', 'depuis', 'à partir de', 'avec'], my: ['mon', 'ma'] },
  { lang: 'de', sent: ['gesendet'], from: ['von', 'mit', 'via'], my: ['meinem', 'mein'] },
  { lang: 'es', sent: ['enviado'], from: ['desde', 'de', 'con'], my: ['mi'] },
  { lang: 'it', sent: ['inviato'], from: ['da', 'con'], my: ['il mio', 'mio'] },
  { lang: 'pt', sent: ['enviado'], from: ['do', 'de', 'a partir do'], my: ['meu'] },
  { lang: 'nl', sent: ['verzonden', 'verstuurd'], from: ['vanaf', 'vanuit', 'met', 'van'], my: ['mijn'] },
  { lang: 'da/nb/sv', sent: ['sendt', 'skickat', 'skickades'], from: ['fra', 'från', 'med'], my: ['min', 'mitt'] },
  { lang: 'pl', sent: ['wysłane', 'wysłano'], from: ['z', 'ze'], my: ['mojego'] },
  { lang: 'ru', sent: ['отправлено'], from: ['из', 'с'], my: ['моего'] },
];

/** "Get Outlook for iOS", the line Outlook mobile appends, per language. */
const GET_APP = {
  get: ['get', 'télécharger', 'holen sie sich', 'obtener', 'descargar', 'scarica', 'obter', 'download'],
  for: ['for', 'pour', 'für', 'para', 'per', 'voor', 'för'],
};

const alternation = (words: string[]) => [...new Set(words)].map((w) => w.replace(/ /g, '\\s')).join('|');

/** Lines that open a signature: delimiters, and the lines that clients append. */
const SIGNATURE_START: RegExp[] = [
  /^-- ?$/, // the RFC 3676 delimiter, also with its space lost
  /^[-_—]{2,}$/, // rule lines that open a signature or a list footer
  /^-[A-Za-z][\w.' ]{0,40}$/, // "-Abhishek Kona"
  // "<sent> <from> my <device>", "<sent> <from> <one to four words>[<link>]": a client's line, not a
  // sentence (those run longer).
  new RegExp(
    `^(?:${alternation(SENT_FROM.flatMap((l) => l.sent))})\\s(?:${alternation(SENT_FROM.flatMap((l) => l.from))})\\s` +
      `(?:(?:${alternation(SENT_FROM.flatMap((l) => l.my))})\\s.{1,40}|(?:\\S+\\s){0,3}[^\\s<]+(?:\\s?<https?:[^>\\s]{0,200}>)?)$`,
    'iu',
  ),
  new RegExp(`^(?:${alternation(GET_APP.get)})\\soutlook\\s(?:${alternation(GET_APP.for)})\\s`, 'iu'),
  /^von meinem \S+(?: \S+)? gesendet$/i,
  /^sent from (?:mail|outlook) for /i,
  /^sent with [\w ]{1,40}\(?https?:/i,
];

/** The clients' own sign-offs (quote-header-templates.ts), lower-cased, by their first two characters. */
const CLIENT_SIGN_OFFS = new Map<string, string[]>();
for (const line of Object.values(SIGN_OFFS).flat()) {
  const lower = line.toLowerCase();
  const key = lower.slice(0, 2);
  CLIENT_SIGN_OFFS.set(key, [...(CLIENT_SIGN_OFFS.get(key) ?? []), lower]);
}

/**
 * A line a client appends, as it writes it: the sign-off, then nothing, a link ("<https://aka.ms/…>"), or a
 * device name of a few words.
 */
function isClientSignOff(line: string): boolean {
  const lower = line.toLowerCase();
  for (const signOff of CLIENT_SIGN_OFFS.get(lower.slice(0, 2)) ?? []) {
    if (!lower.startsWith(signOff)) continue;
    const rest = lower.slice(signOff.length).trim();
    if (!rest || /^<https?:\/\/\S{1,200}>$/.test(rest) || (rest.length <= 30 && !/[.!?]$/.test(rest))) return true;
  }
  return false;
}

/** Longest line tested against the signature rules; a longer one is text. */
const MAX_SIGNATURE_LINE = 200;

/** Cuts a trailing signature: from the first signature-opening line, if only a short tail follows. */
export function stripSignature(text: string): string {
  const lines = text.split('\n');
  let nonBlankFrom = 0;
  for (const line of lines) if (line.trim()) nonBlankFrom++;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].length > MAX_SIGNATURE_LINE ? '' : lines[i].trim();
    if (i > 0 && line && nonBlankFrom <= 12 && (isClientSignOff(line) || SIGNATURE_START.some((re) => re.test(line)))) {
      return lines.slice(0, i).join('\n');
    }
    if (lines[i].trim()) nonBlankFrom--;
  }
  return text;
}
