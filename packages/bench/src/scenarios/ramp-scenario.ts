import type { Baseline } from '../options.js';
import { targetLabels, type TargetKind } from '../process/targets.js';
import type { Figure } from '../report/bench-result.js';
import type { ChartSpec, NamedRun } from '../report/chart-spec.js';
import { ratio } from '../report/figures.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { directPopulation } from './direct-population.js';
import { loadTarget, measureRun, type LoadedTarget } from './measure-load.js';
import { runLabel, targetKinds } from './on-each-target.js';

export interface RampStep {
  target: TargetKind;
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
 * The last step that passed is the sustainable maximum. Parley is ramped
 * first, then each baseline relay.
 */
export async function runRamp(context: BenchContext): Promise<ScenarioOutcome> {
  const ramps: RampOutcome[] = [];
  for (const kind of targetKinds(context)) ramps.push(await rampOn(context, kind));
  const [parley, ...baselines] = ramps;
  if (parley === undefined) throw new Error('the parley ramp is missing');
  const sustainable = (ramp: RampOutcome) => ramp.steps.filter((step) => step.passed).at(-1)?.offeredPerS ?? 0;
  const parleyRate = sustainable(parley);
  const rateFigure: Figure = {
    name: `sustainable rate (p99 ≤ ${context.options.p99Ms} ms)`,
    value: parleyRate,
    unit: 'msg/s',
    baselines: baselines.map((ramp) => {
      const quotient = ratio(parleyRate, sustainable(ramp));
      return { baseline: ramp.kind as Baseline, value: sustainable(ramp), ...(quotient === undefined ? {} : { ratio: quotient }) };
    }),
  };
  const steps = ramps.flatMap((ramp) => ramp.steps);
  return { setup: parley.setup, figures: [rateFigure], runs: ramps.flatMap((ramp) => ramp.runs), charts: rampCharts(steps), details: { steps } };
}

interface RampOutcome {
  kind: TargetKind;
  steps: RampStep[];
  runs: NamedRun[];
  setup: ScenarioOutcome['setup'];
}

async function rampOn(context: BenchContext, kind: TargetKind): Promise<RampOutcome> {
  const { options } = context;
  const loaded = await loadTarget(context, kind, (target) => directPopulation(context, target, options.pairs));
  const steps: RampStep[] = [];
  const runs: NamedRun[] = [];
  try {
    for (let rate = options.startRate; rate <= options.maxRate; rate += options.stepRate) {
      const label = runLabel(loaded, `${rate} msg/s`);
      let step = await rampStep(context, loaded, label, rate, runs);
      // One slow spike (a GC, another process) can push a short step's p99 over: a step fails only if its retry fails too.
      if (!step.passed && step.deliveredPerS >= 0.95 * rate) step = await rampStep(context, loaded, `${label} (again)`, rate, runs);
      steps.push(step);
      if (!step.passed) break;
    }
  } finally {
    await loaded.close();
  }
  return { kind, steps, runs, setup: loaded.setup };
}

async function rampStep(
  context: BenchContext,
  loaded: LoadedTarget,
  label: string,
  rate: number,
  runs: NamedRun[],
): Promise<RampStep> {
  const { options } = context;
  const run = await measureRun(context, loaded, label, { mode: 'open', ratePerSecond: rate }, { warmupS: 1, durationS: options.stepS, drainS: 2 });
  runs.push(run);
  const { load } = run;
  return {
    target: loaded.target.kind,
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
  const series = (kind: TargetKind, pick: (step: RampStep) => number) =>
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
        { label: `${targetLabels[kind]} p50`, data: series(kind, (step) => step.p50Ms) },
        { label: `${targetLabels[kind]} p99`, data: series(kind, (step) => step.p99Ms) },
      ]),
    },
    {
      title: 'Delivered by offered rate',
      kind: 'line',
      xLabel: 'offered msg/s',
      yLabel: 'delivered msg/s',
      labels: rates,
      datasets: kinds.map((kind) => ({ label: targetLabels[kind], data: series(kind, (step) => step.deliveredPerS) })),
    },
  ];
}
