import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createMasterKeyFile } from '../keys/master-key.js';
import { testDatabaseUrl } from './postgres-schema.js';

/** The store settings every node of a test cluster shares. */
export interface ClusterStoreSettings {
  databaseUrl: string;
  masterKeyFile: string;
}

/** Where a test cluster's data dir names its database, so a restart on the same dir finds it. */
const databaseFileName = 'test-cluster-database';

/**
 * Every database a test cluster makes starts with this, followed by the run's
 * id: the cluster project's global teardown drops what a test left (a test
 * that kept its data and removed the dir itself), and only this run's.
 */
export const clusterDatabasePrefix = 'parley_test_cluster_';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the cluster project's global setup (cluster-global-setup.ts). */
    clusterRunId?: string;
  }
}

/**
 * The store of the test cluster whose data lives in `dataDir`: a fresh
 * database (from template0, on the machine's PostgreSQL) and a master key
 * file the first time, the same ones when the dir already names them.
 */
export async function clusterStoreSettings(dataDir: string): Promise<ClusterStoreSettings> {
  mkdirSync(dataDir, { recursive: true });
  const masterKeyFile = join(dataDir, 'master.key');
  if (!existsSync(masterKeyFile)) createMasterKeyFile(masterKeyFile);
  const databaseFile = join(dataDir, databaseFileName);
  let name = existsSync(databaseFile) ? readFileSync(databaseFile, 'utf8').trim() : undefined;
  if (name === undefined) {
    name = `${clusterDatabasePrefix}${runId()}_${randomBytes(6).toString('hex')}`;
    await administer((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE template0`));
    writeFileSync(databaseFile, `${name}\n`);
  }
  return { databaseUrl: databaseUrlOf(name), masterKeyFile };
}

/** Drops the database the data dir names, and forgets it: the next cluster on the dir starts empty. */
export async function dropClusterDatabase(dataDir: string): Promise<void> {
  const databaseFile = join(dataDir, databaseFileName);
  if (!existsSync(databaseFile)) return;
  const name = readFileSync(databaseFile, 'utf8').trim();
  await administer((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  rmSync(databaseFile, { force: true });
}

/** Drops every database a test cluster of run `id` made (the global teardown). */
export async function dropClusterDatabasesOfRun(id: string): Promise<void> {
  await administer(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      `${clusterDatabasePrefix}${id}_`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}

export const newClusterRunId = () => randomBytes(4).toString('hex');

/** The run's id from the global setup; a file run outside the cluster project has none, and its databases are dropped by its stops alone. */
const runId = () => inject('clusterRunId') ?? 'adhoc';

function databaseUrlOf(name: string): string {
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function administer<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
