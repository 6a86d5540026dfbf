import { processRssBytes } from '../process/proc-stats.js';

export interface MemoryPoint {
  atS: number;
  connections: number;
  rssMiB: number | null;
}

export const toMiB = (bytes: number | undefined) => (bytes === undefined ? null : Math.round(bytes / 1024 / 102.4) / 10);

/** Samples a process's VmRSS and a connection count every `intervalMs`, for the memory chart. */
export class MemorySampler {
  readonly points: MemoryPoint[] = [];
  connections = 0;
  private readonly startedMs = performance.now();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly pid: number | undefined,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  rssBytes(): number | undefined {
    return this.pid === undefined ? undefined : processRssBytes(this.pid);
  }

  sample(): number | undefined {
    const rss = this.rssBytes();
    this.points.push({ atS: (performance.now() - this.startedMs) / 1000, connections: this.connections, rssMiB: toMiB(rss) });
    return rss;
  }

  /** Takes a last sample and stops; returns that sample's RSS. */
  stop(): number | undefined {
    clearInterval(this.timer);
    return this.sample();
  }
}
