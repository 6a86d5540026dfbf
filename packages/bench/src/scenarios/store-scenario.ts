import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CpuMeter, otherProcessesBusyCores, type CpuSpan } from '../metrics/cpu-meter.js';
import type { Figure } from '../report/bench-result.js';
import type { ChartSpec } from '../report/chart-spec.js';
import { postgresBackendPids, type MeasuredProcesses } from '../process/measured-processes.js';
import { figure } from '../report/figures.js';
import { mapConcurrent, range } from '../setup/map-concurrent.js';
import { seconds, type BenchContext, type ScenarioOutcome } from './bench-context.js';
import { openBenchStore, type BenchStore } from '@parley/server/bench-store';
import { storePairs, type StorePair } from './store-population.js';

interface AppendRun {
  appended: number;
  acks: number;
  cpu: CpuSpan;
  /** Messages appended in each whole second of the run. */
  perSecond: number[];
}

/**
 * `store`: the durable store's write path alone, in this process, without
 * sockets. P direct pairs, then N appends round-robin over them with
 * `window` in flight, each followed by the acks it causes in a real exchange
 * (both devices ack their delivered pos, then the sender's device acks the
 * `delivered` receipt the receiver's ack made), unless --no-acks.
 *
 * No WAL bytes per message: the WAL file is written over from its start after
 * a checkpoint, so its size says nothing of what was written, and SQLite
 * counts no frames a caller could read.
 */
export async function runStore(context: BenchContext): Promise<ScenarioOutcome> {
  const { options } = context;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-store-'));
  try {
    const setupStartedMs = performance.now();
    const store = await openBenchStore({
      path: join(dataDir, 'parley.db'),
      databaseUrl: options.databaseUrl,
      masterKey: options.encrypted ? randomBytes(32) : undefined,
      checkpointIntervalMs: options.checkpointIntervalMs > 0 ? options.checkpointIntervalMs : undefined,
    });
    try {
      const pairs = await storePairs(store, options.pairs, options.setupConcurrency, (done, total) =>
        context.progress.update(`[setup] ${done}/${total} pairs`),
      );
      const setup = { seconds: seconds(setupStartedMs), users: 2 * pairs.length, devices: 2 * pairs.length, conversations: pairs.length };
      context.progress.done(`[setup] ${setup.users} users, ${setup.conversations} conversations in ${setup.seconds.toFixed(1)} s`);
      const run = await appendAll(context, store, pairs);
      if (run.cpu.otherCores > otherProcessesBusyCores) {
        context.warnings.push(`other processes used ${run.cpu.otherCores.toFixed(2)} cores during the measurement: the figures were disturbed`);
      }
      return {
        setup,
        figures: storeFigures(context, run),
        runs: [],
        charts: [throughputChart(run.perSecond)],
        details: { acks: run.acks, cpu: run.cpu },
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function appendAll(context: BenchContext, store: BenchStore, pairs: StorePair[]): Promise<AppendRun> {
  const { messages, window, bodyBytes, acks } = context.options;
  const bodyJson = JSON.stringify({ text: 'x'.repeat(Math.max(1, bodyBytes)) });
  const counts = { appended: 0, acks: 0 };
  const perSecond: number[] = [];
  let sampled = 0;
  // Once a second, not per append: a progress write per append would cost as much as the append.
  const sampler = setInterval(() => {
    perSecond.push(counts.appended - sampled);
    sampled = counts.appended;
    context.progress.update(`[store] ${counts.appended}/${messages} appended, ${counts.acks} acks`);
  }, 1000);
  const meter = new CpuMeter(storeProcesses(context.options.databaseUrl));
  try {
    await mapConcurrent(range(messages), window, async (index) => {
      const pair = pairs[index % pairs.length] as StorePair;
      const { sender } = pair;
      const { deliveries } = await store.append({
        conversationId: pair.conversationId,
        id: randomUUID(),
        senderId: sender.userId,
        deviceId: sender.deviceId,
        at: Date.now(),
        bodyJson,
      });
      counts.appended++;
      if (!acks) return;
      // Awaited first: `counts.acks += await …` would add to the count read before the await.
      const made = await ackAsDevicesDo(store, pair, deliveries);
      counts.acks += made;
    });
  } finally {
    clearInterval(sampler);
  }
  const cpu = meter.read();
  context.progress.done(`[store] ${counts.appended} appended in ${cpu.wallSeconds.toFixed(1)} s`);
  return { ...counts, cpu, perSecond };
}

/** Acks each delivered pos from its user's device, then the receipts those acks made; returns the acks made. */
async function ackAsDevicesDo(store: BenchStore, pair: StorePair, deliveries: { userId: string; pos: number }[]): Promise<number> {
  const deviceOf = (userId: string) => (userId === pair.sender.userId ? pair.sender : pair.receiver).deviceId;
  const receipts = await Promise.all(deliveries.map((delivery) => store.ackStream(deviceOf(delivery.userId), delivery.pos, Date.now())));
  const receiptAcks = receipts.flatMap((made) => made.appended).map((receipt) => store.ackStream(deviceOf(receipt.userId), receipt.entry.pos, Date.now()));
  await Promise.all(receiptAcks);
  return deliveries.length + receiptAcks.length;
}

/**
 * With PostgreSQL, half the store's work is in its backends: they are read
 * apart, found by the URL's database name (give the run a database of its own
 * for a clean figure: other clients of that database would count too).
 */
function storeProcesses(databaseUrl: string | undefined): MeasuredProcesses | undefined {
  if (databaseUrl === undefined) return undefined;
  const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  return { server: () => [], apart: { postgresBackends: () => postgresBackendPids(databaseName) } };
}

const microsPerMessage = (spanSeconds: number, messages: number) => Number(((spanSeconds * 1e6) / messages).toFixed(1));

function storeFigures(context: BenchContext, run: AppendRun): Figure[] {
  const { appended, cpu } = run;
  const figures = [
    figure('messages appended', appended, 'messages'),
    figure('messages/s', Math.round(appended / cpu.wallSeconds), 'msg/s'),
    figure('wall time per message', microsPerMessage(cpu.wallSeconds, appended), 'µs'),
    // This process's CPU: the store's with its checkpoint thread, plus this loop's; an upper bound on the store's own.
    figure('CPU per message', microsPerMessage(cpu.generatorSeconds, appended), 'µs'),
  ];
  const backendCores = cpu.apartCores.postgresBackends;
  if (backendCores !== undefined) {
    const backendSeconds = backendCores * cpu.wallSeconds;
    figures.push(
      figure('PostgreSQL backends CPU per message', microsPerMessage(backendSeconds, appended), 'µs'),
      figure('CPU per message, bench process and backends', microsPerMessage(cpu.generatorSeconds + backendSeconds, appended), 'µs'),
    );
  }
  if (context.options.acks) figures.push(figure('acks per message', Number((run.acks / appended).toFixed(2)), 'acks'));
  figures.push(figure('bench process CPU', cpu.generatorCores, 'cores'));
  if (backendCores !== undefined) figures.push(figure('PostgreSQL backends CPU', backendCores, 'cores'));
  figures.push(figure('other processes CPU', cpu.otherCores, 'cores'));
  if (cpu.ioPressure !== undefined) figures.push(figure('time some task waited on the disk (PSI)', cpu.ioPressure, 'share'));
  return figures;
}

function throughputChart(perSecond: number[]): ChartSpec {
  return {
    title: 'Messages appended per second over time',
    kind: 'line',
    xLabel: 'seconds into the run',
    yLabel: 'msg/s',
    labels: perSecond.map((_, index) => index + 1),
    datasets: [{ label: 'appended', data: perSecond }],
  };
}
