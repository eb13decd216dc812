/**
 * Building one outbound mail's MIME (functions/core/outbound-mime.ts): a plain-text answer (escaped into
 * the HTML part) against an HTML answer (sanitize-html) with an inline image, both with three signature
 * layers and a quote. Time per mail after a warm-up (the lazy imports are paid once), and the MIME size.
 *
 *   npm run bench -- outbound-mime
 */
import { performance } from 'node:perf_hooks';
import { buildMime, type MimeInput } from '#core/outbound-mime.ts';
import type { BenchRow } from './run.ts';

export const title = 'outbound mail: MIME per answer (text vs sanitised HTML with an inline image)';

const PNG = Buffer.alloc(20_000, 7);
const paragraph = 'We corrected the invoice & re-sent it <today>. '.repeat(8);

const base: MimeInput = {
  from: { name: 'Ana Lopez from Acme Billing', address: 'billing@acme.example' },
  replyTo: 'billing+t0k3n@acme.example',
  to: ['ann@customer.example'],
  cc: [],
  subject: 'Re: My invoice [#1042]',
  text: Array.from({ length: 6 }, () => paragraph).join('\n\n'),
  signatures: ['The Acme team', 'Acme Billing · billing@acme.example', 'Ana Lopez, Billing'],
  quote: { at: '2026-12-05T09:30:00.000Z', name: 'Ann', text: 'Invoice #42 charges me twice.\nCan you fix it?' },
  messageId: '<bench@acme.example>',
  date: new Date('2026-12-05T10:00:00Z'),
  attachments: [],
};
const html: MimeInput = {
  ...base,
  html: `${Array.from({ length: 6 }, () => `<p>${paragraph.replace(/&/g, '&amp;').replace(/</g, '&lt;')} <strong>bold</strong> <a href="https://acme.example">link</a></p>`).join('')}<p><img src="cid:logo" alt="logo"></p><script>x()</script>`,
  attachments: [{ filename: 'logo.png', contentType: 'image/png', content: PNG, contentId: 'logo' }],
};

async function perMail(input: MimeInput, n: number) {
  await buildMime(input);
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes = (await buildMime(input)).raw.length;
  return { ms: (performance.now() - t0) / n, bytes };
}

export async function run(): Promise<BenchRow[]> {
  const n = 200;
  const text = await perMail(base, n);
  const rich = await perMail(html, n);
  return [
    { metric: 'text answer: ms per MIME', value: text.ms.toFixed(2), note: `${text.bytes} bytes; ${n} mails` },
    {
      metric: 'HTML answer + 20 KB inline image: ms per MIME',
      value: rich.ms.toFixed(2),
      note: `${rich.bytes} bytes; ${(rich.ms / text.ms).toFixed(1)}× the text answer`,
    },
  ];
}
