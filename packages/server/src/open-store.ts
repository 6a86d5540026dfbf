import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';
import { loadMasterKey } from './keys/master-key.js';
import { SqliteStore, type SqliteStoreOptions } from './store/sqlite/sqlite-store.js';

/** What the store reports as it runs: storage failures and unreadable rows. */
export type StoreHooks = Pick<SqliteStoreOptions, 'onWritableChange' | 'onUnreadableMessage'>;

/**
 * Opens the embedded store with encryption at rest: the master key file is
 * created on a fresh installation only; an existing database without its key
 * file, or with another key, refuses to open.
 */
export function openStore(config: Config, hooks: StoreHooks = {}): SqliteStore {
  mkdirSync(config.dataDir, { recursive: true });
  const databasePath = join(config.dataDir, 'parley.db');
  const masterKeyPath = config.masterKeyFile ?? join(config.dataDir, 'master.key');
  const masterKey = loadMasterKey(masterKeyPath, !existsSync(databasePath));
  return SqliteStore.open(databasePath, {
    groupCommitMaxWrites: config.groupCommitMaxWrites,
    masterKey,
    pushCoalesceMs: config.pushCoalesceMs,
    checkpointIntervalMs: config.checkpointIntervalMs,
    busyTimeoutMs: config.storeBusyTimeoutMs,
    ...hooks,
  });
}
