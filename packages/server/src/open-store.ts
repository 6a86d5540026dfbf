import type { Config } from './config.js';
import type { OpenedStore, StoreOpening } from './store-opening.js';

/**
 * Opens the store the configuration names: PostgreSQL when `databaseUrl` is
 * set (or `store: postgres`), SQLite otherwise. Each adapter is loaded with
 * `import()` when chosen, so a server never loads a driver it does not use.
 */
export async function openStore(config: Config, opening: StoreOpening = {}): Promise<OpenedStore> {
  switch (storeOf(config)) {
    case 'sqlite': {
      const { openSqliteStore } = await import('./open-sqlite-store.js');
      return openSqliteStore(config, opening);
    }
    case 'postgres': {
      const { openPostgresStore } = await import('./open-postgres-store.js');
      return openPostgresStore(config, opening);
    }
  }
}

/** The store follows the database URL: a URL given means PostgreSQL. */
export function storeOf(config: Config): Config['store'] {
  return config.databaseUrl !== undefined ? 'postgres' : config.store;
}
