import { createNodeClient } from '@parley/client/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, register, signUpThroughApi, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

const signUp = (username: string, displayName: string) => signUpThroughApi(harness, username, displayName);

describe('the chat list preview', () => {
  it('shows the last message of a chat after a reload and after a fresh login', async () => {
    const context = await harness.newContext();
    const page = await context.newPage();
    await register(page, 'alice', 'Alice');
    const bob = await signUp('bob', 'Bob');
    const [alice] = await bob.api.searchUsers('alice');
    const direct = await bob.api.openDirect(alice!.id);
    const bobClient = createNodeClient({ url: harness.server.url, token: bob.session.token, receiveEvents: false });
    await bobClient.connect();
    await bobClient.send(direct.id, { text: 'Hello from the script' });
    await bobClient.close();

    const row = page.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Hello from the script');

    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Hello from the script');
    expect(await row.textContent()).toContain('1 unread');

    const fresh = await (await harness.newContext()).newPage();
    await logIn(fresh, 'alice');
    const freshRow = fresh.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Bob/ });
    await expect.poll(() => freshRow.textContent(), { timeout: 15_000 }).toContain('Hello from the script');
  });
});
