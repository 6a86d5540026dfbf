import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, register, startHarness, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('linking and revoking devices in the web app', () => {
  it('links a second browser with a code from the first, and revoking it logs it out', async () => {
    const laptop = await (await harness.newContext()).newPage();
    const phone = await (await harness.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await register(laptop, 'alice', 'Alice');

    await laptop.getByRole('button', { name: 'Devices' }).click();
    await laptop.getByRole('button', { name: 'Link a device' }).click();
    const code = await laptop.locator('.link-code').textContent();
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await laptop.getByRole('img', { name: /^QR code of the link code/ }).waitFor();

    await phone.goto('/');
    await phone.getByRole('tab', { name: 'Link this device' }).click();
    await phone.getByLabel('Link code').fill(code ?? '');
    await phone.getByRole('button', { name: 'Link device' }).click();
    await phone.getByRole('status').filter({ hasText: 'Up to date' }).waitFor();

    const devices = laptop.getByRole('list', { name: 'Your devices' });
    await eventually(async () => (await devices.getByRole('listitem').allTextContents()).length, 2);
    expect(await devices.textContent()).toContain('this device');
    await laptop.getByRole('button', { name: /^Revoke / }).click();
    await eventually(async () => (await devices.getByRole('listitem').allTextContents()).length, 1);

    await phone.getByText('This device was logged out from another device.').waitFor();
    await phone.getByRole('tab', { name: 'Log in' }).waitFor();
    // Nothing of the account is left in the revoked browser.
    const databases = await phone.evaluate(async () => (await indexedDB.databases()).map((database) => database.name));
    expect(databases).toEqual([]);
  });
});
