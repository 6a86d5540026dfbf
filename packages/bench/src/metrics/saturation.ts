import type { RunMeasurement } from './run-recorder.js';

/** What an open-loop run needs to be judged: its rates, its per-second latencies, and the sends never answered. */
export type SaturationInput = Pick<RunMeasurement, 'deliveredPerS' | 'series'> & { unansweredAfterDrain: number };

export interface Saturation {
  saturated: boolean;
  /** Why, in words, empty when not saturated. */
  reasons: string[];
}

/** Below this share of the offered deliveries a run did not keep up (the window's edges move a run by well under 1%). */
export const deliveredShareMin = 0.98;
/** The median p50 of the last third of the window may exceed the first third's by this much before the run counts as a growing queue… */
const latencyGrowthMinMs = 5;
/** …and by this share of the first third's, so a slow but steady server is not called saturated. */
const latencyGrowthMinShare = 0.5;

/**
 * Whether an open-loop run kept up with its offer. A server that cannot
 * does one of three things: it delivers less than offered, its queue (and
 * so its latency) grows through the run, or sends are still unanswered after
 * the drain. Latencies measured then are a backlog's, not a message's path,
 * and the report says so.
 */
export function saturationOf(run: SaturationInput, offeredDeliveriesPerS: number): Saturation {
  const reasons: string[] = [];
  if (run.deliveredPerS < deliveredShareMin * offeredDeliveriesPerS) {
    reasons.push(`delivered ${wholeNumber(run.deliveredPerS)}/s of ${wholeNumber(offeredDeliveriesPerS)}/s offered`);
  }
  // A second without deliveries has no latency to compare (its empty histogram says 0): a stall shows in the p99 instead.
  const growth = p50Growth(run.series.filter((point) => point.deliveredPerS > 0).map((point) => point.p50Ms));
  if (growth !== undefined && growth.lastMs - growth.firstMs > Math.max(latencyGrowthMinMs, latencyGrowthMinShare * growth.firstMs)) {
    reasons.push(`p50 grew from ${growth.firstMs.toFixed(1)} to ${growth.lastMs.toFixed(1)} ms during the run`);
  }
  if (run.unansweredAfterDrain > 0) reasons.push(`${run.unansweredAfterDrain} sends unanswered after the drain`);
  return { saturated: reasons.length > 0, reasons };
}

/** Median per-second p50 of the first and of the last third of the window; undefined with fewer than 3 seconds of deliveries. */
function p50Growth(p50s: number[]): { firstMs: number; lastMs: number } | undefined {
  if (p50s.length < 3) return undefined;
  const third = Math.floor(p50s.length / 3);
  return { firstMs: median(p50s.slice(0, third)), lastMs: median(p50s.slice(-third)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const wholeNumber = (value: number) => Math.round(value).toLocaleString('en-US');
