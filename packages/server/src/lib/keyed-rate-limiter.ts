import type { Clock } from '../clock/clock.js';
import { TokenBucket } from './token-bucket.js';

/**
 * One token bucket per key (a device, an IP address). Holds at most `keysMax`
 * buckets: when full it forgets buckets that have refilled, so an attacker
 * cycling keys cannot grow memory without bound.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly keysMax = 100_000,
  ) {}

  /** 0 when `key` may go ahead, else the milliseconds to wait. */
  take(key: string): number {
    const now = this.clock.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.keysMax) this.forgetFullBuckets(now);
      bucket = new TokenBucket(this.ratePerSecond, this.burst, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  private forgetFullBuckets(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key);
    // Every bucket still holds debt: drop the oldest half rather than grow.
    if (this.buckets.size >= this.keysMax) {
      let toDrop = Math.ceil(this.buckets.size / 2);
      for (const key of this.buckets.keys()) {
        if (toDrop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
