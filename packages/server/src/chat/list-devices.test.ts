import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { listDevices } from './list-devices.js';

describe('listDevices', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  it("lists only the caller's devices, online as the bus records them", async () => {
    const { user, device: phone, caller } = await scene.caller('alice');
    const laptop = await scene.make.device(user, 'laptop');
    await scene.caller('bob');
    const goOffline = scene.bus.markDeviceOnline(user.id, laptop.id);

    const listed = await listDevices(scene.context, caller);
    expect(Object.fromEntries(listed.map(({ device, online }) => [device.id, online]))).toEqual({ [laptop.id]: true, [phone.id]: false });

    goOffline();
    expect((await listDevices(scene.context, caller)).every(({ online }) => !online)).toBe(true);
  });
});
