import { AckBatcher } from '../load/ack-batcher.js';
import { LatencyHistogram } from '../metrics/latency-histogram.js';
import { CpuMeter } from '../metrics/cpu-meter.js';
import { listenOverflows } from '../process/proc-stats.js';
import type { ChartSpec } from '../report/chart-spec.js';
import { figure } from '../report/figures.js';
import { withTargets } from '../report/hot-path-targets.js';
import type { BenchContext, ScenarioOutcome } from './bench-context.js';
import { connectMany, sourceAddressesFor, type ConnectOutcome } from './connect-many.js';
import { makeDevices } from './device-tokens.js';
import { startTarget } from './measure-load.js';
import { putDevicesBehind } from './storm-setup.js';

/**
 * `storm`: N devices, each `missed` events behind, reconnect at once (every
 * connect started in the same moment, as after a server restart or a network
 * blip). Reports the time until the last one has received `synced`, and the
 * spread of the times to `synced`.
 */
export async function runStorm(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const target = await startTarget(context, 'parley');
  try {
    const devices = await makeDevices(context, target, options.connections, options.devicesPerUser);
    const setupStartedMs = performance.now();
    const groups = await putDevicesBehind(context, target, devices.accounts, devices.tokens, options.missed);
    const setupSeconds = devices.seconds + (performance.now() - setupStartedMs) / 1000;
    context.progress.done(`[setup] ${devices.tokens.length} devices are ${options.missed} events behind (${groups} groups), ${setupSeconds.toFixed(1)} s`);
    const meter = new CpuMeter(target.cpu);
    const overflowsBefore = listenOverflows();
    const storm = await connectMany({
      url: target.url,
      tokens: devices.tokens,
      // "At once" by default, as after a restart; --connect-concurrency spreads the storm, to tell queueing from replay cost.
      concurrency: options.connectConcurrency ?? devices.tokens.length,
      sourceAddresses: sourceAddressesFor(devices.tokens.length, options.sourceAddresses),
      acks: new AckBatcher(options.ackIntervalMs),
      syncTimeoutMs: 120_000,
      onProgress: (done, failed) => context.progress.update(`[storm] ${done}/${devices.tokens.length} synced, ${failed} failed`),
    });
    const cpu = meter.read();
    const overflowsAfter = listenOverflows();
    context.progress.done(`[storm] ${storm.sockets.length} synced in ${storm.seconds.toFixed(2)} s, ${storm.failures} failed`);
    const replayed = storm.sockets.map((socket) => socket.replayedEvents);
    await Promise.all(storm.sockets.map((socket) => socket.close()));
    if (storm.failures > 0) context.warnings.push(`${storm.failures} devices never synced, e.g. ${storm.failureSamples.join('; ')}`);
    const toSynced = new LatencyHistogram();
    for (const ms of storm.syncedAtMs) toSynced.recordMs(ms);
    const summary = toSynced.summary();
    const figures = [
      figure('all devices synced after', Number(storm.seconds.toFixed(2)), 's'),
      figure('devices synced', storm.sockets.length, 'devices'),
      figure('devices failed', storm.failures, 'devices'),
      figure('time to synced p50', summary.p50Ms, 'ms'),
      figure('time to synced p99', summary.p99Ms, 'ms'),
      figure('events replayed per device (mean)', average(replayed), 'events'),
      figure('events replayed in all', replayed.reduce((sum, count) => sum + count, 0), 'events'),
      figure('replayed events/s', Math.round(replayed.reduce((sum, count) => sum + count, 0) / storm.seconds), 'events/s'),
    ];
    if (overflowsBefore !== undefined && overflowsAfter !== undefined) {
      figures.push(figure('connects dropped by a full listen queue (retried by TCP)', overflowsAfter - overflowsBefore, 'SYNs'));
    }
    if (cpu.serverCores !== undefined) figures.push(figure('server CPU during the storm', cpu.serverCores, 'cores'));
    figures.push(figure('generator CPU during the storm', cpu.generatorCores, 'cores'), figure('other processes CPU', cpu.otherCores, 'cores'));
    if (cpu.ioPressure !== undefined) figures.push(figure('time some task waited on the disk (PSI)', cpu.ioPressure, 'share'));
    return {
      setup: { seconds: setupSeconds, users: devices.accounts.length + groups, devices: devices.tokens.length, conversations: groups },
      figures: withTargets(figures, { scenario: 'storm', connections: options.connections, missed: options.missed }),
      runs: [],
      charts: [syncedOverTime(storm)],
      details: { timeToSynced: summary, replayedMin: Math.min(...replayed), replayedMax: Math.max(...replayed) },
    };
  } finally {
    await target.stop();
  }
}

const average = (values: number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);

function syncedOverTime(storm: ConnectOutcome): ChartSpec {
  const sorted = [...storm.syncedAtMs].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / 200));
  const indices = sorted.map((_, index) => index).filter((index) => index % step === 0 || index === sorted.length - 1);
  return {
    title: 'Devices synced since the storm began',
    kind: 'line',
    xLabel: 'seconds since the storm began',
    yLabel: 'devices synced',
    labels: indices.map((index) => Number(((sorted[index] ?? 0) / 1000).toFixed(2))),
    datasets: [{ label: 'devices synced', data: indices.map((index) => index + 1) }],
  };
}
