import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../chat/store-port.js';
import { PostgresStore } from './postgres-store.js';

async function runOnce(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The PostgreSQL store for `parley-bench store --database-url`: in a schema
 * made for the run, so a bench never touches a server's tables, dropped with
 * everything in it when the store closes.
 */
export async function openPostgresBenchStore(
  databaseUrl: string,
  masterKey: Buffer | undefined,
): Promise<Pick<Store, 'createUser' | 'createDevice' | 'openDirectConversation' | 'append' | 'ackStream' | 'close'>> {
  const schema = `parley_bench_${randomBytes(6).toString('hex')}`;
  await runOnce(databaseUrl, `CREATE SCHEMA ${schema}`);
  const store = await PostgresStore.open({ databaseUrl, schema, masterKey });
  return {
    createUser: (user) => store.createUser(user),
    createDevice: (device, maxDevices) => store.createDevice(device, maxDevices),
    openDirectConversation: (draft) => store.openDirectConversation(draft),
    append: (draft) => store.append(draft),
    ackStream: (deviceId, pos, at) => store.ackStream(deviceId, pos, at),
    close: async () => {
      await store.close();
      await runOnce(databaseUrl, `DROP SCHEMA ${schema} CASCADE`);
    },
  };
}
