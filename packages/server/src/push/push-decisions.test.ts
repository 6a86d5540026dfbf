import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiptEvent } from '@parley/protocol';
import { createUser, logInAgain, openDirect, request } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';
import { PushTestScene } from '../testing/push-test-scene.js';

describe('when a push is sent, and when not', () => {
  let scene: PushTestScene;

  beforeEach(async () => {
    scene = await PushTestScene.start();
  });
  afterEach(async () => {
    expect(scene.standIns.problems()).toEqual([]);
    await scene.stop();
  });

  it('sends nothing to a device that is online, even one that has not acked', async () => {
    await scene.register(scene.bob, scene.standIns.registration('fcm', 'bob'));
    const bobSocket = await TestSocket.connect(scene.url, scene.bob.token);
    await scene.send(scene.aliceSocket, scene.conversation, 3);
    await bobSocket.next('message', (event) => event.seq === 3);
    await scene.advance(2_000);
    expect(scene.standIns.seen('fcm')).toEqual([]);
    expect(await scene.metric('parley_push_deduplicated_total{reason="online"}')).toBe(1);
    await bobSocket.close();
  });

  it('sends nothing to a device that got the messages live and acked them before going offline', async () => {
    const bobSocket = await TestSocket.connect(scene.url, scene.bob.token);
    await scene.register(scene.bob, scene.standIns.registration('webhook', 'bob'));
    const [seq] = await scene.send(scene.aliceSocket, scene.conversation, 1);
    const message = await bobSocket.next('message', (event) => event.seq === seq);
    bobSocket.send({ type: 'ack', pos: message.pos });
    // The delivered receipt is written in the ack's transaction: once Alice has it, the ack is durable.
    await scene.aliceSocket.next('receipt', (event: ReceiptEvent) => event.status === 'delivered' && event.seq === seq);
    await bobSocket.close();
    await scene.advance(2_000);
    expect(scene.standIns.seen('webhook')).toEqual([]);
    expect(await scene.metric('parley_push_deduplicated_total{reason="acked"}')).toBe(1);
  });

  it('cancels what a device waits for when it connects', async () => {
    await scene.register(scene.bob, scene.standIns.registration('webpush', 'bob'));
    await scene.send(scene.aliceSocket, scene.conversation, 2);
    const bobSocket = await TestSocket.connect(scene.url, scene.bob.token);
    await bobSocket.close();
    await scene.advance(2_000);
    expect(scene.standIns.seen('webpush')).toEqual([]);
  });

  it('sends nothing for a muted conversation, and again once it is unmuted', async () => {
    await scene.register(scene.bob, scene.standIns.registration('webhook', 'bob'));
    const mute = (until: number | null) =>
      request(scene.url, 'PUT', `/v1/conversations/${scene.conversation}/mute`, { token: scene.bob.token, body: { until } });
    expect((await mute(scene.clock.now() + 60 * 60_000)).status).toBe(204);
    await scene.send(scene.aliceSocket, scene.conversation, 5);
    await scene.advance(2_000);
    expect(scene.standIns.seen('webhook')).toEqual([]);
    expect((await mute(null)).status).toBe(204);
    const [seq] = await scene.send(scene.aliceSocket, scene.conversation, 1);
    await scene.advance(2_000);
    expect(scene.standIns.seen('webhook')).toEqual([expect.objectContaining({ count: 1, seq })]);
  });

  it("sends nothing to the sender's own devices", async () => {
    const aliceTablet = await logInAgain(scene.url, scene.alice.username);
    await scene.register(aliceTablet, scene.standIns.registration('webhook', 'alice-tablet'));
    await scene.send(scene.aliceSocket, scene.conversation, 3);
    await scene.advance(2_000);
    expect(scene.standIns.seen('webhook')).toEqual([]);
  });

  it('sends nothing to a device once it is revoked', async () => {
    await scene.register(scene.bob, scene.standIns.registration('webhook', 'bob'));
    const bobLaptop = await logInAgain(scene.url, scene.bob.username);
    expect((await request(scene.url, 'DELETE', `/v1/devices/${scene.bob.deviceId}`, { token: bobLaptop.token })).status).toBe(204);
    await scene.send(scene.aliceSocket, scene.conversation, 2);
    await scene.advance(2_000);
    expect(scene.standIns.seen('webhook')).toEqual([]);
  });

  it('neither loses nor repeats a notification across a restart with jobs queued', async () => {
    await scene.register(scene.bob, scene.standIns.registration('apns', 'bob'));
    const carol = await createUser(scene.url, 'carol');
    const withCarol = await openDirect(scene.url, carol, scene.bob);
    const carolSocket = await TestSocket.connect(scene.url, carol.token);
    const first = await scene.send(scene.aliceSocket, scene.conversation, 3);
    await scene.advance(2_000);
    const second = await scene.send(carolSocket, withCarol, 4);
    await carolSocket.close();
    await scene.restart();
    expect(scene.standIns.seen('apns')).toHaveLength(1);
    await scene.advance(2_000);
    await scene.advance(60 * 60_000);
    expect(scene.standIns.seen('apns')).toEqual([
      expect.objectContaining({ conversation: scene.conversation, count: 3, seq: first.at(-1) }),
      expect.objectContaining({ conversation: withCarol, count: 4, seq: second.at(-1) }),
    ]);
  });

  it('gives a notification up after pushAttemptsMax failed attempts', async () => {
    await scene.register(scene.bob, scene.standIns.registration('webhook', 'bob'));
    for (let attempt = 0; attempt < 8; attempt++) scene.standIns.unavailableNext('webhook');
    await scene.send(scene.aliceSocket, scene.conversation, 1);
    for (let step = 0; step < 12; step++) await scene.advance(20 * 60_000);
    expect(scene.standIns.seen('webhook')).toEqual([]);
    expect(await scene.metric('parley_push_retried_total{provider="webhook"}')).toBe(7);
    expect(await scene.metric('parley_push_failed_total{provider="webhook",reason="gave_up"}')).toBe(1);
    // Hours of fake time closed Alice's socket (its pongs came too late): she reconnects.
    const aliceAgain = await TestSocket.connect(scene.url, scene.alice.token);
    const [seq] = await scene.send(aliceAgain, scene.conversation, 1);
    await scene.advance(2_000);
    expect(scene.standIns.seen('webhook')).toEqual([expect.objectContaining({ count: 1, seq })]);
    await aliceAgain.close();
  });
});

describe('what a notification shows', () => {
  it('with preview none, a background wake-up with ids and the count, and no name, text or badge', async () => {
    const scene = await PushTestScene.start();
    await scene.register(scene.bob, scene.standIns.registration('apns', 'bob'));
    await scene.send(scene.aliceSocket, scene.conversation, 2);
    await scene.advance(2_000);
    const [delivery] = scene.standIns.apns.delivered;
    expect(delivery?.headers).toMatchObject({ 'apns-push-type': 'background', 'apns-priority': '5', 'apns-collapse-id': scene.conversation });
    expect(delivery?.payload).toEqual({ aps: { 'content-available': 1 }, id: expect.any(String), conversation: scene.conversation, count: 2, seq: 2 });
    await scene.stop();
  });

  it('with preview full, an alert with the sender and the text, and the unread count as badge', async () => {
    const scene = await PushTestScene.start({ pushPreview: 'full' });
    await scene.register(scene.bob, scene.standIns.registration('apns', 'bob'));
    await scene.send(scene.aliceSocket, scene.conversation, 3);
    await scene.advance(2_000);
    const [delivery] = scene.standIns.apns.delivered;
    expect(delivery?.headers).toMatchObject({ 'apns-push-type': 'alert', 'apns-priority': '10', 'apns-topic': 'app.parley.test' });
    expect(delivery?.payload.aps).toMatchObject({ alert: { title: scene.alice.username, body: 'message 3' }, badge: 3 });
    expect(scene.standIns.problems()).toEqual([]);
    await scene.stop();
  });
});
