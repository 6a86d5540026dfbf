import type Database from 'better-sqlite3';

export interface Durability {
  /** `wal` when in force. */
  journalMode: string;
  /**
   * 1 is NORMAL: a COMMIT writes the WAL without an fsync, and the store
   * syncs the WAL itself, off the event loop, before a write resolves
   * (`WalFile`).
   */
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
}

const synchronousNormal = 1;

/**
 * How long a write waits for another connection's lock (a backup tool, the
 * CLI) before failing with SQLITE_BUSY.
 */
const busyTimeoutMs = 5_000;

/**
 * Sets the connection up so that a committed write survives kill -9 at once
 * and power loss once the store has synced the WAL (`WalFile`), then reads
 * the settings back: SQLite ignores a journal mode it cannot use (an
 * in-memory database, some network file systems) without an error, and an
 * acknowledged message must never depend on a setting that silently failed.
 * NORMAL, not FULL: FULL would fsync inside every COMMIT, on the event loop.
 */
export function configureDurability(db: Database.Database): Durability {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const durability = readDurability(db);
  if (durability.journalMode !== 'wal') {
    throw new Error(`SQLite refused WAL mode (journal_mode is '${durability.journalMode}'); use a file on a local disk`);
  }
  if (durability.synchronous !== synchronousNormal) {
    throw new Error(`SQLite refused synchronous=NORMAL (it is ${durability.synchronous})`);
  }
  if (!durability.foreignKeys) throw new Error('SQLite refused foreign_keys=ON');
  return durability;
}

export function readDurability(db: Database.Database): Durability {
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    foreignKeys: Number(db.pragma('foreign_keys', { simple: true })) === 1,
    busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
  };
}
