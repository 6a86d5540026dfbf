import type { Store } from './chat/store-port.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

/** The part of the store port that parley-bench's `store` scenario drives. */
export type BenchStore = Pick<Store, 'createUser' | 'createDevice' | 'openDirectConversation' | 'append' | 'ackStream' | 'close'>;

export interface BenchStoreOptions {
  /** The database file. The caller owns its directory and removes it. */
  path: string;
  /** Measures the PostgreSQL store instead, in a schema of its own made for the run and dropped by `close`. */
  databaseUrl?: string;
  /** Seals message bodies at rest under this 32-byte master key, as the server does; without it, plain text. */
  masterKey?: Buffer;
  /** Checkpoints the WAL on a background thread every this many ms, as the server does; without it, SQLite's own checkpoints. */
  checkpointIntervalMs?: number;
}

/**
 * Opens the embedded store (or, given a database URL, the PostgreSQL one) to
 * measure its write path alone, without sockets (`parley-bench store`). It is the package's `@parley/server/bench-store`
 * entry, so the bench speaks the port's words and never reaches into the
 * server's modules; a server opens its store with `openStore(config)`.
 */
export async function openBenchStore(options: BenchStoreOptions): Promise<BenchStore> {
  if (options.databaseUrl !== undefined) {
    const { openPostgresBenchStore } = await import('./store/postgres/postgres-bench-store.js');
    return openPostgresBenchStore(options.databaseUrl, options.masterKey);
  }
  return SqliteStore.open(options.path, {
    ...(options.masterKey === undefined ? {} : { masterKey: options.masterKey }),
    ...(options.checkpointIntervalMs === undefined ? {} : { checkpointIntervalMs: options.checkpointIntervalMs }),
  });
}
