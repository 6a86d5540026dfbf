import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicksPerSecond: number | undefined;

/** `getconf CLK_TCK`, asked once: /proc reports CPU time in these ticks (100 on every common Linux). */
function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/**
 * User plus system CPU seconds a process has used, from /proc/<pid>/stat.
 * The command name (field 2) may contain spaces, so fields are counted from
 * the closing parenthesis; utime and stime are fields 14 and 15.
 */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / ticksPerSecond();
}

/**
 * Bytes a process has sent to storage, less those it cancelled (pages of a
 * file truncated or removed before they were written back), from
 * /proc/<pid>/io; undefined where that cannot be read.
 */
export function processStorageWriteBytes(pid: number): number | undefined {
  let io: string;
  try {
    io = readFileSync(`/proc/${pid}/io`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? Number.NaN);
  const bytes = field('write_bytes') - field('cancelled_write_bytes');
  return Number.isFinite(bytes) ? bytes : undefined;
}

/** Resident memory of a process in bytes, from the VmRSS line of /proc/<pid>/status. */
export function processRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** This process's own CPU seconds (user plus system), without a /proc read. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/**
 * CPU seconds every process on the machine has used (the busy fields of the
 * first line of /proc/stat: all but idle and iowait). Minus the server's and
 * the generator's, it tells whether something else was running during a
 * measurement, which would make its figures worth less.
 */
export function machineBusyCpuSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return (user + nice + system + irq + softirq + steal) / ticksPerSecond();
}

/**
 * The kernel's count of connections dropped because a listen queue was full
 * (TcpExt ListenOverflows in /proc/net/netstat, machine-wide). When many
 * clients connect at once and the server accepts too slowly, their SYNs are
 * dropped and retried after 1, 3, 7, 15… seconds: this count says so.
 */
export function listenOverflows(): number | undefined {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const names = lines.find((line) => line.startsWith('TcpExt:'))?.split(/\s+/) ?? [];
    const values = lines.filter((line) => line.startsWith('TcpExt:'))[1]?.split(/\s+/) ?? [];
    const index = names.indexOf('ListenOverflows');
    return index < 0 ? undefined : Number(values[index]);
  } catch {
    return undefined; // Not Linux: the figure is left out.
  }
}

/**
 * Seconds in which at least one task of the machine waited on I/O (the
 * `some total` of /proc/pressure/io, in µs). Its growth over a measurement,
 * per second of wall time, says how much of the time the disk held someone
 * up: the server's own fsyncs, or another process's I/O slowing them down.
 */
export function ioPressureSeconds(): number | undefined {
  try {
    const match = /^some .*total=(\d+)$/m.exec(readFileSync('/proc/pressure/io', 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1e6;
  } catch {
    return undefined; // No pressure stall information (old kernel, not Linux): the figure is left out.
  }
}
