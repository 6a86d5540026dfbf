import { readdirSync, readFileSync } from 'node:fs';
import { processCpuSeconds, processStorageWriteBytes } from './proc-stats.js';

/** Processes a cluster run reads the CPU of apart from the nodes': part of the cost of a message, not the server's own. */
export const apartProcesses = ['postgresBackends', 'postgresBackground', 'haproxy', 'nats'] as const;
export type ApartProcess = (typeof apartProcesses)[number];

/**
 * The processes whose CPU a run reads: the server's, summed (one process, or
 * every node of a cluster), and others reported apart. Lists are functions,
 * asked at every read: PostgreSQL starts a backend for each connection a
 * node's pool opens, whenever it opens it.
 */
export interface MeasuredProcesses {
  server: () => number[];
  apart: Partial<Record<ApartProcess, () => number[]>>;
}

/** One server process, nothing apart; undefined without a pid (a --url server without --server-pid). */
export function oneProcess(pid: number | undefined): MeasuredProcesses | undefined {
  return pid === undefined ? undefined : { server: () => [pid], apart: {} };
}

/** CPU seconds of each of `pids` still running; one that has exited is left out (its last CPU is lost with it). */
export function cpuSecondsByPid(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      seconds.set(pid, processCpuSeconds(pid));
    } catch {
      // Exited between the listing and the read: a PostgreSQL backend whose connection closed.
    }
  }
  return seconds;
}

/** Bytes `pids` have sent to storage, summed; undefined when one of them cannot tell. */
export function storageWriteBytesOf(pids: number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    const bytes = processStorageWriteBytes(pid);
    if (bytes === undefined) return undefined;
    total += bytes;
  }
  return total;
}

/** CPU used between two readings; a process that appeared in between counts with all its CPU (it started in the span). */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/**
 * The PostgreSQL backends serving one database, found by their process title
 * (`postgres: <cluster>: <user> <database> <client> <state>`), read from
 * /proc: no query, so reading them costs PostgreSQL nothing.
 */
export function postgresBackendPids(databaseName: string): number[] {
  return pidsWhoseTitle((title) => title.startsWith('postgres: ') && title.split(' ').includes(databaseName));
}

/**
 * PostgreSQL's own processes (WAL writer, checkpointer, background writer…):
 * shared by every database of the server, so what they use during a run is
 * ours only when nothing else writes.
 */
export function postgresBackgroundPids(): number[] {
  return pidsWhoseTitle((title) => /^postgres: (?:[^:]+: )?(?:walwriter|checkpointer|background writer|autovacuum)/.test(title));
}

/** The NATS servers of this machine (shared with whatever else uses them). */
export function natsServerPids(): number[] {
  return pidsWhoseTitle((title) => /(?:^|\/)nats-server(?: |$)/.test(title));
}

/** Pids whose command line, arguments joined by spaces, passes `test`; Linux only (elsewhere: none). */
export function pidsWhoseTitle(test: (title: string) => boolean): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      if (test(title)) pids.push(Number(entry));
    } catch {
      // Exited while listed.
    }
  }
  return pids;
}
