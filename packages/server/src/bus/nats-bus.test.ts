import { connect } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/eventually.js';
import { openTestNatsBus, randomSubjectPrefix, sharedNatsUrl } from '../testing/nats-test-server.js';
import { describeBusContract } from './bus.contract.js';
import type { HeardNotice, UserNotice } from './bus.js';
import type { NatsBus } from './nats-bus.js';

describeBusContract('NatsBus', () => openTestNatsBus(sharedNatsUrl, randomSubjectPrefix()));

const wake = (pos: number): UserNotice => ({ kind: 'stream', entries: [{ pos, frame: `{"pos":${pos}}` }] });

/** A listener's notices, published ones and catch-ups apart. */
function listener() {
  const published: UserNotice[] = [];
  let catchUps = 0;
  return {
    published,
    catchUps: () => catchUps,
    listen: (notice: HeardNotice) => {
      if (notice.kind === 'catch_up') catchUps++;
      else published.push(notice);
    },
  };
}

/** Subscribes, and waits for the catch-up that says the subscription holds at the server. */
async function listening(bus: NatsBus, userId: string) {
  const heard = listener();
  bus.subscribe(userId, heard.listen);
  await eventually(() => heard.catchUps() > 0, 'the subscription to hold', 2_000);
  return heard;
}

describe('NatsBus across two nodes', () => {
  let prefix: string;
  let first: NatsBus;
  let second: NatsBus;
  beforeEach(async () => {
    prefix = randomSubjectPrefix();
    first = await openTestNatsBus(sharedNatsUrl, prefix);
    second = await openTestNatsBus(sharedNatsUrl, prefix);
  });
  afterEach(async () => {
    await first.close();
    await second.close();
  });

  it('delivers a notice published on one node to the listeners of that user on the other', async () => {
    const onSecond = await listening(second, 'u_a');
    first.publish('u_a', wake(1));
    first.publish('u_a', { kind: 'device_revoked', deviceId: 'd_1' });
    first.publish('u_a', { kind: 'ephemeral', frame: '{"type":"typing"}', receiptsOf: 'c_1' });
    await eventually(() => onSecond.published.length === 3, 'three notices on the other node', 2_000);
    expect(onSecond.published).toEqual([
      wake(1),
      { kind: 'device_revoked', deviceId: 'd_1' },
      { kind: 'ephemeral', frame: '{"type":"typing"}', receiptsOf: 'c_1' },
    ]);
  });

  it('sends a stream notice too big for one NATS message to the other node as a bare wake-up, and whole to its own listeners', async () => {
    const onFirst = await listening(first, 'u_a');
    const onSecond = await listening(second, 'u_a');
    const big: UserNotice = { kind: 'stream', entries: [{ pos: 1, frame: 'x'.repeat(2 * 1024 * 1024) }] };
    first.publish('u_a', big);
    await eventually(() => onSecond.published.length === 1, 'the wake-up on the other node', 2_000);
    expect(onSecond.published).toEqual([{ kind: 'stream', entries: [] }]);
    expect(onFirst.published).toEqual([big]);
  });

  it('delivers a node\'s own notice to its listeners once, in-process, not again through NATS', async () => {
    const onFirst = await listening(first, 'u_a');
    const onSecond = await listening(second, 'u_a');
    first.publish('u_a', wake(1));
    expect(onFirst.published).toEqual([wake(1)]);
    // The second node's notice travels through NATS behind the first one's: once it arrives, so would an echo.
    second.publish('u_a', wake(2));
    await eventually(() => onFirst.published.length === 2 && onSecond.published.length === 2, 'the other node\'s notice', 2_000);
    expect(onFirst.published).toEqual([wake(1), wake(2)]);
    // Each node hears its own notice at once, the other's a round trip later.
    expect(onSecond.published).toEqual([wake(2), wake(1)]);
  });

  it('answers onlineDevices with the devices every node holds', async () => {
    first.markDeviceOnline('u_a', 'd_phone');
    const releaseLaptop = second.markDeviceOnline('u_a', 'd_laptop');
    second.markDeviceOnline('u_b', 'd_other');
    await expect.poll(async () => [...(await first.onlineDevices('u_a'))].sort(), { timeout: 3_000 }).toEqual(['d_laptop', 'd_phone']);
    expect([...(await second.onlineDevices('u_a'))].sort()).toEqual(['d_laptop', 'd_phone']);
    releaseLaptop();
    expect([...(await first.onlineDevices('u_a'))]).toEqual(['d_phone']);
  });

  it('answers its own devices within the bound when a node it believes alive does not answer', async () => {
    // A node that sends heartbeats but never answers: a process frozen after its last heartbeat.
    const silent = await connect({ servers: sharedNatsUrl });
    const heartbeat = () => silent.publish(`${prefix}nodes`, JSON.stringify({ node: 'silent-node' }));
    heartbeat();
    const heartbeats = setInterval(heartbeat, 500);
    try {
      first.markDeviceOnline('u_a', 'd_phone');
      second.markDeviceOnline('u_a', 'd_laptop');
      await expect.poll(async () => (await first.onlineDevices('u_a')).size, { timeout: 3_000 }).toBe(2);
      const startedAt = performance.now();
      const devices = await first.onlineDevices('u_a');
      const waitedMs = performance.now() - startedAt;
      expect([...devices].sort()).toEqual(['d_laptop', 'd_phone']);
      // It waited for the silent node (the bound is 250 ms), and not much longer.
      expect(waitedMs).toBeGreaterThanOrEqual(200);
      expect(waitedMs).toBeLessThan(1_000);
    } finally {
      clearInterval(heartbeats);
      await silent.close();
    }
  });

  it('answers at once with its own devices when the other node has closed', async () => {
    first.markDeviceOnline('u_a', 'd_phone');
    second.markDeviceOnline('u_a', 'd_laptop');
    await expect.poll(async () => (await first.onlineDevices('u_a')).size, { timeout: 3_000 }).toBe(2);
    await second.close();
    await expect.poll(async () => [...(await first.onlineDevices('u_a'))], { timeout: 2_000 }).toEqual(['d_phone']);
  });
});
