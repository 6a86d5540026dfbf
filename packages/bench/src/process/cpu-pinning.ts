import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** True when `taskset` works here (Linux with util-linux) and there are two CPUs to split. */
export function canPin(): boolean {
  return availableParallelism() >= 2 && spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0;
}

/** Pins this process (every thread of it) to one CPU, so the server's CPU is its own. */
export function pinSelf(cpu: number): boolean {
  return pinProcess(process.pid, cpu);
}

/** Pins another process (every thread of it) to one CPU; false when taskset refuses (not ours, or gone). */
export function pinProcess(pid: number, cpu: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
}
