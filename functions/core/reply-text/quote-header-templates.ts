/**
 * How mail clients write the line (or block) above the history they quote, per client and locale: the
 * clients' own templates, as data. Two readers: the text cutter's patterns (quote-headers.ts derives its
 * verbs, openers, header labels, banners and sign-offs from this table), and the generated evaluation
 * (test/support/quote-header-generator.ts renders each template with real dates, names and addresses).
 *
 * Placeholders: `{date}` and `{time}` (rendered with the `date` and `time` forms, Intl options in the
 * client's locale, since the clients format dates with the OS or app locale), `{sender}` (the quoted
 * author, in one of `senders`).
 *
 * Sources, per client (the clients' localisation files where they are public):
 * - Thunderbird: thunderbird/thunderbird-l10n, `<locale>/mail/chrome/messenger/messengercompose/
 *   composeMsgs.properties`, keys `mailnews.reply_header_ondateauthorwrote`, `…_authorwrotesingle` and
 *   `…_originalmessage` (commit 5d7cde6f, 2026-08-22); #2 and #3 are the OS locale's short date and time.
 * - K-9 Mail / Thunderbird for Android (FairEmail writes the same "On <date>, <sender> wrote:" form):
 *   thunderbird/thunderbird-android, `legacy/ui/legacy/src/main/res/values-<locale>/strings.xml`, keys
 *   `message_compose_reply_header_fmt` and `…_fmt_with_date` (commit a59bd679, 2026-08-20); the date is
 *   `DateFormat.getDateTimeInstance(LONG, LONG)` (`legacy/core/…/message/quote/QuoteDateFormatter.kt`).
 * - Gmail, Outlook, Apple Mail, Yahoo, GMX/Web.de, Spark: no public localisation files. The forms are the
 *   ones these clients write, as documented by the rule code of closeio/quotequail
 *   (`quotequail/_patterns.py`), alfonsrv/mail-parser-reply (`mailparser_reply/constants.py`: Gmail's
 *   Japanese and Chinese forms, Outlook's header labels per language), mailgun/talon
 *   (`talon/quotations.py`) and crisp-oss/email-reply-parser (`lib/regex.js`); Outlook's field labels
 *   are those of Microsoft's localised Outlook (the same ones quotequail's HEADER_MAP lists).
 * - Proton Mail: the header and sign-off of its web client as they appear in public mailing-list archives
 *   ("On Monday, November 25th, 2024 at 09:37, Name <address> wrote:", "Sent with Proton Mail secure
 *   email."); English only, since its translations were not found in the stored sources.
 * - Mobile sign-offs ("Sent from my iPhone" and the like): the strings iOS, Outlook, Yahoo and the others
 *   append, per locale; the same third-party rule code lists several (mail-parser-reply's `sent_from`).
 */

export type QuoteClient =
  | 'gmail-web'
  | 'gmail-mobile'
  | 'outlook-desktop'
  | 'outlook-web'
  | 'outlook-mobile'
  | 'apple-mail'
  | 'thunderbird'
  | 'yahoo'
  | 'gmx'
  | 'proton'
  | 'spark'
  | 'k9';

/** How the client writes the quoted author. */
export type SenderForm =
  | 'name-address' // Name <a@b>
  | 'angle-address' // <a@b> (Gmail when there is no name)
  | 'bare-address' // a@b
  | 'quoted-name' // "Name" <a@b>
  | 'name' // Name (Thunderbird)
  | 'mailto-brackets' // Name [mailto:a@b] (Outlook desktop, plain text)
  | 'mailto-angle' // Name <mailto:a@b>
  | 'mailto-spaced'; // Name < mailto:a@b > (Outlook's HTML turned to text)

/** One way the client writes its date and time: Intl options, rendered in the client's locale. */
export interface DateForm {
  date: Intl.DateTimeFormatOptions;
  time?: Intl.DateTimeFormatOptions;
  /** Proton writes English ordinals ("April 4th"). */
  ordinal?: boolean;
}

export interface AttributionTemplate {
  kind: 'attribution';
  client: QuoteClient;
  locale: string;
  text: string;
  dates: DateForm[];
  senders: SenderForm[];
  /** A banner line the client writes above the attribution ("------- Original Message -------"). */
  banner?: string;
  /** Column at which the client wraps the line (Gmail's text part), else one line. */
  wraps?: boolean;
}

export interface HeaderBlockTemplate {
  kind: 'block';
  client: QuoteClient;
  locale: string;
  /** Field lines in the client's order; `{to}` and `{subject}` are the other fields' values. */
  fields: string[];
  dates: DateForm[];
  senders: SenderForm[];
  /** Lines the client writes above the block (a rule, or "-----Original Message-----"), one chosen. */
  above: string[];
  /** Whether the history below is `> ` quoted (Outlook and GMX leave it as is). */
  quoted: boolean;
}

export type QuoteTemplate = AttributionTemplate | HeaderBlockTemplate;

/** The locales of the table, with the Intl locale their dates are rendered in. */
export const TEMPLATE_LOCALES: Record<string, string> = {
  en: 'en-US',
  fr: 'fr-FR',
  de: 'de-DE',
  es: 'es-ES',
  it: 'it-IT',
  pt: 'pt-BR',
  nl: 'nl-NL',
  sv: 'sv-SE',
  da: 'da-DK',
  nb: 'nb-NO',
  fi: 'fi-FI',
  pl: 'pl-PL',
  cs: 'cs-CZ',
  ru: 'ru-RU',
  uk: 'uk-UA',
  tr: 'tr-TR',
  ja: 'ja-JP',
  zh: 'zh-CN',
  // Thunderbird and K-9 only (their strings are public; the other clients' are not in the table):
  bg: 'bg-BG',
  ca: 'ca-ES',
  el: 'el-GR',
  et: 'et-EE',
  gl: 'gl-ES',
  he: 'he-IL',
  hr: 'hr-HR',
  hu: 'hu-HU',
  id: 'id-ID',
  is: 'is-IS',
  lt: 'lt-LT',
  ro: 'ro-RO',
  sk: 'sk-SK',
  sl: 'sl-SI',
  vi: 'vi-VN',
};

const SHORT: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
/** Gmail's date: "Wed, Apr 4, 2012", "mer. 4 avr. 2012", "2012年4月4日(水)". */
const GMAIL_DATE: DateForm[] = [
  { date: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }, time: SHORT },
  { date: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }, time: { ...SHORT, hour12: false } },
  { date: { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }, time: { ...SHORT, hour12: true } },
];
/** The OS locale's formats: numeric and long dates, 12 or 24 hours (mobile apps, Apple Mail, Thunderbird). */
const OS_DATES: DateForm[] = [
  { date: { dateStyle: 'short' }, time: { timeStyle: 'short' } },
  { date: { dateStyle: 'medium' }, time: { timeStyle: 'short' } },
  { date: { dateStyle: 'long' }, time: { timeStyle: 'short', hour12: false } },
  { date: { dateStyle: 'medium' }, time: { timeStyle: 'short', hour12: true } },
];
/** Outlook's "Sent:" value: "Wednesday, April 4, 2012 3:59 PM". */
const OUTLOOK_DATES: DateForm[] = [
  { date: { dateStyle: 'full' }, time: { timeStyle: 'short' } },
  { date: { dateStyle: 'full' }, time: { timeStyle: 'short', hour12: false } },
  { date: { dateStyle: 'full' }, time: { timeStyle: 'medium' } },
  { date: { dateStyle: 'short' }, time: { timeStyle: 'short' } },
];
/** Yahoo: "Wednesday, April 4, 2012, 03:59:00 PM GMT+2". */
const YAHOO_DATES: DateForm[] = [
  {
    date: { dateStyle: 'full' },
    time: { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' },
  },
  {
    date: { dateStyle: 'full' },
    time: { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'shortOffset', hour12: false },
  },
];
/** K-9: DateFormat LONG date and LONG time (with its time zone). */
const K9_DATES: DateForm[] = [
  { date: { dateStyle: 'long' }, time: { timeStyle: 'long' } },
  { date: { dateStyle: 'long' }, time: { timeStyle: 'long', hour12: false } },
];
/** Spark: "4 Apr 2012, 15:59 +0200". */
const SPARK_DATES: DateForm[] = [
  { date: { dateStyle: 'medium' }, time: { ...SHORT, timeZoneName: 'longOffset', hour12: false } },
  { date: { dateStyle: 'medium' }, time: { ...SHORT, timeZoneName: 'shortOffset' } },
];
const PROTON_DATES: DateForm[] = [
  { date: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }, time: SHORT, ordinal: true },
  {
    date: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
    time: { ...SHORT, hour12: false },
    ordinal: true,
  },
];
/** GMX: "Mittwoch, 04. April 2012". */
const GMX_DATES: DateForm[] = [
  { date: { weekday: 'long', day: '2-digit', month: 'long', year: 'numeric' }, time: { ...SHORT, hour12: false } },
];

const GMAIL_SENDERS: SenderForm[] = ['name-address', 'angle-address'];
const ADDRESS_SENDERS: SenderForm[] = ['name-address', 'bare-address'];
const OUTLOOK_SENDERS: SenderForm[] = [
  'name-address',
  'mailto-brackets',
  'mailto-angle',
  'mailto-spaced',
  'bare-address',
];

/** Gmail (web and app): the attribution per locale. */
const GMAIL: Record<string, string> = {
  en: 'On {date} at {time} {sender} wrote:',
  fr: 'Le {date} à {time}, {sender} a écrit :',
  de: 'Am {date} um {time} Uhr schrieb {sender}:',
  es: 'El {date}, a las {time}, {sender} escribió:',
  it: 'Il giorno {date} alle ore {time} {sender} ha scritto:',
  pt: 'Em {date} às {time}, {sender} escreveu:',
  nl: 'Op {date} om {time} schreef {sender}:',
  sv: 'Den {date} kl {time} skrev {sender}:',
  da: 'Den {date} kl. {time} skrev {sender}:',
  nb: '{date} kl. {time} skrev {sender}:',
  fi: '{date} klo {time} {sender} kirjoitti:',
  pl: '{date} o {time} {sender} napisał(a):',
  cs: '{date} v {time} odesílatel {sender} napsal:',
  ru: '{date} в {time}, {sender}:',
  uk: '{date} о {time} {sender} пише:',
  tr: '{date} tarihinde şu saatte {time} {sender} şunu yazdı:',
  ja: '{date} {time} {sender}:',
  zh: '{sender} 于{date} {time}写道：',
};

/** Apple Mail (macOS and iOS). */
const APPLE: Record<string, string> = {
  en: 'On {date}, at {time}, {sender} wrote:',
  fr: 'Le {date} à {time}, {sender} a écrit :',
  de: 'Am {date} um {time} schrieb {sender}:',
  es: 'El {date}, a las {time}, {sender} escribió:',
  it: 'Il giorno {date}, alle ore {time}, {sender} ha scritto:',
  pt: 'Em {date}, à(s) {time}, {sender} escreveu:',
  nl: 'Op {date} om {time} heeft {sender} het volgende geschreven:',
  sv: '{date} kl. {time} skrev {sender}:',
  da: 'Den {date} kl. {time} skrev {sender}:',
  nb: '{date} kl. {time} skrev {sender}:',
  fi: '{date} kello {time} {sender} kirjoitti:',
  pl: 'Wiadomość napisana przez {sender} w dniu {date}, o godz. {time}:',
  cs: '{date} v {time}, {sender}:',
  ru: '{date}, в {time}, {sender} написал(а):',
  uk: '{date} о {time} {sender} написав(ла):',
  tr: '{date} tarihinde {time} saatinde, {sender} şunları yazdı:',
  ja: '{date} {time}、{sender}のメール:',
  zh: '{date} {time}，{sender} 写道：',
};

/** Thunderbird: composeMsgs.properties, `reply_header_ondateauthorwrote` (#2 {date}, #3 {time}, #1 {sender}). */
const THUNDERBIRD: Record<string, [string, string, string]> = {
  // [on date author wrote, author wrote (single), original message banner]
  en: ['On {date} {time}, {sender} wrote:', '{sender} wrote:', '-------- Original Message --------'],
  fr: ['Le {date} à {time}, {sender} a écrit :', '{sender} a écrit :', '-------- Message original --------'],
  de: ['Am {date} um {time} schrieb {sender}:', '{sender} schrieb:', '-------- Original-Nachricht --------'],
  es: ['El {date} a las {time}, {sender} escribió:', '{sender} escribió:', '-------- Mensaje original --------'],
  it: ['Il {date} {time}, {sender} ha scritto:', '{sender} ha scritto:', '-------- Messaggio originale --------'],
  pt: ['Em {date} {time}, {sender} escreveu:', '{sender} escreveu:', '-------- Mensagem original --------'],
  nl: ['Op {date} om {time} schreef {sender}:', '{sender} schreef:', '-------- Oorspronkelijk bericht --------'],
  sv: ['Den {date} kl. {time}, skrev {sender}:', '{sender} skrev:', '-------- Ursprungligt meddelande --------'],
  da: ['Den {date} kl. {time} skrev {sender}:', '{sender} skrev:', '-------- Oprindelig meddelelse --------'],
  nb: ['Den {date} {time}, skrev {sender}:', 'skrev {sender}:', '-------- Opprinnelig melding --------'],
  fi: [
    '{sender} kirjoitti {date} klo {time}:',
    '{sender} kirjoitti:',
    '-------- Alkuperäinen viesti / Orig.Msg. --------',
  ],
  pl: ['W dniu {date} o {time}, {sender} pisze:', '{sender} pisze:', '--- Treść oryginalnej wiadomości ---'],
  cs: ['Dne {date} v {time} {sender} napsal(a):', '{sender} napsal(a):', '-------- Původní zpráva --------'],
  ru: ['{date} {time}, {sender} пишет:', '{sender} пишет:', '-------- Исходное сообщение --------'],
  uk: ['{date} {time}, {sender}:', '{sender} написав:', '-------- Початкове повідомлення --------'],
  tr: ['{date} {time} tarihinde {sender} yazdı:', '{sender} yazdı:', '-------- Özgün İleti --------'],
  ja: ['On {date} {time}, {sender} wrote:', '{sender} wrote:', '-------- Original Message --------'],
  zh: ['在 {date} {time}, {sender} 写道:', '{sender} 写道:', '-------- 原始消息 --------'],
  bg: ['На {date} в {time}, {sender} написа:', '{sender} написа:', '-------- Оригинално писмо --------'],
  ca: ['El {date} a les {time}, {sender} ha escrit:', '{sender} ha escrit:', '-------- Missatge original --------'],
  el: ['Στις {date} {time}, ο/η {sender} έγραψε:', 'Ο/Η {sender} έγραψε:', '-------- Αρχικό μήνυμα --------'],
  et: ['{date} {time} {sender} kirjutas:', '{sender} kirjutas:', '-------- Algne kiri --------'],
  gl: ['O {date} ás {time}, {sender} escribiu:', '{sender} escribiu:', '-------- Mensaxe orixinal --------'],
  he: ['נכתב על ידי {sender}, ב־{date} בשעה {time}:', 'נכתב על ידי {sender}:', '-------- הודעה מקורית --------'],
  hr: ['{date} u {time}, {sender} piše:', '{sender} piše:', '-------- Izvorna poruka --------'],
  hu: ['{date} {time} keltezéssel, {sender} írta:', '{sender} írta:', '-------- Eredeti üzenet --------'],
  id: ['Pada {date} {time}, {sender} menulis:', '{sender} menulis:', '-------- Pesan Asli --------'],
  is: ['Þann {date} {time}, skrifaði {sender}:', '{sender} skrifaði:', '-------- Upprunalegur póstur --------'],
  lt: ['{date} {time}, {sender} rašė:', '{sender} rašė:', '-------- Originalus laiškas --------'],
  ro: ['La {date} {time}, {sender} a scris:', '{sender} a scris:', '-------- Mesajul original --------'],
  sk: [
    'Dňa {date} o {time} {sender} napísal(a):',
    '{sender} napísal(a):',
    '-------- Pôvodná správa --- Original Message --------',
  ],
  sl: ['{sender} je {date} ob {time} napisal:', '{sender} je napisal(a):', '-------- Izvirno sporočilo --------'],
  vi: ['Vào lúc {time} {date}, {sender} đã viết:', '{sender} đã viết:', '-------- Thư gốc --------'],
};

/** K-9 Mail / Thunderbird for Android: strings.xml `message_compose_reply_header_fmt(_with_date)`. */
const K9: Record<string, [string, string]> = {
  en: ['On {date}, {sender} wrote:', '{sender} wrote:'],
  fr: ['Le {date}, {sender} a écrit :', '{sender} a écrit :'],
  de: ['Am {date} schrieb {sender}:', '{sender} schrieb:'],
  es: ['El {date}, {sender} escribió:', '{sender} escribió:'],
  it: ['Il {date}, {sender} ha scritto:', '{sender} ha scritto:'],
  pt: ['Em {date}, {sender} escreveu:', '{sender} escreveu:'],
  nl: ['{sender} schreef op {date}:', '{sender} schreef:'],
  sv: ['Den {date}, {sender} skrev:', '{sender} skrev:'],
  da: ['Den {date}, {sender} skrev:', '{sender} skrev:'],
  nb: ['Den {date}, skrev {sender}:', '{sender} skrev:'],
  fi: ['{date} {sender} kirjoitti:', '{sender} kirjoitti:'],
  pl: ['Dnia {date}, {sender} napisał/a:', '{sender} napisał/a:'],
  cs: ['{date}, {sender} napsal:', '{sender} napsal(a):'],
  ru: ['{date}, {sender} пишет:', '{sender} пишет:'],
  uk: ['{date}, {sender} пише:', '{sender} пише:'],
  tr: ['{date} tarihinde {sender} yazdı:', '{sender} yazdı:'],
  ja: ['{date}、{sender} より:', '{sender} より:'],
  zh: ['于 {date}，{sender} 写道：', '{sender} 写道：'],
  bg: ['На {date}, {sender} написа:', '{sender} написа:'],
  ca: ['El {date}, {sender} ha escrit:', '{sender} ha escrit:'],
  el: ['Στις {date}, ο/η {sender} έγραψε:', 'Ο/Η {sender} έγραψε:'],
  et: ['{date}, {sender} kirjutas:', '{sender} kirjutas:'],
  gl: ['No {date}, {sender} escribeu:', '{sender} escribiu:'],
  he: ['ב {date}, {sender} כתב:', '{sender} כתב:'],
  hr: ['Na {date}, {sender} wrote:', '{sender} je napisao:'],
  hu: ['Ekkor: {date}, {sender} írta:', '{sender} írta:'],
  id: ['Pada {date}, {sender} menulis:', '{sender} menulis:'],
  is: ['Þann {date}, skrifaði {sender}:', '{sender} skrifaði:'],
  lt: ['{date}, {sender} parašė:', '{sender} rašė:'],
  ro: ['În {date}, {sender} a scris:', '{sender} a scris:'],
  sk: ['Dňa {date} používateľ {sender} napísal:', 'Používateľ {sender} napísal:'],
  sl: ['Dne {date}, {sender} sporoča:', '{sender} sporoča:'],
  vi: ['Vào {date}, {sender} đã viết:', '{sender} đã viết:'],
};

/** Outlook's header fields: From, Sent, To, Cc, Subject, and the "Original Message" banner. */
const OUTLOOK_LABELS: Record<string, [string, string, string, string, string, string]> = {
  en: ['From', 'Sent', 'To', 'Cc', 'Subject', 'Original Message'],
  fr: ['De ', 'Envoyé ', 'À ', 'Cc ', 'Objet ', "Message d'origine"],
  de: ['Von', 'Gesendet', 'An', 'Cc', 'Betreff', 'Ursprüngliche Nachricht'],
  es: ['De', 'Enviado el', 'Para', 'CC', 'Asunto', 'Mensaje original'],
  it: ['Da', 'Inviato', 'A', 'Cc', 'Oggetto', 'Messaggio originale'],
  pt: ['De', 'Enviada em', 'Para', 'Cc', 'Assunto', 'Mensagem original'],
  nl: ['Van', 'Verzonden', 'Aan', 'CC', 'Onderwerp', 'Oorspronkelijk bericht'],
  sv: ['Från', 'Skickat', 'Till', 'Kopia', 'Ämne', 'Ursprungligt meddelande'],
  da: ['Fra', 'Sendt', 'Til', 'Cc', 'Emne', 'Oprindelig meddelelse'],
  nb: ['Fra', 'Sendt', 'Til', 'Kopi', 'Emne', 'Opprinnelig melding'],
  fi: ['Lähettäjä', 'Lähetetty', 'Vastaanottaja', 'Kopio', 'Aihe', 'Alkuperäinen viesti'],
  pl: ['Od', 'Wysłano', 'Do', 'DW', 'Temat', 'Wiadomość oryginalna'],
  cs: ['Od', 'Odesláno', 'Komu', 'Kopie', 'Předmět', 'Původní zpráva'],
  ru: ['От', 'Отправлено', 'Кому', 'Копия', 'Тема', 'Исходное сообщение'],
  uk: ['Від', 'Надіслано', 'Кому', 'Копія', 'Тема', 'Оригінальне повідомлення'],
  tr: ['Kimden', 'Gönderildi', 'Kime', 'Bilgi', 'Konu', 'Özgün İleti'],
  ja: ['差出人', '送信日時', '宛先', 'CC', '件名', 'Original Message'],
  zh: ['发件人', '发送时间', '收件人', '抄送', '主题', '原始邮件'],
};

/** Yahoo Mail: the attribution, and its older "Original Message" block. */
const YAHOO: Record<string, [string, string, string[]]> = {
  // [attribution, banner of the old block, old block fields From, To, Sent, Subject]
  en: ['On {date}, {time}, {sender} wrote:', '----- Original Message -----', ['From', 'To', 'Sent', 'Subject']],
  fr: ['Le {date}, {time}, {sender} a écrit :', '----- Mail original -----', ['De ', 'À ', 'Envoyé ', 'Objet ']],
  de: [
    'Am {date}, {time} hat {sender} Folgendes geschrieben:',
    '----- Ursprüngliche Message -----',
    ['Von', 'An', 'Gesendet', 'Betreff'],
  ],
  es: ['El {date}, {time}, {sender} escribió:', '----- Mensaje original -----', ['De', 'Para', 'Enviado', 'Asunto']],
  it: ['Il {date}, {time}, {sender} ha scritto:', '----- Messaggio originale -----', ['Da', 'A', 'Inviato', 'Oggetto']],
  pt: ['Em {date}, {time}, {sender} escreveu:', '----- Mensagem original -----', ['De', 'Para', 'Enviada', 'Assunto']],
};

/** GMX and Web.de: the block their web mailers write, date first. */
const GMX: Record<string, [string, string, string, string, string]> = {
  // [Sent line, From, To, Subject labels]: "Gesendet: Mittwoch, 04. April 2012 um 15:59 Uhr"
  de: ['Gesendet: {date} um {time} Uhr', 'Von', 'An', 'Betreff', 'Cc'],
  en: ['Sent: {date} at {time}', 'From', 'To', 'Subject', 'Cc'],
  fr: ['Envoyé: {date} à {time}', 'De', 'À', 'Objet', 'Cc'],
  es: ['Enviado: {date} a las {time}', 'De', 'Para', 'Asunto', 'CC'],
};

/** Spark (Readdle): "On 4 Apr 2012, 15:59 +0200, Name <a@b>, wrote:". */
const SPARK: Record<string, string> = {
  en: 'On {date}, {time}, {sender}, wrote:',
  de: 'Am {date}, {time} schrieb {sender}:',
  fr: 'Le {date} à {time}, {sender} a écrit :',
  es: 'El {date}, {time}, {sender} escribió:',
  it: 'Il {date}, {time}, {sender} ha scritto:',
  ru: '{date}, {time}, {sender} написал:',
  ja: '{date} {time}、{sender} のメッセージ:',
  zh: '{date} {time}，{sender} 写道：',
};

function build(): QuoteTemplate[] {
  const t: QuoteTemplate[] = [];
  const attribution = (
    client: QuoteClient,
    locale: string,
    text: string,
    dates: DateForm[],
    senders: SenderForm[],
    extra: Partial<AttributionTemplate> = {},
  ) => t.push({ kind: 'attribution', client, locale, text, dates, senders, ...extra });
  for (const [locale, text] of Object.entries(GMAIL)) {
    attribution('gmail-web', locale, text, GMAIL_DATE, GMAIL_SENDERS, { wraps: true });
    attribution('gmail-mobile', locale, text, OS_DATES, GMAIL_SENDERS);
  }
  for (const [locale, text] of Object.entries(APPLE))
    attribution('apple-mail', locale, text, OS_DATES, ADDRESS_SENDERS);
  for (const [locale, [onDate, single, banner]] of Object.entries(THUNDERBIRD)) {
    attribution('thunderbird', locale, onDate, OS_DATES, ['name', 'bare-address', 'name-address']);
    attribution('thunderbird', locale, single, OS_DATES, ['name', 'bare-address']);
    attribution('thunderbird', locale, onDate, OS_DATES, ['name', 'name-address'], { banner });
  }
  for (const [locale, [withDate, single]] of Object.entries(K9)) {
    attribution('k9', locale, withDate, K9_DATES, ADDRESS_SENDERS);
    attribution('k9', locale, single, K9_DATES, ADDRESS_SENDERS);
  }
  for (const [locale, [from, sent, to, cc, subject, original]] of Object.entries(OUTLOOK_LABELS)) {
    const fields = [
      `${from}: {sender}`,
      `${sent}: {date} {time}`,
      `${to}: {to}`,
      `${cc}: {cc}`,
      `${subject}: {subject}`,
    ];
    const noCc = fields.filter((f) => !f.includes('{cc}'));
    const rule = '_'.repeat(32);
    t.push({
      kind: 'block',
      client: 'outlook-desktop',
      locale,
      fields: noCc,
      dates: OUTLOOK_DATES,
      senders: OUTLOOK_SENDERS,
      above: [`-----${original}-----`, '', rule],
      quoted: false,
    });
    t.push({
      kind: 'block',
      client: 'outlook-desktop',
      locale,
      fields,
      dates: OUTLOOK_DATES,
      senders: OUTLOOK_SENDERS,
      above: [`-----${original}-----`, ''],
      quoted: false,
    });
    t.push({
      kind: 'block',
      client: 'outlook-web',
      locale,
      fields: noCc,
      dates: OUTLOOK_DATES,
      senders: ['name-address', 'bare-address', 'mailto-spaced'],
      above: [rule],
      quoted: false,
    });
    t.push({
      kind: 'block',
      client: 'outlook-mobile',
      locale,
      fields: noCc,
      dates: OUTLOOK_DATES,
      senders: ['name-address', 'bare-address'],
      above: [rule, ''],
      quoted: false,
    });
  }
  for (const [locale, [text, banner, [from, to, sent, subject]]] of Object.entries(YAHOO)) {
    attribution('yahoo', locale, text, YAHOO_DATES, ADDRESS_SENDERS);
    t.push({
      kind: 'block',
      client: 'yahoo',
      locale,
      fields: [`${from}: {sender}`, `${to}: {to}`, `${sent}: {date} {time}`, `${subject}: {subject}`],
      dates: YAHOO_DATES,
      senders: ['name-address', 'bare-address'],
      above: [banner],
      quoted: true,
    });
  }
  for (const [locale, [sent, from, to, subject, cc]] of Object.entries(GMX)) {
    for (const quoted of [false, true]) {
      t.push({
        kind: 'block',
        client: 'gmx',
        locale,
        fields: [sent, `${from}: {sender}`, `${to}: {to}`, ...(quoted ? [`${cc}: {cc}`] : []), `${subject}: {subject}`],
        dates: GMX_DATES,
        senders: ['quoted-name', 'bare-address'],
        above: [''],
        quoted,
      });
    }
  }
  attribution('proton', 'en', 'On {date} at {time}, {sender} wrote:', PROTON_DATES, ADDRESS_SENDERS);
  attribution('proton', 'en', 'On {date} at {time}, {sender} wrote:', PROTON_DATES, ADDRESS_SENDERS, {
    banner: '------- Original Message -------',
  });
  for (const [locale, text] of Object.entries(SPARK)) attribution('spark', locale, text, SPARK_DATES, ADDRESS_SENDERS);
  return t;
}

/** Every template of every client and locale. */
export const QUOTE_TEMPLATES: readonly QuoteTemplate[] = build();
