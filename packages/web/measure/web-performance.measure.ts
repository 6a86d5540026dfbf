import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ParleyApi, type ParleyClient } from '@parley/client';
import { createNodeClient } from '@parley/client/node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { passwordOf, startHarness, type WebHarness } from '../e2e/web-harness.js';

const conversationsCount = 200;
const longConversationMessages = 10_000;
const sendBatch = 500;
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function signUp(username: string): Promise<{ api: ParleyApi; id: string; token: string }> {
  const api = new ParleyApi({ baseUrl: harness.server.url });
  await api.register({ username, password: passwordOf(username), displayName: username[0]?.toUpperCase() + username.slice(1) });
  const session = await api.login({ username, password: passwordOf(username), deviceName: 'seeder' });
  return { api, id: session.user.id, token: session.token };
}

/** The JavaScript that index.html loads at once, gzipped as the server sends it (level 9). */
function firstLoadJsGzipBytes(): { files: string[]; gzipBytes: number; rawBytes: number } {
  const html = readFileSync(`${distDir}index.html`, 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1] as string);
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const file of files) {
    const body = readFileSync(`${distDir}${file}`);
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files, gzipBytes, rawBytes };
}

async function sendMany(client: ParleyClient, conversation: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += sendBatch) {
    const batch = Array.from({ length: Math.min(sendBatch, count - start) }, (_, index) =>
      client.send(conversation, { text: `Message number ${start + index + 1} of a long conversation` }),
    );
    await Promise.all(batch);
  }
}

/** Milliseconds from navigation start until the chat list shows every conversation. */
async function timeToChatList(page: Page, rows: number): Promise<number> {
  await page.waitForFunction((count) => document.querySelectorAll('.chat-rows > li').length >= count, rows, { timeout: 60_000 });
  return page.evaluate(() => performance.now());
}

/** Milliseconds from the click on a chat to its newest message on screen. */
async function timeToOpen(page: Page, name: string, newestText: string): Promise<number> {
  return page.evaluate(
    async ({ name, newestText }) => {
      const rows = [...document.querySelectorAll<HTMLButtonElement>('.chat-row')];
      const row = rows.find((button) => button.querySelector('.chat-name')?.textContent === name);
      if (row === undefined) throw new Error(`no chat named ${name}`);
      const start = performance.now();
      row.click();
      await new Promise<void>((resolve) => {
        const check = () => {
          const texts = [...document.querySelectorAll('.bubble-text')].map((element) => element.textContent);
          if (texts.includes(newestText)) resolve();
          else requestAnimationFrame(check);
        };
        check();
      });
      return performance.now() - start;
    },
    { name, newestText },
  );
}

/** Scrolls from the newest message to the oldest in steps, one per frame, and reports frame times and long tasks. */
async function scrollToTop(page: Page): Promise<{ frames: number; p95FrameMs: number; maxFrameMs: number; longTasks: number; renderedRowsMax: number; ms: number }> {
  return page.evaluate(async () => {
    const scroller = document.querySelector<HTMLElement>('.message-scroller');
    if (scroller === null) throw new Error('no message list');
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
    observer.observe({ type: 'longtask' });
    const frameTimes: number[] = [];
    let renderedRowsMax = 0;
    const start = performance.now();
    let last = start;
    while (scroller.scrollTop > 0) {
      scroller.scrollTop = Math.max(0, scroller.scrollTop - 3000);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      frameTimes.push(now - last);
      last = now;
      renderedRowsMax = Math.max(renderedRowsMax, scroller.querySelectorAll('.message-row').length);
    }
    // Let the last pages arrive and render.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    observer.disconnect();
    frameTimes.sort((a, b) => a - b);
    return {
      frames: frameTimes.length,
      p95FrameMs: Math.round(frameTimes[Math.floor(frameTimes.length * 0.95)] ?? 0),
      maxFrameMs: Math.round(frameTimes.at(-1) ?? 0),
      longTasks,
      renderedRowsMax,
      ms: Math.round(last - start),
    };
  });
}

it('measures the web app: first-load size, time to the chat list with 200 chats, opening and scrolling 10,000 messages', async () => {
  const size = firstLoadJsGzipBytes();
  console.log(`first-load JS: ${size.files.join(', ')}: ${(size.rawBytes / 1024).toFixed(1)} KiB raw, ${(size.gzipBytes / 1024).toFixed(1)} KiB gzipped`);

  const alice = await signUp('alice');
  const bob = await signUp('bob');
  const bobClient = createNodeClient({ url: harness.server.url, token: bob.token, receiveEvents: false });
  await bobClient.connect();
  const seedStart = Date.now();
  for (let index = 1; index < conversationsCount; index += 1) {
    const group = await bob.api.createGroup(`Group ${String(index).padStart(3, '0')}`, [alice.id]);
    await bobClient.send(group.id, { text: `Hello group ${index}` });
  }
  const direct = await alice.api.openDirect(bob.id);
  const aliceClient = createNodeClient({ url: harness.server.url, token: alice.token, receiveEvents: false });
  await aliceClient.connect();
  await sendMany(aliceClient, direct.id, longConversationMessages);
  await Promise.all([aliceClient.close(), bobClient.close()]);
  console.log(`seeded ${conversationsCount} conversations and ${longConversationMessages} messages in ${Date.now() - seedStart} ms`);

  const page = await (await harness.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(passwordOf('alice'));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForFunction((count) => document.querySelectorAll('.chat-rows > li').length >= count, conversationsCount, { timeout: 60_000 });
  // Give the first visit time to fill IndexedDB, then measure cold (new tab of a new profile) and warm (a reload).
  await page.waitForTimeout(1500);
  await page.reload();
  const warmListMs = await timeToChatList(page, conversationsCount);
  console.log(`reload to a rendered chat list of ${conversationsCount} conversations: ${Math.round(warmListMs)} ms`);

  const coldOpenMs = await timeToOpen(page, 'Bob', `Message number ${longConversationMessages} of a long conversation`);
  console.log(`open the ${longConversationMessages}-message conversation (first time, page from the server): ${Math.round(coldOpenMs)} ms`);
  const scroll = await scrollToTop(page);
  console.log(`scroll back to message 1: ${JSON.stringify(scroll)}`);
  const firstShown = await page.locator('.bubble-text').first().textContent();
  console.log(`top of the list after scrolling: "${firstShown}"`);

  await page.reload();
  await timeToChatList(page, conversationsCount);
  const warmOpenMs = await timeToOpen(page, 'Bob', `Message number ${longConversationMessages} of a long conversation`);
  console.log(`open it again after a reload (newest messages from IndexedDB): ${Math.round(warmOpenMs)} ms`);

  const fresh = await (await harness.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await fresh.goto('/');
  await fresh.getByLabel('Username').fill('alice');
  await fresh.getByLabel('Password').fill(passwordOf('alice'));
  const loginStart = Date.now();
  await fresh.getByRole('button', { name: 'Log in' }).click();
  await fresh.waitForFunction((count) => document.querySelectorAll('.chat-rows > li').length >= count, conversationsCount, { timeout: 60_000 });
  console.log(`log in on a new browser to a rendered chat list of ${conversationsCount}: ${Date.now() - loginStart} ms`);
});
