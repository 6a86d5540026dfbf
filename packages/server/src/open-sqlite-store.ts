import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { loadMasterKey } from './keys/master-key.js';
import { DirectoryLock } from './store/sqlite/directory-lock.js';
import type { StoreOpening } from './store-opening.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

/**
 * Opens the embedded store (`store: sqlite`), loaded by `openStore` only when
 * configured. Encryption at rest: the master key file is
 * created on a fresh installation only; an existing database without its key
 * file, or with another key, refuses to open. The data directory is locked
 * for as long as the store is open: a second server on it refuses to start.
 * A missing or empty database next to an existing master key is refused too
 * (the data volume is probably not mounted), unless `allowEmptyDatabase`.
 */
export function openSqliteStore(config: Config, opening: StoreOpening): SqliteStore {
  mkdirSync(config.dataDir, { recursive: true });
  const { besideServer = false, ...hooks } = opening;
  const lock = besideServer ? undefined : DirectoryLock.acquire(config.dataDir);
  try {
    const databasePath = join(config.dataDir, 'parley.db');
    const masterKeyPath = config.masterKeyFile ?? join(config.dataDir, 'master.key');
    const fresh = !existsSync(databasePath) || statSync(databasePath).size === 0;
    if (fresh && existsSync(masterKeyPath) && !config.allowEmptyDatabase) throw missingDatabaseError(databasePath, masterKeyPath);
    const masterKey = loadMasterKey(masterKeyPath, fresh);
    return SqliteStore.open(databasePath, {
      groupCommitMaxWrites: config.groupCommitMaxWrites,
      masterKey,
      pushCoalesceMs: config.pushCoalesceMs,
      checkpointIntervalMs: config.checkpointIntervalMs,
      minSyncIntervalMs: config.syncIntervalMs,
      busyTimeoutMs: config.storeBusyTimeoutMs,
      ...hooks,
      onClosed: () => lock?.release(),
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
}

function missingDatabaseError(databasePath: string, masterKeyPath: string): Error {
  return new Error(
    `Refusing to start: the database ${databasePath} is missing or empty, but the master key ${masterKeyPath} exists, ` +
      'so this is not a fresh installation. Is the data volume mounted? Starting anyway would serve an empty server ' +
      'that answers every token with 401. To start a new, empty installation with this key on purpose, start once with ' +
      '--allow-empty-database true (PARLEY_ALLOW_EMPTY_DATABASE=true), or move the key file away.',
  );
}
