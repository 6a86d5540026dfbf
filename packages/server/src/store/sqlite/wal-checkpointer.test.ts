import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../testing/eventually.js';
import { tempDir } from '../../testing/temp-dir.js';
import { SqliteStore } from './sqlite-store.js';

const users = ['alice', 'bob'].map((name) => ({ id: `u_${name}`, username: name, displayName: name, passwordHash: 'h', createdAt: 1 }));
const draft = (n: number) => ({
  conversationId: 'c_1',
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  senderId: 'u_alice',
  deviceId: 'd_1',
  at: n,
  bodyJson: JSON.stringify({ text: 'x'.repeat(1_000) }),
});

describe('background WAL checkpoints', () => {
  const dir = tempDir();
  afterEach(() => dir.remove());

  it('copies committed pages into the database file from another thread, and the data stays whole', async () => {
    const path = join(dir.path, 'parley.db');
    const store = SqliteStore.open(path, { checkpointIntervalMs: 20 });
    await Promise.all(users.map((user) => store.createUser(user)));
    await store.openDirectConversation({ id: 'c_1', userIds: ['u_alice', 'u_bob'], createdBy: 'u_alice', createdAt: 1 });
    const sizeBefore = statSync(path).size;
    await Promise.all(Array.from({ length: 500 }, (_, index) => store.append(draft(index + 1))));
    // The writer never checkpoints by itself now: only the thread can grow the database file.
    await eventually(() => statSync(path).size > sizeBefore + 400_000, 'a background checkpoint');
    await store.close();

    const reopened = SqliteStore.open(path);
    const seqs = (await reopened.readHistory('c_1', { limit: 1_000 }, { from: 1, to: Number.MAX_SAFE_INTEGER })).map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
    await reopened.close();
  });
});
