import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageEvent } from '@parley/protocol';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('one-to-one chat over WebSocket', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let conversation: string;

  beforeEach(async () => {
    server = await startApp();
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
    conversation = await openDirect(server.url, alice, bob);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('welcomes a device with its user, device and the stream pos, then says synced', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'hello', token: alice.token, protocol: 1 });
    const welcome = await socket.next('welcome');
    expect(welcome).toMatchObject({ user: alice.userId, device: alice.deviceId });
    expect(welcome.pos).toBe(1); // the `created` event of the conversation
    const synced = await socket.next('synced');
    expect(synced.pos).toBe(1);
    expect(socket.events()).toMatchObject([{ type: 'conversation', change: 'created', conversation, pos: 1 }]);
    await socket.close();
  });

  it('delivers a message to the peer and to the sender, with the seq that `sent` announced', async () => {
    const aliceSocket = await TestSocket.connect(server.url, alice.token);
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    const id = randomUUID();
    aliceSocket.send({ type: 'send', id, conversation, body: { text: 'hello bob' } });

    const sent = await aliceSocket.next('sent');
    expect(sent).toMatchObject({ id, conversation, seq: 1 });
    const atBob = await bobSocket.next('message');
    expect(atBob).toMatchObject({ id, conversation, seq: 1, sender: alice.userId, device: alice.deviceId, body: { text: 'hello bob' } });
    expect(atBob.at).toBe(sent.at);
    const atAlice = await aliceSocket.next('message');
    expect(atAlice.seq).toBe(1);
    await Promise.all([aliceSocket.close(), bobSocket.close()]);
  });

  it('gives dense seqs in send order and keeps extra body fields as given', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const ids = Array.from({ length: 20 }, () => randomUUID());
    for (const [index, id] of ids.entries()) {
      socket.send({ type: 'send', id, conversation, body: { text: `m${index}`, replyTo: index } });
    }
    const seqs: number[] = [];
    for (const id of ids) seqs.push((await socket.next('sent', (frame) => frame.id === id)).seq);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    const history = await request<{ messages: { seq: number; body: unknown }[] }>(
      server.url,
      'GET',
      `/v1/conversations/${conversation}/messages?after=18`,
      { token: bob.token },
    );
    expect(history.body.messages).toEqual([
      expect.objectContaining({ seq: 19, body: { text: 'm18', replyTo: 18 } }),
      expect.objectContaining({ seq: 20, body: { text: 'm19', replyTo: 19 } }),
    ]);
    await socket.close();
  });

  it('answers a retried id with the first seq and stores no second message', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text: 'once' } });
    const first = await socket.next('sent');
    socket.send({ type: 'send', id, conversation, body: { text: 'once' } });
    const retry = await socket.next('sent');
    expect(retry).toEqual(first);
    const history = await request<{ messages: unknown[] }>(server.url, 'GET', `/v1/conversations/${conversation}/messages`, {
      token: alice.token,
    });
    expect(history.body.messages).toHaveLength(1);
    await socket.close();
  });

  it('refuses the same id with different content as conflict', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text: 'first' } });
    await socket.next('sent');
    socket.send({ type: 'send', id, conversation, body: { text: 'second' } });
    expect(await socket.next('error')).toMatchObject({ ref: id, code: 'conflict' });
    await socket.close();
  });

  it('replays exactly the unacknowledged events after a dropped connection', async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    const receiver = await TestSocket.connect(server.url, bob.token);
    const texts = ['one', 'two', 'three', 'four'];
    for (const text of texts) sender.send({ type: 'send', id: randomUUID(), conversation, body: { text } });
    const received: MessageEvent[] = [];
    for (let index = 0; index < texts.length; index++) received.push(await receiver.next('message'));
    // Bob processed the first two messages only, then his connection dropped.
    // Alice's `delivered` for them is made by the write that stores the ack: after it, any node replays from there.
    receiver.send({ type: 'ack', pos: received[1]!.pos });
    await sender.next('receipt', (event) => event.status === 'delivered' && event.seq === received[1]!.seq);
    receiver.socket.terminate();
    await receiver.closed;

    const again = await TestSocket.connect(server.url, bob.token);
    const replayed = again.events();
    expect(replayed.map((event) => event.type === 'message' && event.body.text)).toEqual(['three', 'four']);
    expect(replayed.map((event) => event.pos)).toEqual([received[2]!.pos, received[3]!.pos]);
    await Promise.all([sender.close(), again.close()]);
  });

  it('starts a newly logged-in device at the current pos, with nothing to replay', async () => {
    const socket = await TestSocket.connect(server.url, alice.token);
    socket.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'before the new device' } });
    await socket.next('sent');
    const login = await request<{ token: string }>(server.url, 'POST', '/v1/sessions', {
      body: { username: bob.username, password: 'correct horse battery staple', deviceName: 'laptop' },
    });
    const laptop = await TestSocket.connect(server.url, login.body.token);
    expect(laptop.events()).toEqual([]);
    await Promise.all([socket.close(), laptop.close()]);
  });

  it('answers not_found to a send into a conversation the user is not in', async () => {
    const mallory = await createUser(server.url, 'mallory');
    const socket = await TestSocket.connect(server.url, mallory.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation, body: { text: 'let me in' } });
    expect(await socket.next('error')).toMatchObject({ ref: id, code: 'not_found' });
    const details = await request(server.url, 'GET', `/v1/conversations/${conversation}`, { token: mallory.token });
    expect(details.status).toBe(404);
    const history = await request(server.url, 'GET', `/v1/conversations/${conversation}/messages`, { token: mallory.token });
    expect(history.status).toBe(404);
    expect(history.body).toMatchObject({ error: { code: 'not_found' } });
    await socket.close();
  });

  it('closes with 4401 on a bad token', async () => {
    const socket = await TestSocket.open(server.url);
    socket.send({ type: 'hello', token: 'not-a-token', protocol: 1 });
    expect((await socket.closed).code).toBe(4401);
    expect(socket.frames[0]).toMatchObject({ type: 'error', code: 'unauthorized' });
  });

  it('closes with 4403 the open sockets of a device revoked from another device', async () => {
    const phone = await TestSocket.connect(server.url, alice.token);
    const laptopLogin = await request<{ token: string }>(server.url, 'POST', '/v1/sessions', {
      body: { username: alice.username, password: 'correct horse battery staple' },
    });
    const revoked = await request(server.url, 'DELETE', `/v1/devices/${alice.deviceId}`, { token: laptopLogin.body.token });
    expect(revoked.status).toBe(204);
    expect((await phone.closed).code).toBe(4403);
    const me = await request(server.url, 'GET', '/v1/me', { token: alice.token });
    expect(me.status).toBe(401);
  });
});
