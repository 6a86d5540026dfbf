import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { gapWasAcked } from './gap-was-acked.js';

describe('gapWasAcked', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  it('is true when the device acked every event before the stored one, and false when it acked less', async () => {
    const { user: alice, device: phone, caller } = await scene.caller('alice');
    const bob = await scene.make.user('bob');
    const conversation = await scene.make.direct(alice, bob);
    for (const text of ['one', 'two', 'three']) await scene.make.send(conversation, bob, text);
    const end = await scene.store.currentPos(alice.id);
    await scene.store.ackStream(phone.id, end - 1, scene.clock.now());

    expect(await gapWasAcked(scene.context, caller, end)).toBe(true);
    expect(await gapWasAcked(scene.context, caller, end - 1)).toBe(true);
    expect(await gapWasAcked(scene.context, caller, end + 1)).toBe(false);
  });

  it('is false for a device the store no longer has', async () => {
    const { caller } = await scene.caller('alice');

    expect(await gapWasAcked(scene.context, { ...caller, deviceId: 'd_gone' }, 1)).toBe(false);
  });
});
