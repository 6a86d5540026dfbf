import { afterEach, describe, expect, it } from 'vitest';
import { expectEachSendStoredOnce, expectSendsStoredInOrder, expectSurfacedOnceInOrder } from '../testing/cluster-expectations.js';
import { eventually } from '../testing/eventually.js';
import { ProcessCluster } from '../testing/process-cluster.js';
import { RecordingDevice } from '../testing/recording-device.js';
import { storedHistory } from '../testing/stored-history.js';
import { createGroup, createUser } from '../testing/test-api.js';

const messagesPerSender = 25;

describe('two nodes appending to one group at the same time', () => {
  let cluster: ProcessCluster | undefined;
  const devices: RecordingDevice[] = [];
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
    await cluster?.close();
    cluster = undefined;
  });

  it('gives dense seqs and no duplicates, and every member, on either node, sees one order', async () => {
    cluster = await ProcessCluster.start({ nodes: 2 });
    const [first, second] = cluster.nodes.map((node) => node.url) as [string, string];
    const users = [];
    for (let index = 0; index < 4; index++) users.push(await createUser(first, `grp${index}`));
    const [creator, ...others] = users as [(typeof users)[number], ...typeof users];
    const group = await createGroup(first, creator, others);
    // Two members on each node, connected straight to it, so each node has senders and readers.
    for (const [index, user] of users.entries()) devices.push(await RecordingDevice.connect(index % 2 === 0 ? first : second, user));

    for (let round = 0; round < messagesPerSender; round++) {
      for (const [index, device] of devices.entries()) device.send(group, `from ${index} #${round}`);
    }
    const sent = (await Promise.all(devices.map((device) => device.allSent()))).flat();
    const total = devices.length * messagesPerSender;

    const history = await storedHistory(second, creator.token, group);
    expect(history).toHaveLength(total);
    expectEachSendStoredOnce(history, sent);

    // Every member saw every message once, in seq order: the one order of the group.
    await eventually(() => devices.every((device) => device.messagesIn(group).length >= total), 'every member to receive every message');
    for (const device of devices) {
      expectSurfacedOnceInOrder(device, group, history);
      await expectSendsStoredInOrder(device, group);
    }
  }, 30_000);
});
