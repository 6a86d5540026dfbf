/**
 * Time as the server sees it. Injected everywhere time matters (timeouts, rate
 * limits, timestamps) so tests can control it with `FakeClock`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`. Returns a handle for `cancel`. */
  schedule(delayMs: number, callback: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
  /**
   * How far the wall clock has been stepped since this clock was made (by
   * NTP, an operator, a resumed VM): wall time elapsed minus monotonic time
   * elapsed. Near 0 while the clock runs normally.
   */
  steppedMs(): number;
}

export interface TimerHandle {
  readonly id: number;
}

export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;
  private readonly wallAtStart = Date.now();
  private readonly monotonicAtStart = performance.now();

  now(): number {
    return Date.now();
  }

  steppedMs(): number {
    return Date.now() - this.wallAtStart - (performance.now() - this.monotonicAtStart);
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      callback();
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
    return { id };
  }

  cancel(handle: TimerHandle): void {
    const timer = this.timers.get(handle.id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(handle.id);
  }
}
