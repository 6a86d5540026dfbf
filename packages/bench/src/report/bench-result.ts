import type { BenchOptions } from '../options.js';
import type { MachineInfo } from '../process/machine-info.js';
import type { ChartSpec, NamedRun } from './chart-spec.js';

export interface SetupFigures {
  seconds: number;
  users: number;
  devices: number;
  conversations: number;
}

/** A headline figure: what it is, its value and unit, and the target it is held to if any. */
export interface Figure {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  /** Undefined when the figure has no target. */
  met?: boolean;
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
