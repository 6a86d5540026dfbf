import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Baseline } from '../options.js';
import { startChildServer } from './child-server.js';

export type TargetKind = 'parley' | Baseline;

/** How reports name each target. */
export const targetLabels: Record<TargetKind, string> = { parley: 'parley', ws: 'bare ws relay', 'ws-sqlite': 'ws + SQLite relay' };

/** What a load runs against: a Parley server or one of the baseline relays. */
export interface Target {
  kind: TargetKind;
  url: string;
  /** The server's process id, for its CPU and memory; undefined for a --url server without --server-pid. */
  pid: number | undefined;
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
const loadTestServerEnv: Record<string, string> = {
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
    return { kind: 'parley', url: options.url, pid: options.serverPid, stop: async () => {}, problems: () => [] };
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
    return { kind: baseline, url: relay.url, pid: relay.pid, stop, problems: () => relay.problems() };
  } catch (error) {
    removeDataDir();
    throw error;
  }
}
