import type { LoadShape } from '../load/load-shape.js';
import type { LoadRunResult } from '../load/run-load.js';
import type { Target } from '../process/targets.js';
import type { Figure } from '../report/bench-result.js';
import { loadCharts, type NamedRun } from '../report/chart-spec.js';
import { atLeast, atMost, figure, ratio } from '../report/figures.js';
import { groupsOnParley, groupsOnRelay, type Group } from '../setup/populations.js';
import { seconds, type BenchContext, type ScenarioOutcome } from './bench-context.js';
import { shapeOf } from './direct-scenario.js';
import { loadTarget, measureRun, type Population } from './measure-load.js';

/**
 * `group`: G groups of M members, S of whom send. Every message fans out to
 * the other M - 1 members; a delivery is one message event at one of them,
 * and its latency is from the send's due time to that arrival.
 */
export async function runGroup(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const shape = shapeOf(context);
  const senders = Math.min(options.senders, options.members);
  const runs: NamedRun[] = [];
  const parley = await loadTarget(context, 'parley', (target) => groupPopulation(context, target, senders));
  try {
    runs.push(await measureRun(context, parley, 'parley', shape));
  } finally {
    await parley.close();
  }
  if (options.baseline) {
    const relay = await loadTarget(context, 'relay', (target) => groupPopulation(context, target, senders));
    try {
      runs.push(await measureRun(context, relay, 'bare ws relay', shape));
    } finally {
      await relay.close();
    }
  }
  const [parleyRun, relayRun] = runs;
  if (parleyRun === undefined) throw new Error('the parley run is missing');
  return {
    setup: parley.setup,
    figures: groupFigures(shape, parleyRun.load, relayRun?.load),
    runs,
    charts: loadCharts(runs),
    details: { shape, senders },
  };
}

async function groupPopulation(context: BenchContext, target: Target, senders: number): Promise<Population> {
  const { groups, members } = context.options;
  const startedMs = performance.now();
  const made: Group[] =
    target.kind === 'relay'
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

/** Deliveries per second of server CPU: the cost of fan-out, whatever the offered rate. */
function deliveriesPerCpuSecond(load: LoadRunResult): number | undefined {
  const cpu = load.cpu.serverSeconds;
  return cpu === undefined || cpu === 0 ? undefined : Math.round(load.delivered / cpu);
}

function groupFigures(shape: LoadShape, parley: LoadRunResult, relay: LoadRunResult | undefined): Figure[] {
  const perCpu = deliveriesPerCpuSecond(parley);
  const relayPerCpu = relay === undefined ? undefined : deliveriesPerCpuSecond(relay);
  const figures: Figure[] = [
    figure('deliveries/s', Math.round(parley.deliveredPerS), 'deliveries/s'),
    figure('messages sent/s', Math.round(parley.sentPerS), 'msg/s'),
  ];
  if (perCpu !== undefined) figures.push(atLeast('deliveries per server CPU-second', perCpu, 'deliveries', 110_000, ' (one 100-member group, 5 senders)'));
  if (relayPerCpu !== undefined) figures.push(figure('relay deliveries per CPU-second', relayPerCpu, 'deliveries'));
  const perCpuRatio = perCpu === undefined ? undefined : ratio(perCpu, relayPerCpu);
  if (perCpuRatio !== undefined) figures.push(figure('deliveries per CPU-second ÷ relay', perCpuRatio, '×'));
  figures.push(
    figure('fan-out p50', parley.endToEnd.p50Ms, 'ms'),
    // The latency target is stated for an offered rate; a closed loop's latency is its queue length.
    shape.mode === 'open'
      ? atMost('fan-out p99', parley.endToEnd.p99Ms, 'ms', 5, ' (at 10,000 deliveries/s)')
      : figure('fan-out p99', parley.endToEnd.p99Ms, 'ms'),
    figure('fan-out p99.9', parley.endToEnd.p999Ms, 'ms'),
    figure('send → sent p99', parley.sendToSent.p99Ms, 'ms'),
  );
  if (relay !== undefined) figures.push(figure('relay fan-out p99', relay.endToEnd.p99Ms, 'ms'), figure('relay deliveries/s', Math.round(relay.deliveredPerS), 'deliveries/s'));
  if (parley.cpu.serverCores !== undefined) figures.push(figure('server CPU', parley.cpu.serverCores, 'cores'));
  figures.push(figure('generator CPU', parley.cpu.generatorCores, 'cores'), figure('other processes CPU', parley.cpu.otherCores, 'cores'));
  if (parley.cpu.ioPressure !== undefined) figures.push(figure('time some task waited on the disk (PSI)', parley.cpu.ioPressure, 'share'));
  figures.push(figure('duplicate deliveries', parley.totals.duplicates, 'messages'), figure('out-of-order deliveries', parley.totals.gaps, 'messages'));
  return figures;
}
