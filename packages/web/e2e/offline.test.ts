import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, eventually, register, sendMessage, startChat, startHarness, tickOf, type WebHarness } from './web-harness.js';

/** The texts of the SDK's outbox as saved in this device's IndexedDB database. */
function storedOutboxTexts(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const [info] = (await indexedDB.databases()).filter((database) => database.name?.startsWith('parley-'));
    if (info?.name === undefined) return [];
    const request = indexedDB.open(info.name);
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const get = database.transaction('state').objectStore('state').get('client');
    const state = await new Promise<{ outbox?: { body: { text: string } }[] } | undefined>((resolve, reject) => {
      get.onsuccess = () => resolve(get.result as { outbox?: { body: { text: string } }[] } | undefined);
      get.onerror = () => reject(get.error ?? new Error('read failed'));
    });
    database.close();
    return (state?.outbox ?? []).map((send) => send.body.text);
  });
}

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

describe('closing the tab with unsent messages', () => {
  it('sends what was written offline when the app is opened again online, exactly once', async () => {
    const aliceContext = await harness.newContext();
    const alice = await aliceContext.newPage();
    const bob = await (await harness.newContext()).newPage();
    await register(alice, 'alice2', 'Alice Two');
    await register(bob, 'bob2', 'Bob Two');
    await startChat(alice, 'Bob Two');
    await sendMessage(alice, 'Online first');
    await startChat(bob, 'Alice Two');
    await eventually(() => bubbleTexts(bob), ['Online first']);

    await aliceContext.setOffline(true);
    await alice.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
    await sendMessage(alice, 'Kept in the outbox');
    await eventually(() => tickOf(alice, 'Kept in the outbox'), 'Pending');
    // The message shows as pending at once and is in IndexedDB a moment later: close the tab once it is.
    await eventually(() => storedOutboxTexts(alice), ['Kept in the outbox']);
    await alice.close();
    expect(await bubbleTexts(bob)).toEqual(['Online first']);

    await aliceContext.setOffline(false);
    const again = await aliceContext.newPage();
    await again.goto('/');
    await eventually(() => bubbleTexts(bob), ['Online first', 'Kept in the outbox']);
    await again.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob Two/ }).click();
    await eventually(() => bubbleTexts(again), ['Online first', 'Kept in the outbox']);
    await bob.waitForTimeout(300);
    expect(await bubbleTexts(bob)).toEqual(['Online first', 'Kept in the outbox']);
  });
});
