import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NatsBus } from '../bus/nats-bus.js';
import { newestPos } from '../chat/newest-pos.js';
import { streamEntryFrame } from '../chat/stream-frames.js';
import { connectedPump } from '../testing/connected-pump.js';
import { openTestNatsBus, randomSubjectPrefix, sharedNatsUrl } from '../testing/nats-test-server.js';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import type { NoticeReceiver } from './session-registry.js';
import { SessionRegistry } from './session-registry.js';

describe('a session told catch_up by the NATS bus', () => {
  let scene: UseCaseScene;
  let bus: NatsBus;
  let registry: SessionRegistry;
  const catchUpErrors: unknown[] = [];
  beforeEach(async () => {
    scene = await openUseCaseScene();
    bus = await openTestNatsBus(sharedNatsUrl, randomSubjectPrefix());
    registry = new SessionRegistry({
      bus,
      newestPos: (userId) => newestPos(scene.context, userId),
      catchUpConcurrencyMax: 2,
      onCatchUpError: (error) => catchUpErrors.push(error),
    });
  });
  afterEach(async () => {
    await bus.close();
    await scene.close();
    expect(catchUpErrors).toEqual([]);
  });

  it('sends the stored entries no notice told it of, once, in order', async () => {
    const alice = await scene.make.user('alice');
    const { user: bob, caller: bobsPhone } = await scene.caller('bob');
    const conversation = await scene.make.direct(alice, bob);
    await scene.make.send(conversation, alice, 'one');
    const { pump, received, receivedUpTo, close } = await connectedPump(scene, bobsPhone, 500);
    await pump.pump();
    const sentBefore = pump.sentPos;
    // Stored, and no notice published: a wake-up lost between nodes.
    for (const text of ['two', 'three']) await scene.make.send(conversation, alice, text);
    const missedUpTo = await scene.store.currentPos(bob.id);
    expect(missedUpTo).toBeGreaterThan(sentBefore);
    const session: NoticeReceiver = {
      deviceId: 'd_bob',
      deliverEntries: (entries) => pump.deliver(entries),
      deliverEphemeral: () => undefined,
      close: () => undefined,
      catchUp: (newest) => pump.catchUp(newest),
    };

    // Its first listener for bob: once the subscription holds, the bus says catch_up.
    registry.add(bob.id, session);
    await receivedUpTo(missedUpTo);
    expect(received).toEqual(Array.from({ length: missedUpTo }, (_, index) => index + 1));

    // A late notice of an entry already sent, then another catch-up with one new entry: nothing goes twice.
    const [late] = await scene.store.readStream(bob.id, missedUpTo - 1, 1);
    pump.deliver([streamEntryFrame(late as NonNullable<typeof late>)]);
    await scene.make.send(conversation, alice, 'four');
    registry.remove(bob.id, session);
    registry.add(bob.id, session);
    await receivedUpTo(missedUpTo + 1);
    expect(received).toEqual(Array.from({ length: missedUpTo + 1 }, (_, index) => index + 1));
    registry.remove(bob.id, session);
    await close();
  });
});
