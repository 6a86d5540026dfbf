import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startClusterTarget } from './cluster-target.js';
import { cpuSecondsByPid } from './measured-processes.js';
import type { Target } from './targets.js';

const postgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';

async function benchDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const found = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'parley_bench_%'");
    return found.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

let target: Target | undefined;
afterEach(async () => {
  await target?.stop();
  target = undefined;
});

describe('a cluster as the bench target', () => {
  it('serves through HAProxy on a database of its own, reads the nodes and PostgreSQL backends apart, and drops the database at the stop', async () => {
    const before = await benchDatabases();
    target = await startClusterTarget({ nodes: 1, databaseUrl: postgresUrl, natsUrl: 'nats://127.0.0.1:4222', serverEnv: {}, cpu: undefined });
    expect((await fetch(`${target.url}/readyz?user=someone`)).status).toBe(200);
    const created = (await benchDatabases()).filter((name) => !before.includes(name));
    expect(created).toHaveLength(1);
    const nodePids = target.cpu?.server() ?? [];
    expect(nodePids).toHaveLength(1);
    expect(target.nodeUrls).toHaveLength(1);
    // The node's pool is connected by now (it migrated the schema): its backends are found by the database's name.
    expect(target.cpu?.apart.postgresBackends?.().length).toBeGreaterThan(0);
    expect(target.cpu?.apart.haproxy?.()).toHaveLength(1);

    await target.stop();
    target = undefined;
    expect(await benchDatabases()).not.toContain(created[0]);
    expect(cpuSecondsByPid(nodePids).size).toBe(0);
  });
});
