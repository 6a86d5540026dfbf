import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retry-after.js';
import { retryAfterMaxMs, retryDelayMinMs, retryDelayMs } from './retry-delay.js';

const policy = { retryBaseMs: 1_000, retryMaxMs: 60_000 };

describe('retry delays', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });

  it("honours the service's Retry-After within bounds", () => {
    expect(retryDelayMs(policy, 1, 5_000, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(policy, 1, 0, () => 0.5)).toBe(retryDelayMinMs);
    expect(retryDelayMs(policy, 1, 10 * retryAfterMaxMs, () => 0.5)).toBe(retryAfterMaxMs);
  });

  it('backs off exponentially with jitter in the upper half, up to the maximum', () => {
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(1_000);
    expect(retryDelayMs(policy, 3, undefined, () => 0)).toBe(2_000);
    expect(retryDelayMs(policy, 3, undefined, () => 1)).toBe(4_000);
    expect(retryDelayMs(policy, 30, undefined, () => 1)).toBe(60_000);
  });
});
