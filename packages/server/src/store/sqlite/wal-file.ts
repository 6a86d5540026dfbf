import { closeSync, fdatasync, fdatasyncSync, fstatSync, fsyncSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The database's write-ahead log, held open so the store can make its
 * commits durable without blocking the event loop.
 *
 * The connection runs `synchronous=NORMAL`: a COMMIT appends the batch's
 * frames to the WAL and returns without an fsync. Those frames survive
 * kill -9 at once (they are in the OS page cache), and a power loss can take
 * away only a tail of whole transactions: on recovery SQLite stops at the
 * first frame whose checksum or salt does not match (https://www.sqlite.org/fileformat2.html,
 * "The Write-Ahead Log"). `sync` is the
 * durability point instead: an fdatasync of the WAL on libuv's thread pool.
 * When it has completed, every transaction committed before it started
 * survives power loss.
 *
 * Frames that a checkpoint moved into the database file are durable too:
 * "In WAL mode when synchronous is NORMAL (1), the WAL file is synchronized
 * before each checkpoint and the database file is synchronized after each
 * completed checkpoint and the WAL file header is synchronized when a WAL
 * file begins to be reused after a checkpoint"
 * (https://www.sqlite.org/pragma.html#pragma_synchronous). That holds for
 * the checkpoint thread's connection as well, which runs NORMAL without
 * asking (better-sqlite3 builds SQLite with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1).
 * Reusing the WAL writes over the same file from its start, so this
 * descriptor keeps naming it; `isCurrent` checks that.
 */
export class WalFile {
  private constructor(
    private readonly path: string,
    private readonly descriptor: number,
  ) {}

  /**
   * Opens the `-wal` file of the database at `databasePath`, which must be in
   * WAL mode and have been read once (SQLite creates the file then), and
   * makes everything committed so far durable, the file's directory entry
   * included. SQLite takes its POSIX locks on the database and `-shm` files,
   * never on the WAL, so closing this descriptor releases none of them.
   */
  static open(databasePath: string): WalFile {
    const path = `${databasePath}-wal`;
    const descriptor = openSync(path, 'r+');
    try {
      fdatasyncSync(descriptor);
      syncDirectory(dirname(path));
    } catch (error) {
      closeSync(descriptor);
      throw error;
    }
    return new WalFile(path, descriptor);
  }

  /** An fdatasync of the WAL on libuv's thread pool: the event loop keeps turning meanwhile. */
  readonly sync = (): Promise<void> =>
    new Promise((resolve, reject) => fdatasync(this.descriptor, (error) => (error === null ? resolve() : reject(error))));

  /** Whether the descriptor still names the database's WAL (and not a file removed from under the store). */
  isCurrent(): boolean {
    const held = fstatSync(this.descriptor);
    const current = statSync(this.path, { throwIfNoEntry: false });
    return current !== undefined && current.dev === held.dev && current.ino === held.ino;
  }

  close(): void {
    closeSync(this.descriptor);
  }
}

function syncDirectory(path: string): void {
  const descriptor = openSync(path, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}
