import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createMasterKeyFile } from '../keys/master-key.js';
import { vapidKeysInDataDir, type VapidKeys } from '../push/vapid-keys.js';
import { parseClusterOptions, type ClusterOptions } from './cluster-options.js';
import { ensureDatabase } from './ensure-database.js';
import { haproxyConfig } from './haproxy-config.js';
import { startHaproxy, waitForListener } from './haproxy-process.js';
import { natsAnswers } from './nats-answers.js';
import { NodeProcess } from './node-process.js';

const nodeReadyTimeoutMs = 60_000;
const haproxyStartTimeoutMs = 10_000;
/** How long HAProxy, told to stop accepting, may keep its last connections before it is stopped outright. */
const haproxyDrainMs = 5_000;

/**
 * `parley cluster`: a whole cluster on this machine, for trying it out. Makes
 * what is missing (the master key file, the database), checks NATS, starts the
 * nodes and HAProxy in front of them, prints the one URL, and on Ctrl-C or
 * SIGTERM stops it all in order: HAProxy stops accepting, every node drains
 * (its clients get 1001 through the connections HAProxy still holds), then
 * HAProxy exits. Resolves when everything has stopped.
 */
export async function runCluster(argv: string[], print: (line: string) => void = console.log): Promise<void> {
  const cluster = await startCluster(parseClusterOptions(argv), print);
  print(`Parley cluster of ${cluster.nodes.length} node${cluster.nodes.length === 1 ? '' : 's'} behind HAProxy: ${cluster.url}`);
  print(`nodes: ${cluster.nodes.map((node) => `${node.spec.name} ${node.url}`).join(', ')}; data in ${resolve(cluster.dataDir)}; Ctrl-C stops it all`);
  try {
    await untilStopped(cluster.haproxy, print);
  } catch (error) {
    cluster.kill();
    throw error;
  }
  await cluster.stop();
}

/** A started cluster: its nodes and HAProxy, running until `stop` (in order) or `kill` (at once). */
export interface RunningCluster {
  /** Where clients connect: HAProxy. */
  url: string;
  nodes: NodeProcess[];
  haproxy: ChildProcess;
  dataDir: string;
  /** HAProxy stops accepting, every node drains, then HAProxy exits; resolves when all have. */
  stop(): Promise<void>;
  kill(): void;
}

/** What a cluster's launcher may add to `parley cluster`'s options: settings for every node, HAProxy's per-address cap. */
export interface ClusterLaunch extends ClusterOptions {
  /** `PARLEY_…` settings for every node, over the launcher's (a load test lifts the per-person limits). */
  nodeEnv?: Record<string, string>;
  connectionsPerAddressMax?: number;
}

/**
 * Starts a cluster and resolves once every node is ready and HAProxy accepts:
 * the launch of `parley cluster`, and of `parley-bench --cluster-nodes`.
 * Whatever ends this process, no node or HAProxy outlives it.
 */
export async function startCluster(options: ClusterLaunch, print: (line: string) => void): Promise<RunningCluster> {
  mkdirSync(options.dataDir, { recursive: true });
  const masterKeyFile = ensureMasterKey(options.dataDir, print);
  print(`database ${new URL(options.databaseUrl).pathname.slice(1)}: ${await ensureDatabase(options.databaseUrl)}`);
  if (!(await natsAnswers(options.natsUrl))) throw new Error(`NATS does not answer at ${options.natsUrl}: start nats-server, or pass --nats-url`);

  // One Web Push key pair for every node (kept in the cluster's data dir): browsers bind their subscriptions to it.
  const vapid = vapidKeysInDataDir(options.dataDir, 'mailto:parley@localhost');
  const nodes = nodeProcesses(options, { masterKeyFile, vapid }, print);
  const configPath = join(options.dataDir, 'haproxy.cfg');
  const proxied = { nodes: nodes.map((node) => node.spec), host: options.host, port: options.port };
  const perAddress = options.connectionsPerAddressMax === undefined ? {} : { connectionsPerAddressMax: options.connectionsPerAddressMax };
  writeFileSync(configPath, haproxyConfig({ ...proxied, ...perAddress }));
  let haproxy: ChildProcess | undefined;
  const kill = () => {
    for (const node of nodes) node.kill();
    haproxy?.kill('SIGKILL');
  };
  process.once('exit', kill);
  try {
    await Promise.all(nodes.map((node) => node.start()));
    haproxy = startHaproxy(configPath, (line) => print(`[haproxy] ${line}`));
    await waitForListener(options.host, options.port, haproxyStartTimeoutMs);
  } catch (error) {
    kill();
    process.off('exit', kill);
    throw error;
  }
  const started = haproxy;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  const stop = async () => {
    await stopInOrder(started, nodes, print);
    process.off('exit', kill);
  };
  return { url, nodes, haproxy: started, dataDir: options.dataDir, stop, kill };
}

/** The cluster's one master key, created (mode 0600) on the first run with the code of `parley keys create-master-key`. */
function ensureMasterKey(dataDir: string, print: (line: string) => void): string {
  const path = join(dataDir, 'master.key');
  if (!existsSync(path)) {
    createMasterKeyFile(path);
    print(`created the master key file ${resolve(path)}: every node reads it; back it up apart from the database`);
  }
  return path;
}

function nodeProcesses(options: ClusterLaunch, shared: { masterKeyFile: string; vapid: VapidKeys }, print: (line: string) => void): NodeProcess[] {
  return Array.from({ length: options.nodes }, (_, index) => {
    const name = `node-${index + 1}`;
    const port = options.port + index + 1;
    const env: Record<string, string> = {
      PARLEY_HOST: '127.0.0.1',
      PARLEY_PORT: String(port),
      PARLEY_DATA_DIR: join(options.dataDir, name),
      PARLEY_DATABASE_URL: options.databaseUrl,
      PARLEY_NATS_URL: options.natsUrl,
      PARLEY_MASTER_KEY_FILE: shared.masterKeyFile,
      PARLEY_VAPID_PUBLIC_KEY: shared.vapid.publicKey,
      PARLEY_VAPID_PRIVATE_KEY: shared.vapid.privateKey,
      PARLEY_TRUST_PROXY: 'true',
      PARLEY_NODE_NAME: name,
      // Readable lines, warnings and worse: N nodes logging every start-up line would bury the URL.
      PARLEY_LOG_FORMAT: process.env.PARLEY_LOG_FORMAT ?? 'pretty',
      PARLEY_LOG_LEVEL: process.env.PARLEY_LOG_LEVEL ?? 'warn',
      ...options.nodeEnv,
    };
    return new NodeProcess({ name, host: '127.0.0.1', port, env }, print, nodeReadyTimeoutMs);
  });
}

/** Resolves on SIGINT or SIGTERM; rejects when HAProxy exits by itself (nothing reaches the nodes then). */
function untilStopped(haproxy: ChildProcess, print: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = (signal: NodeJS.Signals) => {
      haproxy.off('exit', died);
      print(`${signal}: stopping HAProxy and draining every node`);
      resolve();
    };
    const died = (code: number | null, signal: NodeJS.Signals | null) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      reject(new Error(`HAProxy exited by itself (${signal ?? `code ${code}`}); the cluster is stopped`));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    haproxy.once('exit', died);
  });
}

async function stopInOrder(haproxy: ChildProcess, nodes: NodeProcess[], print: (line: string) => void): Promise<void> {
  const running = haproxy.exitCode === null && haproxy.signalCode === null;
  const haproxyExited = running ? new Promise((resolve) => haproxy.once('exit', resolve)) : Promise.resolve();
  // Soft stop: no new connections; those open stay until they close, so each client's 1001 gets through.
  haproxy.kill('SIGUSR1');
  await Promise.all(nodes.map((node) => node.stop('SIGINT')));
  const timer = setTimeout(() => haproxy.kill('SIGTERM'), haproxyDrainMs);
  await haproxyExited;
  clearTimeout(timer);
  print('the cluster is stopped');
}
