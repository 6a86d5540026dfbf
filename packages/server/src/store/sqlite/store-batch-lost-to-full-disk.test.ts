import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fillDiskLeaving, mountSmallDisk } from '../../testing/small-disk.js';
import { SqliteStore } from './sqlite-store.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'parley-store-full-disk-'));

const skipReason = mountSmallDisk(mountPoint, '8m');
if (skipReason !== undefined) {
  rmSync(mountPoint, { recursive: true, force: true });
  console.warn(`skipping the store's full-disk test: ${skipReason}`);
}

/**
 * A stream read that finds the logs holding rows runs inside a write, so it
 * can read a message appended earlier in the same batch. When the disk is
 * full at COMMIT, that message is lost with its batch and its seq goes to
 * the next message: nothing the read kept may stand in for it.
 */
describe.skipIf(skipReason !== undefined)('SqliteStore after a batch lost to a full disk', () => {
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
    rmSync(join(mountPoint, 'filler'), { force: true });
  });

  it('shows the message that took a lost message\'s seq, not the lost one a read of the lost batch had seen', async () => {
    store = SqliteStore.open(join(mountPoint, 'parley.db'));
    const alice = { id: 'u_alice', username: 'alice', displayName: 'Alice', passwordHash: 'h', createdAt: 1 };
    const bob = { id: 'u_bob', username: 'bob', displayName: 'Bob', passwordHash: 'h', createdAt: 1 };
    await store.createUser(alice);
    await store.createUser(bob);
    await store.openDirectConversation({ id: 'c_1', userIds: [alice.id, bob.id], createdBy: alice.id, createdAt: 2 });
    const message = (senderId: string, text: string) => ({
      conversationId: 'c_1',
      id: crypto.randomUUID(),
      senderId,
      deviceId: 'd_1',
      at: 10,
      bodyJson: JSON.stringify({ text }),
    });
    // Its rows wait in the logs, so the read below runs inside a write.
    await store.append(message(alice.id, 'first'));

    fillDiskLeaving(mountPoint, 64 * 1024);
    // One batch: a message larger than the room left, and a read of bob's stream that moves the logs and sees it.
    const [lost, readInLostBatch] = await Promise.allSettled([store.append(message(alice.id, `lost ${'x'.repeat(300_000)}`)), store.readStream(bob.id, 0, 100)]);
    expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'unavailable' } });
    expect(readInLostBatch.status).toBe('rejected');

    rmSync(join(mountPoint, 'filler'));
    expect(await store.canWrite(5_000)).toBe(true);
    const taken = await store.append(message(bob.id, 'second'));
    expect(taken.message.seq).toBe(2);
    const texts = (await store.readStream(bob.id, 0, 100)).flatMap((entry) => (entry.kind === 'message' ? [JSON.parse(entry.message.bodyJson) as { text: string }] : []));
    expect(texts.map((body) => body.text.slice(0, 8))).toEqual(['first', 'second']);
  });
});
