import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LinkCodeView, MessageEvent, SessionView } from '@parley/protocol';
import { FakeClock } from '../clock/fake-clock.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, logInAgain, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

const texts = (events: MessageEvent[]) => events.map((event) => event.body.text);
const messagesOf = (socket: TestSocket) => socket.events().filter((event): event is MessageEvent => event.type === 'message');

describe('several devices of one user', () => {
  let clock: FakeClock;
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let conversation: string;

  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    server = await startApp({ streamRetentionMs: 30 * 24 * 60 * 60 * 1000 }, { clock });
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
    conversation = await openDirect(server.url, alice, bob);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('shows messages from each device and from the peer on all three devices in one order, and the offline one catches up once', async () => {
    const [phone, laptop, tablet] = [alice, await logInAgain(server.url, alice.username), await logInAgain(server.url, alice.username)];
    const phoneSocket = await TestSocket.connect(server.url, phone!.token);
    const laptopSocket = await TestSocket.connect(server.url, laptop.token);
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    const send = async (socket: TestSocket, text: string) => {
      const id = randomUUID();
      socket.send({ type: 'send', id, conversation, body: { text } });
      await socket.next('sent', (frame) => frame.id === id);
    };
    await send(phoneSocket, 'from phone');
    await send(bobSocket, 'from bob');
    await send(laptopSocket, 'from laptop');
    const expected = ['from phone', 'from bob', 'from laptop'];
    await laptopSocket.next('message', (event) => event.seq === 3);
    await phoneSocket.next('message', (event) => event.seq === 3);
    expect(texts(messagesOf(phoneSocket))).toEqual(expected);
    expect(texts(messagesOf(laptopSocket))).toEqual(expected);

    const tabletSocket = await TestSocket.connect(server.url, tablet.token);
    expect(texts(messagesOf(tabletSocket))).toEqual(expected);
    tabletSocket.send({ type: 'ack', pos: tabletSocket.events().at(-1)!.pos });
    // The first ack past Bob's message: his `delivered` comes from the write that stores it, which any node reads.
    await bobSocket.next('receipt', (event) => event.status === 'delivered' && event.seq === 2);
    await tabletSocket.close();
    const again = await TestSocket.connect(server.url, tablet.token);
    expect(messagesOf(again)).toEqual([]);
    await Promise.all([phoneSocket.close(), laptopSocket.close(), bobSocket.close(), again.close()]);
  });

  it('shows a read on one device as read on the others', async () => {
    const laptop = await logInAgain(server.url, alice.username);
    const phoneSocket = await TestSocket.connect(server.url, alice.token);
    const laptopSocket = await TestSocket.connect(server.url, laptop.token);
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    bobSocket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'read me' } });
    const message = await phoneSocket.next('message');
    phoneSocket.send({ type: 'read', conversation, seq: message.seq });
    expect(await laptopSocket.next('receipt')).toMatchObject({ user: alice.userId, status: 'read', seq: 1, conversation });
    const list = await request<{ conversations: { id: string; unread: number }[] }>(server.url, 'GET', '/v1/conversations', {
      token: laptop.token,
    });
    expect(list.body.conversations.find((entry) => entry.id === conversation)?.unread).toBe(0);
    await Promise.all([phoneSocket.close(), laptopSocket.close(), bobSocket.close()]);
  });

  it('refuses the sixth login with 409 conflict naming the limit and how to revoke', async () => {
    for (let index = 0; index < 4; index++) await logInAgain(server.url, alice.username);
    const sixth = await request(server.url, 'POST', '/v1/sessions', {
      body: { username: alice.username, password: 'correct horse battery staple' },
    });
    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/5 devices.*DELETE \/v1\/devices/) } });
  });

  it('links a device with a code that works once', async () => {
    const created = await request<LinkCodeView>(server.url, 'POST', '/v1/devices/link-codes', { token: alice.token });
    expect(created.status).toBe(201);
    expect(created.body.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const linked = await request<SessionView>(server.url, 'POST', '/v1/sessions', {
      body: { linkCode: created.body.code.toLowerCase(), deviceName: 'tablet' },
    });
    expect(linked.status).toBe(201);
    expect(linked.body.user.id).toBe(alice.userId);
    expect(linked.body.device.name).toBe('tablet');
    const reused = await request(server.url, 'POST', '/v1/sessions', { body: { linkCode: created.body.code } });
    expect(reused.status).toBe(401);
  });

  it('refuses a link code after it expired', async () => {
    const created = await request<LinkCodeView>(server.url, 'POST', '/v1/devices/link-codes', { token: alice.token });
    clock.advance(60_000);
    const late = await request(server.url, 'POST', '/v1/sessions', { body: { linkCode: created.body.code } });
    expect(late.status).toBe(401);
    expect(late.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('lists devices with name, activity and whether they are online', async () => {
    const laptop = await logInAgain(server.url, alice.username);
    const socket = await TestSocket.connect(server.url, laptop.token);
    const list = await request<{ devices: { id: string; current: boolean; online: boolean; lastActiveAt: number }[] }>(
      server.url,
      'GET',
      '/v1/devices',
      { token: alice.token },
    );
    expect(list.body.devices).toHaveLength(2);
    expect(list.body.devices.find((device) => device.id === alice.deviceId)).toMatchObject({ current: true, online: false });
    expect(list.body.devices.find((device) => device.id === laptop.deviceId)).toMatchObject({ current: false, online: true });
    await socket.close();
  });

  it('records a connect as activity, but not again for a device that was active within 5 minutes', async () => {
    const lastActiveAt = async () => {
      const list = await request<{ devices: { id: string; lastActiveAt: number }[] }>(server.url, 'GET', '/v1/devices', { token: alice.token });
      return list.body.devices.find((device) => device.id === alice.deviceId)?.lastActiveAt;
    };
    const loggedInAt = await lastActiveAt();
    const connectAt = async (advanceMs: number) => {
      clock.advance(advanceMs);
      const socket = await TestSocket.connect(server.url, alice.token);
      await socket.close();
      return clock.now();
    };
    await connectAt(4 * 60_000);
    await expect.poll(lastActiveAt, { timeout: 300 }).toBe(loggedInAt);
    const later = await connectAt(2 * 60_000);
    await expect.poll(lastActiveAt).toBe(later);
  });

  it('closes a revoked device with 4403 and answers its token with 401', async () => {
    const laptop = await logInAgain(server.url, alice.username);
    const socket = await TestSocket.connect(server.url, laptop.token);
    const revoked = await request(server.url, 'DELETE', `/v1/devices/${laptop.deviceId}`, { token: alice.token });
    expect(revoked.status).toBe(204);
    expect((await socket.closed).code).toBe(4403);
    expect((await request(server.url, 'GET', '/v1/me', { token: laptop.token })).status).toBe(401);
    const retry = await TestSocket.open(server.url);
    retry.send({ type: 'hello', token: laptop.token, protocol: 1 });
    expect((await retry.closed).code).toBe(4401);
  });

  it('logs out by revoking the current device', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const loggedOut = await request(server.url, 'DELETE', '/v1/sessions/current', { token: alice.token });
    expect(loggedOut.status).toBe(204);
    expect((await socket.closed).code).toBe(4403);
    expect((await request(server.url, 'GET', '/v1/me', { token: alice.token })).status).toBe(401);
  });

  it('tells a device away beyond the retention window to resync instead of replaying', async () => {
    const laptop = await logInAgain(server.url, alice.username);
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    bobSocket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'while the laptop sleeps' } });
    await bobSocket.next('sent');
    clock.advance(31 * 24 * 60 * 60 * 1000);
    // The phone stays active and acks everything; leaving triggers compaction.
    const phone = await TestSocket.connect(server.url, alice.token);
    phone.send({ type: 'ack', pos: phone.events().at(-1)!.pos });
    phone.send({ type: 'ping' });
    await phone.next('pong');
    await phone.close();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const stale = await TestSocket.open(server.url);
    stale.send({ type: 'hello', token: laptop.token, protocol: 1 });
    const welcome = await stale.next('welcome');
    expect(welcome.resync).toBe(true);
    await stale.next('synced');
    expect(stale.events()).toEqual([]);
    await Promise.all([stale.close(), bobSocket.close()]);
  });

  it('leaves no gap between the history a newly linked device pulls and its stream, while messages keep flowing', async () => {
    const sender = await TestSocket.connect(server.url, bob.token);
    const total = 60;
    let sentCount = 0;
    const sending = (async () => {
      for (; sentCount < total; sentCount++) {
        const id = randomUUID();
        sender.send({ type: 'send', id, conversation, body: { text: `m${sentCount}` } });
        await sender.next('sent', (frame) => frame.id === id);
      }
    })();
    while (sentCount < total / 3) await new Promise((resolve) => setTimeout(resolve, 2));
    const code = await request<LinkCodeView>(server.url, 'POST', '/v1/devices/link-codes', { token: alice.token });
    const linked = await request<SessionView>(server.url, 'POST', '/v1/sessions', { body: { linkCode: code.body.code } });
    const stream = await TestSocket.connect(server.url, linked.body.token);
    const history = await request<{ messages: { seq: number }[] }>(server.url, 'GET', `/v1/conversations/${conversation}/messages?limit=200`, {
      token: linked.body.token,
    });
    await sending;
    await stream.next('message', (event) => event.seq === total);
    const pulled = history.body.messages.map((message) => message.seq);
    const streamed = messagesOf(stream).map((event) => event.seq);
    // Everything before the device existed came by history, everything after by stream: together 1..total.
    const union = [...new Set([...pulled, ...streamed])].sort((a, b) => a - b);
    expect(union).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(streamed).toEqual([...streamed].sort((a, b) => a - b));
    expect(streamed[0]).toBeLessThanOrEqual((pulled.at(-1) ?? 0) + 1);
    await Promise.all([sender.close(), stream.close()]);
  });
});
