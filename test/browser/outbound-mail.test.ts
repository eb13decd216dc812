/**
 * The outbound HTML as a customer's mail client shows it: the MIME that outbound mail builds, parsed back
 * (postal-mime), its `cid:` image resolved as a client does, rendered by Debian's Chromium on a laptop
 * and a phone width, checked with axe, and photographed to docs/outbound-mail.png. No stack needed.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMime } from '#core/outbound-mime.ts';
import { repoPath } from '#lib/paths.ts';
import { CHROMIUM, seriousViolations } from './harness.ts';

let browser: Awaited<ReturnType<typeof chromium.launch>>;
beforeAll(async () => {
  if (!CHROMIUM) throw new Error('Chromium is missing: run scripts/ensure-chromium.sh (apt-get install chromium)');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
});
afterAll(async () => {
  await browser?.close();
});

/** A small logo drawn by Chromium itself, as an agent's pasted image would arrive. */
async function logoPng(): Promise<Buffer> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dataUrl: string = await page.evaluate(() => {
    const canvas = (globalThis as any).document.createElement('canvas');
    canvas.width = 240;
    canvas.height = 64;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#0b5cad';
    g.fillRect(0, 0, 240, 64);
    g.fillStyle = '#ffffff';
    g.font = 'bold 28px sans-serif';
    g.fillText('Acme Billing', 16, 42);
    return canvas.toDataURL('image/png');
  });
  await context.close();
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

describe('the outbound HTML in a browser', () => {
  it('renders the answer, the signature layers, the quote and an inline image, accessibly, on a laptop and a phone', async () => {
    const { raw } = await buildMime({
      from: { name: 'Ana Lopez from Acme Billing', address: 'billing@acme.example' },
      replyTo: 'billing+t0k3n@acme.example',
      to: ['ann@customer.example'],
      cc: [],
      subject: 'Re: My invoice #42 [#1042]',
      text: 'Hello Ann,\n\nWe corrected invoice #42: the new total is 118.00 EUR.',
      html: '<p>Hello Ann,</p><p>We corrected <strong>invoice #42</strong>: the new total is <em>118.00 EUR</em>.</p><ul><li>the duplicate line is gone</li><li>the <a href="https://acme.example/invoices/42">corrected invoice</a> is online</li></ul><p><img src="cid:logo@acme" alt="Acme Billing" width="240" height="64"></p><script>alert(1)</script>',
      signatures: [
        'The Acme team — acme.example',
        'Acme Billing · billing@acme.example',
        'Ana Lopez, Billing specialist',
      ],
      quote: {
        at: '2026-12-05T09:30:00.000Z',
        name: 'Ann Customer',
        text: 'Hello,\n\nInvoice #42 charges me twice for the same line.\nCan you fix it?',
      },
      messageId: '<screenshot@acme.example>',
      date: new Date('2026-12-05T10:00:00Z'),
      attachments: [
        { filename: 'logo.png', contentType: 'image/png', content: await logoPng(), contentId: 'logo@acme' },
      ],
    });
    const parsed = await PostalMime.parse(raw);
    // A mail client resolves cid: to the related part; here, to a data: URL of that part.
    let html = parsed.html ?? '';
    for (const a of parsed.attachments.filter((x) => x.contentId)) {
      const cid = a.contentId!.replace(/^<|>$/g, '');
      const data = Buffer.from(a.content as ArrayBuffer).toString('base64');
      html = html.replaceAll(`cid:${cid}`, `data:${a.mimeType};base64,${data}`);
    }

    const context = await browser.newContext({ viewport: { width: 760, height: 900 } });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await expect.poll(() => page.getByRole('article').getAttribute('aria-label')).toBe('Re: My invoice #42 [#1042]');
    expect(await page.getByRole('link', { name: 'corrected invoice' }).getAttribute('href')).toBe(
      'https://acme.example/invoices/42',
    );
    expect(await page.getByText('Ana Lopez, Billing specialist').isVisible()).toBe(true);
    expect(await page.getByText(/On Sat, 05 Dec 2026 09:30:00 UTC, Ann Customer wrote:/).isVisible()).toBe(true);
    expect(await page.locator('blockquote').textContent()).toContain('charges me twice');
    const image = page.getByRole('img', { name: 'Acme Billing' });
    expect(await image.evaluate((img: any) => img.complete && img.naturalWidth)).toBe(240);
    expect(await page.locator('script').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    writeFileSync(repoPath('docs/outbound-mail.png'), await page.screenshot({ fullPage: true }));

    // A phone: the one column fits, nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(
      await page.evaluate(
        () => (globalThis as any).document.documentElement.scrollWidth <= (globalThis as any).innerWidth,
      ),
    ).toBe(true);
    await context.close();
  });
});
