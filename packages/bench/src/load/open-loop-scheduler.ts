export interface OpenLoopOptions {
  ratePerSecond: number;
  /** Called once for every send that is due, with the time it was due (performance.now() clock). */
  onDue: (scheduledMs: number, index: number) => void;
  /** Time between wake-ups; sends that fell due in between go out together. */
  tickMs?: number;
}

/**
 * Sends on a fixed timetable: send i is due at start + i / rate, whatever
 * happened to earlier sends. Latency is measured from that due time, not
 * from when the send went out, so a stalled server (or generator) shows up
 * as latency instead of silently lowering the offered rate: the
 * "coordinated omission" a closed loop suffers from.
 */
export class OpenLoopScheduler {
  private readonly intervalMs: number;
  private startMs = 0;
  private index = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  /** The largest delay between a send's due time and when it went out, in ms. */
  maxLagMs = 0;

  constructor(private readonly options: OpenLoopOptions) {
    if (!(options.ratePerSecond > 0)) throw new Error(`the offered rate must be positive, not ${options.ratePerSecond}`);
    this.intervalMs = 1000 / options.ratePerSecond;
  }

  /** Sends handed out so far. */
  get sent(): number {
    return this.index;
  }

  start(startMs = performance.now()): void {
    this.startMs = startMs;
    this.index = 0;
    this.running = true;
    this.wake();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wake(): void {
    if (!this.running) return;
    const now = performance.now();
    for (;;) {
      // Due times come from the index, not by adding intervals up, so rounding never drifts.
      const dueMs = this.startMs + this.index * this.intervalMs;
      if (dueMs > now) break;
      this.maxLagMs = Math.max(this.maxLagMs, now - dueMs);
      this.options.onDue(dueMs, this.index++);
      if (!this.running) return;
    }
    const nextDueMs = this.startMs + this.index * this.intervalMs;
    const waitMs = Math.max(0, Math.min(this.options.tickMs ?? 1, nextDueMs - now));
    this.timer = setTimeout(() => this.wake(), waitMs);
  }
}
