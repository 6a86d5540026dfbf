import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, eventually, openChat, register, sendMessage, startChat, startHarness, tickOf, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('two people chatting in the web app', () => {
  it('shows bob the unread message in the list and the tab title, and alice her message as read once bob opens the chat', async () => {
    const alice = await (await harness.newContext()).newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');

    await startChat(alice, 'Bob');
    await sendMessage(alice, 'Hi Bob!');
    await eventually(() => bubbleTexts(alice), ['Hi Bob!']);
    await eventually(() => tickOf(alice, 'Hi Bob!'), 'Delivered');

    const row = bob.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Alice/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Hi Bob!');
    expect(await row.textContent()).toContain('1 unread');
    await eventually(() => bob.title(), '(1) Parley');
    await openChat(bob, 'Alice');
    await eventually(() => bob.title(), 'Parley');
    await eventually(() => bubbleTexts(bob), ['Hi Bob!']);
    await eventually(() => tickOf(alice, 'Hi Bob!'), 'Read');

    await sendMessage(bob, 'Hello Alice');
    await eventually(() => bubbleTexts(alice), ['Hi Bob!', 'Hello Alice']);
  });
});
