import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { later } from '../store/contract/fixtures.js';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { goOnline } from './go-online.js';

describe('goOnline', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  it('marks the device online on the bus until it goes offline', async () => {
    const { caller } = await scene.caller('alice');
    const online = goOnline(scene.context, caller);
    await online.pushJobsCancelled;
    expect([...(await scene.bus.onlineDevices(caller.userId))]).toEqual([caller.deviceId]);
    online.goOffline();
    expect([...(await scene.bus.onlineDevices(caller.userId))]).toEqual([]);
  });

  it('cancels the push notifications the device was waiting for: it syncs itself now', async () => {
    const alice = await scene.caller('alice');
    const bob = await scene.caller('bob');
    await scene.store.setPushRegistration({
      deviceId: bob.device.id,
      userId: bob.user.id,
      target: { provider: 'webhook', url: 'https://push.example.org/bob' },
      createdAt: later,
    });
    const conversation = await scene.make.direct(alice.user, bob.user);
    await scene.make.send(conversation, alice.user, 'are you there?');

    await goOnline(scene.context, bob.caller).pushJobsCancelled;

    expect(await scene.store.claimPushJobs(later, 10, later + 60_000)).toEqual([]);
  });
});
