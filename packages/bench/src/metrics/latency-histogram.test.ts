import { describe, expect, it } from 'vitest';
import { LatencyHistogram, latencyMaxUs } from './latency-histogram.js';

describe('the latency histogram', () => {
  it('gives the percentiles of a known distribution within HDR precision', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1_000; ms++) histogram.recordMs(ms);
    const summary = histogram.summary();
    expect(summary.count).toBe(1_000);
    // Three significant digits: each value within 0.1%.
    expect(summary.p50Ms).toBeCloseTo(500, -0.3);
    expect(summary.p90Ms).toBeCloseTo(900, -0.3);
    expect(summary.p99Ms).toBeCloseTo(990, -0.3);
    expect(summary.p999Ms).toBeCloseTo(999, -0.3);
    expect(summary.maxMs).toBeCloseTo(1_000, -0.3);
    expect(summary.minMs).toBeCloseTo(1, 2);
  });

  it('keeps a rare slow sample in the tail: p99.9 of 999 fast and 1 slow is the slow one', () => {
    const histogram = new LatencyHistogram();
    for (let index = 0; index < 999; index++) histogram.recordMs(1);
    histogram.recordMs(250);
    expect(histogram.percentileMs(99)).toBeCloseTo(1, 2);
    expect(histogram.percentileMs(100)).toBeCloseTo(250, 0);
    expect(histogram.summary().p999Ms).toBeCloseTo(1, 2);
    histogram.recordMs(250);
    expect(histogram.summary().p999Ms).toBeCloseTo(250, 0);
  });

  it('records sub-millisecond latencies to the microsecond', () => {
    const histogram = new LatencyHistogram();
    histogram.recordMs(0.123);
    expect(histogram.percentileMs(50)).toBeCloseTo(0.123, 4);
  });

  it('counts values past its bound as the bound instead of failing', () => {
    const histogram = new LatencyHistogram();
    histogram.recordMs(10 * latencyMaxUs);
    histogram.recordMs(-5);
    expect(histogram.count).toBe(2);
    expect(histogram.summary().maxMs).toBeCloseTo(latencyMaxUs / 1000, -2);
  });

  it('splits the distribution into buckets that add up to the sample count', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 0.05; ms < 50; ms *= 1.1) histogram.recordMs(ms);
    const buckets = histogram.buckets();
    expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(histogram.count);
    expect(buckets.map((bucket) => bucket.upToMs)).toEqual([...buckets.map((bucket) => bucket.upToMs)].sort((a, b) => a - b));
  });
});
