import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../chat/parley-error.js';
import { tempDir } from '../../testing/temp-dir.js';
import { SqliteStore } from './sqlite-store.js';

/**
 * A write refused inside a batch is rolled back to its savepoint, and what it
 * did in memory with it: a write that moved the logs before it was refused
 * leaves their rows in place, and the writes after it in the batch must know.
 */
describe('SqliteStore after a write refused in the middle of a batch', () => {
  let directory: ReturnType<typeof tempDir> | undefined;
  const alice = { id: 'u_alice', username: 'alice', displayName: 'Alice', passwordHash: 'h', createdAt: 1 };
  const bob = { id: 'u_bob', username: 'bob', displayName: 'Bob', passwordHash: 'h', createdAt: 1 };

  afterEach(() => directory?.remove());

  it('keeps every stream dense and readable when the refused write had moved the logs and a message follows it', async () => {
    directory = tempDir('parley-sqlite-refused-');
    const store = SqliteStore.open(join(directory.path, 'parley.db'));
    await store.createUser(alice);
    await store.createUser(bob);
    await store.openDirectConversation({ id: 'c_1', userIds: [alice.id, bob.id], createdBy: alice.id, createdAt: 2 });
    const message = (id: string) => ({ conversationId: 'c_1', id, senderId: alice.id, deviceId: 'd_1', at: 10, bodyJson: `{"text":"${id}"}` });
    // Its events wait in the log.
    await store.append(message('first'));

    // One batch: a write that moves the logs and is then refused (a direct chat has no admins), and a message.
    const [refused, second] = await Promise.allSettled([store.setAdmin('c_1', alice.id, bob.id, true), store.append(message('second'))]);
    expect(refused.status === 'rejected' && refused.reason instanceof ParleyError).toBe(true);
    expect(second.status).toBe('fulfilled');

    for (const user of [alice, bob]) {
      // A read moves the logs into `events`: a pos taken twice would fail it.
      const stream = await store.readStream(user.id, 0, 100);
      expect(stream.map((entry) => entry.pos)).toEqual(stream.map((_, index) => index + 1));
      const texts = stream.flatMap((entry) => (entry.kind === 'message' ? [entry.message.bodyJson] : []));
      expect(texts).toEqual(['{"text":"first"}', '{"text":"second"}']);
    }
    await store.close();
  });

  it('keeps the delivered receipt of an ack that ran before the refused write, and the delivered seq it raised', async () => {
    directory = tempDir('parley-sqlite-refused-');
    const store = SqliteStore.open(join(directory.path, 'parley.db'));
    for (const user of [alice, bob]) await store.createUser(user);
    await store.openDirectConversation({ id: 'c_1', userIds: [alice.id, bob.id], createdBy: alice.id, createdAt: 2 });
    await store.createDevice({ id: 'd_bob', userId: bob.id, name: 'phone', tokenHash: Buffer.from('d_bob'), createdAt: 3 }, 100);
    await store.append({ conversationId: 'c_1', id: 'first', senderId: alice.id, deviceId: 'd_1', at: 10, bodyJson: '{"text":"first"}' });
    const pos = await store.currentPos(bob.id);

    // One batch: the ack, then a write that moves the logs and is refused (a direct chat has no admins).
    const [ack, refused] = await Promise.allSettled([store.ackStream('d_bob', pos, 20), store.setAdmin('c_1', alice.id, bob.id, true)]);
    expect(ack.status === 'fulfilled' && ack.value.appended.length).toBe(1);
    expect(refused.status).toBe('rejected');

    const receipts = (await store.readStream(alice.id, 0, 100)).filter((entry) => entry.kind === 'receipt');
    expect(receipts).toMatchObject([{ userId: bob.id, status: 'delivered', seq: 1 }]);
    expect((await store.getMember('c_1', bob.id))?.deliveredSeq).toBe(1);
    await store.close();
  });
});
