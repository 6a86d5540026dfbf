import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagePage } from '@parley/protocol';
import { randomSubjectPrefix, sharedNatsUrl } from '../testing/nats-test-server.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { tempDir } from '../testing/temp-dir.js';
import { createUser, logInAgain, openDirect, request, type TestUser } from '../testing/test-api.js';
import { clusterStoreSettings, dropClusterDatabase } from '../testing/test-cluster-store.js';
import { TestSocket } from '../testing/test-socket.js';

/**
 * Checked from outside: two built servers, each its own process, port and
 * data dir, given only the same PARLEY_DATABASE_URL, PARLEY_NATS_URL and
 * PARLEY_MASTER_KEY_FILE, as `npm start` would run them.
 */
describe('two server processes sharing PostgreSQL and NATS', () => {
  const dir = tempDir('parley-two-processes-');
  let first: ServerProcess;
  let second: ServerProcess;

  beforeAll(async () => {
    const store = await clusterStoreSettings(dir.path);
    const env = {
      PARLEY_DATABASE_URL: store.databaseUrl,
      PARLEY_MASTER_KEY_FILE: store.masterKeyFile,
      PARLEY_NATS_URL: sharedNatsUrl,
      PARLEY_NATS_SUBJECT_PREFIX: randomSubjectPrefix(),
    };
    [first, second] = await Promise.all([startServerProcess(join(dir.path, 'node-1'), env), startServerProcess(join(dir.path, 'node-2'), env)]);
  });
  afterAll(async () => {
    for (const server of [first, second]) server?.child.kill('SIGTERM');
    await Promise.all([first?.exited, second?.exited]);
    await dropClusterDatabase(dir.path);
    dir.remove();
  });

  it('behave as one server: register on one, log in on the other, chat, receipts and history across', async () => {
    const alice = await createUser(first.url, 'alice');
    const aliceOnSecond: TestUser = await logInAgain(second.url, alice.username);
    const bob = await createUser(second.url, 'bob');
    const conversation = await openDirect(first.url, alice, bob);

    const alicePhone = await TestSocket.connect(first.url, alice.token);
    const aliceLaptop = await TestSocket.connect(second.url, aliceOnSecond.token);
    const bobPhone = await TestSocket.connect(second.url, bob.token);
    const id = randomUUID();
    alicePhone.send({ type: 'send', id, conversation, body: { text: 'across nodes' } });
    const { seq } = await alicePhone.next('sent', (frame) => frame.id === id);
    const received = await bobPhone.next('message', (event) => event.id === id);
    expect(received).toMatchObject({ conversation, seq, sender: alice.userId, body: { text: 'across nodes' } });
    expect(await aliceLaptop.next('message', (event) => event.id === id)).toMatchObject({ seq });

    bobPhone.send({ type: 'ack', pos: received.pos });
    expect(await alicePhone.next('receipt', (event) => event.status === 'delivered')).toMatchObject({ conversation, seq });
    bobPhone.send({ type: 'read', conversation, seq });
    expect(await alicePhone.next('receipt', (event) => event.status === 'read')).toMatchObject({ conversation, seq });
    expect(await aliceLaptop.next('receipt', (event) => event.status === 'read')).toMatchObject({ conversation, seq });

    for (const [server, reader] of [[first, bob], [second, alice]] as const) {
      const page = await request<MessagePage>(server.url, 'GET', `/v1/conversations/${conversation}/messages?after=0&limit=10`, { token: reader.token });
      expect(page.body.messages.map((message) => ({ id: message.id, seq: message.seq }))).toEqual([{ id, seq }]);
    }
    await Promise.all([alicePhone.close(), aliceLaptop.close(), bobPhone.close()]);
  });
});
