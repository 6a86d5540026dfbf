import { describe, expect, it } from 'vitest';
import type { IntervalPoint } from './run-recorder.js';
import { saturationOf, type SaturationInput } from './saturation.js';

/** `null` in the p50s: a second in which nothing was delivered (its empty histogram reads 0). */
function run(deliveredPerS: number, p50PerSecondMs: (number | null)[], unansweredAfterDrain = 0): SaturationInput {
  const series = p50PerSecondMs.map(
    (p50, index): IntervalPoint => ({
      atS: index + 1,
      deliveredPerS: p50 === null ? 0 : deliveredPerS,
      sentPerS: deliveredPerS,
      p50Ms: p50 ?? 0,
      p90Ms: p50 ?? 0,
      p99Ms: p50 ?? 0,
      p999Ms: p50 ?? 0,
      maxMs: p50 ?? 0,
      serverCores: undefined,
      generatorCores: 0,
    }),
  );
  return { deliveredPerS, series, unansweredAfterDrain };
}

const steady = [1.2, 1.1, 1.3, 1.2, 1.1, 1.2, 1.3, 1.2, 1.1];

describe('telling a saturated open-loop run', () => {
  it('finds a run that delivers what is offered at a steady latency not saturated', () => {
    expect(saturationOf(run(4_990, steady), 5_000)).toEqual({ saturated: false, reasons: [] });
  });

  it('finds a run that delivers less than offered saturated', () => {
    const saturation = saturationOf(run(4_500, steady), 5_000);
    expect(saturation.saturated).toBe(true);
    expect(saturation.reasons).toEqual(['delivered 4,500/s of 5,000/s offered']);
  });

  it('finds a run whose latency grows through the window saturated, though it delivers nearly all that is offered', () => {
    // The first performance pass at 5,000 msg/s: 4,940 delivered, p50 from 238 to 404 ms.
    const growing = [238, 250, 262, 275, 290, 310, 330, 350, 370, 380, 395, 404];
    const saturation = saturationOf(run(4_940, growing), 5_000);
    expect(saturation.saturated).toBe(true);
    expect(saturation.reasons).toEqual(['p50 grew from 256.0 to 387.5 ms during the run']);
  });

  it('does not take one slow second, or a millisecond of drift, for a growing queue', () => {
    expect(saturationOf(run(5_000, [1, 1, 1, 40, 1, 1, 1, 1, 1]), 5_000).saturated).toBe(false);
    expect(saturationOf(run(5_000, [1, 1, 1, 1.5, 1.8, 2, 2.2, 2.4, 2.5]), 5_000).saturated).toBe(false);
  });

  it('does not read a second without deliveries as a latency of 0', () => {
    expect(saturationOf(run(5_000, [null, null, null, 6, 6, 6, 6, 6, 6]), 5_000).saturated).toBe(false);
  });

  it('finds a run with sends unanswered after the drain saturated', () => {
    expect(saturationOf(run(5_000, steady, 12), 5_000).reasons).toEqual(['12 sends unanswered after the drain']);
  });
});
