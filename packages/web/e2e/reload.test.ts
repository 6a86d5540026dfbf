import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, eventually, openChat, register, sendMessage, startChat, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('reloading the web app', () => {
  it('keeps the login and the history, resumes from its saved position, and shows what arrived meanwhile', async () => {
    const aliceContext = await harness.newContext();
    let alice = await aliceContext.newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');
    await startChat(alice, 'Bob');
    await sendMessage(alice, 'One');
    await sendMessage(alice, 'Two');
    await eventually(() => bubbleTexts(alice), ['One', 'Two']);
    await alice.close();

    await startChat(bob, 'Alice');
    await sendMessage(bob, 'Sent while you were away');
    await eventually(() => bubbleTexts(bob), ['One', 'Two', 'Sent while you were away']);

    alice = await aliceContext.newPage();
    const historyRequests: string[] = [];
    alice.on('request', (request) => {
      if (/\/v1\/conversations\/[^/]+\/messages/.test(request.url())) historyRequests.push(request.url());
    });
    await alice.goto('/');
    const row = alice.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Sent while you were away');
    expect(await row.textContent()).toContain('1 unread');
    await alice.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    // Resumed from the stored position: the new message came on the stream, no history was refetched.
    expect(historyRequests).toEqual([]);

    await openChat(alice, 'Bob');
    await eventually(() => bubbleTexts(alice), ['One', 'Two', 'Sent while you were away']);
    // The history on screen came from IndexedDB.
    expect(historyRequests).toEqual([]);
  });
});
