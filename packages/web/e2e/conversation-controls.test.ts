import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, eventually, logIn, openChat, register, sendMessage, startChat, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('the conversation screen', () => {
  it('shows the peer typing in the header and the list, breaks lines with Shift+Enter, and shows presence', async () => {
    const alice = await (await harness.newContext()).newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');
    await startChat(alice, 'Bob');
    await sendMessage(alice, 'Hi');
    await startChat(bob, 'Alice');

    const message = bob.getByLabel('Message', { exact: true });
    await message.pressSequentially('Two');
    await message.press('Shift+Enter');
    await message.pressSequentially('lines');
    await eventually(() => alice.locator('.conversation-header .subtitle').textContent(), 'typing…');
    await message.press('Enter');
    await eventually(() => bubbleTexts(alice), ['Hi', 'Two\nlines']);

    // Typing also shows in the list, in place of the preview.
    await bob.getByLabel('Message', { exact: true }).pressSequentially('more');
    const row = alice.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('typing…');

    // Presence of a direct peer comes on connect, then with each change.
    await alice.reload();
    await openChat(alice, 'Bob');
    const subtitle = alice.locator('.conversation-header .subtitle');
    await eventually(() => subtitle.textContent(), 'online');
    await bob.close();
    await expect.poll(() => subtitle.textContent(), { timeout: 15_000 }).toMatch(/^last seen today at /);
  });

  it('shows the presence of the peer of a chat created just now, on both sides, without a reconnection', async () => {
    const alice = await (await harness.newContext()).newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice4', 'Alice Four');
    await register(bob, 'bob4', 'Bob Four');
    await startChat(alice, 'Bob Four');
    await eventually(() => alice.locator('.conversation-header .subtitle').textContent(), 'online');
    await sendMessage(alice, 'Hello');
    await openChat(bob, 'Alice Four');
    await eventually(() => bob.locator('.conversation-header .subtitle').textContent(), 'online');
  });

  it("shows a chat muted on another device as muted, and unmuted once lifted there", async () => {
    const laptop = await (await harness.newContext()).newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(laptop, 'alice3', 'Alice Three');
    await register(bob, 'bob3', 'Bob Three');
    await startChat(laptop, 'Bob Three');
    await laptop.getByRole('button', { name: 'Mute', exact: true }).click();
    await laptop.getByRole('button', { name: 'Unmute', exact: true }).waitFor();

    const phone = await (await harness.newContext()).newPage();
    await logIn(phone, 'alice3');
    const row = phone.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob Three/ });
    await row.getByRole('img', { name: 'Muted' }).waitFor();
    await openChat(phone, 'Bob Three');
    await phone.getByRole('button', { name: 'Unmute', exact: true }).waitFor();

    await laptop.getByRole('button', { name: 'Unmute', exact: true }).click();
    await laptop.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await phone.reload();
    await row.waitFor();
    await phone.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    await expect.poll(() => row.getByRole('img', { name: 'Muted' }).count(), { timeout: 15_000 }).toBe(0);
  });

  it('mutes a chat, marked in the list, and blocks the peer, whose messages then stop arriving', async () => {
    const alice = await (await harness.newContext()).newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice2', 'Alice Two');
    await register(bob, 'bob2', 'Bob Two');
    await startChat(bob, 'Alice Two');
    await sendMessage(bob, 'Before the block');
    await startChat(alice, 'Bob Two');
    await eventually(() => bubbleTexts(alice), ['Before the block']);

    await alice.getByRole('button', { name: 'Mute' }).click();
    await alice.getByRole('button', { name: 'Unmute' }).waitFor();
    const row = alice.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob Two/ });
    await row.getByRole('img', { name: 'Muted' }).waitFor();

    await alice.getByRole('button', { name: 'Contact info' }).click();
    await alice.getByRole('button', { name: 'Block Bob Two' }).click();
    await alice.getByRole('button', { name: 'Unblock Bob Two' }).waitFor();
    await alice.getByRole('button', { name: 'Close' }).click();
    await sendMessage(bob, 'After the block');
    await sendMessage(bob, 'Marker');
    await eventually(() => bubbleTexts(bob), ['Before the block', 'After the block', 'Marker']);
    // Withheld by the server: alice's screen never gets them.
    await alice.waitForTimeout(500);
    expect(await bubbleTexts(alice)).toEqual(['Before the block']);
  });
});
