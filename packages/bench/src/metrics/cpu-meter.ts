import { apartProcesses, cpuSecondsBetween, cpuSecondsByPid, storageWriteBytesOf, type ApartProcess, type MeasuredProcesses } from '../process/measured-processes.js';
import { ioPressureSeconds, machineBusyCpuSeconds, ownCpuSeconds } from '../process/proc-stats.js';

/** CPU used over a span of wall time, as a fraction of one core (1 = one core fully busy). */
export interface CpuSpan {
  wallSeconds: number;
  serverSeconds: number | undefined;
  generatorSeconds: number;
  serverCores: number | undefined;
  generatorCores: number;
  /** Cores used by the processes read apart from the server (a cluster's PostgreSQL backends, HAProxy, NATS). */
  apartCores: Partial<Record<ApartProcess, number>>;
  /** Cores used by every other process of the machine; more than a little means the figures were disturbed. */
  otherCores: number;
  /** Share of the time some task waited on the disk (Linux PSI); undefined where the kernel does not tell. */
  ioPressure: number | undefined;
  /** Bytes the server processes sent to storage (its WAL, database and temporary files); undefined where not read. */
  serverStorageBytes?: number | undefined;
}

/** CPU seconds of each measured process at one instant. */
interface ProcessReading {
  server: Map<number, number>;
  serverStorageBytes: number | undefined;
  apart: Partial<Record<ApartProcess, Map<number, number>>>;
}

/**
 * Measures the server's and the generator's CPU between two points in time.
 * The server's comes from /proc/<pid>/stat (it is other processes: one
 * server, or the sum of a cluster's nodes), and so do the processes read
 * apart; the generator's from process.cpuUsage(). Without server processes
 * (a server driven by --url on which no pid was given) only the generator is
 * measured.
 */
export class CpuMeter {
  private wallStart = 0;
  private processStart: ProcessReading | undefined;
  private generatorStart = 0;
  private machineStart = 0;
  private ioStart: number | undefined;

  constructor(private readonly processes: MeasuredProcesses | undefined) {
    this.restart();
  }

  restart(): void {
    this.wallStart = performance.now();
    this.processStart = this.readProcesses();
    this.generatorStart = ownCpuSeconds();
    this.machineStart = machineBusyCpuSeconds();
    this.ioStart = ioPressureSeconds();
  }

  /** The CPU used since the last restart; `restart` too when `andRestart`. */
  read(andRestart = false): CpuSpan {
    const wallSeconds = (performance.now() - this.wallStart) / 1000;
    const processNow = this.readProcesses();
    const generatorNow = ownCpuSeconds();
    const machineNow = machineBusyCpuSeconds();
    const ioNow = ioPressureSeconds();
    const before = this.processStart;
    const serverSeconds = processNow === undefined || before === undefined ? undefined : cpuSecondsBetween(before.server, processNow.server);
    const apartSeconds = processNow === undefined || before === undefined ? {} : apartBetween(before, processNow);
    const apartTotal = Object.values(apartSeconds).reduce((sum, seconds) => sum + seconds, 0);
    const generatorSeconds = generatorNow - this.generatorStart;
    const perWall = (seconds: number) => (wallSeconds === 0 ? 0 : seconds / wallSeconds);
    const span: CpuSpan = {
      wallSeconds,
      serverSeconds,
      generatorSeconds,
      serverCores: serverSeconds === undefined || wallSeconds === 0 ? undefined : serverSeconds / wallSeconds,
      generatorCores: perWall(generatorSeconds),
      apartCores: Object.fromEntries(Object.entries(apartSeconds).map(([name, seconds]) => [name, perWall(seconds)])),
      ioPressure: ioNow === undefined || this.ioStart === undefined || wallSeconds === 0 ? undefined : (ioNow - this.ioStart) / wallSeconds,
      otherCores: perWall(Math.max(0, machineNow - this.machineStart - (serverSeconds ?? 0) - apartTotal - generatorSeconds)),
      serverStorageBytes: storageBytesBetween(before, processNow),
    };
    if (andRestart) {
      this.wallStart = performance.now();
      this.processStart = processNow;
      this.generatorStart = generatorNow;
      this.machineStart = machineNow;
      this.ioStart = ioNow;
    }
    return span;
  }

  private readProcesses(): ProcessReading | undefined {
    if (this.processes === undefined) return undefined;
    const apart: ProcessReading['apart'] = {};
    for (const name of apartProcesses) {
      const pids = this.processes.apart[name];
      if (pids !== undefined) apart[name] = cpuSecondsByPid(pids());
    }
    const server = this.processes.server();
    return { server: cpuSecondsByPid(server), serverStorageBytes: storageWriteBytesOf(server), apart };
  }
}

/** Only across one set of processes: a cluster node restarted in between starts its count again. */
function storageBytesBetween(before: ProcessReading | undefined, after: ProcessReading | undefined): number | undefined {
  const from = before?.serverStorageBytes;
  const to = after?.serverStorageBytes;
  return from === undefined || to === undefined || to < from ? undefined : to - from;
}

function apartBetween(before: ProcessReading, after: ProcessReading): Partial<Record<ApartProcess, number>> {
  const seconds: Partial<Record<ApartProcess, number>> = {};
  for (const name of apartProcesses) {
    const now = after.apart[name];
    if (now !== undefined) seconds[name] = cpuSecondsBetween(before.apart[name] ?? new Map(), now);
  }
  return seconds;
}

/** Above this share of one core the generator may itself be the limit, and the figures say so. */
export const generatorSaturatedCores = 0.85;

/** Other processes using more than this during a measurement disturbed it, and the result says so. */
export const otherProcessesBusyCores = 0.2;
