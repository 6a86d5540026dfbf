import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createGroup, createUser, logInAgain, memberSeqs, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

/** The `receipt_detail` frames a socket has received, after a ping round trip so that nothing already sent is missed. */
async function detailsAt(socket: TestSocket) {
  socket.send({ type: 'ping' });
  await socket.next('pong');
  return socket.frames.filter((frame) => frame.type === 'receipt_detail');
}

describe('watching the receipts of a group (watch_receipts)', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let group: string;
  const sockets: TestSocket[] = [];
  const connect = async (user: TestUser) => {
    const socket = await TestSocket.connect(server.url, user.token);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await startApp({ ackWriteDelayMs: 0 });
    [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => createUser(server.url, name))) as [TestUser, TestUser, TestUser];
    group = await createGroup(server.url, alice, [bob, carol]);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await server.stop();
  });

  /** `sender` says something; the `sent` answer comes after the watch asked before it has taken hold. */
  async function say(sender: TestSocket, text: string): Promise<number> {
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation: group, body: { text } });
    return (await sender.next('sent', (frame) => frame.id === id)).seq;
  }

  it("sends each member's moves on the sender's messages to the watching connection only, and none once it stops", async () => {
    const watcher = await connect(alice);
    const otherDevice = await connect(await logInAgain(server.url, alice.username));
    const bobSocket = await connect(bob);
    const carolSocket = await connect(carol);
    watcher.send({ type: 'watch_receipts', conversation: group });
    await say(watcher, 'first');

    bobSocket.send({ type: 'ack', pos: (await bobSocket.next('message')).pos });
    expect(await watcher.next('receipt_detail')).toEqual({ type: 'receipt_detail', conversation: group, user: bob.userId, status: 'delivered', seq: 1 });
    bobSocket.send({ type: 'read', conversation: group, seq: 1 });
    expect(await watcher.next('receipt_detail')).toEqual({ type: 'receipt_detail', conversation: group, user: bob.userId, status: 'read', seq: 1 });
    expect(await detailsAt(otherDevice)).toEqual([]);

    watcher.send({ type: 'watch_receipts', conversation: null });
    carolSocket.send({ type: 'ack', pos: (await carolSocket.next('message')).pos });
    // carol was the last to get it: the aggregate comes, the detail no longer does.
    expect(await watcher.next('receipt')).toMatchObject({ status: 'delivered', seq: 1, all: true });
    expect(await detailsAt(watcher)).toHaveLength(2);
  });

  it("sends a watcher nothing about other members' messages", async () => {
    const watcher = await connect(alice);
    const bobSocket = await connect(bob);
    const carolSocket = await connect(carol);
    watcher.send({ type: 'watch_receipts', conversation: group });
    await say(bobSocket, 'from bob');
    watcher.send({ type: 'ack', pos: (await watcher.next('message')).pos });
    carolSocket.send({ type: 'ack', pos: (await carolSocket.next('message')).pos });
    expect(await bobSocket.next('receipt')).toMatchObject({ status: 'delivered', seq: 1, all: true });
    expect(await detailsAt(watcher)).toEqual([]);
  });

  it('ends with the connection: the next one watches nothing until it asks', async () => {
    const first = await connect(alice);
    first.send({ type: 'watch_receipts', conversation: group });
    await say(first, 'before');
    await first.close();
    const next = await connect(alice);
    const bobSocket = await connect(bob);
    bobSocket.send({ type: 'ack', pos: (await bobSocket.next('message')).pos });
    const deadline = Date.now() + 5_000;
    while ((await memberSeqs(server.url, alice, group)).get(bob.userId)?.deliveredSeq !== 1) {
      if (Date.now() > deadline) throw new Error("bob's ack was not stored");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await detailsAt(next)).toEqual([]);
  });

  it('refuses a conversation the user is not in with not_found, and a watch without a conversation with bad_request', async () => {
    const outsider = await connect(await createUser(server.url, 'mallory'));
    outsider.send({ type: 'watch_receipts', conversation: group });
    expect(await outsider.next('error')).toMatchObject({ code: 'not_found' });
    outsider.send({ type: 'watch_receipts' } as never);
    expect(await outsider.next('error')).toMatchObject({ code: 'bad_request' });
    outsider.send('{"type":"watch_receipts","conversation":7}');
    expect(await outsider.next('error')).toMatchObject({ code: 'bad_request' });
  });
});
