import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('blocking', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let conversation: string;

  beforeEach(async () => {
    server = await startApp();
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
    conversation = await openDirect(server.url, alice, bob);
    const blocked = await request(server.url, 'PUT', `/v1/me/blocked/${bob.userId}`, { token: alice.token });
    expect(blocked.status).toBe(204);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('accepts a blocked user\'s message with a single tick and never delivers it, not even after unblocking', async () => {
    const aliceSocket = await TestSocket.connect(server.url, alice.token);
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    const id = randomUUID();
    bobSocket.send({ type: 'send', id, conversation, body: { text: 'can you hear me?' } });
    expect(await bobSocket.next('sent')).toMatchObject({ id, seq: 1 });
    const ownCopy = await bobSocket.next('message');
    expect(ownCopy.id).toBe(id);

    aliceSocket.send({ type: 'ping' });
    await aliceSocket.next('pong');
    expect(aliceSocket.events().filter((event) => event.type === 'message')).toEqual([]);
    const aliceHistory = await request<{ messages: unknown[] }>(server.url, 'GET', `/v1/conversations/${conversation}/messages`, { token: alice.token });
    expect(aliceHistory.body.messages).toEqual([]);
    const bobHistory = await request<{ messages: unknown[] }>(server.url, 'GET', `/v1/conversations/${conversation}/messages`, { token: bob.token });
    expect(bobHistory.body.messages).toHaveLength(1);
    const list = await request<{ conversations: { unread: number }[] }>(server.url, 'GET', '/v1/conversations', { token: alice.token });
    expect(list.body.conversations[0]?.unread).toBe(0);

    await request(server.url, 'DELETE', `/v1/me/blocked/${bob.userId}`, { token: alice.token });
    const after = randomUUID();
    bobSocket.send({ type: 'send', id: after, conversation, body: { text: 'and now?' } });
    expect(await aliceSocket.next('message')).toMatchObject({ id: after, seq: 2 });
    aliceSocket.send({ type: 'ack', pos: aliceSocket.events().at(-1)!.pos });
    expect(await bobSocket.next('receipt')).toMatchObject({ status: 'delivered', seq: 2 });
    expect(aliceSocket.events().filter((event) => event.type === 'message').map((event) => event.type === 'message' && event.id)).toEqual([after]);
    await Promise.all([aliceSocket.close(), bobSocket.close()]);
  });

  it('lists whom the user blocked', async () => {
    const list = await request<{ users: string[] }>(server.url, 'GET', '/v1/me/blocked', { token: alice.token });
    expect(list.body.users).toEqual([bob.userId]);
  });

  it('shows the blocked user no presence and no typing of the blocker', async () => {
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    const aliceSocket = await TestSocket.connect(server.url, alice.token);
    aliceSocket.send({ type: 'typing', conversation, active: true });
    aliceSocket.send({ type: 'ping' });
    await aliceSocket.next('pong');
    bobSocket.send({ type: 'ping' });
    await bobSocket.next('pong');
    const later = await TestSocket.connect(server.url, bob.token);
    expect([...bobSocket.frames, ...later.frames].filter((frame) => frame.type === 'presence' || frame.type === 'typing')).toEqual([]);
    await Promise.all([bobSocket.close(), aliceSocket.close(), later.close()]);
  });

  it('refuses blocking oneself or a user who does not exist', async () => {
    expect((await request(server.url, 'PUT', `/v1/me/blocked/${alice.userId}`, { token: alice.token })).status).toBe(400);
    expect((await request(server.url, 'PUT', '/v1/me/blocked/u_nobody', { token: alice.token })).status).toBe(404);
  });
});
