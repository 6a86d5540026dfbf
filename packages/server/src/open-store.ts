import type { Config } from './config.js';
import type { OpenedStore, StoreOpening } from './store-opening.js';

/**
 * Opens the store the configuration names. Each adapter is loaded with
 * `import()` when chosen, so a server never loads a driver it does not use.
 */
export async function openStore(config: Config, opening: StoreOpening = {}): Promise<OpenedStore> {
  switch (config.store) {
    case 'sqlite': {
      const { openSqliteStore } = await import('./open-sqlite-store.js');
      return openSqliteStore(config, opening);
    }
  }
}
