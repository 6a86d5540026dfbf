import type { Baseline } from '../options.js';
import type { Figure } from './bench-result.js';
import type { NamedRun } from './chart-spec.js';
import { ratio } from './figures.js';

/** How one figure is read from a measured run; undefined where that run does not have it (no pid, a closed loop's saturation). */
export interface RunMetric {
  name: string;
  unit: string;
  read(run: NamedRun): number | string | undefined;
  /** False for counts, where Parley ÷ baseline means nothing (errors, duplicates). */
  comparable?: boolean;
}

/**
 * Every metric as one figure: Parley's value, and beside it each baseline's
 * from the same run with Parley's ratio to it. A metric Parley's run lacks is
 * left out.
 */
export function comparedFigures(metrics: RunMetric[], parley: NamedRun, baselineRuns: NamedRun[]): Figure[] {
  const figures: Figure[] = [];
  for (const metric of metrics) {
    const value = metric.read(parley);
    if (value === undefined) continue;
    const baselines = baselineRuns.flatMap((run) => {
      const baselineValue = metric.read(run);
      if (baselineValue === undefined || run.target === 'parley') return [];
      const quotient =
        metric.comparable === false || typeof value !== 'number' || typeof baselineValue !== 'number' ? undefined : ratio(value, baselineValue);
      return [{ baseline: run.target as Baseline, value: baselineValue, ...(quotient === undefined ? {} : { ratio: quotient }) }];
    });
    figures.push({ name: metric.name, value, unit: metric.unit, ...(baselines.length === 0 ? {} : { baselines }) });
  }
  return figures;
}
