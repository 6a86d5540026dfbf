import { describe, expect, it } from 'vitest';
import { OpenLoopScheduler } from './open-loop-scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the open-loop scheduler', () => {
  it('hands out sends at the offered rate', async () => {
    const dueTimes: number[] = [];
    const scheduler = new OpenLoopScheduler({ ratePerSecond: 2_000, onDue: (dueMs) => dueTimes.push(dueMs) });
    const startMs = performance.now();
    scheduler.start(startMs);
    await sleep(500);
    scheduler.stop();
    const elapsedMs = performance.now() - startMs;
    // Every send due by now went out (timers may wake late, never early).
    expect(dueTimes.length).toBeGreaterThanOrEqual(Math.floor(0.9 * elapsedMs * 2));
    expect(dueTimes.length).toBeLessThanOrEqual(Math.ceil(elapsedMs * 2) + 1);
  });

  it('puts send i at start + i / rate, whatever the timers did', async () => {
    const dueTimes: number[] = [];
    const scheduler = new OpenLoopScheduler({ ratePerSecond: 1_000, onDue: (dueMs) => dueTimes.push(dueMs) });
    scheduler.start(1_000_000 + performance.now() - 1_000_000);
    await sleep(100);
    scheduler.stop();
    const first = dueTimes[0] ?? 0;
    dueTimes.forEach((dueMs, index) => expect(dueMs - first).toBeCloseTo(index, 6));
  });

  it('does not lower the rate when the event loop stalls: the late sends go out at once with their original due times', async () => {
    const dueTimes: number[] = [];
    const scheduler = new OpenLoopScheduler({ ratePerSecond: 1_000, onDue: (dueMs) => dueTimes.push(dueMs) });
    scheduler.start();
    await sleep(20);
    const blockUntil = performance.now() + 100;
    while (performance.now() < blockUntil) {
      // A busy generator (or a GC pause): no timer can fire.
    }
    await sleep(20);
    scheduler.stop();
    expect(scheduler.maxLagMs).toBeGreaterThanOrEqual(90);
    expect(dueTimes.length).toBeGreaterThanOrEqual(130);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new OpenLoopScheduler({ ratePerSecond: 0, onDue: () => {} })).toThrow(/positive/);
  });
});
