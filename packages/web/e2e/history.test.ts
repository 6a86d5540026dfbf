import { createNodeClient } from '@parley/client/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openChat, passwordOf, signUpThroughApi, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

const signUp = (username: string, displayName: string) => signUpThroughApi(harness, username, displayName);

describe('a long conversation in the web app', () => {
  it('renders only what is in view, jumps to the first unread message and scrolls back to the very first', async () => {
    const alice = await signUp('alice', 'Alice');
    const bob = await signUp('bob', 'Bob');
    const direct = await bob.api.openDirect(alice.session.user.id);
    const bobClient = createNodeClient({ url: harness.server.url, token: bob.session.token, receiveEvents: false });
    await bobClient.connect();
    for (let seq = 1; seq <= 40; seq += 1) await bobClient.send(direct.id, { text: `Old message ${seq}` });
    const aliceClient = createNodeClient({ url: harness.server.url, token: alice.session.token });
    await aliceClient.connect();
    aliceClient.markRead(direct.id, 40);
    await aliceClient.close();
    await Promise.all(Array.from({ length: 460 }, (_, index) => bobClient.send(direct.id, { text: `New message ${index + 41}` })));
    await bobClient.close();

    const page = await (await harness.newContext({ viewport: { width: 1000, height: 700 } })).newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(passwordOf('alice'));
    await page.getByRole('button', { name: 'Log in' }).click();
    const row = page.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ });
    // A new device: the preview comes from the server.
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('New message 500');
    expect(await row.textContent()).toContain('460 unread');

    await openChat(page, 'Bob');
    await page.locator('.bubble-text', { hasText: /^New message 500$/ }).waitFor();
    const rendered = await page.locator('.message-row').count();
    expect(rendered).toBeLessThan(60);

    await page.getByRole('button', { name: 'Jump to first unread' }).click();
    await page.getByText('Unread messages').waitFor();
    await page.locator('.bubble-text', { hasText: /^New message 41$/ }).waitFor();

    const scroller = page.getByRole('log', { name: 'Messages' });
    await eventually(async () => {
      await scroller.evaluate((element) => element.scrollTo({ top: 0 }));
      return page.locator('.bubble-text', { hasText: /^Old message 1$/ }).count();
    }, 1);
    expect(await page.locator('.message-row').count()).toBeLessThan(60);
  });
});
