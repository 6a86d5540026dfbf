import type { ProgressLine } from '../metrics/progress-line.js';
import type { BenchOptions } from '../options.js';
import type { Figure, SetupFigures } from '../report/bench-result.js';
import type { ChartSpec, NamedRun } from '../report/chart-spec.js';

/** What every scenario gets: the options, the progress line, and where to leave warnings. */
export interface BenchContext {
  options: BenchOptions;
  progress: ProgressLine;
  warnings: string[];
  /** CPU the servers are pinned to, when --pin. */
  serverCpu: number | undefined;
}

/** What a scenario hands back to be written as the result. */
export interface ScenarioOutcome {
  setup?: SetupFigures;
  figures: Figure[];
  runs: NamedRun[];
  charts: ChartSpec[];
  details: Record<string, unknown>;
}

export const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;
