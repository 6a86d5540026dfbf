import type { Clock } from '../clock/clock.js';

interface Failures {
  count: number;
  lastAtMs: number;
}

const maxDelayMs = 15 * 60 * 1000;
const keysMax = 100_000;

/**
 * Slows password guessing: after `freeFailures` failed logins to one account,
 * or from one address, each further attempt must wait twice as long as the one
 * before (1 s, 2 s, 4 s … up to 15 min) after the last failure. A success
 * clears the account's count. Per node: in a cluster each node throttles on
 * its own, which bounds guessing by the number of nodes.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly clock: Clock,
    private readonly freeFailures: number,
  ) {}

  /** Milliseconds to wait before another attempt with these keys, 0 when allowed. */
  waitMs(keys: string[]): number {
    const now = this.clock.now();
    return Math.max(0, ...keys.map((key) => this.waitFor(key, now)));
  }

  recordFailure(keys: string[]): void {
    const now = this.clock.now();
    if (this.failures.size >= keysMax) this.forgetOldest();
    for (const key of keys) {
      const previous = this.failures.get(key);
      this.failures.set(key, { count: (previous?.count ?? 0) + 1, lastAtMs: now });
    }
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }

  private waitFor(key: string, now: number): number {
    const failures = this.failures.get(key);
    if (failures === undefined || failures.count < this.freeFailures) return 0;
    const delayMs = Math.min(maxDelayMs, 1000 * 2 ** (failures.count - this.freeFailures));
    return Math.max(0, failures.lastAtMs + delayMs - now);
  }

  private forgetOldest(): void {
    let toDrop = Math.ceil(this.failures.size / 2);
    for (const key of this.failures.keys()) {
      if (toDrop-- <= 0) break;
      this.failures.delete(key);
    }
  }
}
