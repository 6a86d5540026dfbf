import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { TestSchemas, testDatabaseUrl } from '../../testing/postgres-schema.js';
import { describeStoreContract } from '../store.contract.js';
import { PostgresStore } from './postgres-store.js';

const schemas = new TestSchemas();
afterAll(() => schemas.dropAll());

// One schema per suite, emptied before each test: a fresh, empty store each time, migrated once.
const plain = {};
const encrypted = {};
describeStoreContract('PostgresStore', async () => PostgresStore.open({ databaseUrl: testDatabaseUrl, schema: await schemas.emptied(plain), poolSize: 4 }));
describeStoreContract('PostgresStore with encryption at rest', async () =>
  PostgresStore.open({ databaseUrl: testDatabaseUrl, schema: await schemas.emptied(encrypted), poolSize: 4, masterKey: randomBytes(32) }),
);
