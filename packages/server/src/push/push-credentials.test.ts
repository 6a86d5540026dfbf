import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestSocket } from '../testing/test-socket.js';
import { PushTestScene } from '../testing/push-test-scene.js';

const minutes = (count: number) => count * 60_000;

describe('push service credentials', () => {
  let scene: PushTestScene;

  beforeEach(async () => {
    scene = await PushTestScene.start();
  });
  afterEach(async () => {
    expect(scene.standIns.problems()).toEqual([]);
    await scene.stop();
  });

  /** Sends one message from a fresh socket (long fake waits outlive the heartbeat) and lets it be pushed. */
  async function notifyOnce(): Promise<void> {
    const socket = await TestSocket.connect(scene.url, scene.alice.token);
    await scene.send(socket, scene.conversation, 1);
    await socket.close();
    await scene.advance(2_000);
  }

  it('reuses the FCM access token until shortly before it expires, then exchanges a new assertion', async () => {
    await scene.register(scene.bob, scene.standIns.registration('fcm', 'bob'));
    await notifyOnce();
    await notifyOnce();
    expect(scene.standIns.fcm.tokensIssued).toBe(1);
    await scene.advance(minutes(56));
    await notifyOnce();
    expect(scene.standIns.fcm.tokensIssued).toBe(2);
    expect(scene.standIns.seen('fcm')).toHaveLength(3);
  });

  it('keeps one HTTP/2 connection to APNs and renews the provider token after 50 minutes, not before', async () => {
    await scene.register(scene.bob, scene.standIns.registration('apns', 'bob'));
    await notifyOnce();
    await scene.advance(minutes(30));
    await notifyOnce();
    expect(scene.standIns.apns.providerTokens.size).toBe(1);
    await scene.advance(minutes(20));
    await notifyOnce();
    expect(scene.standIns.apns.providerTokens.size).toBe(2);
    expect(scene.standIns.apns.connectionsOpened).toBe(1);
    expect(scene.standIns.seen('apns')).toHaveLength(3);
  });
});
