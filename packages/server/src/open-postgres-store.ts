import { existsSync, mkdirSync } from 'node:fs';
import type { Config } from './config.js';
import { loadMasterKey } from './keys/master-key.js';
import type { StoreOpening } from './store-opening.js';
import { PostgresStore } from './store/postgres/postgres-store.js';

/**
 * Opens the cluster store (`databaseUrl`), loaded by `openStore` only when
 * configured. Every node must seal with the same master key, so a node never
 * makes one: the key file is required, and the operator creates it once.
 * A key that does not unlock the database's data keys refuses to start too.
 * The data directory holds nothing of the store's, but is made as with
 * SQLite: other parts of the node keep their files there (the Web Push keys).
 */
export async function openPostgresStore(config: Config, opening: StoreOpening): Promise<PostgresStore> {
  const { databaseUrl, masterKeyFile } = config;
  if (databaseUrl === undefined) throw new Error('Refusing to start: --store postgres needs --database-url (PARLEY_DATABASE_URL=postgres://…)');
  if (masterKeyFile === undefined || !existsSync(masterKeyFile)) throw missingMasterKeyError(masterKeyFile);
  mkdirSync(config.dataDir, { recursive: true });
  const { onWritableChange, onUnreadableMessage, clock } = opening;
  return PostgresStore.open({
    databaseUrl,
    poolSize: config.databasePoolSize,
    groupCommitMaxWrites: config.groupCommitMaxWrites,
    masterKey: loadMasterKey(masterKeyFile, false),
    pushCoalesceMs: config.pushCoalesceMs,
    onWritableChange,
    onUnreadableMessage,
    clock,
  });
}

function missingMasterKeyError(masterKeyFile: string | undefined): Error {
  const file = masterKeyFile ?? 'FILE';
  const problem = masterKeyFile === undefined ? 'no master key file is set' : `the master key file ${masterKeyFile} is missing`;
  return new Error(
    `Refusing to start: ${problem}. With PostgreSQL every node must seal with the same master key, so a node never creates one. ` +
      `Create it once with: parley keys create-master-key --master-key-file ${file}, ` +
      'copy it to every node (mode 0600), and set --master-key-file (PARLEY_MASTER_KEY_FILE) to it.',
  );
}
