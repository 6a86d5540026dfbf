import type { Target } from '../process/targets.js';
import type { Figure } from '../report/bench-result.js';
import type { ChartSpec, NamedRun } from '../report/chart-spec.js';
import { figure, ratio } from '../report/figures.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { directPopulation } from './direct-population.js';
import { loadTarget, measureRun, type LoadedTarget } from './measure-load.js';

export interface RampStep {
  target: Target['kind'];
  offeredPerS: number;
  deliveredPerS: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  serverCores: number | undefined;
  generatorCores: number;
  passed: boolean;
}

/**
 * `ramp`: open-loop direct load raised step by step until p99 passes
 * --p99-ms, sends are refused, or deliveries fall below 95% of the offer.
 * The last step that passed is the sustainable maximum.
 */
export async function runRamp(context: BenchContext): Promise<ScenarioOutcome> {
  const parley = await rampOn(context, 'parley');
  const relay = context.options.baseline ? await rampOn(context, 'relay') : undefined;
  const sustainable = (ramp: RampOutcome | undefined) => ramp?.steps.filter((step) => step.passed).at(-1)?.offeredPerS ?? 0;
  const figures: Figure[] = [figure(`sustainable rate (p99 ≤ ${context.options.p99Ms} ms)`, sustainable(parley), 'msg/s')];
  if (relay !== undefined) {
    figures.push(figure('bare ws relay sustainable rate', sustainable(relay), 'msg/s'));
    const rampRatio = ratio(sustainable(parley), sustainable(relay));
    if (rampRatio !== undefined) figures.push(figure('sustainable rate ÷ relay', rampRatio, '×'));
  }
  const steps = [...parley.steps, ...(relay?.steps ?? [])];
  return { setup: parley.setup, figures, runs: [...parley.runs, ...(relay?.runs ?? [])], charts: rampCharts(steps), details: { steps } };
}

interface RampOutcome {
  steps: RampStep[];
  runs: NamedRun[];
  setup: ScenarioOutcome['setup'];
}

async function rampOn(context: BenchContext, kind: Target['kind']): Promise<RampOutcome> {
  const { options } = context;
  const loaded = await loadTarget(context, kind, (target) => directPopulation(context, target, options.pairs));
  const steps: RampStep[] = [];
  const runs: NamedRun[] = [];
  try {
    for (let rate = options.startRate; rate <= options.maxRate; rate += options.stepRate) {
      const label = `${kind === 'parley' ? 'parley' : 'relay'} @ ${rate} msg/s`;
      let step = await rampStep(context, loaded, kind, label, rate, runs);
      // One slow spike (a GC, another process) can push a short step's p99 over: a step fails only if its retry fails too.
      if (!step.passed && step.deliveredPerS >= 0.95 * rate) step = await rampStep(context, loaded, kind, `${label} (again)`, rate, runs);
      steps.push(step);
      if (!step.passed) break;
    }
  } finally {
    await loaded.close();
  }
  return { steps, runs, setup: loaded.setup };
}

async function rampStep(
  context: BenchContext,
  loaded: LoadedTarget,
  kind: Target['kind'],
  label: string,
  rate: number,
  runs: NamedRun[],
): Promise<RampStep> {
  const { options } = context;
  const run = await measureRun(context, loaded, label, { mode: 'open', ratePerSecond: rate }, { warmupS: 1, durationS: options.stepS, drainS: 2 });
  runs.push(run);
  const { load } = run;
  return {
    target: kind,
    offeredPerS: rate,
    deliveredPerS: Math.round(load.deliveredPerS),
    p50Ms: load.endToEnd.p50Ms,
    p99Ms: load.endToEnd.p99Ms,
    p999Ms: load.endToEnd.p999Ms,
    serverCores: load.cpu.serverCores,
    generatorCores: load.cpu.generatorCores,
    passed: load.endToEnd.p99Ms <= options.p99Ms && load.totals.refused === 0 && load.deliveredPerS >= 0.95 * rate,
  };
}

function rampCharts(steps: RampStep[]): ChartSpec[] {
  const rates = [...new Set(steps.map((step) => step.offeredPerS))].sort((a, b) => a - b);
  const series = (kind: Target['kind'], pick: (step: RampStep) => number) =>
    rates.map((rate) => {
      const step = steps.find((candidate) => candidate.target === kind && candidate.offeredPerS === rate);
      return step === undefined ? null : pick(step);
    });
  const kinds = [...new Set(steps.map((step) => step.target))];
  return [
    {
      title: 'End-to-end p99 by offered rate',
      kind: 'line',
      xLabel: 'offered msg/s',
      yLabel: 'ms',
      yLogarithmic: true,
      labels: rates,
      datasets: kinds.flatMap((kind) => [
        { label: `${kind} p50`, data: series(kind, (step) => step.p50Ms) },
        { label: `${kind} p99`, data: series(kind, (step) => step.p99Ms) },
      ]),
    },
    {
      title: 'Delivered by offered rate',
      kind: 'line',
      xLabel: 'offered msg/s',
      yLabel: 'delivered msg/s',
      labels: rates,
      datasets: kinds.map((kind) => ({ label: kind, data: series(kind, (step) => step.deliveredPerS) })),
    },
  ];
}
