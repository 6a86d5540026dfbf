import { AckBatcher } from '../load/ack-batcher.js';
import { CpuMeter, type CpuSpan } from '../metrics/cpu-meter.js';
import { listenOverflows, processCpuSeconds } from '../process/proc-stats.js';
import type { Target } from '../process/targets.js';
import type { Figure } from '../report/bench-result.js';
import type { ChartSpec } from '../report/chart-spec.js';
import { figure } from '../report/figures.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { connectMany, sourceAddressesFor, type ConnectOutcome } from './connect-many.js';
import { makeDevices } from './device-tokens.js';
import { defaultConnectConcurrency, startTarget } from './measure-load.js';
import { MemorySampler, toMiB, type MemoryPoint } from './memory-sampler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Holding {
  outcome: ConnectOutcome;
  /** CPU while connecting: says whether the server or the generator limited the connect rate. */
  connectCpu: CpuSpan;
  /** Connects the kernel dropped on a full listen queue while connecting (TCP retried them). */
  droppedSyns: number | undefined;
  rssBeforeBytes: number | undefined;
  rssAfterBytes: number | undefined;
  idleServerCores: number | undefined;
  series: MemoryPoint[];
}

/**
 * `connections`: N authenticated idle connections. Reports the connect rate
 * (TCP connect to `synced`) and the server's resident memory per
 * connection: VmRSS after the connections have been idle `durationS`,
 * minus VmRSS before the first connect, divided by N.
 */
export async function runConnections(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const target = await startTarget(context, 'parley');
  try {
    const devices = await makeDevices(context, target, options.connections, options.devicesPerUser);
    const holding = await connectAndHold(context, target, devices.tokens);
    const { outcome } = holding;
    if (outcome.failures > 0) context.warnings.push(`${outcome.failures} connections failed, e.g. ${outcome.failureSamples.join('; ')}`);
    return {
      setup: { seconds: devices.seconds, users: devices.accounts.length, devices: devices.tokens.length, conversations: 0 },
      figures: connectionFigures(holding),
      runs: [],
      charts: [memoryChart(holding.series)],
      details: { connectSeconds: outcome.seconds, rssBeforeBytes: holding.rssBeforeBytes, rssAfterBytes: holding.rssAfterBytes },
    };
  } finally {
    await target.stop();
  }
}

/** Connects every token, keeps the connections idle for `durationS`, then closes them. */
async function connectAndHold(context: BenchContext, target: Target, tokens: string[]): Promise<Holding> {
  const { options } = context;
  await sleep(1_000); // let the setup's garbage be collected before the "before" figure
  const sampler = new MemorySampler(target.pid);
  const rssBeforeBytes = sampler.sample();
  const meter = new CpuMeter(target.cpu);
  const overflowsBefore = listenOverflows();
  const outcome = await connectMany({
    url: target.url,
    tokens,
    concurrency: options.connectConcurrency ?? defaultConnectConcurrency,
    sourceAddresses: sourceAddressesFor(tokens.length, options.sourceAddresses),
    acks: new AckBatcher(),
    syncTimeoutMs: 60_000,
    onProgress: (done, failed) => {
      sampler.connections = done;
      context.progress.update(`[connections] ${done}/${tokens.length} synced, ${failed} failed`);
    },
  });
  const connectCpu = meter.read();
  const overflowsAfter = listenOverflows();
  const droppedSyns = overflowsBefore === undefined || overflowsAfter === undefined ? undefined : overflowsAfter - overflowsBefore;
  context.progress.done(`[connections] ${outcome.sockets.length} synced in ${outcome.seconds.toFixed(1)} s, ${outcome.failures} failed`);
  const cpuStart = target.pid === undefined ? undefined : processCpuSeconds(target.pid);
  await sleep(options.durationS * 1000);
  const idleServerCores =
    target.pid === undefined || cpuStart === undefined ? undefined : (processCpuSeconds(target.pid) - cpuStart) / options.durationS;
  const rssAfterBytes = sampler.stop();
  await Promise.all(outcome.sockets.map((socket) => socket.close()));
  return { outcome, connectCpu, droppedSyns, rssBeforeBytes, rssAfterBytes, idleServerCores, series: sampler.points };
}

function connectionFigures(holding: Holding): Figure[] {
  const { outcome, rssBeforeBytes, rssAfterBytes } = holding;
  const connected = outcome.sockets.length;
  const figures = [
    figure('connections synced', connected, 'connections'),
    figure('connections failed', outcome.failures, 'connections'),
    figure('connect rate (connect → synced)', Math.round(connected / outcome.seconds), 'connections/s'),
  ];
  const { connectCpu } = holding;
  if (connectCpu.serverCores !== undefined) figures.push(figure('server CPU while connecting', connectCpu.serverCores, 'cores'));
  figures.push(figure('generator CPU while connecting', connectCpu.generatorCores, 'cores'));
  if (holding.droppedSyns !== undefined) figures.push(figure('connects dropped by a full listen queue', holding.droppedSyns, 'SYNs'));
  if (rssBeforeBytes !== undefined && rssAfterBytes !== undefined && connected > 0) {
    const perConnectionKiB = (rssAfterBytes - rssBeforeBytes) / connected / 1024;
    figures.push(
      figure('server RSS per connection', Math.round(perConnectionKiB * 10) / 10, 'KiB'),
      figure('server RSS before', toMiB(rssBeforeBytes) ?? 0, 'MiB'),
      figure('server RSS after', toMiB(rssAfterBytes) ?? 0, 'MiB'),
    );
  }
  if (holding.idleServerCores !== undefined) figures.push(figure('server CPU while idle', holding.idleServerCores, 'cores'));
  return figures;
}

function memoryChart(series: MemoryPoint[]): ChartSpec {
  return {
    title: 'Open connections and server RSS over time',
    kind: 'line',
    xLabel: 'seconds since the first connect',
    yLabel: 'connections (thousands) / RSS (MiB)',
    labels: series.map((point) => Number(point.atS.toFixed(1))),
    datasets: [
      { label: 'connections (thousands)', data: series.map((point) => point.connections / 1000) },
      { label: 'server RSS (MiB)', data: series.map((point) => point.rssMiB) },
    ],
  };
}
