import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('when acks are written', () => {
  let server: RunningApp;
  let alice: TestUser;
  let bob: TestUser;
  let conversation: string;

  beforeEach(async () => {
    // Acks that make a receipt go at once; the others would wait a minute.
    server = await startApp({ ackWriteDelayMs: 0, quietAckWriteDelayMs: 60_000 });
    alice = await createUser(server.url, 'alice');
    bob = await createUser(server.url, 'bob');
    conversation = await openDirect(server.url, alice, bob);
  });
  afterEach(async () => {
    await server.stop();
  });

  it("writes an ack of another's message at once, so the sender's delivered tick does not wait", async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    const receiver = await TestSocket.connect(server.url, bob.token);
    sender.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'hi' } });
    const message = await receiver.next('message');
    receiver.send({ type: 'ack', pos: message.pos });
    expect(await sender.next('receipt', undefined, 5_000)).toMatchObject({ user: bob.userId, status: 'delivered', seq: 1 });
    await Promise.all([sender.close(), receiver.close()]);
  });

  it('holds an ack that makes no receipt until the connection closes, then writes it', async () => {
    const sender = await TestSocket.connect(server.url, alice.token);
    sender.send({ type: 'send', id: randomUUID(), conversation, body: { text: 'hi' } });
    const echo = await sender.next('message');
    sender.send({ type: 'ack', pos: echo.pos });
    sender.send({ type: 'ping' });
    await sender.next('pong');

    // The same device again, while the ack still waits: the store has not recorded it yet.
    const meanwhile = await TestSocket.connect(server.url, alice.token);
    expect(meanwhile.events().some((event) => event.type === 'message' && event.pos === echo.pos)).toBe(true);
    await Promise.all([sender.close(), meanwhile.close()]);

    // Closing wrote it: nothing to replay any more.
    await expect
      .poll(async () => {
        const again = await TestSocket.connect(server.url, alice.token);
        const replayed = again.events().some((event) => event.type === 'message' && event.pos === echo.pos);
        await again.close();
        return replayed;
      })
      .toBe(false);
  });
});
