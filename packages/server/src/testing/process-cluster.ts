import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { haproxyConfig } from '../cluster/haproxy-config.js';
import { startHaproxy, waitForListener } from '../cluster/haproxy-process.js';
import { createMasterKeyFile } from '../keys/master-key.js';
import { randomSubjectPrefix, sharedNatsUrl } from './nats-test-server.js';
import { testDatabaseUrl } from './postgres-schema.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { tempDir } from './temp-dir.js';

export interface ProcessClusterOptions {
  nodes: number;
  /** The NATS server; default the machine's shared one (apart by a random subject prefix). */
  natsUrl?: string;
  /** A URL of the PostgreSQL server to make the cluster's database on; default the machine's shared one. */
  postgresUrl?: string;
  /** Puts a real HAProxy in front of the nodes, configured as `parley cluster` configures it. */
  haproxy?: boolean;
  /** Settings for every node, as `PARLEY_…` variables. */
  env?: Record<string, string>;
}

export interface ClusterNode {
  name: string;
  url: string;
  process: ServerProcess;
}

/**
 * N real server processes (the built `dist/main.js`) sharing a fresh
 * PostgreSQL database (random name, dropped by `close`), NATS and one master
 * key file, optionally behind a real HAProxy: the cluster as an operator
 * runs it, for tests that kill, stop and restart its parts.
 */
export class ProcessCluster {
  private constructor(
    readonly nodes: ClusterNode[],
    readonly databaseUrl: string,
    private readonly proxy: { url: string; child: ChildProcess; log: string[] } | undefined,
    private readonly dropDatabase: () => Promise<void>,
    private readonly dir: { path: string; remove: () => void },
  ) {}

  static async start(options: ProcessClusterOptions): Promise<ProcessCluster> {
    const dir = tempDir('parley-cluster-');
    const database = await createDatabase(options.postgresUrl ?? testDatabaseUrl);
    const nodes: ClusterNode[] = [];
    let proxy: { url: string; child: ChildProcess; log: string[] } | undefined;
    const cluster = () => new ProcessCluster(nodes, database.url, proxy, database.drop, dir);
    try {
      const masterKeyFile = join(dir.path, 'master.key');
      createMasterKeyFile(masterKeyFile);
      const shared = {
        PARLEY_DATABASE_URL: database.url,
        PARLEY_NATS_URL: options.natsUrl ?? sharedNatsUrl,
        PARLEY_NATS_SUBJECT_PREFIX: randomSubjectPrefix(),
        PARLEY_MASTER_KEY_FILE: masterKeyFile,
        PARLEY_TRUST_PROXY: String(options.haproxy === true),
        PARLEY_SEND_RATE_PER_SECOND: '10000',
        PARLEY_SEND_BURST: '10000',
        ...options.env,
      };
      const names = Array.from({ length: options.nodes }, (_, index) => `node-${index + 1}`);
      const startNode = async (name: string) => {
        const dataDir = join(dir.path, name);
        mkdirSync(dataDir);
        const started = await startServerProcess(dataDir, { ...shared, PARLEY_NODE_NAME: name });
        nodes.push({ name, url: started.url, process: started });
      };
      // The first migrates the fresh database; the others then find it current and start together.
      const [firstName, ...otherNames] = names as [string, ...string[]];
      await startNode(firstName);
      // Settled, not all: a node still starting when another failed must be in `nodes` for close() to kill it.
      const starts = await Promise.allSettled(otherNames.map(startNode));
      for (const start of starts) if (start.status === 'rejected') throw start.reason;
      nodes.sort((a, b) => a.name.localeCompare(b.name));
      if (options.haproxy === true) proxy = await startProxy(nodes, dir.path);
      return cluster();
    } catch (error) {
      await cluster().close();
      throw error;
    }
  }

  /** HAProxy's URL; the test asked for one. */
  get proxyUrl(): string {
    if (this.proxy === undefined) throw new Error('this cluster runs without HAProxy');
    return this.proxy.url;
  }

  /** What HAProxy said (servers going down and up). */
  get proxyLog(): string[] {
    return this.proxy?.log ?? [];
  }

  node(name: string): ClusterNode {
    const found = this.nodes.find((node) => node.name === name);
    if (found === undefined) throw new Error(`no node ${name}`);
    return found;
  }

  /** `kill -9` of one node; resolves once its process is gone. */
  async kill(name: string): Promise<void> {
    await killProcess(this.node(name).process.child);
  }

  /** Kills every process, drops the database and removes the directory. */
  async close(): Promise<void> {
    if (this.proxy !== undefined) await killProcess(this.proxy.child);
    await Promise.all(this.nodes.map((node) => killProcess(node.process.child)));
    await this.dropDatabase();
    this.dir.remove();
  }
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** A database of the test's own on the server `serverUrl` names, and a way to drop it (its connections with it). */
async function createDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `parley_chaos_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropping = new pg.Client({ connectionString: serverUrl });
      await dropping.connect();
      try {
        await dropping.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropping.end();
      }
    },
  };
}

async function startProxy(nodes: ClusterNode[], dir: string): Promise<{ url: string; child: ChildProcess; log: string[] }> {
  const port = await freePort();
  const configPath = join(dir, 'haproxy.cfg');
  const servers = nodes.map((node) => ({ name: node.name, host: '127.0.0.1', port: Number(new URL(node.url).port) }));
  writeFileSync(configPath, haproxyConfig({ nodes: servers, host: '127.0.0.1', port }));
  const log: string[] = [];
  const child = startHaproxy(configPath, (line) => log.push(line));
  try {
    await waitForListener('127.0.0.1', port, 10_000);
  } catch (error) {
    await killProcess(child);
    throw new Error(`HAProxy did not listen: ${log.join('\n')}`, { cause: error });
  }
  return { url: `http://127.0.0.1:${port}`, child, log };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
