import { openBenchCluster } from '@parley/server/bench-cluster';
import { pinProcess } from './cpu-pinning.js';
import { natsServerPids, postgresBackendPids, postgresBackgroundPids, type MeasuredProcesses } from './measured-processes.js';
import { loadTestServerEnv, type Target } from './targets.js';

export interface ClusterTargetOptions {
  nodes: number;
  /** The PostgreSQL server the run's fresh database is made on. */
  databaseUrl: string;
  natsUrl: string;
  /** Extra PARLEY_* settings for every node. */
  serverEnv: Record<string, string>;
  /** CPU the nodes, HAProxy and the run's PostgreSQL backends are pinned to (taskset), or undefined. */
  cpu: number | undefined;
}

/** Connections HAProxy lets the generator (one address) hold: every socket of a large load, and its HTTP setup. */
const generatorConnectionsMax = 100_000;
/** How often new PostgreSQL backends (a pool opening a connection) are looked for, to pin them with the rest. */
const backendPinIntervalMs = 1_000;
/** Lines kept as problems: a node or HAProxy saying something at warn level or worse. */
const problemLinesMax = 10;

/**
 * A Parley cluster as a load's target: N nodes and HAProxy started by the
 * server's own launcher, on a fresh database and NATS subject prefix. The
 * server's CPU is the sum over the nodes; PostgreSQL's backends of the run's
 * database, its background processes, HAProxy and the NATS server are read
 * apart, since they are part of a message's cost but not the nodes'.
 */
export async function startClusterTarget(options: ClusterTargetOptions): Promise<Target> {
  const problems: string[] = [];
  // Lines printed while starting are the launcher's own (database created, key made): not problems.
  let started = false;
  const cluster = await openBenchCluster({
    nodes: options.nodes,
    databaseUrl: options.databaseUrl,
    natsUrl: options.natsUrl,
    // Warnings and worse, as `parley cluster` logs: the problems of the run.
    nodeEnv: { ...loadTestServerEnv, PARLEY_LOG_LEVEL: 'warn', ...options.serverEnv },
    connectionsPerAddressMax: generatorConnectionsMax,
    print: (line) => {
      if (started && problems.length < problemLinesMax) problems.push(line.slice(0, 500));
    },
  });
  started = true;
  const nodePids = cluster.nodes.map((node) => node.pid);
  const backends = () => postgresBackendPids(cluster.databaseName);
  const pinner = options.cpu === undefined ? undefined : pinEverything(options.cpu, [...nodePids, cluster.haproxyPid], backends);
  // Shared with everything else on the machine, and stable: listed once.
  const background = postgresBackgroundPids();
  const nats = natsServerPids();
  const cpu: MeasuredProcesses = {
    server: () => nodePids,
    apart: { postgresBackends: backends, postgresBackground: () => background, haproxy: () => [cluster.haproxyPid], nats: () => nats },
  };
  return {
    kind: 'parley',
    url: cluster.url,
    pid: nodePids[0],
    cpu,
    nodeUrls: cluster.nodes.map((node) => node.url),
    problems: () => [...problems],
    stop: async () => {
      if (pinner !== undefined) clearInterval(pinner);
      await cluster.stop();
    },
  };
}

/**
 * Pins the nodes and HAProxy to `cpu` now, and the run's PostgreSQL backends
 * as they appear (a pool opens connections as the load needs them). The shared
 * PostgreSQL server and NATS are left where they are: other users of the
 * machine need them.
 */
function pinEverything(cpu: number, pids: number[], backends: () => number[]): NodeJS.Timeout {
  for (const pid of pids) pinProcess(pid, cpu);
  const pinned = new Set<number>();
  const pinNewBackends = () => {
    for (const pid of backends()) if (!pinned.has(pid) && pinProcess(pid, cpu)) pinned.add(pid);
  };
  pinNewBackends();
  return setInterval(pinNewBackends, backendPinIntervalMs);
}
