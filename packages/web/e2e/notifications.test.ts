import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, register, sendMessage, startChat, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** The notifications the page has shown: the real `Notification`, wrapped to keep a record of each. */
async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Real = window.Notification;
    const shown: { title: string; body: string }[] = [];
    (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? '' });
      }
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    window.Notification = Recorded as typeof Notification;
  });
}

function shown(page: Page): Promise<{ title: string; body: string }[]> {
  return page.evaluate(() => (window as unknown as { shownNotifications: { title: string; body: string }[] }).shownNotifications);
}

describe('notifications in the web app', () => {
  it('notifies of a message in a chat that is not on screen, and not once the chat is muted', async () => {
    const aliceContext = await harness.newContext();
    await aliceContext.grantPermissions(['notifications']);
    const alice = await aliceContext.newPage();
    await recordNotifications(alice);
    const bob = await (await harness.newContext()).newPage();
    const carol = await (await harness.newContext()).newPage();
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');
    await register(carol, 'carol', 'Carol');
    await startChat(bob, 'Alice');
    await sendMessage(bob, 'First from Bob');
    await startChat(alice, 'Carol');

    await eventually(() => shown(alice), [{ title: 'Bob', body: 'First from Bob' }]);
    await startChat(carol, 'Alice');
    await sendMessage(carol, 'Carol here, on screen');

    await alice.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ }).click();
    await alice.getByRole('button', { name: 'Mute' }).click();
    await alice.getByRole('button', { name: 'Unmute' }).waitFor();
    await alice.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Carol/ }).click();
    await sendMessage(bob, 'Second from Bob, muted');
    await sendMessage(carol, 'Marker from Carol');
    await alice.locator('.bubble-text', { hasText: 'Marker from Carol' }).waitFor();
    const row = alice.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Second from Bob, muted');
    expect(await shown(alice)).toEqual([{ title: 'Bob', body: 'First from Bob' }]);
  });
});
