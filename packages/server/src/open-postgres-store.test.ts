import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { configSchema } from './config.js';
import { openStore, storeOf } from './open-store.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { TestSchemas, testDatabaseUrl } from './testing/postgres-schema.js';
import { tempDir } from './testing/temp-dir.js';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());
const directories: { remove: () => void }[] = [];
afterEach(() => directories.splice(0).forEach((directory) => directory.remove()));

describe('opening the PostgreSQL store', () => {
  it('refuses to start without a master key file, naming the command that creates one', async () => {
    const directory = tempDir();
    directories.push(directory);
    const missing = join(directory.path, 'master.key');
    const config = configSchema.parse({ databaseUrl: testDatabaseUrl, masterKeyFile: missing, dataDir: directory.path });
    await expect(openStore(config)).rejects.toThrow(`parley keys create-master-key --master-key-file ${missing}`);
    const unset = configSchema.parse({ databaseUrl: testDatabaseUrl, dataDir: directory.path });
    await expect(openStore(unset)).rejects.toThrow('parley keys create-master-key --master-key-file FILE');
  });

  it('chooses PostgreSQL when a database URL is set, SQLite otherwise', () => {
    expect(storeOf(configSchema.parse({ databaseUrl: testDatabaseUrl }))).toBe('postgres');
    expect(storeOf(configSchema.parse({}))).toBe('sqlite');
  });

  it('refuses a master key that does not unlock the data keys of the database', async () => {
    const schema = await schemas.create();
    const first = await PostgresStore.open({ databaseUrl: testDatabaseUrl, schema, masterKey: randomBytes(32) });
    await first.close();
    await expect(PostgresStore.open({ databaseUrl: testDatabaseUrl, schema, masterKey: randomBytes(32) })).rejects.toThrow(
      'the master key does not unlock this database',
    );
  });
});
