import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../chat/parley-error.js';
import { holdWriteLock } from '../../testing/lock-holder.js';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  let directory: string;
  let db: Database.Database;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'parley-group-commit-'));
    db = new Database(join(directory, 'test.db'));
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`
      CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE rows (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED);
    `);
  });

  afterEach(() => {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const insert = (id: number, parent: number | null = null) => () => {
    db.prepare('INSERT INTO rows (id, parent) VALUES (?, ?)').run(id, parent);
    return id;
  };
  const storedIds = () => db.prepare<[], { id: number }>('SELECT id FROM rows ORDER BY id').all().map((row) => row.id);

  it('waits for the end of the tick before running queued writes', async () => {
    const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 5_000 });
    const ran: number[] = [];
    const done = [1, 2].map((n) => writes.enqueue(() => ran.push(n)));
    expect(ran).toEqual([]);
    await Promise.all(done);
    expect(ran).toEqual([1, 2]);
  });

  it('commits at once, inside enqueue, when maxWrites are queued', async () => {
    const writes = new GroupCommit(db, { maxWrites: 2, busyTimeoutMs: 5_000 });
    const ran: number[] = [];
    const done = [1, 2, 3].map((n) => writes.enqueue(() => ran.push(n)));
    expect(ran).toEqual([1, 2]);
    await Promise.all(done);
    expect(ran).toEqual([1, 2, 3]);
  });

  it('rolls back and rejects only the write that throws', async () => {
    const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 5_000 });
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

  it('settles a write only after its batch has committed', async () => {
    const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 5_000 });
    const inTransactionWhenSettled = await writes.enqueue(insert(1)).then(() => db.inTransaction);
    expect(inTransactionWhenSettled).toBe(false);
    expect(storedIds()).toEqual([1]);
  });

  it('rejects every write of the batch when the commit fails', async () => {
    const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 5_000 });
    // A deferred foreign key is checked only at COMMIT, which then fails.
    const results = await Promise.allSettled([writes.enqueue(insert(1)), writes.enqueue(insert(2, 99))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(storedIds()).toEqual([]);
  });

  it('rejects every write of the batch when SQLite drops the whole transaction', async () => {
    const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 5_000 });
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
    const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 5_000 });
    const queued = writes.enqueue(insert(1));
    writes.close();
    expect(storedIds()).toEqual([1]);
    await expect(queued).resolves.toBe(1);
    await expect(writes.enqueue(insert(2))).rejects.toThrow(/closed/);
  });

  describe('with the write lock held by another process', () => {
    it('keeps the event loop turning while it waits, then commits once the lock is free', async () => {
      const lock = await holdWriteLock(join(directory, 'test.db'));
      const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 60_000 });
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
      const writes = new GroupCommit(db, { maxWrites: 10, busyTimeoutMs: 100, onOutcome: (failure) => outcomes.push(failure) });
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
});
