import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { recordActivity } from './record-activity.js';

const resolutionMs = 60_000;

describe('recordActivity', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  const lastActiveAt = async (userId: string) => (await scene.store.listDevices(userId))[0]?.lastActiveAt;

  it('writes nothing while the recorded activity is within the resolution, so reads stay reads', async () => {
    const { user, device, caller } = await scene.caller('alice');
    scene.clock.advance(device.lastActiveAt + resolutionMs - scene.clock.now());
    await recordActivity(scene.context, caller, device, 0, resolutionMs);
    expect(await lastActiveAt(user.id)).toBe(device.lastActiveAt);
  });

  it('records the device as active now once its last activity is older than the resolution', async () => {
    const { user, device, caller } = await scene.caller('alice');
    scene.clock.advance(device.lastActiveAt + resolutionMs + 1 - scene.clock.now());
    await recordActivity(scene.context, caller, device, 0, resolutionMs);
    expect(await lastActiveAt(user.id)).toBe(scene.clock.now());
  });
});
