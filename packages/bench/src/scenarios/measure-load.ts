import { AckBatcher } from '../load/ack-batcher.js';
import { openFleet, type Fleet, type FleetMember } from '../load/fleet.js';
import type { LoadShape, LoadTimings } from '../load/load-shape.js';
import { MessageTraffic, type TrafficTotals } from '../load/message-traffic.js';
import { runLoad, type LoadRunResult } from '../load/run-load.js';
import { otherProcessesBusyCores } from '../metrics/cpu-meter.js';
import { readServerGc } from '../process/server-gc.js';
import { saturationOf } from '../metrics/saturation.js';
import type { IntervalPoint } from '../metrics/run-recorder.js';
import { RunRecorder } from '../metrics/run-recorder.js';
import { defaultClusterDatabaseUrl } from '../options.js';
import { startClusterTarget } from '../process/cluster-target.js';
import { startParleyTarget, startRelayTarget, type Target, type TargetKind } from '../process/targets.js';
import type { SetupFigures } from '../report/bench-result.js';
import type { NamedRun } from '../report/chart-spec.js';
import { seconds, type BenchContext } from './bench-context.js';

/** Connects in flight while a load's sockets open: enough to be quick, few enough not to overflow a listen queue. */
export const defaultConnectConcurrency = 200;

export interface Population {
  members: FleetMember[];
  setup: SetupFigures;
  /** Deliveries one message makes (recipients other than the sender): 1 for direct, members - 1 for a group. */
  fanout: number;
}

/** A loaded target: its sockets are open and synced, ready for one or more runs. */
export interface LoadedTarget {
  target: Target;
  fleet: Fleet;
  traffic: MessageTraffic;
  setup: SetupFigures;
  fanout: number;
  close(): Promise<void>;
}

export async function startTarget(context: BenchContext, kind: TargetKind): Promise<Target> {
  const { options } = context;
  if (kind !== 'parley') return startRelayTarget(kind, context.serverCpu);
  if (options.clusterNodes !== undefined) {
    return startClusterTarget({
      nodes: options.clusterNodes,
      databaseUrl: options.databaseUrl ?? defaultClusterDatabaseUrl,
      natsUrl: options.natsUrl,
      serverEnv: options.serverEnv,
      cpu: context.serverCpu,
    });
  }
  return startParleyTarget({
    ...(options.url === undefined ? {} : { url: options.url }),
    ...(options.serverPid === undefined ? {} : { serverPid: options.serverPid }),
    ...(options.serverScript === undefined ? {} : { serverScript: options.serverScript }),
    serverEnv: options.serverEnv,
    nodeArgs: options.serverNodeArgs,
    cpu: context.serverCpu,
  });
}

/** Starts a target, makes its population (timed as setup) and connects every member. */
export async function loadTarget(
  context: BenchContext,
  kind: TargetKind,
  populate: (target: Target) => Promise<Population>,
): Promise<LoadedTarget> {
  const target = await startTarget(context, kind);
  let fleet: Fleet | undefined;
  try {
    const population = await populate(target);
    const traffic = new MessageTraffic(new RunRecorder(target.cpu));
    const connectStartedMs = performance.now();
    fleet = await openFleet(population.members, {
      url: target.url,
      acks: new AckBatcher(context.options.ackIntervalMs),
      traffic,
      bodyTextBytes: context.options.bodyBytes,
      connectConcurrency: context.options.connectConcurrency ?? defaultConnectConcurrency,
      onProgress: (done, total) => context.progress.update(`[${kind}] connecting ${done}/${total}`),
    });
    context.progress.done(`[${kind}] ${fleet.sockets.length} sockets synced in ${seconds(connectStartedMs).toFixed(1)} s`);
    const opened = fleet;
    return {
      target,
      fleet: opened,
      traffic,
      setup: population.setup,
      fanout: population.fanout,
      close: async () => {
        await opened.close();
        await target.stop();
      },
    };
  } catch (error) {
    const problems = target.problems();
    await fleet?.close();
    await target.stop();
    // What the server said (an exit, an error log) is usually why the load failed.
    if (problems.length > 0) throw new Error(`the server had problems: ${problems.join('\n')}`, { cause: error });
    throw error;
  }
}

/** One measured run on a loaded target, with a live progress line. */
export async function measureRun(
  context: BenchContext,
  loaded: LoadedTarget,
  label: string,
  shape: LoadShape,
  timings: LoadTimings = { warmupS: context.options.warmupS, durationS: context.options.durationS, drainS: context.options.drainS },
): Promise<NamedRun> {
  loaded.traffic.recorder = new RunRecorder(loaded.target.cpu);
  const load = await runLoad(
    loaded.fleet,
    loaded.traffic,
    loaded.traffic.recorder,
    shape,
    timings,
    (point, totals) => context.progress.update(progressText(label, point, totals)),
    // One server's: behind HAProxy, /metrics would come from whichever node answered.
    loaded.target.kind === 'parley' && loaded.target.nodeUrls === undefined ? () => readServerGc(loaded.target.url) : undefined,
  );
  context.progress.done(runSummary(label, load));
  warnAbout(context, label, load, loaded.fanout);
  for (const problem of loaded.target.problems()) context.warnings.push(`${label}: server: ${problem}`);
  return { label, target: loaded.target.kind, load, fanout: loaded.fanout };
}

function progressText(label: string, point: IntervalPoint, totals: TrafficTotals): string {
  const cpu = point.serverCores === undefined ? '' : ` server ${point.serverCores.toFixed(2)}`;
  return (
    `[${label}] ${point.atS.toFixed(0)}s ${Math.round(point.deliveredPerS).toLocaleString('en-US')} deliveries/s` +
    ` p50 ${point.p50Ms.toFixed(2)} p99 ${point.p99Ms.toFixed(2)} p99.9 ${point.p999Ms.toFixed(2)} ms` +
    ` cores:${cpu} generator ${point.generatorCores.toFixed(2)} | errors ${totals.refused}`
  );
}

export function runSummary(label: string, load: LoadRunResult): string {
  const latency = load.endToEnd;
  return (
    `[${label}] ${Math.round(load.deliveredPerS).toLocaleString('en-US')} deliveries/s, ` +
    `${Math.round(load.sentPerS).toLocaleString('en-US')} sent/s, end-to-end p50 ${latency.p50Ms.toFixed(2)} ` +
    `p99 ${latency.p99Ms.toFixed(2)} p99.9 ${latency.p999Ms.toFixed(2)} ms; server ${load.cpu.serverCores?.toFixed(2) ?? '?'} ` +
    `cores, generator ${load.cpu.generatorCores.toFixed(2)}`
  );
}

function warnAbout(context: BenchContext, label: string, load: LoadRunResult, fanout: number): void {
  if (load.cpu.otherCores > otherProcessesBusyCores) {
    context.warnings.push(`${label}: other processes used ${load.cpu.otherCores.toFixed(2)} cores during the measurement: the figures were disturbed`);
  }
  if (load.generatorSaturated) {
    context.warnings.push(
      `${label}: the generator used ${load.cpu.generatorCores.toFixed(2)} of a core: it may be the bottleneck, not the server`,
    );
  }
  if (load.shape.mode === 'open') {
    const saturation = saturationOf(load, load.shape.ratePerSecond * fanout);
    if (saturation.saturated) {
      context.warnings.push(`${label}: saturated (${saturation.reasons.join('; ')}): its latencies are a backlog's, not a message's path`);
    }
  }
  const { totals } = load;
  if (totals.duplicates > 0 || totals.gaps > 0) {
    context.warnings.push(`${label}: ${totals.duplicates} duplicate and ${totals.gaps} out-of-order deliveries`);
  }
  const missing = totals.acknowledged * fanout - totals.delivered;
  if (missing > 0) context.warnings.push(`${label}: ${missing} deliveries of acknowledged messages had not arrived after the drain`);
  if (load.unansweredAfterDrain > 0) context.warnings.push(`${label}: ${load.unansweredAfterDrain} sends unanswered after the drain`);
  if (Object.keys(load.errors).length > 0) context.warnings.push(`${label}: errors: ${JSON.stringify(load.errors)}`);
}
