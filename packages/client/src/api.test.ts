import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyApi } from './api.js';
import { ParleyApiError } from './parley-api-error.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('ParleyApi', () => {
  it('throws a ParleyApiError with the code, status and message of a refusal', async () => {
    const alice = await server.signUp('alice');
    const api = new ParleyApi({ baseUrl: `${server.url}/` });
    const taken = await api.register({ username: alice.username, password: alice.password }).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(ParleyApiError);
    expect(taken).toMatchObject({ code: 'conflict', status: 409 });
    await expect(api.login({ username: alice.username, password: 'wrong password' })).rejects.toMatchObject({
      code: 'unauthorized',
      status: 401,
      message: 'wrong username or password',
    });
    await expect(api.me()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('finds users, lists conversations and reads history pages in ascending seq', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    expect(await alice.api.searchUsers(bob.username)).toEqual([bob.session.user]);
    const direct = await alice.api.openDirect(bob.session.user.id);
    expect((await bob.api.openDirect(alice.session.user.id)).id).toBe(direct.id);
    const [summary] = await bob.api.conversations();
    expect(summary).toMatchObject({ id: direct.id, type: 'direct', peer: alice.session.user.id, lastSeq: 0 });
    expect(await alice.api.history(direct.id, { after: 0, limit: 10 })).toEqual({ messages: [] });
  });

  it('manages a group: create, rename, add, promote, remove', async () => {
    const [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => server.signUp(name)));
    if (!alice || !bob || !carol) throw new Error('sign-up failed');
    const group = await alice.api.createGroup('Trip', [bob.session.user.id]);
    expect(group).toMatchObject({ type: 'group', name: 'Trip' });
    expect((await alice.api.renameGroup(group.id, 'Trip 2')).name).toBe('Trip 2');
    const added = await alice.api.addMembers(group.id, [carol.session.user.id]);
    expect(added.members.map((member) => member.user).sort()).toEqual(
      [alice, bob, carol].map((user) => user.session.user.id).sort(),
    );
    const promoted = await alice.api.setAdmin(group.id, bob.session.user.id, true);
    expect(promoted.members.find((member) => member.user === bob.session.user.id)?.role).toBe('admin');
    await bob.api.removeMember(group.id, carol.session.user.id);
    await expect(carol.api.conversation(group.id)).rejects.toMatchObject({ code: 'not_member', status: 403 });
  });

  it('links a second device with a code from the first, and revokes it', async () => {
    const alice = await server.signUp('alice');
    const { code } = await alice.api.createLinkCode();
    const second = new ParleyApi({ baseUrl: server.url });
    const session = await second.login({ linkCode: code, deviceName: 'tablet' });
    expect(session.user.id).toBe(alice.session.user.id);
    const devices = await alice.api.devices();
    expect(devices.map((device) => device.name).sort()).toEqual(['tablet', 'test']);
    await alice.api.revokeDevice(session.device.id);
    await expect(second.me()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('changes the password, which logs out every other device, and blocks and unblocks a user', async () => {
    const alice = await server.signUp('alice');
    const bob = await server.signUp('bob');
    const other = new ParleyApi({ baseUrl: server.url });
    await other.login({ username: alice.username, password: alice.password });
    await expect(alice.api.changePassword('not the password', 'a new passphrase')).rejects.toMatchObject({ code: 'forbidden' });
    await alice.api.changePassword(alice.password, 'a new passphrase');
    await expect(other.me()).rejects.toMatchObject({ code: 'unauthorized' });
    await alice.api.setBlocked(bob.session.user.id, true);
    expect(await alice.api.blockedUsers()).toEqual([bob.session.user.id]);
    await alice.api.setBlocked(bob.session.user.id, false);
    expect(await alice.api.blockedUsers()).toEqual([]);
  });
});

describe('ParleyApi push calls', () => {
  it('registers, reads back and removes this device\'s push registration, and mutes a conversation', async () => {
    const pushServer = await startTestServer({ pushAllowPrivate: true, webhookSecret: 'a-webhook-secret-of-some-length' });
    try {
      const alice = await pushServer.signUp('alice');
      const bob = await pushServer.signUp('bob');
      expect((await alice.api.pushProviders()).providers).toContain('webhook');
      await alice.api.registerPush({ provider: 'webhook', url: 'http://127.0.0.1:9/hook' });
      expect(await alice.api.pushRegistration()).toEqual({ provider: 'webhook', url: 'http://127.0.0.1:9/hook' });
      await alice.api.unregisterPush();
      await expect(alice.api.pushRegistration()).rejects.toMatchObject({ code: 'not_found' });
      const direct = await alice.api.openDirect(bob.session.user.id);
      await alice.api.mute(direct.id, Date.now() + 60_000);
      await alice.api.mute(direct.id, null);
      await expect(alice.api.mute('c_nothere', null)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await pushServer.stop();
    }
  });
});
