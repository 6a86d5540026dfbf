import { describe, expect, it } from 'vitest';
import { gcBetween, gcTotalsOf } from './server-gc.js';

const exposition = `# HELP parley_process_nodejs_gc_duration_seconds Garbage collection duration by kind, one of major, minor, incremental or weakcb.
# TYPE parley_process_nodejs_gc_duration_seconds histogram
parley_process_nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 3
parley_process_nodejs_gc_duration_seconds_sum{kind="minor"} 0.25
parley_process_nodejs_gc_duration_seconds_count{kind="minor"} 40
parley_process_nodejs_gc_duration_seconds_sum{kind="major"} 0.05
parley_process_nodejs_gc_duration_seconds_count{kind="major"} 2
parley_process_cpu_seconds_total 12`;

describe('the server GC reading', () => {
  it('adds up the pauses of every kind from the histogram’s sums and counts, not its buckets', () => {
    const totals = gcTotalsOf(exposition);
    expect(totals?.pauses).toBe(42);
    expect(totals?.pauseSeconds).toBeCloseTo(0.3, 9);
  });

  it('says nothing for an exposition without the histogram', () => {
    expect(gcTotalsOf('parley_process_cpu_seconds_total 12\n')).toBeUndefined();
  });

  it('gives the pauses of a window per second of it, and nothing when a reading is missing', () => {
    expect(gcBetween({ pauseSeconds: 1, pauses: 10 }, { pauseSeconds: 1.5, pauses: 110 }, 20)).toEqual({ pauseMsPerSecond: 25, pausesPerSecond: 5 });
    expect(gcBetween(undefined, { pauseSeconds: 1, pauses: 1 }, 20)).toBeUndefined();
  });
});
