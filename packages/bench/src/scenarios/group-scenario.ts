import type { LoadShape } from '../load/load-shape.js';
import type { Target } from '../process/targets.js';
import type { Figure } from '../report/bench-result.js';
import { loadCharts, type NamedRun } from '../report/chart-spec.js';
import { comparedFigures } from '../report/compared-figures.js';
import { withTargets, type RunCondition } from '../report/hot-path-targets.js';
import { groupMetrics } from '../report/run-metrics.js';
import { groupsOnParley, groupsOnRelay, type Group } from '../setup/populations.js';
import { seconds, type BenchContext, type ScenarioOutcome } from './bench-context.js';
import { shapeOf } from './direct-scenario.js';
import type { Population } from './measure-load.js';
import { measureShapes } from './on-each-target.js';

/** The groups of a run: G groups of M members, S of whom send. */
export interface GroupSizes {
  groups: number;
  members: number;
  senders: number;
}

/**
 * `group`: G groups of M members, S of whom send, on Parley and then on each
 * baseline relay. Every message fans out to the other M - 1 members; a
 * delivery is one message event at one of them, and its latency is from the
 * send's due time to that arrival. Nothing here waits for receipts: they are
 * counted in whichever form the server sends them (one per member, or one
 * aggregate per message).
 */
export async function runGroup(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const shape = shapeOf(context);
  const sizes = { groups: options.groups, members: options.members, senders: Math.min(options.senders, options.members) };
  const { runs, setup } = await measureShapes(context, (target) => groupPopulation(context, target, sizes), [{ shape }]);
  const [parley, ...baselines] = runs[0] ?? [];
  if (parley === undefined) throw new Error('the parley run is missing');
  return {
    setup,
    figures: groupFigures(sizes, parley, baselines),
    runs: [parley, ...baselines],
    charts: loadCharts([parley, ...baselines]),
    details: { shape, senders: sizes.senders },
  };
}

/** What a group run was, for the targets stated for it; its offer is counted in deliveries. */
export function groupCondition(sizes: GroupSizes, shape: LoadShape): RunCondition {
  const offered = shape.mode === 'open' ? { offeredPerS: Math.round(shape.ratePerSecond * (sizes.members - 1)) } : {};
  return { scenario: 'group', ...sizes, mode: shape.mode, ...offered };
}

/** The figures of one group load on Parley and its baselines, with the targets stated for it. */
export function groupFigures(sizes: GroupSizes, parley: NamedRun, baselines: NamedRun[]): Figure[] {
  return withTargets(comparedFigures(groupMetrics, parley, baselines), groupCondition(sizes, parley.load.shape));
}

export async function groupPopulation(context: BenchContext, target: Target, sizes: GroupSizes): Promise<Population> {
  const { groups, members, senders } = sizes;
  const startedMs = performance.now();
  const made: Group[] =
    target.kind !== 'parley'
      ? groupsOnRelay(groups, members, senders)
      : await groupsOnParley(groups, members, senders, {
          url: target.url,
          concurrency: context.options.setupConcurrency,
          onProgress: (done, total) => context.progress.update(`[setup] ${done}/${total} users registered and logged in`),
        });
  const setup = { seconds: seconds(startedMs), users: groups * members, devices: groups * members, conversations: groups };
  if (target.kind === 'parley') context.progress.done(`[setup] ${setup.users} users in ${groups} groups in ${setup.seconds.toFixed(1)} s`);
  const fleetMembers = made.flatMap((group) =>
    group.members.map((endpoint, index) => ({ endpoint, ...(index < group.senders ? { sendsTo: group.conversation } : {}) })),
  );
  return { members: fleetMembers, setup, fanout: members - 1 };
}
