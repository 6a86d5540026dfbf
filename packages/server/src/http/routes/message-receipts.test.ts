import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageReceiptsView } from '@parley/protocol';
import { startApp, type RunningApp } from '../../testing/running-app.js';
import { createGroup, createUser, request, type TestUser } from '../../testing/test-api.js';
import { TestSocket } from '../../testing/test-socket.js';

describe('GET /v1/conversations/:id/messages/:seq/receipts', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let group: string;

  const receiptsOf = (user: TestUser, seq: number | string, conversation = group) =>
    request<MessageReceiptsView>(server.url, 'GET', `/v1/conversations/${conversation}/messages/${seq}/receipts`, { token: user.token });

  async function send(user: TestUser, text: string): Promise<number> {
    const socket = await TestSocket.connect(server.url, user.token);
    const id = randomUUID();
    socket.send({ type: 'send', id, conversation: group, body: { text } });
    const { seq } = await socket.next('sent');
    await socket.close();
    return seq;
  }

  beforeEach(async () => {
    server = await startApp({ ackWriteDelayMs: 0 });
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => createUser(server.url, name))) as [TestUser, TestUser, TestUser];
    group = await createGroup(server.url, alice, [bob, carol]);
  });
  afterEach(async () => {
    await server.stop();
  });

  it('says for each member but the sender whether the message reached them and whether they read it', async () => {
    await send(alice, 'hello');
    const bobSocket = await TestSocket.connect(server.url, bob.token);
    bobSocket.send({ type: 'ack', pos: (await bobSocket.next('message')).pos });
    bobSocket.send({ type: 'read', conversation: group, seq: 1 });
    await bobSocket.next('receipt');
    await bobSocket.close();
    const answer = await receiptsOf(carol, 1);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ conversation: group, seq: 1 });
    expect(answer.body.members).toHaveLength(2);
    expect(answer.body.members).toEqual(
      expect.arrayContaining([
        { user: bob.userId, delivered: true, read: true },
        { user: carol.userId, delivered: false, read: false },
      ]),
    );
  });

  it('lists the members who could see the message: not who joined after it, still who was removed after it', async () => {
    await send(alice, 'before dave');
    const dave = await createUser(server.url, 'dave');
    await request(server.url, 'POST', `/v1/conversations/${group}/members`, { token: alice.token, body: { members: [dave.userId] } });
    await send(bob, 'with dave');
    await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${carol.userId}`, { token: alice.token });
    const users = async (seq: number) => (await receiptsOf(alice, seq)).body.members.map((member) => member.user).sort();
    expect(await users(1)).toEqual([bob.userId, carol.userId].sort());
    expect(await users(2)).toEqual([alice.userId, carol.userId, dave.userId].sort());
    expect((await receiptsOf(dave, 1)).status).toBe(404);
  });

  it('answers a former member up to their removal and 403 not_member after it, a stranger 404, an unknown seq 404 and a bad one 400', async () => {
    await send(alice, 'one');
    await request(server.url, 'DELETE', `/v1/conversations/${group}/members/${carol.userId}`, { token: alice.token });
    await send(alice, 'two');
    expect((await receiptsOf(carol, 1)).status).toBe(200);
    expect(await receiptsOf(carol, 2)).toMatchObject({ status: 403, body: { error: { code: 'not_member' } } });
    const stranger = await createUser(server.url, 'mallory');
    expect(await receiptsOf(stranger, 1)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await receiptsOf(alice, 3)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await receiptsOf(alice, 'x')).status).toBe(400);
    expect((await receiptsOf(alice, 0)).status).toBe(400);
  });
});
