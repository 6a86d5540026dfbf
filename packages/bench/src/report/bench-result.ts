import type { Baseline, BenchOptions } from '../options.js';
import type { MachineInfo } from '../process/machine-info.js';
import type { ChartSpec, NamedRun } from './chart-spec.js';

export interface SetupFigures {
  seconds: number;
  users: number;
  devices: number;
  conversations: number;
}

/**
 * A headline figure: what it is, Parley's value and unit, the same figure on
 * each baseline measured in the same run, and the target it is held to if any.
 */
export interface Figure {
  name: string;
  value: number | string;
  unit: string;
  baselines?: BaselineFigure[];
  target?: string;
  /** Undefined when the figure has no target, or its target could not be judged (a baseline it is stated against did not run). */
  met?: boolean;
  /** The heading it is listed under, when a report has several (the rows of the hot-path table). */
  section?: string;
}

/** One baseline's value of a figure, and Parley's value divided by it (undefined for text, or a zero). */
export interface BaselineFigure {
  baseline: Baseline;
  value: number | string;
  ratio?: number;
}

/** Everything one `parley-bench` invocation measured; written as JSON and rendered as HTML. */
export interface BenchResult {
  scenario: string;
  startedAt: string;
  command: string;
  machine: MachineInfo;
  options: BenchOptions;
  setup: SetupFigures | undefined;
  figures: Figure[];
  runs: NamedRun[];
  charts: ChartSpec[];
  warnings: string[];
  /** Scenario-specific details (per-step results of a ramp, SDK check outcome, …). */
  details: Record<string, unknown>;
}
