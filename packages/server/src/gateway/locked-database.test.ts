import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../testing/captured-log.js';
import { holdWriteLock, type LockHolder } from '../testing/lock-holder.js';
import { startApp, type RunningApp } from '../testing/running-app.js';
import { createUser, openDirect, request, type TestUser } from '../testing/test-api.js';
import { TestSocket } from '../testing/test-socket.js';

describe('a database whose write lock another process holds', () => {
  let server: RunningApp | undefined;
  let lock: LockHolder | undefined;
  const sockets: TestSocket[] = [];

  afterEach(async () => {
    await lock?.release();
    lock = undefined;
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await server?.stop();
    server = undefined;
  });

  async function scene(storeBusyTimeoutMs: number) {
    const log = captureLog();
    server = await startApp({ storeBusyTimeoutMs, ackWriteDelayMs: 0, quietAckWriteDelayMs: 0 }, { logger: log.logger });
    const alice = await createUser(server.url, 'alice');
    const bob = await createUser(server.url, 'bob');
    const conversation = await openDirect(server.url, alice, bob);
    const connect = async (user: TestUser) => {
      const socket = await TestSocket.connect((server as RunningApp).url, user.token);
      sockets.push(socket);
      return socket;
    };
    const databasePath = join(server.dataDir, 'parley.db');
    return { log, alice, bob, conversation, connect, databasePath, url: server.url };
  }

  it('keeps answering pings and HTTP while a send waits for the lock, then commits the send', async () => {
    const { alice, conversation, connect, databasePath, url } = await scene(60_000);
    const sender = await connect(alice);
    lock = await holdWriteLock(databasePath);
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation, body: { text: 'waits for the lock' } });
    for (let ping = 0; ping < 3; ping++) {
      sender.send({ type: 'ping' });
      await sender.next('pong');
    }
    expect((await request(url, 'GET', '/healthz')).status).toBe(200);
    expect(sender.frames.some((frame) => frame.type === 'sent' || frame.type === 'error')).toBe(false);
    await lock.release();
    lock = undefined;
    expect(await sender.next('sent', (frame) => frame.id === id)).toMatchObject({ seq: 1 });
  });

  it('answers unavailable with retryAfterMs past storeBusyTimeoutMs, is not ready meanwhile, and takes the retry once free', async () => {
    const { log, alice, bob, conversation, connect, databasePath, url } = await scene(100);
    const sender = await connect(alice);
    lock = await holdWriteLock(databasePath);
    const id = randomUUID();
    sender.send({ type: 'send', id, conversation, body: { text: 'typed during the lock' } });
    expect(await sender.next('error', (frame) => frame.ref === id)).toMatchObject({ code: 'unavailable', retryAfterMs: 1_000 });
    const refused = await request(url, 'POST', '/v1/conversations', { token: bob.token, body: { type: 'direct', peer: alice.userId } });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'unavailable', retryAfterMs: 1_000 } });
    expect(refused.headers.get('retry-after')).toBe('1');
    const notReady = await request(url, 'GET', '/readyz');
    expect(notReady).toMatchObject({ status: 503, body: { status: 'storage_unavailable' } });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^parley_store_writable 0$/m);
    await log.waitFor('the store cannot write: answering unavailable and not ready until a write succeeds');

    await lock.release();
    lock = undefined;
    expect(await request(url, 'GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
    await log.waitFor('the store can write again');
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^parley_store_writable 1$/m);
    // A re-send before the named wait is refused too (so nothing overtakes the refused message); after it, it is taken.
    sender.send({ type: 'send', id, conversation, body: { text: 'typed during the lock' } });
    const early = await sender.next('error', (frame) => frame.ref === id);
    expect(early).toMatchObject({ code: 'unavailable' });
    expect(early.retryAfterMs).toBeLessThanOrEqual(1_000);
    await new Promise((resolve) => setTimeout(resolve, early.retryAfterMs));
    sender.send({ type: 'send', id, conversation, body: { text: 'typed during the lock' } });
    expect(await sender.next('sent', (frame) => frame.id === id)).toMatchObject({ seq: 1 });
  });

  it('refuses the sends queued behind a batch that timed out on the lock, so none overtakes it', async () => {
    const { alice, conversation, connect, databasePath } = await scene(200);
    const sender = await connect(alice);
    lock = await holdWriteLock(databasePath);
    const first = randomUUID();
    sender.send({ type: 'send', id: first, conversation, body: { text: 'first' } });
    // Sent while the first waits for the lock: a later batch, queued behind it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = randomUUID();
    sender.send({ type: 'send', id: second, conversation, body: { text: 'second' } });
    for (const id of [first, second]) expect(await sender.next('error', (frame) => frame.ref === id)).toMatchObject({ code: 'unavailable' });
    await lock.release();
    lock = undefined;
  });

  it("keeps storing a device's acks after an ack batch failed on the lock", async () => {
    const { log, alice, bob, conversation, connect, databasePath } = await scene(100);
    const sender = await connect(alice);
    const receiver = await connect(bob);
    const first = randomUUID();
    sender.send({ type: 'send', id: first, conversation, body: { text: 'one' } });
    const firstEvent = await receiver.next('message', (frame) => frame.id === first);
    lock = await holdWriteLock(databasePath);
    receiver.send({ type: 'ack', pos: firstEvent.pos });
    await log.waitFor('ack write failed');
    await lock.release();
    lock = undefined;

    // The device's next ack is stored and makes its receipt: the failed batch left nothing behind.
    const second = randomUUID();
    sender.send({ type: 'send', id: second, conversation, body: { text: 'two' } });
    const secondEvent = await receiver.next('message', (frame) => frame.id === second);
    receiver.send({ type: 'ack', pos: secondEvent.pos });
    expect(await sender.next('receipt', (frame) => frame.status === 'delivered' && frame.seq === 2)).toMatchObject({ user: bob.userId });
    expect(log.count('ack write failed')).toBe(1);
  });
});
