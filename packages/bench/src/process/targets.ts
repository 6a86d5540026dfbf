import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Baseline } from '../options.js';
import { startChildServer } from './child-server.js';
import { oneProcess, type MeasuredProcesses } from './measured-processes.js';

export type TargetKind = 'parley' | Baseline;

/** How reports name each target. */
export const targetLabels: Record<TargetKind, string> = { parley: 'parley', ws: 'bare ws relay', 'ws-sqlite': 'ws + SQLite relay' };

/** What a load runs against: a Parley server or one of the baseline relays. */
export interface Target {
  kind: TargetKind;
  url: string;
  /** The server's process id, for its memory (a cluster: its first node's); undefined for a --url server without --server-pid. */
  pid: number | undefined;
  /** The processes whose CPU is the server's (a cluster: every node), and those read apart; undefined when unknown. */
  cpu: MeasuredProcesses | undefined;
  /** A cluster's nodes, past HAProxy, in order: for loads that place their sockets on chosen nodes. */
  nodeUrls?: string[];
  stop(): Promise<void>;
  /** What went wrong with a started server so far (it exited, it logged errors); empty for --url. */
  problems(): string[];
}

export interface ParleyTargetOptions {
  /** A running server to drive; when absent, one is started on a temporary data dir. */
  url?: string;
  serverPid?: number;
  serverScript?: string;
  /** Extra PARLEY_* settings for the server the tool starts. */
  serverEnv: Record<string, string>;
  /** Options for the server's Node, e.g. `--cpu-prof` to profile it. */
  nodeArgs: string[];
  /** CPU to pin the server to (taskset), or undefined. */
  cpu: number | undefined;
}

const defaultServerScript = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));
const relayScript = fileURLToPath(new URL('../relay/relay-main.js', import.meta.url));

/**
 * Limits a load test has to lift: the defaults are made for people (20 sends
 * a second per device, 20 logins a minute per IP), and one generator on
 * 127.0.0.1 is thousands of people.
 */
export const loadTestServerEnv: Record<string, string> = {
  PARLEY_LOG_LEVEL: 'info',
  PARLEY_SEND_RATE_PER_SECOND: '1000000',
  PARLEY_SEND_BURST: '1000000',
  PARLEY_AUTH_RATE_PER_MINUTE: '100000000',
  PARLEY_AUTH_BURST: '100000000',
  PARLEY_LINK_CODES_PER_MINUTE: '1000000',
  // Every load connection comes from 127.0.0.1 (or a few 127.0.0.x): per-address limits would refuse them.
  PARLEY_MAX_CONNECTIONS_PER_IP: '1000000',
  PARLEY_MAX_SOCKETS_PER_IP: '1000000',
  PARLEY_HANDSHAKES_PER_IP_PER_SECOND: '1000000',
  PARLEY_HANDSHAKE_BURST: '1000000',
  // No load balancer routes to this server: on SIGTERM there is no one to wait for.
  PARLEY_DRAIN_GRACE_MS: '0',
};

export async function startParleyTarget(options: ParleyTargetOptions): Promise<Target> {
  if (options.url !== undefined) {
    const { serverPid } = options;
    return { kind: 'parley', url: options.url, pid: serverPid, cpu: oneProcess(serverPid), stop: async () => {}, problems: () => [] };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  try {
    const server = await startChildServer({
      script: options.serverScript ?? defaultServerScript,
      args: ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
      env: { ...loadTestServerEnv, ...options.serverEnv },
      nodeArgs: options.nodeArgs,
      listeningMessage: 'parley is listening',
      cpu: options.cpu,
    });
    return {
      kind: 'parley',
      url: server.url,
      pid: server.pid,
      cpu: oneProcess(server.pid),
      problems: () => server.problems(),
      stop: async () => {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts a baseline relay in its own process; the ws + SQLite one on a file in a temporary dir, removed at the stop. */
export async function startRelayTarget(baseline: Baseline, cpu: number | undefined): Promise<Target> {
  const dataDir = baseline === 'ws-sqlite' ? mkdtempSync(join(tmpdir(), 'parley-bench-relay-')) : undefined;
  const removeDataDir = () => dataDir !== undefined && rmSync(dataDir, { recursive: true, force: true });
  try {
    const args = dataDir === undefined ? [] : ['--database', join(dataDir, 'relay.db')];
    const relay = await startChildServer({ script: relayScript, args, env: {}, listeningMessage: 'relay is listening', cpu });
    const stop = async () => {
      await relay.stop();
      removeDataDir();
    };
    return { kind: baseline, url: relay.url, pid: relay.pid, cpu: oneProcess(relay.pid), stop, problems: () => relay.problems() };
  } catch (error) {
    removeDataDir();
    throw error;
  }
}
