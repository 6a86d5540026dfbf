import { ioPressureSeconds, machineBusyCpuSeconds, ownCpuSeconds, processCpuSeconds } from '../process/proc-stats.js';

/** CPU used over a span of wall time, as a fraction of one core (1 = one core fully busy). */
export interface CpuSpan {
  wallSeconds: number;
  serverSeconds: number | undefined;
  generatorSeconds: number;
  serverCores: number | undefined;
  generatorCores: number;
  /** Cores used by every other process of the machine; more than a little means the figures were disturbed. */
  otherCores: number;
  /** Share of the time some task waited on the disk (Linux PSI); undefined where the kernel does not tell. */
  ioPressure: number | undefined;
}

/**
 * Measures the server's and the generator's CPU between two points in time.
 * The server's comes from /proc/<pid>/stat (it is another process); the
 * generator's from process.cpuUsage(). Without a server pid (a server
 * driven by --url on which no pid was given) only the generator is measured.
 */
export class CpuMeter {
  private wallStart = 0;
  private serverStart: number | undefined;
  private generatorStart = 0;
  private machineStart = 0;
  private ioStart: number | undefined;

  constructor(private readonly serverPid: number | undefined) {
    this.restart();
  }

  restart(): void {
    this.wallStart = performance.now();
    this.serverStart = this.readServer();
    this.generatorStart = ownCpuSeconds();
    this.machineStart = machineBusyCpuSeconds();
    this.ioStart = ioPressureSeconds();
  }

  /** The CPU used since the last restart; `restart` too when `andRestart`. */
  read(andRestart = false): CpuSpan {
    const wallSeconds = (performance.now() - this.wallStart) / 1000;
    const serverNow = this.readServer();
    const generatorNow = ownCpuSeconds();
    const machineNow = machineBusyCpuSeconds();
    const ioNow = ioPressureSeconds();
    const serverSeconds = serverNow === undefined || this.serverStart === undefined ? undefined : serverNow - this.serverStart;
    const generatorSeconds = generatorNow - this.generatorStart;
    const span: CpuSpan = {
      wallSeconds,
      serverSeconds,
      generatorSeconds,
      serverCores: serverSeconds === undefined || wallSeconds === 0 ? undefined : serverSeconds / wallSeconds,
      generatorCores: wallSeconds === 0 ? 0 : generatorSeconds / wallSeconds,
      ioPressure: ioNow === undefined || this.ioStart === undefined || wallSeconds === 0 ? undefined : (ioNow - this.ioStart) / wallSeconds,
      otherCores: wallSeconds === 0 ? 0 : Math.max(0, machineNow - this.machineStart - (serverSeconds ?? 0) - generatorSeconds) / wallSeconds,
    };
    if (andRestart) {
      this.wallStart = performance.now();
      this.serverStart = serverNow;
      this.generatorStart = generatorNow;
      this.machineStart = machineNow;
      this.ioStart = ioNow;
    }
    return span;
  }

  private readServer(): number | undefined {
    return this.serverPid === undefined ? undefined : processCpuSeconds(this.serverPid);
  }
}

/** Above this share of one core the generator may itself be the limit, and the figures say so. */
export const generatorSaturatedCores = 0.85;

/** Other processes using more than this during a measurement disturbed it, and the result says so. */
export const otherProcessesBusyCores = 0.2;
