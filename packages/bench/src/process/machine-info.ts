import { cpus } from 'node:os';
import { readFileSync } from 'node:fs';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  nodeVersion: string;
  platform: string;
}

/** What the figures were measured on, from /proc/cpuinfo and the running Node. */
export function machineInfo(): MachineInfo {
  let cpuModel = 'unknown';
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1] !== undefined) cpuModel = match[1].trim();
  } catch {
    // Not Linux: the model stays unknown, the other figures still stand.
  }
  // cpus(), not availableParallelism(): the generator may be pinned to one CPU, the machine still has them all.
  return { cores: cpus().length, cpuModel, nodeVersion: process.version, platform: `${process.platform} ${process.arch}` };
}
