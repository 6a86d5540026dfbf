import type { Clock, TimerHandle } from './clock.js';

interface PendingTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/** A clock that moves only when a test calls `advance`. */
export class FakeClock implements Clock {
  private current: number;
  private pending: PendingTimer[] = [];
  private nextId = 1;
  private stepped = 0;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, callback: () => void): TimerHandle {
    const timer = { id: this.nextId++, dueAt: this.current + Math.max(0, delayMs), callback };
    this.pending.push(timer);
    return { id: timer.id };
  }

  cancel(handle: TimerHandle): void {
    this.pending = this.pending.filter((timer) => timer.id !== handle.id);
  }

  steppedMs(): number {
    return this.stepped;
  }

  /** Steps the wall clock by `ms` (either way), as NTP or an operator would: timers, which run on monotonic time, do not move. */
  step(ms: number): void {
    this.current += ms;
    this.stepped += ms;
  }

  /** Moves time forward, running every timer that falls due, in due order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.pending.filter((timer) => timer.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (due === undefined) break;
      this.pending = this.pending.filter((timer) => timer !== due);
      this.current = due.dueAt;
      due.callback();
    }
    this.current = target;
  }
}
