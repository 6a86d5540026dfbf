import type { LoadShape } from '../load/load-shape.js';
import { targetLabels, type Target, type TargetKind } from '../process/targets.js';
import type { SetupFigures } from '../report/bench-result.js';
import type { NamedRun } from '../report/chart-spec.js';
import type { BenchContext } from './bench-context.js';
import { loadTarget, measureRun, type LoadedTarget, type Population } from './measure-load.js';

/** Parley, then the baselines the options ask for, in the order every report lists them. */
export function targetKinds(context: BenchContext): TargetKind[] {
  return ['parley', ...context.options.baselines];
}

/**
 * Loads each target of `kinds` in turn and measures it with `measure`; each
 * is closed before the next starts, so every one has the server core alone.
 * Returns what each measurement gave, with the setup of each target.
 */
export async function onEachTarget<T>(
  context: BenchContext,
  kinds: TargetKind[],
  populate: (target: Target) => Promise<Population>,
  measure: (loaded: LoadedTarget) => Promise<T>,
): Promise<{ kind: TargetKind; setup: SetupFigures; result: T }[]> {
  const measured: { kind: TargetKind; setup: SetupFigures; result: T }[] = [];
  for (const kind of kinds) {
    const loaded = await loadTarget(context, kind, populate);
    try {
      measured.push({ kind, setup: loaded.setup, result: await measure(loaded) });
    } finally {
      await loaded.close();
    }
  }
  return measured;
}

/** A load shape to measure, and what its run is called beside the target's name when there are several. */
export interface ShapeToMeasure {
  shape: LoadShape;
  what?: string;
}

/**
 * Every shape on every target, in order, each target loaded once for all its
 * shapes. Returns the runs by shape (`runs[i]` holds shape i's, Parley's
 * first) and the setup of Parley's population.
 */
export async function measureShapes(
  context: BenchContext,
  populate: (target: Target) => Promise<Population>,
  shapes: ShapeToMeasure[],
): Promise<{ runs: NamedRun[][]; setup: SetupFigures | undefined }> {
  const measured = await onEachTarget(context, targetKinds(context), populate, async (loaded) => {
    const runs: NamedRun[] = [];
    for (const { shape, what } of shapes) runs.push(await measureRun(context, loaded, runLabel(loaded, what), shape));
    return runs;
  });
  const runs = shapes.map((_, index) => measured.map(({ result }) => result[index] as NamedRun));
  return { runs, setup: measured[0]?.setup };
}

/** The label of a run on a loaded target: the target's name, and what the run was when a target has several. */
export function runLabel(loaded: LoadedTarget, what?: string): string {
  const name = targetLabels[loaded.target.kind];
  return what === undefined ? name : `${name} @ ${what}`;
}
