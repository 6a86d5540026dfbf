import { ProgressLine } from './metrics/progress-line.js';
import type { BenchOptions } from './options.js';
import { canPin, pinSelf } from './process/cpu-pinning.js';
import { machineInfo } from './process/machine-info.js';
import type { BenchResult } from './report/bench-result.js';
import type { BenchContext, ScenarioOutcome } from './scenarios/bench-context.js';
import { runConnections } from './scenarios/connections-scenario.js';
import { runDirect } from './scenarios/direct-scenario.js';
import { runGroup } from './scenarios/group-scenario.js';
import { runHotPath } from './scenarios/hot-path-scenario.js';
import { runRamp } from './scenarios/ramp-scenario.js';
import { runStorm } from './scenarios/storm-scenario.js';
import { runStore } from './scenarios/store-scenario.js';

/** Runs one scenario and returns its result, ready to be written. */
export async function runBench(options: BenchOptions, command: string): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const warnings: string[] = [];
  let serverCpu: number | undefined;
  if (options.pin) {
    // Server on CPU 0, generator on CPU 1: neither steals the other's core, and each one's CPU figure is its own.
    if (canPin() && pinSelf(1)) serverCpu = 0;
    else warnings.push('--pin: taskset is not available here; nothing was pinned');
  }
  const context: BenchContext = { options, progress: new ProgressLine(options.progress), warnings, serverCpu };
  const outcome = await scenarioRunner(options)(context);
  return {
    scenario: options.scenario,
    startedAt,
    command,
    machine: machineInfo(),
    options,
    setup: outcome.setup,
    figures: outcome.figures,
    runs: outcome.runs,
    charts: outcome.charts,
    warnings,
    details: outcome.details,
  };
}

function scenarioRunner(options: BenchOptions): (context: BenchContext) => Promise<ScenarioOutcome> {
  switch (options.scenario) {
    case 'direct':
    case 'correctness':
      return runDirect;
    case 'group':
      return runGroup;
    case 'connections':
      return runConnections;
    case 'storm':
      return runStorm;
    case 'ramp':
      return runRamp;
    case 'store':
      return runStore;
    case 'hotpath':
      return runHotPath;
  }
}
