/**
 * The Inbox's screenshots in docs/: light and dark, at 1440 px and 390 px wide, a thread on a phone, the
 * settings screen, and the Reports page (light and dark, each checked with axe: the script fails on a violation).
 * Starts the local stack as the browser tests do (test/browser/harness.ts), seeds a few threads by mail,
 * signs in and writes the PNGs.
 *
 *   npx tsx web/scripts/screenshots.ts
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../lib/paths.ts';
import { api, sendMail, seriousViolations, signedIn, startHarness, until } from '../../test/browser/harness.ts';

const SEED = [
  {
    from: 'Catherine Muller <catherine@example.com>',
    subject: 'Documents KYC',
    text: 'Bonjour, voici les documents demandés.\n\nCordialement,\nCatherine',
  },
  {
    from: 'Paul Martin <paul@example.org>',
    subject: 'Question sur le contrat',
    text: 'Pouvez-vous confirmer la date de début du contrat ?',
  },
  {
    from: 'Léa Bernard <lea@example.net>',
    subject: 'Facture de novembre',
    text: 'La facture de novembre ne correspond pas au devis.',
  },
  {
    from: 'Hugo Petit <hugo@example.com>',
    subject: 'Changement d’adresse',
    text: 'Je déménage le 15 : voici ma nouvelle adresse.',
  },
  {
    from: 'Emma Roux <emma@example.fr>',
    subject: 'Accès au portail',
    text: 'Je n’arrive plus à me connecter au portail client.',
  },
];

const shot = (name: string) => join(REPO_ROOT, 'docs', `${name}.png`);

async function inTheme(page: Page, theme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: theme });
}

const h = await startHarness();
try {
  for (const mail of SEED) await sendMail(h.stack, mail);
  const { context, page } = await signedIn(h, h.devAgent);
  await until(
    'the seeded threads',
    async () => (await page.getByRole('link', { name: /Accès au portail/ }).count()) > 0,
    30_000,
  );
  await page.getByText('Live', { exact: true }).waitFor();
  for (const theme of ['light', 'dark'] as const) {
    await inTheme(page, theme);
    // Wide: the three panes, a thread open with its details panel.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByRole('link', { name: /Documents KYC/ }).click();
    await page
      .getByRole('region', { name: /^Thread / })
      .getByText('voici les documents demandés.')
      .first()
      .waitFor();
    await page
      .getByRole('list', { name: /^Contacts of / })
      .first()
      .waitFor();
    await page.screenshot({ path: shot(`inbox-1440-${theme}`) });
    // Phone: one pane at a time, the route decides: the list, then the thread.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${h.stack.web!.url}/inbox`);
    await page.getByRole('link', { name: /Documents KYC/ }).waitFor();
    await page.screenshot({ path: shot(`inbox-390-${theme}`) });
    await page.getByRole('link', { name: /Documents KYC/ }).click();
    await page
      .getByRole('region', { name: /^Thread / })
      .getByText('voici les documents demandés.')
      .first()
      .waitFor();
    await page.screenshot({ path: shot(`inbox-thread-390-${theme}`) });
    // The settings screen (loaded on demand), wide.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${h.stack.web!.url}/admin/settings`);
    await page.getByRole('list', { name: 'Reminder policy timeline' }).waitFor();
    await page.getByText(h.otherAgent.email).waitFor();
    await page.screenshot({ path: shot(`settings-1440-${theme}`) });
    await page.goto(`${h.stack.web!.url}/inbox`);
  }
  // The Reports page: two threads closed, so that the figures count more than creations; then a figure
  // clicked through to its threads.
  const { items } = await api(h.stack, 'GET', '/v1/threads');
  for (const card of items.slice(0, 2)) {
    const { version } = await api(h.stack, 'GET', `/v1/threads/${card.threadId}`);
    await api(h.stack, 'PATCH', `/v1/threads/${card.threadId}`, { version, status: 'closed' });
  }
  await inTheme(page, 'light');
  // Tall: the panes scroll inside the window, so the whole page is shown by a taller window.
  await page.setViewportSize({ width: 1440, height: 1600 });
  const figures = page.getByRole('list', { name: 'Figures' });
  await until(
    'the report to count the closed threads',
    async () => {
      await page.goto(`${h.stack.web!.url}/reports`);
      const resolved = await figures.getByRole('button', { name: /^Resolved/ }).textContent();
      return resolved?.includes('2') ?? false;
    },
    30_000,
  );
  await figures.getByRole('button', { name: /^Created/ }).click();
  await page
    .getByRole('region', { name: 'Threads: Created' })
    .getByRole('link', { name: /Accès au portail/ })
    .waitFor();
  await page.screenshot({ path: shot('reports-1440-light'), fullPage: true });
  const violations = await seriousViolations(page);
  if (violations.length > 0) throw new Error(`axe on the Reports page: ${JSON.stringify(violations, null, 2)}`);
  // The same page in dark: the charts take their colours when drawn, so the page is loaded again in the theme.
  await inTheme(page, 'dark');
  await page.reload();
  await figures.getByRole('button', { name: /^Created/ }).click();
  await page
    .getByRole('region', { name: 'Threads: Created' })
    .getByRole('link', { name: /Accès au portail/ })
    .waitFor();
  await page.screenshot({ path: shot('reports-1440-dark'), fullPage: true });
  const inDark = await seriousViolations(page);
  if (inDark.length > 0) throw new Error(`axe on the Reports page, dark: ${JSON.stringify(inDark, null, 2)}`);
  await inTheme(page, 'light');
  // The settings screen with its business hours ticked (the form's hidden part shown), checked by axe too.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`${h.stack.web!.url}/admin/settings`);
  await page.getByRole('checkbox', { name: /Count business hours only/ }).check();
  const inSettings = await seriousViolations(page);
  if (inSettings.length > 0) throw new Error(`axe on the settings: ${JSON.stringify(inSettings, null, 2)}`);
  await context.close();
} finally {
  await h.stop();
}
process.exit(0);
