/**
 * Quote headers generated from the clients' own templates (functions/core/reply-text/quote-header-templates.ts),
 * and the generated evaluation built on them: every open-set reply (test/support/reply-cases.ts) recombined
 * with a header of each client and locale above a quoted history, scored per client × locale.
 * Used by test/unit/reply-text-generated.test.ts and bench/reply-text.ts. Seeded: the same seed, the same cases.
 */
import {
  type DateForm,
  QUOTE_TEMPLATES,
  type QuoteTemplate,
  type SenderForm,
  TEMPLATE_LOCALES,
} from '#core/reply-text/quote-header-templates.ts';
import { QUOTE_PATTERNS } from '#core/reply-text/quote-headers.ts';
import { CLIENT_SIGN_OFF, SIGN_OFFS } from '#core/reply-text/sign-off-templates.ts';
import { seededRandom } from './orders.ts';

/** The seeded generator of the order tests (mulberry32), so that a run is reproducible. */
export const seeded = seededRandom;

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

/** Quoted authors: names in several scripts, some long enough to make Gmail wrap. */
const PEOPLE: { name: string; address: string }[] = [
  { name: 'John Smith', address: 'john.smith@example.com' },
  { name: 'Anne-Sophie Lefèvre', address: 'as.lefevre@exemple.fr' },
  { name: 'Jürgen Müller-Lüdenscheidt', address: 'j.mueller@beispiel.de' },
  { name: 'María José García Fernández', address: 'mjgarcia@ejemplo.es' },
  { name: 'Иван Петров', address: 'ivan.petrov@example.ru' },
  { name: '山田太郎', address: 'taro.yamada@example.jp' },
  { name: '王小明', address: 'xiaoming.wang@example.cn' },
  { name: 'Go!Chat Support', address: 'support+ticket-4821@help.example.com' },
  {
    name: 'Alexandra Konstantinopoulou-Richardson',
    address: 'alexandra.konstantinopoulou-richardson@long-company-name.example.org',
  },
  { name: 'Åsa Öberg', address: 'asa.oberg@exempel.se' },
];
const RECIPIENTS = ['Customer Care <care@example.net>', 'help@example.net', 'Kundenservice <service@example.de>'];
const SUBJECTS = ['Re: Order 4821', 'Re: Your ticket [#1234]', 'Re: Invoice question', 'RE: Login problem'];
const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Europe/Moscow', 'America/Sao_Paulo'];

/** Formatters by options object and time zone: building one is the costly part of formatting a date. */
const formats = new WeakMap<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();
function format(locale: string, options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  let byZone = formats.get(options);
  if (!byZone) {
    byZone = new Map();
    formats.set(options, byZone);
  }
  const key = `${locale}|${timeZone}`;
  let f = byZone.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    byZone.set(key, f);
  }
  return f;
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** The date and time as the client writes them, in its locale (Intl, as the clients use the OS's). */
export function renderDate(
  form: DateForm,
  locale: string,
  when: Date,
  timeZone: string,
): { date: string; time: string } {
  const tag = TEMPLATE_LOCALES[locale] ?? locale;
  let date = format(tag, form.date, timeZone).format(when);
  if (form.ordinal) {
    date = format(tag, form.date, timeZone)
      .formatToParts(when)
      .map((p) => (p.type === 'day' ? ordinal(Number(p.value)) : p.value))
      .join('');
  }
  const time = form.time ? format(tag, form.time, timeZone).format(when) : '';
  return { date, time };
}

export function renderSender(form: SenderForm, person: { name: string; address: string }): string {
  const { name, address } = person;
  switch (form) {
    case 'name-address':
      return `${name} <${address}>`;
    case 'angle-address':
      return `<${address}>`;
    case 'bare-address':
      return address;
    case 'quoted-name':
      return `"${name}" <${address}>`;
    case 'name':
      return name;
    case 'mailto-brackets':
      return `${name} [mailto:${address}]`;
    case 'mailto-angle':
      return `${name} <mailto:${address}>`;
    case 'mailto-spaced':
      return `${name} < mailto:${address} >`;
  }
}

/** Wraps a line at spaces, as Gmail's text part does (it also breaks right after the `<` of an address). */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = -1;
    let skip = 0;
    for (let i = 1; i <= width && i < rest.length; i++) {
      if (rest[i] === ' ') [cut, skip] = [i, 1];
      else if (rest[i - 1] === '<') [cut, skip] = [i, 0];
    }
    if (cut <= 0) break;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut + skip);
  }
  out.push(rest);
  return out;
}

export interface RenderedHeader {
  lines: string[];
  /** Whether the history below is `> ` quoted. */
  quoted: boolean;
}

/** One rendering of a template: a random date, author, sender form and line layout. */
export function renderHeader(template: QuoteTemplate, rng: Rng): RenderedHeader {
  const when = new Date(Date.UTC(2012, 0, 1) + Math.floor(rng() * 15 * 365 * 86_400_000));
  const { date, time } = renderDate(pick(rng, template.dates), template.locale, when, pick(rng, TIME_ZONES));
  const sender = renderSender(pick(rng, template.senders), pick(rng, PEOPLE));
  const fill = (text: string) =>
    text
      .replace('{date}', date)
      .replace('{time}', time)
      .replace('{sender}', sender)
      .replace('{to}', pick(rng, RECIPIENTS))
      .replace('{cc}', pick(rng, RECIPIENTS))
      .replace('{subject}', pick(rng, SUBJECTS))
      .replace(/\s+/g, (s) => (s.includes('\n') ? s : ' '));
  if (template.kind === 'block') {
    const above = pick(rng, template.above);
    return { lines: [...(above ? [above] : []), ...template.fields.map(fill)], quoted: template.quoted };
  }
  const line = fill(template.text);
  const lines = template.wraps && rng() < 0.7 ? wrap(line, 60 + Math.floor(rng() * 19)) : [line];
  return { lines: [...(template.banner ? [template.banner] : []), ...lines], quoted: true };
}

/** The client × locale cells of the table. */
export function templateCells(): { cell: string; templates: QuoteTemplate[] }[] {
  const cells = new Map<string, QuoteTemplate[]>();
  for (const t of QUOTE_TEMPLATES) {
    const key = `${t.client} ${t.locale}`;
    cells.set(key, [...(cells.get(key) ?? []), t]);
  }
  return [...cells].map(([cell, templates]) => ({ cell, templates }));
}

export interface GeneratedCase {
  cell: string;
  text: string;
  /** The customer's own text: what the new text must be. */
  expected: string;
}

/**
 * The customer's reply, then (sometimes) the client's sign-off, then (after a blank line, or right
 * below in a quarter of the cases) a header of the cell's client and locale, then another reply of the
 * open sets as the quoted history.
 */
export function composeCase(reply: string, history: string, template: QuoteTemplate, rng: Rng): GeneratedCase {
  const header = renderHeader(template, rng);
  const signOffWords = CLIENT_SIGN_OFF[template.client];
  const signOffs = signOffWords ? (SIGN_OFFS[template.locale] ?? []).filter((s) => signOffWords.test(s)) : [];
  const signOff = signOffs.length && rng() < 0.6 ? pick(rng, signOffs) : '';
  const link = signOff.includes('Outlook') && rng() < 0.5 ? '<https://aka.ms/o0ukef>' : '';
  const quoted = history
    .split('\n')
    .map((l) => (header.quoted ? (l ? `> ${l}` : '>') : l))
    .join('\n');
  const parts = [reply.trim()];
  if (signOff) parts.push(`${signOff}${link}`);
  const head = parts.join('\n\n');
  // Most clients leave a blank line above the header; some (and some users) do not.
  const glued = rng() < 0.25;
  const text = `${head}${glued ? '\n' : '\n\n'}${header.lines.join('\n')}${header.quoted && rng() < 0.5 ? '\n' : ''}\n${quoted}\n`;
  return { cell: `${template.client} ${template.locale}`, text, expected: reply };
}

/**
 * The open sets' replies recombined with headers: each cell (client × locale) takes `perCell` replies
 * (all of them when `perCell` is larger), the cells' choices rotating so that every reply is used, each
 * under a template of the cell picked at random, its history another reply (its first 12 lines).
 * `replies` are the open sets' expected new texts.
 */
export function generateCases(replies: string[], options: { seed?: number; perCell?: number } = {}): GeneratedCase[] {
  const rng = seeded(options.seed ?? 23);
  const usable = recombinable(replies);
  const perCell = Math.min(options.perCell ?? usable.length, usable.length);
  const cases: GeneratedCase[] = [];
  let offset = 0;
  for (const { templates } of templateCells()) {
    for (let k = 0; k < perCell; k++) {
      const reply = usable[(offset + k) % usable.length];
      const history = pick(rng, usable).split('\n').slice(0, 12).join('\n');
      cases.push(composeCase(reply, history, pick(rng, templates), rng));
    }
    offset += perCell;
  }
  return cases;
}

/**
 * The replies that can take a history below them: not empty, and not a forward (a forward is content
 * down to its end, by decision, so a history below it would be part of what is forwarded).
 */
export function recombinable(replies: string[]): string[] {
  return replies.filter((r) => r.trim() && !r.split('\n').some((l) => QUOTE_PATTERNS.forwarded.test(l.trim())));
}

/** Lines of the customer's own text that the new text lacks (compared with whitespace folded). */
export function lostLines(expected: string, actual: string): string[] {
  const have = fold(actual);
  return expected
    .split('\n')
    .map(fold)
    .filter((line) => line && !have.includes(line));
}

const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * Mails that only quote: a header of each client × locale that writes an attribution, and its history,
 * with nothing above (`perCell` histories each). Their new text must be empty.
 */
export function generateQuoteOnlyCases(replies: string[], perCell = 20, seed = 2323): GeneratedCase[] {
  const rng = seeded(seed);
  const cases: GeneratedCase[] = [];
  for (const { cell, templates } of templateCells()) {
    const attributions = templates.filter((t) => t.kind === 'attribution');
    if (!attributions.length) continue;
    for (let i = 0; i < perCell; i++) {
      const header = renderHeader(pick(rng, attributions), rng);
      const history = pick(rng, replies)
        .split('\n')
        .map((l) => (l ? `> ${l}` : '>'))
        .join('\n');
      cases.push({ cell, text: `${header.lines.join('\n')}\n${history}\n`, expected: '' });
    }
  }
  return cases;
}

export interface GeneratedScore {
  cells: Map<string, { cases: number; exact: number }>;
  /** One entry per case whose new text lacks a line of the customer's text: the cell and the lines. */
  lost: string[];
}

/** Exact (after folding whitespace) per cell, and the cases that lost a line of the customer's text. */
export function scoreGenerated(cases: GeneratedCase[], extract: (text: string) => string): GeneratedScore {
  const cells = new Map<string, { cases: number; exact: number }>();
  const lost: string[] = [];
  for (const c of cases) {
    const actual = extract(c.text);
    const s = cells.get(c.cell) ?? { cases: 0, exact: 0 };
    s.cases++;
    if (fold(actual) === fold(c.expected)) s.exact++;
    else {
      const missing = lostLines(c.expected, actual);
      if (missing.length) lost.push(`${c.cell}: ${missing.join(' | ')}`);
    }
    cells.set(c.cell, s);
  }
  return { cells, lost };
}
