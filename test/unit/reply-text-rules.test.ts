import { describe, expect, it } from 'vitest';
import { cutHtmlQuote } from '#core/reply-text/html-cut.ts';
import { QUOTE_HEADER_LANGUAGES } from '#core/reply-text/quote-headers.ts';
import { extractReplyText } from '#core/reply-text.ts';

const fold = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('HTML replies cut by their structure', () => {
  const history = '<p>On Mon, Jun 3, 2024 at 10:00 AM Support &lt;s@example.org&gt; wrote:</p><p>Old question?</p>';
  const clients: [string, string][] = [
    ['Gmail div.gmail_quote', `<div dir="ltr">Works now.</div><div class="gmail_quote">${history}</div>`],
    [
      'Gmail div.gmail_quote_container',
      `<div>Works now.</div><div class="gmail_quote gmail_quote_container">${history}</div>`,
    ],
    [
      'Outlook #divRplyFwdMsg, the history in its siblings',
      `<div>Works now.</div><hr><div id="divRplyFwdMsg"><b>From:</b> Support</div><div>Old question?</div>`,
    ],
    [
      'Outlook #appendonsend',
      `<div>Works now.</div><div id="appendonsend"></div><hr><div><b>From:</b> Support</div><p>Old question?</p>`,
    ],
    [
      'Outlook desktop border-top header block',
      `<div class="WordSection1"><p>Works now.</p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p><b>From:</b> Support &lt;s@example.org&gt;<br><b>Sent:</b> Monday</p></div><p>Old question?</p></div>`,
    ],
    [
      'Outlook desktop border-top header block, in German',
      `<div><p>Works now.</p><div style="border-top: solid #B5C4DF 1pt"><p><b>Von:</b> Support<br><b>Gesendet:</b> Montag</p></div><p>Old question?</p></div>`,
    ],
    [
      'Outlook.com / Hotmail hr#stopSpelling',
      `<div>Works now.<div><hr id="stopSpelling">Date: Mon<br>From: s@example.org<br><br>Old question?</div></div>`,
    ],
    [
      'Windows Mail border-top-style header block',
      `<div>Works now.</div><div style="padding-top: 5px; border-top-color: rgb(229, 229, 229); border-top-width: 1px; border-top-style: solid;"><div><b>From:</b> Support</div><div><b>Sent:</b> Monday</div></div><div>Old question?</div>`,
    ],
    [
      'Apple Mail blockquote[type=cite]',
      `<div>Works now.</div><div><br><blockquote type="cite"><div>On 3 Jun 2024, at 10:00, Support wrote:</div><div>Old question?</div></blockquote></div>`,
    ],
    [
      'Thunderbird .moz-cite-prefix',
      `<p>Works now.</p><div class="moz-cite-prefix">On 03/06/2024 10:00, Support wrote:<br></div><blockquote type="cite">Old question?</blockquote>`,
    ],
    [
      'Yahoo .yahoo_quoted',
      `<div>Works now.</div><div id="yahoo_quoted_1234" class="yahoo_quoted"><div>On Monday, Support wrote:</div><div>Old question?</div></div>`,
    ],
  ];
  for (const [client, html] of clients) {
    it(`cuts ${client}`, () => {
      expect(fold(cutHtmlQuote(html) ?? '')).toBe('Works now.');
      // With a text part too, the structure wins: it does not depend on how the text part quotes.
      expect(extractReplyText({ html, text: 'Works now.\nOld question?' })).toBe('Works now.');
    });
  }

  it('keeps a forward that Gmail or Apple Mail wraps in its quote element', () => {
    const gmail =
      '<div dir="ltr">FYI</div><div class="gmail_quote"><div class="gmail_attr">---------- Forwarded message ---------<br>From: Bob &lt;bob@example.net&gt;<br>Subject: Invoice</div><div>The invoice is attached.</div></div>';
    const apple =
      '<div>FYI</div><div><br><blockquote type="cite"><div>Begin forwarded message:</div><div><b>From: </b>Bob</div><div>The invoice is attached.</div></blockquote></div>';
    for (const html of [gmail, apple]) {
      expect(fold(extractReplyText({ html }))).toMatch(/^FYI .*forwarded message.* The invoice is attached\.$/i);
    }
  });

  it('says so when the HTML has no quote structure, and the text part is used', () => {
    expect(cutHtmlQuote('<p>Hello <b>there</b></p>')).toBeUndefined();
    expect(extractReplyText({ html: '<p>Hello there, from HTML</p>', text: 'Hello there' })).toBe('Hello there');
  });

  it('without a client marker, drops only the last outer blockquote, and keeps what follows', () => {
    const html =
      '<div>Reply</div><blockquote>Mine</blockquote><div>middle</div><blockquote>Theirs</blockquote><div>disclaimer</div>';
    expect(fold(cutHtmlQuote(html) ?? '')).toBe('Reply Mine middle disclaimer');
  });

  it('walks deeply nested HTML without recursion', () => {
    const depth = 20_000;
    const html = `${'<div>'.repeat(depth)}Reply${'</div>'.repeat(depth)}<div class="gmail_quote">old</div>`;
    expect(() => cutHtmlQuote(html)).not.toThrow();
  });
});

describe('quote headers from the language table', () => {
  it('covers the languages the corpora hold', () => {
    const langs = new Set(QUOTE_HEADER_LANGUAGES.map((l) => l.lang));
    for (const lang of [
      'en',
      'fr',
      'de',
      'es',
      'it',
      'pt',
      'nl',
      'da',
      'nb',
      'sv',
      'fi',
      'pl',
      'ru',
      'uk',
      'ja',
      'ko',
      'zh',
    ]) {
      expect(langs, lang).toContain(lang);
    }
  });

  // Every row of the table, through the whole extractor: the table alone drives what is recognised.
  for (const row of QUOTE_HEADER_LANGUAGES) {
    it(`recognises the ${row.name} row's own words`, () => {
      const reply = 'Reply.';
      for (const wrote of row.wrote ?? []) {
        const attribution = `${row.openers?.[0] ?? ''} 3.6.2024 10:00, Support <s@example.org> ${wrote}:`.trim();
        expect(extractReplyText({ text: `${reply}\n\n${attribution}\n\nOld question?` }), attribution).toBe(reply);
      }
      for (const from of row.from ?? []) {
        const second = row.date?.[0] ?? row.other?.[0];
        const block = `${from}: Support <s@example.org>\n${second}: x`;
        expect(extractReplyText({ text: `${reply}\n\n${block}\n\nOld question?` }), block).toBe(reply);
      }
      for (const original of row.original ?? []) {
        const banner = `-----${original}-----`;
        expect(extractReplyText({ text: `${reply}\n\n${banner}\nOld question?` }), banner).toBe(reply);
      }
      for (const forwarded of row.forwarded ?? []) {
        const text = `${reply}\n\n---------- ${forwarded} ----------\n${row.from?.[0] ?? 'From'}: Bob <b@example.net>\n\nFwd text`;
        expect(extractReplyText({ text }), forwarded).toBe(text);
      }
    });
  }

  const attributions: [string, string][] = [
    ['English', 'On Mon, 3 Jun 2024 at 10:00, Support <s@example.org> wrote:'],
    ['French', 'Le lun. 3 juin 2024 à 10:00, Support <s@example.org> a écrit :'],
    ['German', 'Am 03.06.2024 um 10:00 schrieb Support <s@example.org>:'],
    ['Spanish', 'El lun, 3 jun 2024 a las 10:00, Support (<s@example.org>) escribió:'],
    ['Italian', 'Il giorno lun 3 giu 2024 alle ore 10:00 Support <s@example.org> ha scritto:'],
    ['Portuguese', 'Em seg., 3 de jun. de 2024 às 10:00, Support <s@example.org> escreveu:'],
    ['Dutch (Apple Mail)', 'Op 3 jun. 2024, om 10:00 heeft Support <s@example.org> het volgende geschreven:'],
    ['Swedish', 'Den 3 juni 2024 10:00 skrev Support <s@example.org>:'],
    ['Finnish', 'ma 3.6.2024 klo 10.00 Support (s@example.org) kirjoitti:'],
    ['Polish', 'W dniu 3.06.2024 o 10:00, Support <s@example.org> napisał(a):'],
    ['Russian (mail.ru, no verb)', 'Понедельник, 3 июня 2024, 10:00 +03:00 от Support <s@example.org>:'],
    ['Ukrainian', 'пн, 3 черв. 2024 о 10:00 Support <s@example.org> пише:'],
    ['Chinese', '在 2024年6月3日 10:00，Support <s@example.org> 写道：'],
    ['Japanese', '2024年6月3日(月) 10:00 Support <s@example.org>:'],
    ['a date first, no verb (Gmail)', '2016-03-03 17:21 GMT+01:00 Some One <s@example.org>:'],
  ];
  for (const [lang, attribution] of attributions) {
    it(`cuts an attribution in ${lang}, with the history below not quoted`, () => {
      expect(extractReplyText({ text: `Thanks, that works.\n\n${attribution}\n\nOld question?` })).toBe(
        'Thanks, that works.',
      );
    });
  }

  const headerBlocks: [string, string][] = [
    ['English', 'From: Support <s@example.org>\nSent: Monday, June 3, 2024 10:00 AM\nTo: Ana\nSubject: Your request'],
    ['French', 'De : Support <s@example.org>\nEnvoyé : lundi 3 juin 2024 10:00\nÀ : Ana\nObjet : Votre demande'],
    [
      'Spanish',
      'De: Support <s@example.org>\nEnviado: lunes, 3 de junio de 2024 10:00\nPara: Ana\nAsunto: Su solicitud',
    ],
    ['Dutch', 'Van: Support <s@example.org>\nVerzonden: maandag 3 juni 2024 10:00\nAan: Ana\nOnderwerp: Uw vraag'],
    ['Danish', 'Fra: Support <s@example.org>\nSendt: 3. juni 2024 10:00\nTil: Ana\nEmne: Din henvendelse'],
    ['Swedish', 'Från: Support <s@example.org>\nSkickat: den 3 juni 2024 10:00\nTill: Ana\nÄmne: Ditt ärende'],
    ['Polish', 'Od: Support <s@example.org>\nWysłano: poniedziałek, 3 czerwca 2024 10:00\nDo: Ana\nTemat: Zgłoszenie'],
    ['Russian', 'От: Support <s@example.org>\nОтправлено: 3 июня 2024 г. 10:00\nКому: Ana\nТема: Запрос'],
    ['starred (plain text of bold HTML)', '*From:* Support <s@example.org>\n*Sent:* Monday\n*To:* Ana\n*Subject:* Hi'],
    ['starting with Date', 'Date: Mon, 3 Jun 2024 10:00:00 +0000\nTo: ana@example.org'],
  ];
  for (const [lang, block] of headerBlocks) {
    it(`cuts a header block in ${lang}`, () => {
      expect(extractReplyText({ text: `Thanks, that works.\n\n${block}\n\nOld question?` })).toBe(
        'Thanks, that works.',
      );
    });
  }

  it('cuts at an "Original Message" line in other languages', () => {
    for (const marker of [
      '-----Original Message-----',
      "-------- Message d'origine --------",
      '--- Ursprüngliche Nachricht ---',
    ]) {
      expect(extractReplyText({ text: `Thanks.\n\n${marker}\nOld question?` }), marker).toBe('Thanks.');
    }
  });
});

describe('the shape of a reply', () => {
  it('keeps a forwarded message whole: it is what the customer sends us', () => {
    const text =
      'FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Bob <bob@example.net>\nDate: Mon, 3 Jun 2024\nSubject: Invoice\nTo: ana@example.org\n\nThe invoice is attached.';
    expect(extractReplyText({ text })).toBe(text);
  });

  it('keeps an inline reply whole, questions and answers', () => {
    const text =
      'See inline.\n\nOn Mon, 3 Jun 2024 at 10:00, Support <s@example.org> wrote:\n> Which plan?\nPro.\n> Which country?\nFrance.';
    expect(extractReplyText({ text })).toBe(text);
  });

  it('keeps a bottom-posted answer below the quote', () => {
    const text = 'On Mon, 3 Jun 2024 at 10:00, Support <s@example.org> wrote:\n> Which plan?\n\nThe Pro plan, please.';
    expect(extractReplyText({ text })).toBe('The Pro plan, please.');
  });

  it('takes a bare "… wrote:" line right above a quote for an attribution, and keeps one above text', () => {
    expect(
      fold(extractReplyText({ text: 'Thanks!\n\nOn Mon, someone wrote:\n> Sorry about that.\n\nOne more thing.' })),
    ).toBe('Thanks! One more thing.');
    expect(extractReplyText({ text: 'This is what my colleague wrote:\nthe report is late.' })).toBe(
      'This is what my colleague wrote:\nthe report is late.',
    );
  });

  it('splits a reply glued to the attribution on one line', () => {
    expect(extractReplyText({ text: 'Yes --- On Mon, 3 Jun 2024 at 10:00, s@example.org wrote:\n> Ok?' })).toBe('Yes');
  });

  it('keeps a ">>>" banner between reply lines when no attribution introduces it', () => {
    const text = 'Call us.\n>>> 0800 123 456 <<<\nWe answer every day.';
    expect(extractReplyText({ text })).toBe(text);
  });

  it('strips client sign-offs in several languages, and keeps a sentence', () => {
    for (const line of [
      'Sent from my iPhone',
      'Envoyé de mon iPad',
      'Gesendet von Outlook für Android<https://aka.ms/x>',
      'Get Outlook for iOS<https://aka.ms/x>',
      'Verzonden vanaf mijn iPhone',
    ]) {
      expect(extractReplyText({ text: `Fine, thanks.\n\n${line}` }), line).toBe('Fine, thanks.');
    }
    expect(extractReplyText({ text: 'Fine.\n\nSent from the office, where the network works.' })).toBe(
      'Fine.\n\nSent from the office, where the network works.',
    );
  });
});

describe('linear time on hostile input', () => {
  // Not timed here (the bench reports time): each must simply return, where a backtracking pattern on
  // an unbounded line would not return in any useful time.
  it('returns on a 4 MB single line', () => {
    const line = `${'On '.repeat(300_000)}${'wrote '.repeat(300_000)}x`.padEnd(4_000_000, ' -');
    const out = extractReplyText({ text: line });
    expect(out.length).toBeGreaterThan(3_000_000);
  });

  it('returns on a long run of spaces inside a line (a trailing-space pattern would be quadratic)', () => {
    expect(extractReplyText({ text: `reply${' '.repeat(200_000)}x` })).toBe(`reply${' '.repeat(200_000)}x`);
  });

  it('returns on a 4 MB single line of spaces and dashes', () => {
    const out = extractReplyText({ text: `reply ${' - '.repeat(1_300_000)}x` });
    expect(out.startsWith('reply')).toBe(true);
  });

  it('returns on many capped-length lines built to make patterns backtrack', () => {
    const nasty = [
      `From: ${' '.repeat(990)}x`,
      `Original Message${' -'.repeat(490)}x`,
      `wrote${' '.repeat(990)}x`,
      `--${'-'.repeat(990)}x`,
      `(http:${'(http:'.repeat(160)}`,
      `>${'<a'.repeat(490)}@`,
      `x${' On 1'.repeat(195)} wrote:`,
      '> q',
    ];
    const text = Array.from({ length: 2_000 }, (_, i) => nasty[i % nasty.length]).join('\n');
    expect(typeof extractReplyText({ text })).toBe('string');
  });

  it('returns on an HTML body of a 4 MB single text run', () => {
    const html = `<div>${'On wrote: '.repeat(400_000)}</div><blockquote>old</blockquote>`;
    expect(extractReplyText({ html }).length).toBeGreaterThan(3_000_000);
  });
});
