import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, logInAgain, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const graceMs = 5_000;

/** Waits until the server has seen a device's socket go: its close may reach the server after the client's. */
async function untilOffline(url: string, user: TestUser, deviceId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await request<{ devices: { id: string; online: boolean }[] }>(url, 'GET', '/v1/devices', { token: user.token });
    if (response.body.devices.some((device) => device.id === deviceId && !device.online)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`device ${deviceId} still online`);
}

describe('presence', () => {
  let clock: FakeClock;
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeEach(async () => {
    clock = new FakeClock();
    server = await startApp({ presenceGraceMs: graceMs }, { clock });
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
    await openDirect(server.url, alice, bob);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('goes online with the first device and offline, with lastSeen, once the last device has been gone for the grace period', async () => {
    const watcher = await TestSocket.connect(server.url, bob.token);
    // On connect, a device learns its peers' presence: Alice has never been online.
    expect(await watcher.next('presence')).toEqual({ type: 'presence', user: alice.userId, online: false });
    const phone = await TestSocket.connect(server.url, alice.token);
    expect(await watcher.next('presence')).toEqual({ type: 'presence', user: alice.userId, online: true });
    const laptopUser = await logInAgain(server.url, alice.username);
    const laptop = await TestSocket.connect(server.url, laptopUser.token);

    await phone.close();
    await untilOffline(server.url, alice, alice.deviceId);
    clock.advance(graceMs);
    await laptop.close();
    await untilOffline(server.url, alice, laptopUser.deviceId);
    const leftAt = clock.now();
    clock.advance(graceMs - 1);
    watcher.send({ type: 'ping' });
    await watcher.next('pong');
    expect(watcher.frames.filter((frame) => frame.type === 'presence')).toHaveLength(2);

    clock.advance(1);
    expect(await watcher.next('presence')).toEqual({ type: 'presence', user: alice.userId, online: false, lastSeen: leftAt });
    await watcher.close();
  });

  it('does not flap when a device reconnects within the grace period', async () => {
    const watcher = await TestSocket.connect(server.url, bob.token);
    await watcher.next('presence');
    const first = await TestSocket.connect(server.url, alice.token);
    await watcher.next('presence', (frame) => frame.online);
    await first.close();
    await untilOffline(server.url, alice, alice.deviceId);
    clock.advance(graceMs / 2);
    const second = await TestSocket.connect(server.url, alice.token);
    clock.advance(graceMs * 2);
    watcher.send({ type: 'ping' });
    await watcher.next('pong');
    // The snapshot (offline), then online, never offline again. On a cluster, a reconnect to another node within
    // the grace period may repeat `online`: that node cannot see the first one's grace (a known redundancy).
    const [snapshot, ...changes] = watcher.frames.filter((frame) => frame.type === 'presence');
    expect(snapshot).toMatchObject({ user: alice.userId, online: false });
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.length).toBeLessThanOrEqual(server.apps.length);
    for (const change of changes) expect(change).toEqual({ type: 'presence', user: alice.userId, online: true });
    await Promise.all([watcher.close(), second.close()]);
  });

  it('tells a connecting device the presence of its direct peers', async () => {
    const online = await TestSocket.connect(server.url, alice.token);
    const watcher = await TestSocket.connect(server.url, bob.token);
    expect(await watcher.next('presence')).toEqual({ type: 'presence', user: alice.userId, online: true });
    await Promise.all([online.close(), watcher.close()]);
  });

  it('sends nothing about a user whose lastSeen setting is nobody', async () => {
    const hidden = await request(server.url, 'PATCH', '/v1/me', { token: alice.token, body: { lastSeen: 'nobody' } });
    expect(hidden.body).toMatchObject({ lastSeen: 'nobody' });
    const watcher = await TestSocket.connect(server.url, bob.token);
    const socket = await TestSocket.connect(server.url, alice.token);
    await socket.close();
    await untilOffline(server.url, alice, alice.deviceId);
    clock.advance(graceMs);
    const again = await TestSocket.connect(server.url, bob.token);
    watcher.send({ type: 'ping' });
    await watcher.next('pong');
    expect([...watcher.frames, ...again.frames].filter((frame) => frame.type === 'presence')).toEqual([]);
    await Promise.all([watcher.close(), again.close()]);
  });

  it("tells both users of a new direct conversation each other's presence at once", async () => {
    const carol = await createUser(server.url, 'carol');
    const aliceSocket = await TestSocket.connect(server.url, alice.token);
    await aliceSocket.next('presence', (frame) => frame.user === bob.userId);
    const carolSocket = await TestSocket.connect(server.url, carol.token);
    await openDirect(server.url, alice, carol);
    expect(await aliceSocket.next('presence', (frame) => frame.user === carol.userId)).toEqual({ type: 'presence', user: carol.userId, online: true });
    expect(await carolSocket.next('presence', (frame) => frame.user === alice.userId)).toEqual({ type: 'presence', user: alice.userId, online: true });
    await Promise.all([aliceSocket.close(), carolSocket.close()]);
  });

  it('introduces no one whose lastSeen setting is nobody, and no one across a block', async () => {
    const [hidden, blocked, visible] = [await createUser(server.url, 'carol'), await createUser(server.url, 'dave'), await createUser(server.url, 'erin')];
    await request(server.url, 'PATCH', '/v1/me', { token: hidden.token, body: { lastSeen: 'nobody' } });
    expect((await request(server.url, 'PUT', `/v1/me/blocked/${alice.userId}`, { token: blocked.token })).status).toBe(204);
    const aliceSocket = await TestSocket.connect(server.url, alice.token);
    await aliceSocket.next('presence', (frame) => frame.user === bob.userId);
    const blockedSocket = await TestSocket.connect(server.url, blocked.token);
    await openDirect(server.url, alice, hidden);
    await openDirect(server.url, alice, blocked);
    await openDirect(server.url, alice, visible);
    // An introduction takes a few store reads, the next HTTP call a round trip: once the last has come, the others would have.
    expect(await aliceSocket.next('presence', (frame) => frame.user === visible.userId)).toEqual({ type: 'presence', user: visible.userId, online: false });
    expect(aliceSocket.frames.filter((frame) => frame.type === 'presence').map((frame) => frame.user)).toEqual([bob.userId, visible.userId]);
    expect(blockedSocket.frames.filter((frame) => frame.type === 'presence')).toEqual([]);
    await Promise.all([aliceSocket.close(), blockedSocket.close()]);
  });

  it('records the last seen of users still online when the server shuts down, so peers see it after a restart', async () => {
    const phone = await TestSocket.connect(server.url, alice.token);
    await phone.next('presence');
    const shutdownAt = clock.now();
    await server.stop({ keepData: true });
    await phone.closed;

    const restarted = await startApp({ presenceGraceMs: graceMs, dataDir: server.dataDir }, { clock });
    clock.advance(60_000);
    const watcher = await TestSocket.connect(restarted.url, bob.token);
    expect(await watcher.next('presence')).toEqual({ type: 'presence', user: alice.userId, online: false, lastSeen: shutdownAt });
    await watcher.close();
    await restarted.stop();
  });
});
