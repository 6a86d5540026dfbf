import { afterEach, describe, expect, it } from 'vitest';
import { expectEachSendStoredOnce, expectSendsStoredInOrder, expectSurfacedOnceInOrder } from '../testing/cluster-expectations.js';
import { eventually } from '../testing/eventually.js';
import { ProcessCluster } from '../testing/process-cluster.js';
import { RecordingDevice } from '../testing/recording-device.js';
import { steadySenders } from '../testing/steady-senders.js';
import { storedHistory } from '../testing/stored-history.js';
import { createUser, openDirect } from '../testing/test-api.js';
import { ThrowawayPostgres } from '../testing/throwaway-postgres.js';

const downMs = 3_000;

describe('PostgreSQL restarted under load', () => {
  let postgres: ThrowawayPostgres | undefined;
  let cluster: ProcessCluster | undefined;
  const devices: RecordingDevice[] = [];
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
    await cluster?.close();
    cluster = undefined;
    await postgres?.remove();
  });

  it('answers no sent for a write that did not commit, has senders retry on unavailable, and recovers without a restart with every outbox stored once', async () => {
    postgres = await ThrowawayPostgres.create();
    cluster = await ProcessCluster.start({ nodes: 2, postgresUrl: postgres.url });
    const [first, second] = cluster.nodes.map((node) => node.url) as [string, string];
    const alice = await createUser(first, 'pga');
    const bob = await createUser(first, 'pgb');
    const conversation = await openDirect(first, alice, bob);
    const senders = [await RecordingDevice.connect(first, alice), await RecordingDevice.connect(second, bob)];
    devices.push(...senders);

    const load = steadySenders(senders.map((device) => ({ device, conversation })), 100);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const stoppedAtMs = Date.now();
    await postgres.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    for (const node of cluster.nodes) expect((await fetch(`${node.url}/readyz`)).status).toBe(503);
    await postgres.start();
    const startedAtMs = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    load.stop();

    const answers = (await Promise.all(senders.map((device) => device.allSent()))).flat();
    const history = await storedHistory(second, alice.token, conversation);
    expectEachSendStoredOnce(history, answers);
    await eventually(() => senders.every((device) => device.messagesIn(conversation).length >= history.length), 'both devices to receive everything stored');
    for (const device of senders) {
      expectSurfacedOnceInOrder(device, conversation, history);
      await expectSendsStoredInOrder(device, conversation);
    }

    // The senders were told to wait, and their SDKs kept and re-sent what was refused.
    const delayed = senders.flatMap((device) => device.delayed);
    expect(delayed.length).toBeGreaterThan(0);
    expect(delayed.every((entry) => entry.error.code === 'unavailable')).toBe(true);
    // The same processes serve again, ready, with nothing restarted.
    for (const node of cluster.nodes) {
      expect(node.process.child.exitCode).toBeNull();
      expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
    }
    const delayedAtMs = delayed.map((entry) => entry.atMs);
    // When the last send made while PostgreSQL was down got its sent.
    const drainedAtMs = Math.max(...senders.flatMap((device) => device.sends.filter((send) => send.startedAtMs < startedAtMs).map((send) => send.answeredAtMs ?? Number.POSITIVE_INFINITY)));
    console.info(
      `PostgreSQL down ${startedAtMs - stoppedAtMs} ms: senders saw unavailable from ${Math.min(...delayedAtMs) - stoppedAtMs} ms to ${Math.max(...delayedAtMs) - stoppedAtMs} ms after the stop ` +
        `(${delayed.length} answers); every outbox stored ${drainedAtMs - startedAtMs} ms after the start`,
    );
  }, 40_000);
});
