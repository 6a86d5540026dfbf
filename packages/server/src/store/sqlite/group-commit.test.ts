import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../chat/parley-error.js';
import { eventually } from '../../testing/eventually.js';
import { holdWriteLock } from '../../testing/lock-holder.js';
import { SyncGate } from '../../testing/sync-gate.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { WalFile } from './wal-file.js';

/** Lets timers, I/O callbacks and immediates run for a while: long enough for a write that should wait to settle if it did not. */
async function someTurns(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('GroupCommit', () => {
  let directory: string;
  let db: Database.Database;
  let wal: WalFile;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'parley-group-commit-'));
    db = new Database(join(directory, 'test.db'));
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.exec(`
      CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE rows (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
    `);
    wal = WalFile.open(join(directory, 'test.db'));
  });

  afterEach(() => {
    wal.close();
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const insert = (id: number, parent: number | null = null) => () => {
    db.prepare('INSERT INTO rows (id, parent) VALUES (?, ?)').run(id, parent);
    return id;
  };
  const storedIds = () => db.prepare<[], { id: number }>('SELECT id FROM rows ORDER BY id').all().map((row) => row.id);
  /** Writes that note in `seen` each time they run; a refused one inserts its row, then throws. */
  const recordedWrites = (seen: string[]) => ({
    counted: (id: number) => () => {
      seen.push(`ran ${id}`);
      return insert(id)();
    },
    refused: (id: number) => () => {
      seen.push(`ran ${id}`);
      insert(id)();
      throw new ParleyError('conflict', 'refused');
    },
  });
  const options = (overrides: Partial<GroupCommitOptions> = {}): GroupCommitOptions => ({
    maxWrites: 10,
    busyTimeoutMs: 5_000,
    now: Date.now,
    syncWal: wal.sync,
    ...overrides,
  });

  it('waits for the end of the tick before running queued writes', async () => {
    const writes = new GroupCommit(db, options());
    const ran: number[] = [];
    const done = [1, 2].map((n) => writes.enqueue(() => ran.push(n)));
    expect(ran).toEqual([]);
    await Promise.all(done);
    expect(ran).toEqual([1, 2]);
  });

  it('commits at once, inside enqueue, when maxWrites are queued', async () => {
    const writes = new GroupCommit(db, options({ maxWrites: 2 }));
    const ran: number[] = [];
    const done = [1, 2, 3].map((n) => writes.enqueue(() => ran.push(n)));
    expect(ran).toEqual([1, 2]);
    await Promise.all(done);
    expect(ran).toEqual([1, 2, 3]);
  });

  it('starts syncs at least minSyncIntervalMs apart, so writes arriving one by one share a sync', async () => {
    const syncStarts: number[] = [];
    const writes = new GroupCommit(db, options({ minSyncIntervalMs: 200, syncWal: () => (syncStarts.push(performance.now()), wal.sync()) }));
    await writes.enqueue(insert(1));
    // Four writes, each in a turn of its own, while the interval since the first sync runs.
    const later: Promise<number>[] = [];
    for (let n = 2; n <= 5; n++) {
      later.push(writes.enqueue(insert(n)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(later);
    expect(storedIds()).toEqual([1, 2, 3, 4, 5]);
    expect(syncStarts).toHaveLength(2);
    expect((syncStarts[1] ?? 0) - (syncStarts[0] ?? 0)).toBeGreaterThanOrEqual(199);
  });

  it('rolls back and rejects only the write that throws', async () => {
    const writes = new GroupCommit(db, options());
    const refusal = new ParleyError('conflict', 'refused');
    const failing = () => {
      insert(2)();
      throw refusal;
    };
    const results = await Promise.allSettled([writes.enqueue(insert(1)), writes.enqueue(failing), writes.enqueue(insert(3))]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: refusal },
      { status: 'fulfilled', value: 3 },
    ]);
    expect(storedIds()).toEqual([1, 3]);
  });

  it('runs the writes before a refused one again after rolling the batch back, says so before each write that follows a rollback, and keeps each once', async () => {
    const seen: string[] = [];
    const writes = new GroupCommit(db, options({ onRolledBack: () => seen.push('rolled back') }));
    const { counted, refused } = recordedWrites(seen);
    const results = await Promise.allSettled([writes.enqueue(counted(1)), writes.enqueue(refused(2)), writes.enqueue(counted(3))]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(storedIds()).toEqual([1, 3]);
    // State a write keeps in memory must be dropped before any write runs on the rolled-back database: the
    // batch's, before it runs again; the refused write's savepoint's, before the write after it.
    expect(seen).toEqual(['ran 1', 'ran 2', 'rolled back', 'ran 1', 'ran 2', 'rolled back', 'ran 3']);
  });

  it('runs the batches after one that was run again for a refused write with a savepoint per write from the start, once each', async () => {
    const seen: string[] = [];
    const writes = new GroupCommit(db, options({ onRolledBack: () => seen.push('rolled back') }));
    const { counted, refused } = recordedWrites(seen);
    await Promise.allSettled([writes.enqueue(counted(1)), writes.enqueue(refused(2))]);
    expect(seen).toEqual(['ran 1', 'ran 2', 'rolled back', 'ran 1', 'ran 2', 'rolled back']);
    seen.length = 0;
    const results = await Promise.allSettled([writes.enqueue(counted(3)), writes.enqueue(refused(4)), writes.enqueue(counted(5))]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Not rolled back whole and run again: only the refused write's savepoint was.
    expect(seen).toEqual(['ran 3', 'ran 4', 'rolled back', 'ran 5']);
    expect(storedIds()).toEqual([1, 3, 5]);
  });

  it('settles a write only after its batch has committed', async () => {
    const writes = new GroupCommit(db, options());
    const inTransactionWhenSettled = await writes.enqueue(insert(1)).then(() => db.inTransaction);
    expect(inTransactionWhenSettled).toBe(false);
    expect(storedIds()).toEqual([1]);
  });

  it('rejects every write of the batch when the commit fails', async () => {
    const writes = new GroupCommit(db, options());
    // A deferred foreign key is checked only at COMMIT, which then fails.
    const results = await Promise.allSettled([writes.enqueue(insert(1)), writes.enqueue(insert(2, 99))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(storedIds()).toEqual([]);
  });

  it('rejects every write of the batch when SQLite drops the whole transaction', async () => {
    const writes = new GroupCommit(db, options());
    const dropTransaction = () => db.exec('ROLLBACK');
    const results = await Promise.allSettled([
      writes.enqueue(insert(1)),
      writes.enqueue(dropTransaction),
      writes.enqueue(insert(3)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(storedIds()).toEqual([]);
    expect(await writes.enqueue(insert(4))).toBe(4);
  });

  it('commits queued writes at close and refuses writes after it', async () => {
    const writes = new GroupCommit(db, options());
    const queued = writes.enqueue(insert(1));
    const closing = writes.close();
    expect(storedIds()).toEqual([1]);
    await closing;
    await expect(queued).resolves.toBe(1);
    await expect(writes.enqueue(insert(2))).rejects.toThrow(/closed/);
  });

  describe('with the write lock held by another process', () => {
    it('keeps the event loop turning while it waits, then commits once the lock is free', async () => {
      const lock = await holdWriteLock(join(directory, 'test.db'));
      const writes = new GroupCommit(db, options({ busyTimeoutMs: 60_000 }));
      let settled = false;
      const queued = writes.enqueue(insert(1)).finally(() => (settled = true));
      // Timers fire while the write waits: SQLite is not spinning in a busy handler on this thread.
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(settled).toBe(false);
      expect(storedIds()).toEqual([]);
      await lock.release();
      await expect(queued).resolves.toBe(1);
      expect(storedIds()).toEqual([1]);
    });

    it('fails the waiting writes with a retryable unavailable after busyTimeoutMs, and writes again once the lock is free', async () => {
      const lock = await holdWriteLock(join(directory, 'test.db'));
      const outcomes: unknown[] = [];
      const writes = new GroupCommit(db, options({ busyTimeoutMs: 100, onOutcome: (failure) => outcomes.push(failure) }));
      const error: unknown = await writes.enqueue(insert(1)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ParleyError);
      expect(error).toMatchObject({ code: 'unavailable', retryAfterMs: 1_000 });
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ code: 'SQLITE_BUSY' });
      await lock.release();
      await expect(writes.enqueue(insert(2))).resolves.toBe(2);
      expect(outcomes[1]).toBeUndefined();
      expect(storedIds()).toEqual([2]);
    });
  });

  describe('with the sync of the WAL held, as on a slow disk', () => {
    let gate: SyncGate;
    beforeEach(() => {
      gate = new SyncGate();
      gate.shutNow();
    });
    const heldSyncs = (overrides: Partial<GroupCommitOptions> = {}) => options({ syncWal: () => gate.syncWal(wal.sync), ...overrides });
    const oneSyncHeld = () => eventually(() => gate.waiting === 1, 'a sync held at the gate');

    it('resolves a write only once a sync that started after its COMMIT has completed', async () => {
      const committedAtSyncStart: number[][] = [];
      const syncWal = () => {
        committedAtSyncStart.push(storedIds());
        return gate.syncWal(wal.sync);
      };
      const writes = new GroupCommit(db, heldSyncs({ syncWal }));
      let settled = false;
      const written = writes.enqueue(insert(1)).finally(() => (settled = true));
      await oneSyncHeld();
      expect(committedAtSyncStart).toEqual([[1]]);
      await someTurns();
      expect(settled).toBe(false);
      gate.open();
      await expect(written).resolves.toBe(1);
      expect(gate.completed).toBe(1);
    });

    it('queues the writes that arrive during a sync without running them, then commits them as one batch with one sync', async () => {
      const writes = new GroupCommit(db, heldSyncs());
      const ran: number[] = [];
      const write = (id: number) => () => {
        ran.push(id);
        return insert(id)();
      };
      const first = writes.enqueue(write(1));
      await oneSyncHeld();
      const later = [writes.enqueue(write(2)), writes.enqueue(write(3))];
      await someTurns();
      expect(ran).toEqual([1]);
      expect(storedIds()).toEqual([1]);
      gate.open();
      expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
      expect(gate.started).toBe(2);
    });

    it('holds a read while a committed batch syncs, and runs it at once when nothing does', async () => {
      const writes = new GroupCommit(db, heldSyncs());
      let ranAtOnce = false;
      void writes.whenDurable(() => (ranAtOnce = true));
      expect(ranAtOnce).toBe(true);
      const written = writes.enqueue(insert(1));
      await oneSyncHeld();
      let seen: number[] | undefined;
      const read = writes.whenDurable(storedIds).then((ids) => (seen = ids));
      await someTurns();
      expect(seen).toBeUndefined();
      gate.open();
      await read;
      expect(seen).toEqual([1]);
      await written;
    });

    it('runs the reads that waited, and the continuations of the durable batch, before the next batch commits', async () => {
      const writes = new GroupCommit(db, heldSyncs());
      const first = writes.enqueue(insert(1));
      await oneSyncHeld();
      const second = writes.enqueue(insert(2));
      const seenByRead = writes.whenDurable(storedIds);
      const seenAfterFirst = first.then(() => storedIds());
      gate.open();
      expect(await seenByRead).toEqual([1]);
      expect(await seenAfterFirst).toEqual([1]);
      await second;
      expect(storedIds()).toEqual([1, 2]);
    });

    it('commits everything that queued behind a sync when it ends, maxWrites per transaction, under one sync, not at once inside enqueue', async () => {
      const writes = new GroupCommit(db, heldSyncs({ maxWrites: 2 }));
      const first = writes.enqueue(insert(1));
      await oneSyncHeld();
      const later = [2, 3, 4, 5, 6].map((id) => writes.enqueue(insert(id)));
      expect(storedIds()).toEqual([1]);
      gate.open();
      await Promise.all([first, ...later]);
      expect(storedIds()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(gate.started).toBe(2);
    });

    it('refuses writes with a retryable unavailable once 64 transactions wait behind a sync', async () => {
      const writes = new GroupCommit(db, heldSyncs({ maxWrites: 2 }));
      const first = writes.enqueue(insert(1));
      await oneSyncHeld();
      const queued = Array.from({ length: 128 }, (_, index) => writes.enqueue(insert(index + 2)));
      const refused: unknown = await writes.enqueue(insert(999)).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'unavailable', retryAfterMs: 1_000, message: expect.stringMatching(/slow/) });
      gate.open();
      await Promise.all([first, ...queued]);
      expect(storedIds()).toHaveLength(129);
    });

    it('at close, waits for the sync in flight, then commits and syncs what queued behind it', async () => {
      const writes = new GroupCommit(db, heldSyncs());
      const settled: number[] = [];
      const first = writes.enqueue(insert(1)).then((id) => settled.push(id));
      await oneSyncHeld();
      const second = writes.enqueue(insert(2)).then((id) => settled.push(id));
      let closed = false;
      const closing = writes.close().then(() => (closed = true));
      await someTurns();
      expect(closed).toBe(false);
      gate.open();
      await closing;
      expect(settled).toEqual([1, 2]);
      expect(gate.completed).toBe(2);
      await Promise.all([first, second]);
    });
  });

  it('fails the writes of a batch whose sync fails with a retryable unavailable, reports it, and writes again after', async () => {
    const outcomes: unknown[] = [];
    const diskFull = Object.assign(new Error('ENOSPC: no space left on device, fdatasync'), { code: 'ENOSPC' });
    let failures = 1;
    const syncWal = () => (failures-- > 0 ? Promise.reject(diskFull) : wal.sync());
    const writes = new GroupCommit(db, options({ syncWal, onOutcome: (failure) => outcomes.push(failure) }));
    const refusal = new ParleyError('conflict', 'refused');
    const results = await Promise.allSettled([
      writes.enqueue(insert(1)),
      writes.enqueue(() => {
        throw refusal;
      }),
    ]);
    expect(results).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ code: 'unavailable', retryAfterMs: 1_000, message: expect.stringMatching(/disk is full/) }) },
      { status: 'rejected', reason: refusal },
    ]);
    expect(outcomes).toEqual([diskFull]);
    await expect(writes.enqueue(insert(2))).resolves.toBe(2);
    expect(outcomes).toEqual([diskFull, undefined]);
  });
});
