import type { LoadShape } from '../load/load-shape.js';
import type { Figure } from '../report/bench-result.js';
import { loadCharts, type NamedRun } from '../report/chart-spec.js';
import { comparedFigures } from '../report/compared-figures.js';
import { figure } from '../report/figures.js';
import { withTargets, type RunCondition } from '../report/hot-path-targets.js';
import { directMetrics } from '../report/run-metrics.js';
import { directPairsOnParley } from '../setup/populations.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { directPopulation } from './direct-population.js';
import { measureRun, type LoadedTarget } from './measure-load.js';
import { onEachTarget, runLabel, targetKinds } from './on-each-target.js';
import { verifyWithSdk, type VerificationResult } from './sdk-verifier.js';

export function shapeOf(context: BenchContext): LoadShape {
  const { rate, window } = context.options;
  return rate === undefined ? { mode: 'closed', window } : { mode: 'open', ratePerSecond: rate };
}

/** What a direct run was, for the targets stated for it. */
export function directCondition(pairs: number, shape: LoadShape): RunCondition {
  return { scenario: 'direct', pairs, mode: shape.mode, ...(shape.mode === 'open' ? { offeredPerS: Math.round(shape.ratePerSecond) } : {}) };
}

/** The figures of one direct load on Parley and its baselines, with the targets stated for it. */
export function directFigures(pairs: number, parley: NamedRun, baselines: NamedRun[]): Figure[] {
  return withTargets(comparedFigures(directMetrics, parley, baselines), directCondition(pairs, parley.load.shape));
}

/**
 * `direct`: P sender/receiver pairs under one load shape, on Parley and then
 * on each baseline relay; with --verify, SDK pairs check nothing is lost,
 * duplicated or reordered while the load runs on Parley. `correctness` is
 * this with the check always on and no baseline.
 */
export async function runDirect(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const shape = shapeOf(context);
  const correctness = options.scenario === 'correctness';
  const verify = options.verify || correctness;
  const measured = await onEachTarget(
    context,
    correctness ? ['parley'] : targetKinds(context),
    (target) => directPopulation(context, target, options.pairs),
    async (loaded) => {
      const check = verify && loaded.target.kind === 'parley' ? await startVerification(context, loaded) : undefined;
      const run = await measureRun(context, loaded, runLabel(loaded), shape);
      return { run, verification: await check?.done };
    },
  );
  const [parley, ...baselines] = measured;
  if (parley === undefined) throw new Error('the parley run is missing');
  const runs = measured.map(({ result }) => result.run);
  const figures = directFigures(options.pairs, parley.result.run, runs.slice(1));
  const { verification } = parley.result;
  if (verification !== undefined) figures.unshift(...verificationFigures(context, verification));
  return { setup: parley.setup, figures, runs, charts: loadCharts(runs), details: { shape, verification, baselines: baselines.map(({ kind }) => kind) } };
}

/** Seeds the SDK pairs now (argon2 must not run during the measured window) and starts their exchange. */
async function startVerification(context: BenchContext, loaded: LoadedTarget): Promise<{ done: Promise<VerificationResult> }> {
  const { options } = context;
  const pairs = await directPairsOnParley(options.sdkPairs, { url: loaded.target.url, concurrency: options.setupConcurrency });
  const timeoutMs = (options.warmupS + options.durationS + options.drainS + 30) * 1000;
  const done = verifyWithSdk(loaded.target.url, pairs, options.sdkMessages, timeoutMs);
  // Awaited after the load run; marked handled now so a failure during the run is not an unhandled rejection.
  done.catch(() => undefined);
  return { done };
}

function verificationFigures(context: BenchContext, result: VerificationResult): Figure[] {
  if (!result.passed) context.warnings.push(`SDK check failed: ${JSON.stringify(result)}`);
  return [
    { ...figure('SDK check: lost + duplicated + misordered', result.lost + result.duplicated + result.misordered, 'messages'), target: '0', met: result.passed },
    figure('SDK check: messages acknowledged and received', `${result.acknowledged} / ${result.received}`, 'messages'),
  ];
}
