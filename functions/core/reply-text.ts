/**
 * The new text of a reply: what the customer wrote, without the quoted history and signature.
 * The feed shows it; the full text and HTML are kept beside it.
 *
 * Built on `email-reply-parser` (its fragmenting of `>`-quoted blocks), with three layers on top:
 *  1. HTML-only mail is converted to text first, blockquotes becoming `>` lines;
 *  2. the history is cut at the first quote header that clients write in many forms and languages
 *     ("On … wrote:" also when wrapped, Outlook From/Sent/To blocks, "Original Message",
 *     forwarded-message markers), which the library misses or only half sees;
 *  3. signatures are judged by our own, stricter rules: the library drops any line that starts with
 *     "Sent from" or "Regards", which also eats real sentences and sign-offs.
 */
import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';

/** Extract the new text of a reply. Prefers the text part; falls back to the HTML. Never throws. */
export function extractReplyText(input: { text?: string; html?: string }): string {
  try {
    const source = input.text?.trim() ? input.text : input.html ? htmlToText(input.html) : '';
    const text = normalise(source);
    const lines = text.split('\n');
    const end = findQuoteStart(lines);
    // `>`-quoted lines are dropped here, not by the library: its pre-pass joins an unquoted line
    // with a quoted attribution below it, and the reply line is lost with the quote.
    const head = dropQuotedLines(lines.slice(0, end)).join('\n');
    const visible = new EmailReplyParser()
      .read(head)
      .getFragments()
      .filter((fragment) => !fragment.isQuoted())
      .map((fragment) => fragment.getContent())
      .join('\n');
    const result = stripSignature(visible).trim();
    // A mail that is all history (a bare forward, say) would show nothing: show its text instead.
    return result || text.trim();
  } catch {
    return (input.text ?? '').trim();
  }
}

/**
 * Drops `>`-quoted lines, and the unquoted lines glued below them without a blank line: those
 * are quoted lines that a client re-wrapped, losing their `>`.
 */
function dropQuotedLines(lines: string[]): string[] {
  const out: string[] = [];
  let previousQuoted = '';
  for (const line of lines) {
    if (line.trimStart().startsWith('>')) {
      previousQuoted = line;
      continue;
    }
    // Only a long quoted line was re-wrapped; after a short one, the unquoted line is the reply.
    if (line.trim() === '' || previousQuoted.length < 60) previousQuoted = '';
    if (!previousQuoted) out.push(line);
  }
  return out;
}

function normalise(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[ \t]+$/gm, '');
}

/** HTML to text, keeping quotes recognisable: blockquotes become `>` lines. */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'head', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
      { selector: 'hr', format: 'horizontalLine', options: { length: 32 } },
    ],
  });
}

// --- where the history starts ------------------------------------------------------------

/** Verbs that end an attribution line ("… wrote:"), in the languages that clients localise. */
const WROTE =
  '(wrote|writes|a écrit|écrit|escribió|escribio|ha scritto|scritto|escreveu|schrieb|schreef|skrev|skrive|napisał|napisała|napisal|pisze|kirjoitti|írta|написал|написала|написав|yazdı|έγραψε|כתב|كتب|đã viết|menulis|写道|寫道|작성|のメッセージ)';
// The verb ends the line, or is followed by the name and address and then the colon
// ("Op … schreef Company Questions <questions@company.com>:").
const ATTRIBUTION = new RegExp(`(${WROTE}\\s*:?|${WROTE}\\s.{0,100}:)\\s*$`, 'i');
/** mail.ru and others: "<date> от Name <address>:", no verb at the end. */
const DATED_ADDRESS_ATTRIBUTION = /\d.*<[^<>\s]+@[^<>\s]+>\s*:\s*$/;
/** Words that open an attribution ("On …", "Le …", "Am …", …) when it wraps over lines. */
const ATTRIBUTION_OPENER = /^(On|Le|El|Il|Em|Am|Op|Den|På|W dniu|Dnia|Dne|Dňa|pe|ma|ti|ke|to|la|su|Στις|В|У|在|\d)/i;

const ORIGINAL_MESSAGE =
  /^\s*[-_=*>\s]*(original message|forwarded message|message d'origine|message transféré|mail original|ursprüngliche nachricht|weitergeleitete nachricht|mensaje original|mensaje reenviado|messaggio originale|messaggio inoltrato|mensagem original|mensagem encaminhada|oorspronkelijk bericht|doorgestuurd bericht|oprindelig besked|videresendt besked|opprinnelig melding|ursprungligt meddelande|vidarebefordrat meddelande|alkuperäinen viesti|исходное сообщение|пересылаемое сообщение|пересланное сообщение|wiadomość oryginalna|původní zpráva|eredeti üzenet|原始邮件|原始郵件|元のメッセージ)\s*[-_=*\s]*:?\s*$/i;
const FORWARD_INTRO =
  /^\s*(begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié|inicio del mensaje reenviado|inizio messaggio inoltrato)\s*:?\s*$/i;

const HEADER_FROM =
  /^\s*[*>\s]*(from|de|von|da|van|från|fra|od|от|feladó|lähettäjä|kimden|送信者|发件人|寄件者|보낸 사람)\s*:\s*\**\s*\S/i;
const HEADER_OTHER =
  /^\s*[*>\s]*(sent|date|to|subject|cc|envoyé|à|objet|gesendet|datum|an|betreff|enviado|fecha|para|asunto|inviato|data|a|oggetto|verzonden|aan|onderwerp|skickat|till|ämne|sendt|til|emne|wysłano|do|temat|отправлено|дата|кому|тема|elküldve|címzett|tárgy|lähetetty|vastaanottaja|aihe|gönderildi|kime|konu|件名|日付|宛先|主题|日期|收件人|发送时间)\s*:\s*\**/i;
const SEPARATOR = /^\s*([-_=*]{3,}|[-_]{2,}\s*\S.*[-_]{2,})\s*$/;

/**
 * Index of the first line of quoted history, or `lines.length` when there is none. Attributions
 * above `>`-quoted blocks are removed from `lines` in place.
 */
function findQuoteStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('>')) continue;
    if (ORIGINAL_MESSAGE.test(line) || FORWARD_INTRO.test(line)) return i;
    const span = attributionSpan(lines, i);
    if (span > 0) {
      // Bottom-posting and inline replies: when `>` quotes follow, only the attribution goes here;
      // the quoted lines go below and the reply after them stays.
      const next = lines.slice(i + span).findIndex((l) => l.trim() !== '');
      if (next >= 0 && lines[i + span + next].trimStart().startsWith('>')) {
        lines.splice(i, span);
        i--;
        continue;
      }
      return i;
    }
    if (HEADER_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => HEADER_OTHER.test(l))) {
      // Some clients put more header lines ("Message du :") or a rule line above: cut there too.
      let start = i;
      let above = previousNonBlank(lines, start);
      while (
        above >= 0 &&
        (HEADER_OTHER.test(lines[above]) || /^\s*message (du|from|de|vom)\s*:/i.test(lines[above]))
      ) {
        start = above;
        above = previousNonBlank(lines, start);
      }
      return above >= 0 && SEPARATOR.test(lines[above]) ? above : start;
    }
  }
  return lines.length;
}

/** "On <date>, <name> wrote:", on one line or wrapped over up to three: the number of lines, or 0. */
function attributionSpan(lines: string[], i: number): number {
  const line = lines[i].trim();
  // A date, an address or a time tells an attribution from a sentence that ends in "wrote:".
  const looksLikeHeader = (s: string) => /\d|@|<|"/.test(s) && s.length < 400;
  if ((ATTRIBUTION.test(line) || DATED_ADDRESS_ATTRIBUTION.test(line)) && looksLikeHeader(line)) return 1;
  if (!ATTRIBUTION_OPENER.test(line)) return 0;
  // Wrapped over lines: only with an address, a time or a year, never a mere sentence.
  for (let span = 2; span <= 3 && i + span <= lines.length; span++) {
    // Gmail wraps "<address>:" as "<address" + ">:", which looks like a quote line.
    const last = lines[i + span - 1].trim();
    if (last.startsWith('>') && !/^>\s*:$/.test(last)) break;
    const window = lines
      .slice(i, i + span)
      .map((l) => l.trim())
      .join(' ');
    const dated = /@|\d{1,2}:\d{2}|\d{4}/.test(window) && window.length < 400;
    if (dated && (ATTRIBUTION.test(window) || DATED_ADDRESS_ATTRIBUTION.test(window))) return span;
  }
  return 0;
}

function previousNonBlank(lines: string[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (lines[j].trim()) return j;
  return -1;
}

// --- signatures --------------------------------------------------------------------------

const SIGNATURE_START: RegExp[] = [
  /^-- ?$/, // the RFC 3676 delimiter, also with its space lost
  /^[-_—]{2,}\s*$/, // rule lines that open a signature or a list footer
  /^-[A-Za-z][\w.' ]{0,40}$/, // "-Abhishek Kona"
  /^(sent|envoyé|enviado|gesendet|verzonden|verstuurd|inviato|sendt|skickat) (from|with|via|de|depuis|desde|von|vanaf|da|fra|från|med) (my|mon|mein|mijn|mi|il mio|min)\b.{0,40}$/i,
  /^sent from (\S+\s?){1,3}$/i,
  /^sent from (mail|outlook) for /i,
  /^(get|télécharger) outlook (for|pour) /i,
  /^sent with [\w ]+\(?https?:/i,
];

/** Cut a trailing signature: from the first signature-opening line, if only a short tail follows. */
function stripSignature(text: string): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!SIGNATURE_START.some((re) => re.test(line))) continue;
    const tail = lines.slice(i).filter((l) => l.trim()).length;
    if (tail <= 12) return lines.slice(0, i).join('\n');
  }
  return text;
}
