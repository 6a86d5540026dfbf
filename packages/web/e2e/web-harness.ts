import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ParleyApi } from '@parley/client';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startApp, type RunningApp } from '../../server/src/testing/running-app.js';

/** Debian's Chromium: the tests never download a browser. */
const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-gpu',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export interface WebHarness {
  server: RunningApp;
  browser: Browser;
  /** A fresh browser profile (its own cookies, storage and IndexedDB), like another person's laptop. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
}

/** A real server on a free port serving the built app, and a real Chromium. */
export async function startHarness(): Promise<WebHarness> {
  const server = await startApp({ presenceGraceMs: 0 });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async newContext(options = {}) {
      const context = await browser.newContext({ baseURL: server.url, ...options });
      // An error in the page is a bug of the app: it shows in the test output next to the failure it may explain.
      context.on('weberror', (error) => process.stderr.write(`page error: ${error.error().stack ?? String(error.error())}\n`));
      contexts.push(context);
      return context;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
}

export function passwordOf(username: string): string {
  return `${username}-secret-passphrase`;
}

/** Registers a user through the SDK (not the browser) and logs a scripted device in, to seed what the browser then shows. */
export async function signUpThroughApi(harness: WebHarness, username: string, displayName: string) {
  const api = new ParleyApi({ baseUrl: harness.server.url });
  await api.register({ username, password: passwordOf(username), displayName });
  const session = await api.login({ username, password: passwordOf(username), deviceName: 'seeder' });
  return { api, session };
}

/** Registers through the login screen; resolves once the chat list shows. */
export async function register(page: Page, username: string, displayName: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('tab', { name: 'Register' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(passwordOf(username));
  await page.getByLabel('Display name').fill(displayName);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
}

/** Logs in through the login screen, as a new device of the user; resolves once the chat list shows. */
export async function logIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(passwordOf(username));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
}

/** Opens (creating it if needed) the direct chat with a user, found by `query` (default: the display name). */
export async function startChat(page: Page, displayName: string, query = displayName): Promise<void> {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByLabel('Find a user').fill(query);
  await page.getByRole('button', { name: `Chat with ${displayName}` }).click();
  await page.getByRole('heading', { name: displayName, level: 2 }).waitFor();
}

export async function openChat(page: Page, name: string): Promise<void> {
  await page.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('heading', { name, level: 2 }).waitFor();
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The texts of the message bubbles on screen, top to bottom. */
export async function bubbleTexts(page: Page): Promise<string[]> {
  return page.locator('.message-scroller .bubble-text').allTextContents();
}

/** The tick of the user's own message with this text, as a screen reader names it. */
export async function tickOf(page: Page, text: string): Promise<string | null> {
  const bubble = page.locator('.bubble.mine').filter({ has: page.locator('.bubble-text', { hasText: text }) });
  return bubble.getByRole('img').getAttribute('aria-label');
}

export async function eventually<T>(read: () => Promise<T>, expected: T, timeout = 15_000): Promise<void> {
  await expect.poll(read, { timeout, interval: 100 }).toEqual(expected);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the app's CSP (rightly) refuses an inline script tag.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map((node) => ({ target: node.target as string[] })) }));
  });
}
