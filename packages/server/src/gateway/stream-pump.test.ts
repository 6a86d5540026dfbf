import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compactStream } from '../chat/compact-stream.js';
import { streamEntryFrame } from '../chat/stream-frames.js';
import { later } from '../store/contract/fixtures.js';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { connectedPump } from '../testing/connected-pump.js';
import { StreamGapError } from './stream-pump.js';

const retentionMs = 30 * 24 * 60 * 60 * 1000;

describe('StreamPump', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  it('replays the stored stream page by page, in pos order', async () => {
    const alice = await scene.make.user('alice');
    const { user: bob, caller: bobsPhone } = await scene.caller('bob');
    const conversation = await scene.make.direct(alice, bob);
    for (const text of ['one', 'two', 'three', 'four']) await scene.make.send(conversation, alice, text);
    const newest = await scene.store.currentPos(bob.id);
    const { pump, received, receivedUpTo, failures, close } = await connectedPump(scene, bobsPhone, 2);

    await pump.pump();

    expect(failures).toEqual([]);
    expect(pump.sentPos).toBe(newest);
    await receivedUpTo(newest);
    expect(received).toEqual(Array.from({ length: newest }, (_, index) => index + 1));
    await close();
  });

  it('reads a gap from the store when a live entry skips ahead (a notice was lost), and repeats nothing', async () => {
    const alice = await scene.make.user('alice');
    const { user: bob, caller: bobsPhone } = await scene.caller('bob');
    const conversation = await scene.make.direct(alice, bob);
    const { pump, received, receivedUpTo, failures, close } = await connectedPump(scene, bobsPhone, 500);
    await pump.pump();
    const start = pump.sentPos;

    await scene.make.send(conversation, alice, 'its notice is lost');
    await scene.make.send(conversation, alice, 'its notice arrives');
    const [, second] = await scene.store.readStream(bob.id, start, 10);
    if (second === undefined) throw new Error('two entries were appended');
    pump.deliver([streamEntryFrame(second)]);
    await receivedUpTo(second.pos);

    pump.deliver([streamEntryFrame(second)]);
    await scene.make.send(conversation, alice, 'the next one');
    const [third] = await scene.store.readStream(bob.id, second.pos, 10);
    if (third === undefined) throw new Error('one entry was appended');
    pump.deliver([streamEntryFrame(third)]);
    await receivedUpTo(third.pos);

    expect(received.slice(start)).toEqual([start + 1, start + 2, start + 3]);
    expect(failures).toEqual([]);
    await close();
  });

  it('fails instead of skipping events that another device compacted away while this one connected', async () => {
    const { user: alice, device: phone, caller: alicesPhone } = await scene.caller('alice');
    const laptop = await scene.make.device(alice, 'alice-laptop');
    const bob = await scene.make.user('bob');
    const conversation = await scene.make.direct(alice, bob);
    for (const text of ['one', 'two', 'three']) await scene.make.send(conversation, bob, text);
    const end = await scene.store.currentPos(alice.id);
    // The phone, idle past the retention window, connects from its acked pos; before its replay reads,
    // the laptop acks everything and compacts the stream, which no longer waits for the phone.
    const { pump, received, failures, close } = await connectedPump(scene, alicesPhone, 500, phone.ackedPos);
    scene.clock.advance(later + retentionMs - scene.clock.now());
    await scene.store.ackStream(laptop.id, end, scene.clock.now());
    await compactStream(scene.context, alice.id, retentionMs);
    await scene.make.send(conversation, bob, 'after the compaction');

    await pump.pump();

    expect(failures).toEqual([expect.any(StreamGapError)]);
    expect(pump.sentPos).toBe(phone.ackedPos);
    expect(received).toEqual([]);
    expect(await scene.store.streamFloor(alice.id)).toBeGreaterThan(phone.ackedPos);
    await close();
  });

  it('goes on past events its device acked on its previous connection, which compacted them after this one read where to start', async () => {
    const alice = await scene.make.user('alice');
    const { user: bob, device: phone, caller: bobsPhone } = await scene.caller('bob');
    const conversation = await scene.make.direct(alice, bob);
    for (const text of ['one', 'two', 'three']) await scene.make.send(conversation, alice, text);
    const acked = await scene.store.currentPos(bob.id);
    // The phone reconnects (on another node, say) and reads its acked pos; only then does its previous
    // connection write its last ack and compact the stream up to it.
    const { pump, received, receivedUpTo, failures, close } = await connectedPump(scene, bobsPhone, 500, phone.ackedPos);
    await scene.store.ackStream(phone.id, acked, scene.clock.now());
    await compactStream(scene.context, bob.id, retentionMs);
    expect(await scene.store.streamFloor(bob.id)).toBeGreaterThan(phone.ackedPos);
    await scene.make.send(conversation, alice, 'after the compaction');

    await pump.pump();
    expect(failures).toEqual([]);
    await receivedUpTo(acked + 1);

    expect(received).toEqual([acked + 1]);
    expect(pump.sentPos).toBe(acked + 1);
    await close();
  });
});
