import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir.js';
import { SqliteStore } from './sqlite-store.js';

/**
 * The logs move a sixteenth at a time: a user's events by the user's slice,
 * messages by their conversation's. A read of a stream must still find the
 * message of every event it returns, whatever slice moved just before it.
 */
describe('SqliteStore reads while the logs move in slices', () => {
  let directory: ReturnType<typeof tempDir> | undefined;

  afterEach(() => directory?.remove());

  it('returns every event of a stream with its message while messages from many conversations keep arriving', async () => {
    directory = tempDir('parley-sqlite-slices-');
    const store = SqliteStore.open(join(directory.path, 'parley.db'));
    const reader = { id: 'u_reader', username: 'reader', displayName: 'Reader', passwordHash: 'h', createdAt: 1 };
    await store.createUser(reader);
    // Conversations in many slices, so that the reader's slice moves while some of them have not.
    const peers = Array.from({ length: 24 }, (_, index) => `u_peer${index}`);
    for (const [index, peer] of peers.entries()) {
      await store.createUser({ id: peer, username: `peer${index}`, displayName: `Peer ${index}`, passwordHash: 'h', createdAt: 1 });
      await store.openDirectConversation({ id: `c_${index}`, userIds: [peer, reader.id], createdBy: peer, createdAt: 2 });
    }
    let sent = 0;
    const sending = (async () => {
      // About three seconds: three full rounds of the sixteen slices.
      const until = performance.now() + 3_000;
      while (performance.now() < until) {
        await Promise.all(
          peers.map((peer, index) =>
            store.append({ conversationId: `c_${index}`, id: crypto.randomUUID(), senderId: peer, deviceId: 'd_1', at: 10, bodyJson: '{"text":"hi"}' }),
          ),
        );
        sent += peers.length;
      }
    })();
    let reads = 0;
    let done = false;
    void sending.finally(() => (done = true));
    while (!done) {
      // A read of an empty log answers at once: turn the loop, or the appends never commit.
      await new Promise((resolve) => setImmediate(resolve));
      const stream = await store.readStream(reader.id, Math.max(0, sent - 200), 1_000);
      reads += 1;
      expect(stream.every((entry) => entry.kind !== 'message' || entry.message.bodyJson === '{"text":"hi"}')).toBe(true);
    }
    await sending;
    const whole = await store.readStream(reader.id, 0, 100_000);
    expect(whole.filter((entry) => entry.kind === 'message')).toHaveLength(sent);
    expect(reads).toBeGreaterThan(10);
    await store.close();
  });
});
