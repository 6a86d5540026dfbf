import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { openSqliteStore } from './open-sqlite-store.js';
import type { SqliteStore } from './store/sqlite/sqlite-store.js';
import { tempDir } from './testing/temp-dir.js';

describe('the embedded store opened from the configuration', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteStore | undefined;

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    dir.remove();
  });

  it('starts the syncs of its WAL at least syncIntervalMs apart', async () => {
    const syncStarts: number[] = [];
    store = openSqliteStore(parseConfig({ dataDir: dir.path, syncIntervalMs: 300 }), {
      syncWal: (fdatasync) => (syncStarts.push(performance.now()), fdatasync()),
    });
    const invite = () => ({ codeHash: randomBytes(32), uses: 1, createdAt: Date.now(), expiresAt: null });
    await store.createInvite(invite());
    await store.createInvite(invite());
    expect(syncStarts).toHaveLength(2);
    // Timers may fire a millisecond early by performance.now().
    expect((syncStarts[1] ?? 0) - (syncStarts[0] ?? 0)).toBeGreaterThanOrEqual(299);
  });
});
