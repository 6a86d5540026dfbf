import { describe, expect, it } from 'vitest';
import { loginWaitMaxMs, loginWaitMs } from './login-throttle-rule.js';

describe('login throttle rule', () => {
  it('lets the free failures through without a wait', () => {
    expect(loginWaitMs(undefined, 3, 1_000)).toBe(0);
    expect(loginWaitMs({ count: 2, lastAtMs: 1_000 }, 3, 1_000)).toBe(0);
  });

  it('doubles the wait with each failure past the free ones, counted from the last failure', () => {
    expect(loginWaitMs({ count: 3, lastAtMs: 1_000 }, 3, 1_000)).toBe(1_000);
    expect(loginWaitMs({ count: 4, lastAtMs: 1_000 }, 3, 1_500)).toBe(1_500);
    expect(loginWaitMs({ count: 5, lastAtMs: 1_000 }, 3, 5_000)).toBe(0);
  });

  it('never asks for more than 15 minutes', () => {
    expect(loginWaitMs({ count: 60, lastAtMs: 0 }, 3, 0)).toBe(loginWaitMaxMs);
  });
});
