import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from '../testing/test-api.js';
import type { PushProviderName } from '../chat/push-model.js';
import { PushTestScene } from '../testing/push-test-scene.js';

describe.each<PushProviderName>(['fcm', 'apns', 'webpush', 'webhook'])('push notifications through %s', (provider) => {
  let scene: PushTestScene;

  beforeEach(async () => {
    scene = await PushTestScene.start();
    await scene.register(scene.bob, scene.standIns.registration(provider, 'bob'));
  });
  afterEach(async () => {
    expect(scene.standIns.problems()).toEqual([]);
    await scene.stop();
  });

  it('wakes an offline device once for a burst of 20 messages, with the count and the newest seq', async () => {
    const seqs = await scene.send(scene.aliceSocket, scene.conversation, 20);
    await scene.advance(1_999);
    expect(scene.standIns.seen(provider)).toEqual([]);
    await scene.advance(1);
    expect(scene.standIns.seen(provider)).toEqual([
      expect.objectContaining({ conversation: scene.conversation, count: 20, seq: seqs.at(-1) }),
    ]);
    await scene.advance(10 * 60_000);
    expect(scene.standIns.seen(provider)).toHaveLength(1);
    expect(await scene.metric(`parley_push_sent_total{provider="${provider}"}`)).toBe(1);
    expect(await scene.metric('parley_push_coalesced_total')).toBe(19);
  });

  it('delivers once when the service first answers 503, after the retry delay', async () => {
    scene.standIns.unavailableNext(provider);
    const [seq] = await scene.send(scene.aliceSocket, scene.conversation, 1);
    await scene.advance(2_000);
    expect(scene.standIns.seen(provider)).toEqual([]);
    await scene.advance(1_000);
    expect(scene.standIns.seen(provider)).toEqual([expect.objectContaining({ count: 1, seq })]);
    await scene.advance(60 * 60_000);
    expect(scene.standIns.seen(provider)).toHaveLength(1);
    expect(await scene.metric(`parley_push_retried_total{provider="${provider}"}`)).toBe(1);
  });

  it('removes the registration after the first answer that the token is gone', async () => {
    scene.standIns.goneNext(provider);
    await scene.send(scene.aliceSocket, scene.conversation, 1);
    await scene.advance(2_000);
    const current = await request(scene.url, 'GET', '/v1/devices/current/push', { token: scene.bob.token });
    expect(current.status).toBe(404);
    await scene.send(scene.aliceSocket, scene.conversation, 1);
    await scene.advance(2_000);
    expect(scene.standIns.seen(provider)).toEqual([]);
    expect(await scene.metric(`parley_push_tokens_removed_total{provider="${provider}"}`)).toBe(1);
  });
});
