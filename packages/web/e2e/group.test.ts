import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, eventually, openChat, register, sendMessage, startHarness, tickOf, type WebHarness } from './web-harness.js';

let harness: WebHarness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('a group of three in the web app', () => {
  it('shows in the message info who has read the message, and turns the tick to read when all have', async () => {
    const [alice, bob, carol] = await Promise.all([0, 1, 2].map(async () => (await harness.newContext()).newPage()));
    if (!alice || !bob || !carol) throw new Error('no pages');
    await register(alice, 'alice', 'Alice');
    await register(bob, 'bob', 'Bob');
    await register(carol, 'carol', 'Carol');

    await alice.getByRole('button', { name: 'New group' }).click();
    await alice.getByLabel('Group name').fill('Trip');
    for (const name of ['Bob', 'Carol']) {
      await alice.getByLabel('Find a user').fill(name);
      await alice.getByRole('button', { name: `Add ${name}` }).click();
    }
    await alice.getByRole('button', { name: 'Create group' }).click();
    await alice.getByRole('heading', { name: 'Trip', level: 2 }).waitFor();
    await sendMessage(alice, 'Who is in?');
    await eventually(() => tickOf(alice, 'Who is in?'), 'Delivered');

    await openChat(bob, 'Trip');
    await eventually(() => bubbleTexts(bob), ['Who is in?']);
    expect(await bob.locator('.bubble-sender').first().textContent()).toBe('Alice');

    await alice.getByRole('button', { name: 'Message info: Who is in?' }).click();
    const receipts = alice.getByRole('table');
    const statusOf = async (member: string) => receipts.getByRole('row', { name: new RegExp(member) }).getByRole('cell').nth(1).textContent();
    await eventually(() => statusOf('Bob'), 'Read');
    await eventually(() => statusOf('Carol'), 'Delivered');
    expect(await tickOf(alice, 'Who is in?')).toBe('Delivered');

    await openChat(carol, 'Trip');
    await eventually(() => statusOf('Carol'), 'Read');
    await alice.getByRole('button', { name: 'Close' }).click();
    await eventually(() => tickOf(alice, 'Who is in?'), 'Read');
  });

  it('lists members and admins in the group info, where an admin removes a member (whose next message is shown as not sent) and a member leaves', async () => {
    const [alice, bob, carol] = await Promise.all([0, 1, 2].map(async () => (await harness.newContext()).newPage()));
    if (!alice || !bob || !carol) throw new Error('no pages');
    await register(alice, 'alice2', 'Alice Two');
    await register(bob, 'bob2', 'Bob Two');
    await register(carol, 'carol2', 'Carol Two');
    await alice.getByRole('button', { name: 'New group' }).click();
    await alice.getByLabel('Group name').fill('Book club');
    await alice.getByLabel('Find a user').fill('Bob Two');
    await alice.getByRole('button', { name: 'Add Bob Two' }).click();
    await alice.getByRole('button', { name: 'Create group' }).click();
    await alice.getByRole('button', { name: 'Group info' }).click();
    const members = alice.getByRole('list', { name: 'Members' });
    await eventually(async () => (await members.getByRole('listitem').allTextContents()).length, 2);
    expect(await members.textContent()).toContain('You · admin');
    await alice.getByRole('button', { name: 'Make admin: Bob Two' }).click();
    await alice.getByRole('button', { name: 'Dismiss as admin: Bob Two' }).waitFor();
    expect(await members.textContent()).toContain('Bob Two · admin');
    await alice.getByLabel('Find a user').fill('Carol Two');
    await alice.getByRole('button', { name: 'Add Carol Two' }).click();
    await eventually(async () => (await members.getByRole('listitem').allTextContents()).length, 3);
    await openChat(carol, 'Book club');
    await alice.getByRole('button', { name: 'Remove Carol Two' }).click();
    await eventually(async () => (await members.getByRole('listitem').allTextContents()).length, 2);

    // A message the server refuses stays on screen with the reason, never silently dropped.
    await sendMessage(carol, 'Am I still in?');
    const refused = carol.getByRole('group', { name: 'Message not sent' });
    await refused.getByRole('alert').waitFor();
    expect(await refused.textContent()).toContain('Am I still in?');
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    await refused.waitFor({ state: 'detached' });

    await openChat(bob, 'Book club');
    await bob.getByRole('button', { name: 'Group info' }).click();
    await bob.getByRole('button', { name: 'Leave group' }).click();
    await bob.getByRole('list', { name: 'Chat list' }).getByRole('button', { name: /^Book club/ }).waitFor({ state: 'detached' });
    await alice.getByRole('button', { name: 'Close' }).click();
    await alice.getByRole('button', { name: 'Group info' }).click();
    await eventually(async () => (await alice.getByRole('list', { name: 'Members' }).getByRole('listitem').allTextContents()).length, 1);
  });
});
