import { afterEach, describe, expect, it } from 'vitest';
import { expectEachSendStoredOnce, expectSendsStoredInOrder, expectSurfacedOnceInOrder } from '../testing/cluster-expectations.js';
import { eventually } from '../testing/eventually.js';
import { ProcessCluster } from '../testing/process-cluster.js';
import { RecordingDevice } from '../testing/recording-device.js';
import { steadySenders } from '../testing/steady-senders.js';
import { storedHistory } from '../testing/stored-history.js';
import { createUser, openDirect, type TestUser } from '../testing/test-api.js';

const sendIntervalMs = 50;
const deliveriesResumeWithinMs = 5_000;

/** The node HAProxy sends `user`'s sockets to, as that node's `/readyz` names itself. */
async function nodeOf(proxyUrl: string, user: string): Promise<string> {
  const body = (await (await fetch(`${proxyUrl}/readyz?user=${user}`)).json()) as { node?: string };
  return body.node ?? 'none';
}

describe('kill -9 of one of three nodes under load, behind HAProxy', () => {
  let cluster: ProcessCluster | undefined;
  const devices: RecordingDevice[] = [];
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
    await cluster?.close();
    cluster = undefined;
  });

  it('stores every acknowledged message once, and its devices reconnect through HAProxy and resume from their acked pos within 5 s', async () => {
    cluster = await ProcessCluster.start({ nodes: 3, haproxy: true });
    const proxyUrl = cluster.proxyUrl;
    const users: TestUser[] = [];
    for (let index = 0; index < 8; index++) users.push(await createUser(proxyUrl, `kill${index}`));
    const conversations: string[] = [];
    for (let index = 0; index < users.length; index += 2) conversations.push(await openDirect(proxyUrl, users[index] as TestUser, users[index + 1] as TestUser));
    const conversationOf = (index: number) => conversations[Math.floor(index / 2)] as string;
    for (const user of users) devices.push(await RecordingDevice.connect(proxyUrl, user));

    // The victim is the node holding the most of these users, so its loss is felt.
    const nodes = await Promise.all(users.map((user) => nodeOf(proxyUrl, user.userId)));
    const victim = [...new Set(nodes)].sort((a, b) => nodes.filter((node) => node === b).length - nodes.filter((node) => node === a).length)[0] as string;
    const victimDevices = devices.filter((_, index) => nodes[index] === victim);
    expect(victimDevices.length).toBeGreaterThan(0);

    const load = steadySenders(devices.map((device, index) => ({ device, conversation: conversationOf(index) })), sendIntervalMs);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const killedAtMs = Date.now();
    await cluster.kill(victim);
    await eventually(
      () => victimDevices.every((device) => device.surfaced.some((entry) => entry.atMs > killedAtMs && device.syncedAtMs.some((at) => at > killedAtMs && at <= entry.atMs))),
      'the killed node\'s devices to reconnect and receive again',
      deliveriesResumeWithinMs,
    );
    const reconnectMs = Math.max(...victimDevices.map((device) => (device.syncedAtMs.find((at) => at > killedAtMs) as number) - killedAtMs));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    load.stop();

    const answers = await Promise.all(devices.map((device) => device.allSent()));
    const survivor = cluster.nodes.find((node) => node.name !== victim)?.url as string;
    for (const [pair, conversation] of conversations.entries()) {
      const history = await storedHistory(survivor, (users[pair * 2] as TestUser).token, conversation);
      expectEachSendStoredOnce(history, [...(answers[pair * 2] ?? []), ...(answers[pair * 2 + 1] ?? [])]);
      const pairDevices = [devices[pair * 2] as RecordingDevice, devices[pair * 2 + 1] as RecordingDevice];
      await eventually(() => pairDevices.every((device) => device.messagesIn(conversation).length >= history.length), 'both devices to receive everything stored');
      for (const device of pairDevices) {
        expectSurfacedOnceInOrder(device, conversation, history);
        await expectSendsStoredInOrder(device, conversation);
      }
    }
    // The reconnects did not wait for it, but HAProxy's checks take the dead node out too (two failures a second apart).
    const proxyLog = cluster.proxyLog;
    await eventually(() => proxyLog.some((line) => line.includes(`${victim} is DOWN`)), 'HAProxy to mark the killed node down', 5_000);
    console.info(`kill -9 of ${victim} (${victimDevices.length} of ${devices.length} devices): the last of them synced again after ${reconnectMs} ms`);
  }, 40_000);
});
