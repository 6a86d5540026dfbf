import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, eventually, register, sendMessage, startChat, startHarness, tickOf, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('writing while offline in the web app', () => {
  it('keeps two messages pending while offline and delivers each exactly once, in order, when back', async () => {
    const aliceContext = await harness.newContext();
    const alice = await aliceContext.newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');
    await startChat(alice, 'Bob');
    await sendMessage(alice, 'Before');
    await startChat(bob, 'Alice');
    await eventually(() => bubbleTexts(bob), ['Before']);

    await aliceContext.setOffline(true);
    await alice.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await sendMessage(alice, 'First while offline');
    await sendMessage(alice, 'Second while offline');
    await eventually(() => bubbleTexts(alice), ['Before', 'First while offline', 'Second while offline']);
    expect(await tickOf(alice, 'First while offline')).toBe('Pending');
    expect(await tickOf(alice, 'Second while offline')).toBe('Pending');
    // Nothing left the browser: bob still has only the first message.
    expect(await bubbleTexts(bob)).toEqual(['Before']);

    await aliceContext.setOffline(false);
    await alice.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    await eventually(() => bubbleTexts(bob), ['Before', 'First while offline', 'Second while offline']);
    await eventually(() => tickOf(alice, 'Second while offline'), 'Read');
    expect(await bubbleTexts(alice)).toEqual(['Before', 'First while offline', 'Second while offline']);

    // The server has each once, in the same order: what a third device would see.
    await bob.reload();
    await bob.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    await bob.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Alice/ }).click();
    await eventually(() => bubbleTexts(bob), ['Before', 'First while offline', 'Second while offline']);
  });
});
