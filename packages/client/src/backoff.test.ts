import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.js';

describe('reconnectDelayMs', () => {
  it('starts with a window of 250 ms and doubles it with each attempt', () => {
    const almostOne = () => 0.999_999;
    expect(reconnectDelayMs(0, almostOne)).toBe(249);
    expect(reconnectDelayMs(1, almostOne)).toBe(499);
    expect(reconnectDelayMs(4, almostOne)).toBe(3_999);
  });

  it('never waits longer than 30 s, however many attempts failed', () => {
    for (const attempt of [7, 8, 20, 1_000, Number.MAX_SAFE_INTEGER]) {
      expect(reconnectDelayMs(attempt, () => 0.999_999)).toBeLessThan(30_000);
    }
  });

  it('never waits longer than a lower cap given by an interactive client', () => {
    expect(reconnectDelayMs(1_000, () => 0.999_999, 5_000)).toBe(4_999);
    expect(reconnectDelayMs(2, () => 0.999_999, 5_000)).toBe(999);
  });

  it('uses full jitter: any delay from zero up to the window', () => {
    expect(reconnectDelayMs(5, () => 0)).toBe(0);
    expect(reconnectDelayMs(5, () => 0.5)).toBe(4_000);
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const delayMs = reconnectDelayMs(attempt, Math.random);
      expect(delayMs).toBeGreaterThanOrEqual(0);
      expect(delayMs).toBeLessThan(Math.min(30_000, 250 * 2 ** attempt));
    }
  });
});
