import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliProcess } from '../testing/cli-process.js';

const postgresUrl = 'postgres://postgres@127.0.0.1:5432';

let directory: string;
let database: string;
let launcher: CliProcess | undefined;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'parley-cluster-test-'));
  database = `parley_cluster_test_${randomBytes(6).toString('hex')}`;
});
afterEach(async () => {
  await launcher?.stop('SIGINT');
  launcher = undefined;
  const client = new pg.Client({ connectionString: `${postgresUrl}/postgres` });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await client.end();
  await rm(directory, { recursive: true, force: true });
});

/** A port nothing listens on now (the nodes take the two after it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('parley cluster (npm run cluster)', () => {
  it('makes the key and the database, serves one URL over every node, and stops them all on Ctrl-C', async () => {
    const port = await freePort();
    const dataDir = join(directory, 'cluster');
    launcher = new CliProcess(['cluster', '--nodes', '2', '--port', String(port), '--data-dir', dataDir, '--database-url', `${postgresUrl}/${database}`], {
      configDir: directory,
      // Before the PostgreSQL store, each node runs SQLite in its own data dir: a fresh one beside the shared key.
      env: { PARLEY_ALLOW_EMPTY_DATABASE: 'true' },
    });
    await launcher.waitFor(/Parley cluster of 2 nodes behind HAProxy: http:\/\/127\.0\.0\.1:\d+/, 'stdout', 60_000);
    expect(launcher.stdout).toContain(`database ${database}: created`);
    expect((await stat(join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);

    const nodes = new Set<string>();
    for (let user = 0; user < 16; user++) {
      const answer = await fetch(`http://127.0.0.1:${port}/readyz?user=u_${user}`);
      nodes.add(((await answer.json()) as { node: string }).node);
    }
    expect(nodes).toEqual(new Set(['node-1', 'node-2']));

    expect(await launcher.stop('SIGINT')).toBe(0);
    launcher = undefined;
    expect(await Promise.all([port, port + 1, port + 2].map(listening))).toEqual([false, false, false]);
  }, 90_000);
});
