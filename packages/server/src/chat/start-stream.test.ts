import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { later } from '../store/contract/fixtures.js';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { compactStream } from './compact-stream.js';
import { startStream } from './start-stream.js';

const retentionMs = 30 * 24 * 60 * 60 * 1000;

describe('startStream', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  /** Alice's phone (as read when made) and laptop, and three messages from Bob in her stream, which ends at `end`. */
  async function aliceWithTwoDevicesAndMessages() {
    const { user: alice, device: phone } = await scene.caller('alice');
    const laptop = await scene.make.device(alice, 'alice-laptop');
    const bob = await scene.make.user('bob');
    const conversation = await scene.make.direct(alice, bob);
    for (const text of ['one', 'two', 'three']) await scene.make.send(conversation, bob, text);
    return { alice, phone, laptop, end: await scene.store.currentPos(alice.id) };
  }

  it('resumes a device whose previous connection acked and compacted after its row was read at hello, without a resync', async () => {
    const { alice, phone: phoneAtHello, laptop, end } = await aliceWithTwoDevicesAndMessages();

    // What the phone's previous connection does as it closes: it writes its last ack, then compacts.
    await scene.store.ackStream(laptop.id, end, scene.clock.now());
    await scene.store.ackStream(phoneAtHello.id, end, scene.clock.now());
    await compactStream(scene.context, alice.id, retentionMs);
    expect(await scene.store.streamFloor(alice.id)).toBe(end);

    expect(await startStream(scene.context, phoneAtHello)).toEqual({ afterPos: end, resync: false });
  });

  it('resyncs a device that was away beyond the retention window while the others acked and compacted', async () => {
    const { alice, phone, laptop, end } = await aliceWithTwoDevicesAndMessages();

    // Past the window of the phone's last activity (every fixture is made before `later`).
    scene.clock.advance(later + retentionMs - scene.clock.now());
    await scene.store.ackStream(laptop.id, end, scene.clock.now());
    await compactStream(scene.context, alice.id, retentionMs);

    expect(await startStream(scene.context, phone)).toEqual({ afterPos: end, resync: true });
  });
});
