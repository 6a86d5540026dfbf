import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessibilityViolations,
  bubbleTexts,
  eventually,
  openChat,
  register,
  sendMessage,
  startChat,
  startHarness,
  type WebHarness,
} from './web-harness.js';

/** Set `PARLEY_WEB_SCREENSHOTS=docs/web` to write the README's screenshots from this run. */
const screenshotDir = process.env.PARLEY_WEB_SCREENSHOTS;

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  expect(violations, `${screen}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (screenshotDir === undefined) return;
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Two people with a short conversation and a group, so every screen has something to show. */
async function setUpPeople(theme: 'light' | 'dark', suffix: string): Promise<{ alice: Page; bob: Page }> {
  const alice = await (await harness.newContext({ colorScheme: theme, viewport: { width: 1100, height: 700 } })).newPage();
  const bob = await (await harness.newContext({ colorScheme: theme })).newPage();
  await register(alice, `alice${suffix}`, 'Alice Liddell');
  await register(bob, `bob${suffix}`, 'Bob Builder');
  await startChat(bob, 'Alice Liddell', `alice${suffix}`);
  await sendMessage(bob, 'Are we still on for tonight?');
  await startChat(alice, 'Bob Builder', `bob${suffix}`);
  await sendMessage(alice, 'Yes! 7 pm at the usual place.');
  await sendMessage(alice, 'I will bring the board games.\nAnd snacks.');
  await eventually(async () => (await bubbleTexts(bob)).length, 3);
  await sendMessage(bob, 'Perfect, see you there!');
  await eventually(async () => (await bubbleTexts(alice)).length, 4);
  return { alice, bob };
}

describe('the web app\'s screens', () => {
  it('pass an accessibility check (WCAG 2.1 AA) in light mode: login, chats, conversation and every dialog', async () => {
    const visitor = await (await harness.newContext()).newPage();
    await visitor.goto('/');
    await visitor.getByLabel('Username').waitFor();
    await expectAccessible(visitor, 'login');
    await visitor.getByRole('tab', { name: 'Register' }).click();
    await expectAccessible(visitor, 'register');

    const { alice } = await setUpPeople('light', 'l');
    await expectAccessible(alice, 'conversation');
    await screenshot(alice, 'light');
    await alice.getByRole('button', { name: /^Message info: Yes! 7 pm/ }).click();
    await alice.getByRole('table').waitFor();
    await expectAccessible(alice, 'message info');
    await alice.getByRole('button', { name: 'Close' }).click();
    await alice.getByRole('button', { name: 'Contact info' }).click();
    await alice.getByRole('button', { name: 'Block Bob Builder' }).waitFor();
    await expectAccessible(alice, 'contact info');
    await alice.getByRole('button', { name: 'Close' }).click();

    await alice.getByRole('button', { name: 'New group' }).click();
    await alice.getByLabel('Group name').fill('Game night');
    await alice.getByLabel('Find a user').fill('bobl');
    await alice.getByRole('button', { name: 'Add Bob Builder' }).click();
    await expectAccessible(alice, 'new group');
    await alice.getByRole('button', { name: 'Create group' }).click();
    await alice.getByRole('heading', { name: 'Game night', level: 2 }).waitFor();
    await alice.getByRole('button', { name: 'Group info' }).click();
    await alice.getByRole('list', { name: 'Members' }).getByRole('listitem').nth(1).waitFor();
    await expectAccessible(alice, 'group info');
    await alice.getByRole('button', { name: 'Close' }).click();

    await alice.getByRole('button', { name: 'Devices' }).click();
    await alice.getByRole('button', { name: 'Link a device' }).click();
    await alice.getByRole('img', { name: /^QR code/ }).waitFor();
    await expectAccessible(alice, 'devices');
    await alice.getByRole('button', { name: 'Close' }).click();
    await alice.getByRole('button', { name: 'Settings' }).click();
    await alice.getByRole('radio', { name: 'Everyone' }).waitFor();
    await expectAccessible(alice, 'settings');
  });

  it('pass the accessibility check in dark mode, dialogs included', async () => {
    const { alice } = await setUpPeople('dark', 'd');
    await expectAccessible(alice, 'dark conversation');
    await screenshot(alice, 'dark');
    await alice.getByRole('button', { name: /^Message info: Yes! 7 pm/ }).click();
    await alice.getByRole('table').waitFor();
    await expectAccessible(alice, 'dark message info');
    await alice.getByRole('button', { name: 'Close' }).click();
    await alice.getByRole('button', { name: 'Devices' }).click();
    await alice.getByRole('button', { name: 'Link a device' }).click();
    await alice.getByRole('img', { name: /^QR code/ }).waitFor();
    await expectAccessible(alice, 'dark devices');
    await alice.getByRole('button', { name: 'Close' }).click();
    await alice.getByRole('button', { name: 'Settings' }).click();
    await alice.getByRole('radio', { name: 'Everyone' }).waitFor();
    await expectAccessible(alice, 'dark settings');
  });

  it('show the list and the chat as two screens at phone width, each accessible', async () => {
    const alice = await (await harness.newContext({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true })).newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alicep', 'Alice Phone');
    await register(bob, 'bobp', 'Bob Desk');
    await startChat(bob, 'Alice Phone');
    await sendMessage(bob, 'Hello from the desk');
    const list = alice.getByRole('list', { name: 'Chat list' });
    await list.getByRole('button', { name: /^Bob Desk/ }).waitFor();
    expect(await alice.getByRole('region', { name: /^Chat with/ }).count()).toBe(0);
    await expectAccessible(alice, 'phone chat list');
    await screenshot(alice, 'phone-list');

    await openChat(alice, 'Bob Desk');
    expect(await list.isVisible()).toBe(false);
    await sendMessage(alice, 'Hi from my phone');
    await eventually(() => bubbleTexts(alice), ['Hello from the desk', 'Hi from my phone']);
    await expectAccessible(alice, 'phone conversation');
    await screenshot(alice, 'phone-chat');
    await alice.getByRole('button', { name: 'Back to chats' }).click();
    await list.waitFor();
  });
});
