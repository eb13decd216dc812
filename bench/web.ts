/**
 * Bench: the Inbox web app. (1) Its initial JavaScript, gzip-compressed as CloudFront serves it: the scripts
 * that index.html loads before anything else, budget 200 KB. (2) The API calls that the first Inbox page
 * makes, counted in Debian's Chromium against the `npm start` stack: the list must be one GET /v1/threads.
 *
 *   npx tsx bench/web.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWebApp, WEB_DIST } from '#lib/local/web-server.ts';
import { isEntryPoint } from '#lib/paths.ts';
import { sendMail, signedIn, startHarness } from '../test/browser/harness.ts';
import type { BenchRow } from './run.ts';

export const INITIAL_JS_BUDGET_BYTES = 200 * 1024;

/** The scripts index.html loads at start (its module entry and the chunks it preloads), gzip level 9. */
export function initialJs(dist = WEB_DIST): { files: string[]; rawBytes: number; gzipBytes: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map(
    (m) => m[1],
  );
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const body = readFileSync(join(dist, f));
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files, rawBytes, gzipBytes };
}

/** The /v1 calls of a signed-in agent's first Inbox page, with 30 threads in the workspace. */
export async function firstPageCalls(): Promise<{ list: number; all: string[] }> {
  const h = await startHarness();
  try {
    for (let i = 0; i < 30; i++)
      await sendMail(h.stack, {
        from: `Customer ${i} <c${i}@example.com>`,
        subject: `Question ${i}`,
        text: `Hello ${i}`,
      });
    await new Promise((r) => setTimeout(r, 3000));
    const { context, page } = await signedIn(h, h.devAgent);
    const calls: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/v1/')) calls.push(`${r.method()} ${url.pathname}`);
    });
    await page.goto(`${h.stack.web!.url}/inbox`);
    await page
      .getByRole('link', { name: /Question/ })
      .first()
      .waitFor();
    await page.waitForLoadState('networkidle');
    await context.close();
    return { list: calls.filter((c) => c === 'GET /v1/threads').length, all: calls };
  } finally {
    await h.stop();
  }
}

export async function run(): Promise<BenchRow[]> {
  await buildWebApp();
  const js = initialJs();
  const calls = await firstPageCalls();
  return [
    {
      metric: 'initial JavaScript (gzip)',
      value: `${(js.gzipBytes / 1024).toFixed(1)} KB`,
      note: `budget ${INITIAL_JS_BUDGET_BYTES / 1024} KB: ${js.gzipBytes <= INITIAL_JS_BUDGET_BYTES ? 'within' : 'OVER'}; ${(js.rawBytes / 1024).toFixed(0)} KB raw, ${js.files.length} file(s)`,
    },
    {
      metric: 'API calls for the first list page',
      value: String(calls.list),
      note: `GET /v1/threads; all /v1 calls of the first page: ${calls.all.join(', ') || 'none'}`,
    },
  ];
}

if (isEntryPoint(import.meta.url)) {
  const rows = await run();
  for (const r of rows) console.log(`${r.metric}: ${r.value}  (${r.note})`);
  process.exit(0);
}
