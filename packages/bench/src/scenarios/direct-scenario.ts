import type { LoadShape } from '../load/load-shape.js';
import { loadCharts, type NamedRun } from '../report/chart-spec.js';
import { figure } from '../report/figures.js';
import { directPairsOnParley } from '../setup/populations.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { directFigures } from './direct-figures.js';
import { directPopulation } from './direct-population.js';
import { loadTarget, measureRun, type LoadedTarget } from './measure-load.js';
import { verifyWithSdk, type VerificationResult } from './sdk-verifier.js';

export function shapeOf(context: BenchContext): LoadShape {
  const { rate, window } = context.options;
  return rate === undefined ? { mode: 'closed', window } : { mode: 'open', ratePerSecond: rate };
}

/**
 * `direct`: P sender/receiver pairs under one load shape, on Parley and then
 * on the bare relay; with --verify, SDK pairs check nothing is lost,
 * duplicated or reordered while the load runs. `correctness` is this with
 * the check always on and no baseline.
 */
export async function runDirect(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const shape = shapeOf(context);
  const verify = options.verify || options.scenario === 'correctness';
  const parley = await loadTarget(context, 'parley', (target) => directPopulation(context, target, options.pairs));
  let parleyRun: NamedRun;
  let verification: VerificationResult | undefined;
  try {
    const check = verify ? await startVerification(context, parley) : undefined;
    parleyRun = await measureRun(context, parley, 'parley', shape);
    verification = await check?.done;
  } finally {
    await parley.close();
  }
  const runs = [parleyRun];
  if (options.baseline && options.scenario !== 'correctness') {
    const relay = await loadTarget(context, 'relay', (target) => directPopulation(context, target, options.pairs));
    try {
      runs.push(await measureRun(context, relay, 'bare ws relay', shape));
    } finally {
      await relay.close();
    }
  }
  const figures = directFigures(shape, parleyRun.load, runs[1]?.load);
  if (verification !== undefined) figures.unshift(...verificationFigures(context, verification));
  return { setup: parley.setup, figures, runs, charts: loadCharts(runs), details: { shape, verification } };
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

function verificationFigures(context: BenchContext, result: VerificationResult) {
  if (!result.passed) context.warnings.push(`SDK check failed: ${JSON.stringify(result)}`);
  return [
    { ...figure('SDK check: lost + duplicated + misordered', result.lost + result.duplicated + result.misordered, 'messages'), target: '0', met: result.passed },
    figure('SDK check: messages acknowledged and received', `${result.acknowledged} / ${result.received}`, 'messages'),
  ];
}
