import Database from 'better-sqlite3';
import { join } from 'node:path';
import { isBusy } from './storage-failure.js';

export const lockFileName = 'parley.lock';

/**
 * An exclusive lock on a data directory, so a second server cannot run on
 * the same database (live delivery between two processes' clients breaks:
 * each only wakes its own sessions).
 *
 * The lock is SQLite's own: a connection in EXCLUSIVE locking mode that has
 * written to `parley.lock` keeps an OS-level (POSIX fcntl) write lock on it
 * until it closes. The kernel drops that lock when the process dies, even by
 * kill -9, so a crash never leaves a stale lock behind, unlike a lock file
 * whose mere existence is the lock (or a pid in it, which a reboot may give
 * to another process). SQLite also honours it between connections of one
 * process. No native module beyond the driver already in use is needed.
 */
export class DirectoryLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock at once, or throws a message an operator can act on. */
  static acquire(directory: string): DirectoryLock {
    const path = join(directory, lockFileName);
    const db = new Database(path);
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      // No journal file beside the lock: its one row is worth nothing after a crash.
      db.pragma('journal_mode = MEMORY');
      db.exec(`BEGIN EXCLUSIVE;
        CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since INTEGER NOT NULL);
        DELETE FROM holder;`);
      db.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, Date.now());
      db.exec('COMMIT');
      return new DirectoryLock(db);
    } catch (error) {
      db.close();
      if (!isBusy(error)) throw error;
      throw new Error(
        `Refusing to start: another Parley server is running on the data directory ${directory} (it holds ${path}). ` +
          'Two servers on one database break live delivery between their clients: stop the other one first.',
      );
    }
  }

  release(): void {
    this.db.close();
  }
}
