import { afterEach, describe, expect, it } from 'vitest';
import { expectEachSendStoredOnce, expectSurfacedOnceInOrder } from '../testing/cluster-expectations.js';
import { eventually } from '../testing/eventually.js';
import { natsTestServer, type NatsTestServer } from '../testing/nats-test-server.js';
import { ProcessCluster } from '../testing/process-cluster.js';
import { RecordingDevice } from '../testing/recording-device.js';
import { steadySenders } from '../testing/steady-senders.js';
import { storedHistory } from '../testing/stored-history.js';
import { createUser, openDirect } from '../testing/test-api.js';

const outageMs = 10_000;
const crossNodeDelayMaxMs = 2_000;

/** How long each of `sender`'s texts sent between `fromMs` and `toMs` took to surface on `receiver`, in ms. */
function deliveryDelays(sender: RecordingDevice, receiver: RecordingDevice, fromMs: number, toMs: number): number[] {
  const surfacedAt = new Map(receiver.surfaced.map((entry) => [entry.message.body.text, entry.atMs]));
  return sender.sends
    .filter((send) => send.startedAtMs >= fromMs && send.startedAtMs < toMs)
    .map((send) => (surfacedAt.get(send.text) ?? Number.POSITIVE_INFINITY) - send.startedAtMs);
}

describe('NATS stopped for 10 s under load, then started', () => {
  let cluster: ProcessCluster | undefined;
  let nats: NatsTestServer | undefined;
  const devices: RecordingDevice[] = [];
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
    await cluster?.close();
    cluster = undefined;
    await nats?.stop();
  });

  it('loses nothing, doubles nothing, and keeps delivering across nodes within 2 s during the outage', async () => {
    nats = await natsTestServer();
    await nats.start();
    cluster = await ProcessCluster.start({ nodes: 2, natsUrl: nats.url });
    const [first, second] = cluster.nodes.map((node) => node.url) as [string, string];
    const [alice, bob, carol, dave] = [await createUser(first, 'natsa'), await createUser(first, 'natsb'), await createUser(first, 'natsc'), await createUser(first, 'natsd')];
    const aliceToBob = await openDirect(first, alice, bob);
    const carolToDave = await openDirect(first, carol, dave);
    // Straight to the nodes, not through HAProxy: surely on different nodes, so every delivery crosses.
    // The receivers only receive: a send of their own would make their node read their stream anyway.
    const [aliceOnFirst, bobOnSecond, carolOnSecond, daveOnFirst] = [
      await RecordingDevice.connect(first, alice),
      await RecordingDevice.connect(second, bob),
      await RecordingDevice.connect(second, carol),
      await RecordingDevice.connect(first, dave),
    ];
    devices.push(aliceOnFirst, bobOnSecond, carolOnSecond, daveOnFirst);

    const load = steadySenders([{ device: aliceOnFirst, conversation: aliceToBob }, { device: carolOnSecond, conversation: carolToDave }], 100);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await nats.stop();
    const stoppedAtMs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    await nats.start();
    const startedAtMs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    load.stop();

    for (const [sender, receiver, conversation] of [[aliceOnFirst, bobOnSecond, aliceToBob], [carolOnSecond, daveOnFirst, carolToDave]] as const) {
      const history = await storedHistory(second, sender.user.token, conversation);
      expectEachSendStoredOnce(history, await sender.allSent());
      await eventually(() => receiver.messagesIn(conversation).length >= history.length, 'the receiver to get everything stored');
      for (const device of [sender, receiver]) expectSurfacedOnceInOrder(device, conversation, history);
    }

    const duringOutage = [...deliveryDelays(aliceOnFirst, bobOnSecond, stoppedAtMs, startedAtMs), ...deliveryDelays(carolOnSecond, daveOnFirst, stoppedAtMs, startedAtMs)];
    expect(duringOutage.length).toBeGreaterThan(outageMs / 100);
    const worstMs = Math.max(...duringOutage);
    expect(worstMs).toBeLessThan(crossNodeDelayMaxMs);
    const now = Date.now();
    const afterwardMs = Math.max(...deliveryDelays(aliceOnFirst, bobOnSecond, startedAtMs, now), ...deliveryDelays(carolOnSecond, daveOnFirst, startedAtMs, now));
    console.info(`NATS down ${outageMs} ms: ${duringOutage.length} cross-node deliveries, the slowest ${worstMs} ms; after it came back, the slowest ${afterwardMs} ms`);
  }, 40_000);
});
