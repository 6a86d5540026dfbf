import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordOf, register, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('the account settings', () => {
  it('changes the display name, the last-seen privacy and the password, then logs out and back in', async () => {
    const page = await (await harness.newContext()).newPage();
    await register(page, 'alice', 'Alice');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Display name').fill('Alice Cooper');
    await page.getByRole('button', { name: 'Save display name' }).click();
    await page.getByText('Display name saved.').waitFor();
    await page.getByRole('radio', { name: 'Nobody' }).check();
    await page.getByText('Privacy saved.').waitFor();
    await page.getByLabel('Current password').fill(passwordOf('alice'));
    await page.getByLabel('New password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();

    await page.getByRole('tab', { name: 'Log in' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('parley.login'))).toBeNull();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByLabel('Display name').inputValue()).toBe('Alice Cooper');
    expect(await page.getByRole('radio', { name: 'Nobody' }).isChecked()).toBe(true);
    // The logged-out device is gone from the account: only this login's device is listed.
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Devices' }).click();
    await expect.poll(async () => page.getByRole('list', { name: 'Your devices' }).getByRole('listitem').count()).toBe(1);
  });
});
