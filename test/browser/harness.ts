/**
 * The browser tests' harness: the stack that `npm start` runs (lib/local/stack.ts, with the built Inbox),
 * on free ports and in memory, and one Debian Chromium (no browser download) driven by playwright-core.
 */
import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { documentClient } from '#adapters/aws-clients.ts';
import { CognitoAgentPool, cognitoClient } from '#adapters/cognito-agent-pool.ts';
import { DynamoAgentStore } from '#adapters/dynamo/agent-store.ts';
import { systemClock } from '#adapters/system.ts';
import { provisionAgent } from '#api/use-cases/agents.ts';
import { type LocalStack, startLocalStack } from '#lib/local/stack.ts';
import { buildWebApp } from '#lib/local/web-server.ts';

/** Debian's Chromium: the binary itself launches in under a second, the /usr/bin wrapper in 1 to 5. */
export const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));

export interface Agent {
  email: string;
  password: string;
  name: string;
  agentId: string;
}

export interface Harness {
  stack: LocalStack;
  browser: Browser;
  devAgent: Agent;
  /** A second agent (role agent) of the same workspace. */
  otherAgent: Agent;
  stop(): Promise<void>;
}

/** `timeScale`: simulated seconds per real second of the stack's timers (Step Functions waits); 1 by default. */
export async function startHarness(opts: { timeScale?: number } = {}): Promise<Harness> {
  if (!CHROMIUM) throw new Error('Chromium is missing: run scripts/ensure-chromium.sh (apt-get install chromium)');
  await buildWebApp();
  const stack = await startLocalStack({ dataDir: 'memory', web: {}, timeScale: opts.timeScale ?? 1, ports: {} });
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    const cognito = cognitoClient({ region: stack.region, endpoint: stack.endpoints.cognito });
    const db = documentClient({ region: stack.region, endpoints: { dynamodb: stack.endpoints.dynamodb } });
    const other = { email: 'ada@gochat.localhost', name: 'Ada Lovelace', password: 'GoChat-local-agent-2' };
    const { profile } = await provisionAgent(
      {
        pool: new CognitoAgentPool(cognito, stack.agents.userPoolId),
        agents: new DynamoAgentStore(db, stack.tableName),
        clock: systemClock,
      },
      { workspaceId: stack.workspaceId, role: 'agent', ...other },
    );
    cognito.destroy();
    db.destroy();
    const dev = stack.agents.devAgent;
    return {
      stack,
      browser,
      devAgent: { email: dev.email, password: dev.password, name: 'Dev Agent', agentId: dev.agentId },
      otherAgent: { ...other, agentId: profile.agentId },
      stop: async () => {
        await browser.close();
        await stack.stop();
      },
    };
  } catch (e) {
    await stack.stop();
    throw e;
  }
}

/** A browser context with short waits: a step that does not happen within 10 s has failed. */
export async function newContext(h: Harness): Promise<BrowserContext> {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
  return context;
}

/** A fresh browser context (its own session storage: one agent), signed in through the sign-in screen. */
export async function signedIn(h: Harness, agent: Agent): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(h);
  const page = await context.newPage();
  await page.goto(h.stack.web!.url);
  await page.getByLabel('Email').fill(agent.email);
  await page.getByLabel('Password').fill(agent.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
  return { context, page };
}

/**
 * axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules), in the light
 * theme and then in the dark one (the system's preference emulated; the Inbox's tokens follow it), so that
 * contrast is checked in both. The frames of HTML mail are left out: a customer's markup is not the app's, and
 * their sandbox runs no script (axe's). A dark-theme violation's id is prefixed with `dark:`.
 */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  const scan = async (prefix: string) => {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .exclude('.html-mail iframe')
      .analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: prefix + v.id, impact: v.impact!, targets: v.nodes.map((n) => n.target.join(' ')) }));
  };
  const light = await scan('');
  await page.emulateMedia({ colorScheme: 'dark' });
  try {
    return [...light, ...(await scan('dark:'))];
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
}

export async function sendMail(stack: LocalStack, mail: SendMailOptions): Promise<void> {
  const transport = nodemailer.createTransport({
    host: stack.smtp.host,
    port: stack.smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  await transport.sendMail({ to: stack.inboundAddress, ...mail });
  transport.close();
}

/** The REST API with the workspace's integration key: fixtures, and changes made "by someone else". */
export async function api(stack: LocalStack, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Polls `probe` until it returns a value (not undefined or false), or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Presses Tab until the focused element is the one `isTarget` names (keyboard only, as a person would). */
export async function tabTo(page: Page, accessibleName: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    // Runs in the page (no DOM types on the Node side): the focused element's label, as a person reads it.
    const name: string = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const el = doc.activeElement;
      if (!el) return '';
      const labelled = el.getAttribute('aria-label');
      if (labelled) return labelled;
      const label =
        el.labels?.[0]?.textContent ?? (el.id ? doc.querySelector(`label[for="${el.id}"]`)?.textContent : null);
      return String(label ?? el.textContent ?? '').trim();
    });
    if (name.startsWith(accessibleName)) return;
  }
  throw new Error(`Tab never reached "${accessibleName}"`);
}
