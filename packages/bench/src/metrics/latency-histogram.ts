import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';

/** Latencies are recorded in microseconds: 1 µs resolution, up to this bound. */
export const latencyMaxUs = 120_000_000;

export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** One bucket of the distribution: `count` samples at or below `upToMs` and above the previous bucket. */
export interface HistogramBucket {
  upToMs: number;
  count: number;
}

/**
 * An HDR histogram of latencies (3 significant digits, microsecond units).
 * HDR keeps the tail exact at any sample count, where averaging percentiles
 * of windows or keeping a sample would lie about p99.9.
 */
export class LatencyHistogram {
  // The pure-JS class (not WebAssembly) so the recorded values can be iterated for the chart.
  private readonly histogram: JsHistogram = new hdr.Int32Histogram(1, latencyMaxUs, 3);

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Records one latency; values past the bound count as the bound (never dropped, never a crash). */
  recordMs(latencyMs: number): void {
    const us = Math.round(latencyMs * 1000);
    this.histogram.recordValue(Math.min(Math.max(us, 1), latencyMaxUs));
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
  }

  reset(): void {
    this.histogram.reset();
  }

  percentileMs(percentile: number): number {
    return this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  summary(): LatencySummary {
    const h = this.histogram;
    const empty = h.totalCount === 0;
    return {
      count: h.totalCount,
      minMs: empty ? 0 : h.minNonZeroValue / 1000,
      meanMs: empty ? 0 : h.mean / 1000,
      p50Ms: this.percentileMs(50),
      p90Ms: this.percentileMs(90),
      p99Ms: this.percentileMs(99),
      p999Ms: this.percentileMs(99.9),
      maxMs: h.maxValue / 1000,
    };
  }

  /** The distribution in logarithmic buckets (×1.25 wide each), for the report's histogram chart. */
  buckets(): HistogramBucket[] {
    const counts = new Map<number, number>();
    const iterator = this.histogram.recordedValuesIterator;
    iterator.reset();
    while (iterator.hasNext()) {
      const value = iterator.next();
      const bucket = logBucketUpperUs(value.valueIteratedTo);
      counts.set(bucket, (counts.get(bucket) ?? 0) + value.countAtValueIteratedTo);
    }
    return [...counts.entries()].sort(([a], [b]) => a - b).map(([upToUs, count]) => ({ upToMs: upToUs / 1000, count }));
  }
}

/** The upper bound of the logarithmic bucket that holds `us`: 10 µs, then ×1.25 each step. */
function logBucketUpperUs(us: number): number {
  let upper = 10;
  while (upper < us) upper = Math.ceil(upper * 1.25);
  return upper;
}
