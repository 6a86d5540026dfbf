import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PresenceEvent } from '@parley/protocol';
import type { NatsBus } from '../bus/nats-bus.js';
import { eventually } from '../testing/eventually.js';
import { openTestNatsBus, randomSubjectPrefix, sharedNatsUrl } from '../testing/nats-test-server.js';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import type { User } from './model.js';
import { Presence } from './presence.js';

const graceMs = 5_000;

/** Two nodes sharing one store, each with its own NATS bus and Presence, as a cluster runs them. */
describe('Presence on two nodes sharing a NATS bus', () => {
  let scene: UseCaseScene;
  let busA: NatsBus;
  let busB: NatsBus;
  let nodeA: Presence;
  let nodeB: Presence;
  let alice: User;
  let bob: User;
  /** What Bob's devices are told of Alice, on node A. */
  let toldBob: PresenceEvent[];
  const errors: unknown[] = [];

  beforeEach(async () => {
    scene = await openUseCaseScene();
    const prefix = randomSubjectPrefix();
    busA = await openTestNatsBus(sharedNatsUrl, prefix);
    busB = await openTestNatsBus(sharedNatsUrl, prefix);
    nodeA = new Presence({ ...scene.context, bus: busA }, graceMs, (error) => errors.push(error));
    nodeB = new Presence({ ...scene.context, bus: busB }, graceMs, (error) => errors.push(error));
    alice = await scene.make.user('alice');
    bob = await scene.make.user('bob');
    await scene.make.direct(alice, bob);
    toldBob = [];
    let subscribed = false;
    busA.subscribe(bob.id, (notice) => {
      if (notice.kind === 'catch_up') subscribed = true;
      if (notice.kind === 'ephemeral') toldBob.push(JSON.parse(notice.frame) as PresenceEvent);
    });
    await eventually(() => subscribed, 'the subscription to hold', 2_000);
    // Each node knows the other is alive, so its questions wait for the other's answer.
    const probe = busB.markDeviceOnline('u_probe', 'd_probe');
    await expect.poll(async () => (await busA.onlineDevices('u_probe')).size, { timeout: 3_000 }).toBe(1);
    probe();
  });
  afterEach(async () => {
    await busA.close();
    await busB.close();
    await scene.close();
    expect(errors).toEqual([]);
  });

  /** A device connecting on a node, as connectDevice does it; resolves once the node has decided what to announce. */
  async function connect(node: Presence, bus: NatsBus, deviceId: string): Promise<() => Promise<void>> {
    node.connected(alice.id, deviceId);
    const release = bus.markDeviceOnline(alice.id, deviceId);
    await node.settled();
    return async () => {
      release();
      node.disconnected(alice.id);
      await node.settled();
    };
  }

  /** The grace period ends everywhere, and the nodes decide. */
  async function graceEnds(): Promise<void> {
    scene.clock.advance(graceMs);
    await nodeA.settled();
    await nodeB.settled();
  }

  it('shows a user online on a node that holds none of their devices', async () => {
    await connect(nodeA, busA, 'd_phone');
    const snapshot = await nodeB.snapshotFor(bob.id);
    expect(snapshot).toEqual([{ type: 'presence', user: alice.id, online: true }]);
  });

  it('keeps a user online while a device on another node remains, and records last seen only when the last one anywhere leaves', async () => {
    const leavePhone = await connect(nodeA, busA, 'd_phone');
    await eventually(() => toldBob.length === 1, 'the online announcement', 2_000);
    const leaveLaptop = await connect(nodeB, busB, 'd_laptop');

    await leavePhone();
    await graceEnds();
    expect((await scene.store.getUser(alice.id))?.lastSeenAt).toBeNull();
    expect(await nodeA.snapshotFor(bob.id)).toEqual([{ type: 'presence', user: alice.id, online: true }]);

    const laptopLeftAt = scene.clock.now();
    await leaveLaptop();
    await graceEnds();
    await eventually(() => toldBob.length === 2, 'the offline announcement', 2_000);
    expect(toldBob).toEqual([
      { type: 'presence', user: alice.id, online: true },
      { type: 'presence', user: alice.id, online: false, lastSeen: laptopLeftAt },
    ]);
    await expect.poll(async () => (await scene.store.getUser(alice.id))?.lastSeenAt).toBe(laptopLeftAt);
  });

  it('does not announce offline when the user came back on another node within the grace period', async () => {
    const leavePhone = await connect(nodeA, busA, 'd_phone');
    await eventually(() => toldBob.length === 1, 'the online announcement', 2_000);
    await leavePhone();
    await connect(nodeB, busB, 'd_phone');
    await graceEnds();
    // Settled, each node has published what it announces; one more notice from node B comes behind any of its own.
    busB.publish(bob.id, { kind: 'ephemeral', frame: JSON.stringify({ type: 'presence', user: 'u_marker', online: true }) });
    await eventually(() => toldBob.some((event) => event.user === 'u_marker'), 'the marker', 2_000);
    expect(toldBob.filter((event) => !event.online)).toEqual([]);
    expect((await scene.store.getUser(alice.id))?.lastSeenAt).toBeNull();
  });
});
