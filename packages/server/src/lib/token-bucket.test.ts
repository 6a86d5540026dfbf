import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst and then asks to wait until a token is refilled', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(500);
    expect(bucket.take(499)).toBe(2);
    expect(bucket.take(500)).toBe(0);
  });

  it('never holds more than its burst', () => {
    const bucket = new TokenBucket(10, 2, 0);
    expect(bucket.isFull(60_000)).toBe(true);
    expect([bucket.take(60_000), bucket.take(60_000)]).toEqual([0, 0]);
    expect(bucket.take(60_000)).toBeGreaterThan(0);
  });
});
