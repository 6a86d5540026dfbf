import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase } from './cluster/ensure-database.js';
import { startCluster } from './cluster/run-cluster.js';

export interface BenchClusterOptions {
  nodes: number;
  /** A PostgreSQL server's URL: the run's database is made on it under a random name, and dropped by `stop`. */
  databaseUrl: string;
  natsUrl: string;
  /** `PARLEY_…` settings for every node (a load test lifts the per-person limits). */
  nodeEnv: Record<string, string>;
  /** Connections HAProxy lets one client address hold: the generator is one address. */
  connectionsPerAddressMax: number;
  /** What the nodes and HAProxy say (warnings and worse). */
  print: (line: string) => void;
}

export interface BenchClusterNode {
  name: string;
  /** The node's own http URL, past HAProxy. */
  url: string;
  pid: number;
}

export interface BenchCluster {
  /** HAProxy's URL: what clients use. */
  url: string;
  nodes: BenchClusterNode[];
  haproxyPid: number;
  /** The run's fresh database, to find its PostgreSQL backends. */
  databaseName: string;
  /** Stops HAProxy and the nodes in order, drops the database and removes the data dir. */
  stop(): Promise<void>;
}

const lowestPort = 20_000;
const portTries = 50;

/**
 * Starts a throwaway cluster for `parley-bench --cluster-nodes`, with the
 * launcher of `parley cluster`: N nodes and HAProxy on a fresh database (a
 * random name on the given server) and a random NATS subject prefix, so a run
 * shares nothing with another cluster on the same PostgreSQL and NATS. It is
 * the package's `@parley/server/bench-cluster` entry, so the bench never
 * reaches into the server's modules.
 */
export async function openBenchCluster(options: BenchClusterOptions): Promise<BenchCluster> {
  const runId = randomBytes(6).toString('hex');
  const databaseName = `parley_bench_${runId}`;
  const databaseUrl = new URL(options.databaseUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-cluster-'));
  const cleanUp = async () => {
    await dropDatabase(databaseUrl.toString());
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const port = await freePortRun(options.nodes + 1);
    const cluster = await startCluster(
      {
        nodes: options.nodes,
        host: '127.0.0.1',
        port,
        databaseUrl: databaseUrl.toString(),
        natsUrl: options.natsUrl,
        dataDir,
        nodeEnv: { ...options.nodeEnv, PARLEY_NATS_SUBJECT_PREFIX: `bench_${runId}.` },
        connectionsPerAddressMax: options.connectionsPerAddressMax,
      },
      options.print,
    );
    const nodes = cluster.nodes.map((node) => ({ name: node.spec.name, url: node.url, pid: runningPid(node.pid, node.spec.name) }));
    const haproxyPid = runningPid(cluster.haproxy.pid, 'haproxy');
    const stop = async () => {
      await cluster.stop();
      await cleanUp();
    };
    return { url: cluster.url, nodes, haproxyPid, databaseName, stop };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function runningPid(pid: number | undefined, name: string): number {
  if (pid === undefined) throw new Error(`${name} is not running`);
  return pid;
}

/** The first of `count` consecutive ports on 127.0.0.1 that nothing listens on now: HAProxy's, then one per node. */
async function freePortRun(count: number): Promise<number> {
  for (let tries = 0; tries < portTries; tries++) {
    const first = lowestPort + Math.floor(Math.random() * (60_000 - lowestPort));
    let free = true;
    for (let port = first; free && port < first + count; port++) free = await isFree(port);
    if (free) return first;
  }
  throw new Error(`found no ${count} free consecutive ports after ${portTries} tries`);
}

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
