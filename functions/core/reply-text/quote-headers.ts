/**
 * How mail clients introduce the quoted history, per language: one data table, compiled once into
 * the few regular expressions that the text cutter runs (on capped lines only, see text-cut.ts).
 * The clients' own templates (quote-header-templates.ts) give most of the words; this table keeps the ones
 * they do not write (forward banners, other clients' labels such as "Date:" and "Datum:", old forms). To
 * support a language, add its clients' templates there, or a row here; docs/reply-text.md lists both.
 */
import { QUOTE_TEMPLATES, type QuoteTemplate } from './quote-header-templates.ts';

export interface QuoteHeaderLanguage {
  /** BCP 47 code, for the docs. */
  lang: string;
  name: string;
  /** Words that open an attribution line: "On …", "Le …", "Am …". */
  openers?: string[];
  /** What ends an attribution: "… wrote:". */
  wrote?: string[];
  /** Header-block field names, as Outlook, Apple Mail, Gmail and others localise them. */
  from?: string[];
  /** Date / Sent field names. */
  date?: string[];
  /** To, Cc, Subject field names. */
  other?: string[];
  /** "-----Original Message-----" and its translations: a cut point. */
  original?: string[];
  /** "Forwarded message" banners: not a cut, the forwarded mail is what the customer sends us. */
  forwarded?: string[];
}

export const QUOTE_HEADER_LANGUAGES: QuoteHeaderLanguage[] = [
  {
    lang: 'en',
    name: 'English',
    wrote: ['writes'],
    date: ['Date'],
    other: ['Reply-To'],
    original: ['Reply Message'],
    forwarded: ['Forwarded message', 'Begin forwarded message', 'Forwarded by'],
  },
  {
    lang: 'fr',
    name: 'French',
    wrote: ['écrit'],
    from: ['Expéditeur'],
    date: ['Envoyé le', 'Date'],
    other: ['Destinataire'],
    forwarded: ['Message transféré', 'Début du message réexpédié', 'Début du message transféré'],
  },
  {
    lang: 'de',
    name: 'German',
    wrote: ['hat geschrieben'],
    from: ['Absender'],
    date: ['Datum'],
    original: ['Originalnachricht'],
    forwarded: ['Weitergeleitete Nachricht', 'Anfang der weitergeleiteten Nachricht'],
  },
  {
    lang: 'es',
    name: 'Spanish',
    wrote: ['escribio'],
    date: ['Fecha'],
    forwarded: ['Mensaje reenviado', 'Inicio del mensaje reenviado'],
  },
  {
    lang: 'it',
    name: 'Italian',
    wrote: ['scritto'],
    date: ['Data'],
    forwarded: ['Messaggio inoltrato', 'Inizio messaggio inoltrato'],
  },
  {
    lang: 'pt',
    name: 'Portuguese',
    openers: ['No dia'],
    date: ['Data'],
    forwarded: ['Mensagem encaminhada', 'Início da mensagem reencaminhada'],
  },
  {
    lang: 'nl',
    name: 'Dutch',
    wrote: ['geschreven'],
    date: ['Datum'],
    original: ['Origineel bericht'],
    forwarded: ['Doorgestuurd bericht', 'Begin doorgestuurd bericht'],
  },
  {
    lang: 'da',
    name: 'Danish',
    openers: ['På'],
    date: ['Dato'],
    original: ['Oprindelig besked', 'Original meddelelse'],
    forwarded: ['Videresendt meddelelse', 'Videresendt besked'],
  },
  {
    lang: 'nb',
    name: 'Norwegian',
    openers: ['På'],
    wrote: ['skreiv'],
    date: ['Dato'],
    original: ['Originalmelding'],
    forwarded: ['Videresendt melding'],
  },
  {
    lang: 'sv',
    name: 'Swedish',
    openers: ['På'],
    date: ['Datum'],
    original: ['Originalmeddelande'],
    forwarded: ['Vidarebefordrat meddelande'],
  },
  {
    lang: 'fi',
    name: 'Finnish',
    openers: ['ti', 'ke', 'to', 'pe', 'la', 'su', 'ma'],
    date: ['Päivämäärä'],
    forwarded: ['Välitetty viesti'],
  },
  {
    lang: 'pl',
    name: 'Polish',
    wrote: ['napisał', 'napisała', 'napisal'],
    date: ['Data'],
    original: ['Oryginalna wiadomość'],
    forwarded: ['Przekazana wiadomość'],
  },
  {
    lang: 'cs',
    name: 'Czech and Slovak',
    openers: ['Dňa'],
    wrote: ['napsala', 'napísal(a)', 'napísal', 'napísala'],
    date: ['Datum', 'Odoslané'],
    other: ['Predmet'],
    original: ['Pôvodná správa'],
    forwarded: ['Přeposlaná zpráva'],
  },
  {
    lang: 'hu',
    name: 'Hungarian',
    wrote: ['írta'],
    from: ['Feladó'],
    date: ['Elküldve', 'Dátum'],
    other: ['Címzett', 'Másolat', 'Tárgy'],
    original: ['Eredeti üzenet'],
    forwarded: ['Továbbított üzenet'],
  },
  {
    lang: 'ro',
    name: 'Romanian',
    openers: ['În'],
    wrote: ['a scris'],
    from: ['De la'],
    date: ['Trimis', 'Data'],
    other: ['Către', 'Subiect'],
    original: ['Mesaj original'],
  },
  {
    lang: 'ru',
    name: 'Russian',
    openers: ['В'],
    wrote: ['написала', 'писал'],
    date: ['Дата'],
    original: ['Оригинальное сообщение'],
    forwarded: ['Пересылаемое сообщение', 'Пересланное сообщение'],
  },
  {
    lang: 'uk',
    name: 'Ukrainian',
    openers: ['У', 'В'],
    wrote: ['написала'],
    date: ['Дата'],
    forwarded: ['Переслане повідомлення'],
  },
  {
    lang: 'tr',
    name: 'Turkish',
    date: ['Tarih'],
    original: ['Orijinal mesaj', 'Özgün ileti'],
    forwarded: ['İletilen mesaj'],
  },
  { lang: 'el', name: 'Greek', openers: ['Στις'], wrote: ['έγραψε'], from: ['Από'], other: ['Προς', 'Θέμα'] },
  { lang: 'he', name: 'Hebrew', wrote: ['כתב', 'כתבה'], from: ['מאת'], other: ['אל', 'נושא'] },
  { lang: 'ar', name: 'Arabic', wrote: ['كتب'], from: ['من'], other: ['إلى', 'الموضوع'] },
  { lang: 'vi', name: 'Vietnamese', openers: ['Vào'], wrote: ['đã viết'] },
  { lang: 'id', name: 'Indonesian', openers: ['Pada'], wrote: ['menulis'] },
  {
    lang: 'zh',
    name: 'Chinese',
    wrote: ['寫道'],
    from: ['發件人', '寄件者'],
    date: ['發送時間', '日期'],
    other: ['主旨'],
    original: ['原始郵件'],
    forwarded: ['转发的邮件'],
  },
  {
    lang: 'ja',
    name: 'Japanese',
    wrote: ['は書きました'],
    from: ['送信者'],
    date: ['日付'],
    original: ['元のメッセージ'],
    forwarded: ['転送されたメッセージ'],
  },
  {
    lang: 'ko',
    name: 'Korean',
    wrote: ['작성'],
    from: ['보낸 사람'],
    date: ['날짜', '보낸 날짜'],
    other: ['받는 사람', '제목'],
    original: ['원본 메시지'],
    forwarded: ['전달된 메시지'],
  },
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The words the clients' templates (quote-header-templates.ts) carry, read off their text once: the
 * verb that ends an attribution ("wrote", "a écrit", "写道"), the verb between the author and a date
 * that ends the line ("kirjoitti", "schreef op"), the words that open one ("On", "Am", "W dniu"), the
 * header-block labels and the banners.
 */
export const TEMPLATE_WORDS = deriveTemplateWords(QUOTE_TEMPLATES);

export function deriveTemplateWords(templates: readonly QuoteTemplate[]) {
  const words = {
    wrote: new Set<string>(),
    wroteBeforeDate: new Set<string>(),
    openers: new Set<string>(),
    from: new Set<string>(),
    date: new Set<string>(),
    other: new Set<string>(),
    original: new Set<string>(),
  };
  const clean = (s: string) =>
    s
      .replace(/[:：,，、\s]+$/u, '')
      .replace(/^[\s,，、]+/u, '')
      .trim();
  const banner = (line: string) => {
    const m = /^[-_=\s]{3,}(.+?)[-_=\s]{3,}$/.exec(line);
    if (m && /\p{L}/u.test(m[1])) words.original.add(m[1].trim());
  };
  for (const t of templates) {
    if (t.kind === 'block') {
      for (const field of t.fields) {
        const m = /^([^:{]+):\s*\{(\w+)\}/.exec(field);
        if (!m) continue;
        const label = m[1].trim();
        (m[2] === 'sender' ? words.from : m[2] === 'date' ? words.date : words.other).add(label);
      }
      for (const line of t.above) banner(line);
      continue;
    }
    if (t.banner) banner(t.banner);
    const parts = t.text.split(/\{(\w+)\}/);
    // parts: literal, placeholder, literal, placeholder, …, literal
    const literals = parts.filter((_, i) => i % 2 === 0);
    const names = parts.filter((_, i) => i % 2 === 1);
    const opener = clean(literals[0]);
    if (opener) words.openers.add(opener);
    const last = clean(literals[literals.length - 1]);
    const lastName = names[names.length - 1];
    if (last) words.wrote.add(last);
    else if (lastName === 'sender') {
      // "… schrieb {sender}:": the verb is the last word before the author.
      const before = clean(literals[literals.length - 2])
        .split(/\s+/)
        .pop();
      if (before && /\p{L}/u.test(before) && !/^\p{Lu}/u.test(before)) words.wrote.add(before);
    } else {
      // "{sender} kirjoitti {date} klo {time}:": the line ends with the date; the verb follows the author.
      const after = clean(literals[names.indexOf('sender') + 1] ?? '');
      if (after) words.wroteBeforeDate.add(after);
    }
  }
  return words;
}

type WordField = 'openers' | 'wrote' | 'from' | 'date' | 'other' | 'original' | 'forwarded';

/** One alternation of every language's and every template's words for a field, longest first. */
function words(field: WordField): string {
  const all = new Set(QUOTE_HEADER_LANGUAGES.flatMap((l) => l[field] ?? []));
  if (field !== 'forwarded') for (const w of TEMPLATE_WORDS[field]) all.add(w);
  return alternation(all);
}

const alternation = (all: Iterable<string>) =>
  [...new Set(all)]
    .sort((a, b) => b.length - a.length)
    .map((w) => escapeRegExp(w).replace(/ /g, '\\s+'))
    .join('|');

const WROTE = `(?:${words('wrote')})`;
const COLON = '[:：]';

/**
 * The patterns the text cutter runs. Each takes a trimmed line (or a few joined) of at most MAX_PROBE
 * characters, and none has two adjacent unbounded repeats that could backtrack quadratically.
 */
export const QUOTE_PATTERNS = {
  /** The line ends like an attribution: "wrote:", or "wrote" + name and address + ":". */
  attribution: new RegExp(`${WROTE}(?:\\s*${COLON}|\\s.{0,100}${COLON}|\\s.{0,200}>\\)?${COLON})?(?:\\s*-+)?$`, 'iu'),
  /** "<author> kirjoitti <date> klo <time>:": the verb, then a date that ends the line. */
  attributionDateLast: new RegExp(
    `\\s(?:${alternation(TEMPLATE_WORDS.wroteBeforeDate)})\\s.{0,80}\\d(?:\\s?[AaPp]\\.?[Mm]\\.?)?${COLON}$`,
    'iu',
  ),
  /** A date-led line that opens with a numeric date ("2011/4/7 Name <a@b>", "2016-03-03 17:21 …"). */
  dateLed: /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b/,
  /** A line that opens with a date: a digit, or a short weekday then a digit ("ср, 4 апр.", "niedz., 12 lut"). */
  dateStart: /^(?:\d|\p{L}{1,6}\.?,?\s\d)/u,
  /** Words that open an attribution when it wraps over lines (a whole word: "Na", not "Nam"). */
  opener: new RegExp(`^(?:(?:${words('openers')})(?!\\p{L})|\\d)`, 'iu'),
  /** The same, a word only (no digit). */
  openerWord: new RegExp(`^(?:${words('openers')})(?!\\p{L})`, 'iu'),
  /** Every place an opener word starts, to split "reply On … wrote:" glued on one line. */
  openerAnywhere: new RegExp(`(?:^|[\\s\\-_=*])(${words('openers')})\\s`, 'gu'),
  original: new RegExp(`^[-_=*>\\s]*(?:${words('original')})[-_=*\\s]*:?$`, 'iu'),
  forwarded: new RegExp(`^[-_=*>\\s]*(?:${words('forwarded')})[-_=*\\s]*:?$`, 'iu'),
  /** A text that opens with a forward banner (the start of an HTML element's text). */
  forwardedStart: new RegExp(`^[-_=*>\\s]*(?:${words('forwarded')})`, 'iu'),
  headerFrom: new RegExp(`^[*>\\s]*(?:${words('from')})[\\s*]*:[\\s*]*\\S`, 'iu'),
  headerDate: new RegExp(`^[*>\\s]*(?:${words('date')})[\\s*]*:[\\s*]*\\S`, 'iu'),
  headerAny: new RegExp(`^[*>\\s]*(?:${words('from')}|${words('date')}|${words('other')})[\\s*]*:`, 'iu'),
  /** "Message du :", "Message from:" lines that some clients put above the block. */
  messageOf: /^message (?:du|from|de|vom)\s*:/i,
};

/** Every verb that can end an attribution, lower-cased, by its last two characters (the colon-less test below). */
const WROTE_BY_END = new Map<string, string[]>();
for (const w of new Set([...QUOTE_HEADER_LANGUAGES.flatMap((l) => l.wrote ?? []), ...TEMPLATE_WORDS.wrote])) {
  const lower = w.toLowerCase();
  const key = lower.slice(-2);
  WROTE_BY_END.set(key, [...(WROTE_BY_END.get(key) ?? []), lower]);
}

/**
 * Whether a line ends like an attribution (QUOTE_PATTERNS.attribution), cheaply: the pattern, with its
 * alternation of every verb tried at every position, only runs on a line that ends with a colon; a line
 * without one can only end with the verb itself, which a comparison of its tail tells.
 */
export function endsLikeAttribution(line: string): boolean {
  let end = line.length;
  while (end > 0 && (line[end - 1] === '-' || line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  const last = line[end - 1];
  if (last === ':' || last === '：') return QUOTE_PATTERNS.attribution.test(line);
  const verbs = WROTE_BY_END.get(line.slice(Math.max(0, end - 2), end).toLowerCase());
  if (!verbs) return false;
  const tail = line.slice(Math.max(0, end - 40), end).toLowerCase();
  return verbs.some((w) => tail.endsWith(w));
}

/** "<date> от Name <address>:" (mail.ru and others): a date, an address, a colon, no verb. */
export const isDatedAddress = (line: string): boolean =>
  /[:：]\s*$/.test(line.slice(-4)) && /\d/.test(line) && /<[^<>\s]+@[^<>\s]+>\s*:$/.test(line);

/** A rule line ("-----", "____") or a banner between rules ("-- Reply above this line --"). */
export const isSeparator = (line: string): boolean =>
  /^[-_=*]{3,}$/.test(line) || (/^[-_]{2,}\s*\S/.test(line) && /[-_]{2}$/.test(line));
