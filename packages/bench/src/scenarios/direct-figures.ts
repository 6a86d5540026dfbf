import type { LoadShape } from '../load/load-shape.js';
import type { LoadRunResult } from '../load/run-load.js';
import type { Figure } from '../report/bench-result.js';
import { atLeast, atMost, figure, ratio } from '../report/figures.js';

/** Server CPU microseconds per delivered message; undefined without the server's CPU. */
export function serverCpuPerMessageUs(load: LoadRunResult): number | undefined {
  const cpu = load.cpu.serverSeconds;
  return cpu === undefined || load.delivered === 0 ? undefined : (cpu * 1e6) / load.delivered;
}

/** The figures of one direct run, with the targets where the run's shape is the one they are stated for. */
export function directFigures(shape: LoadShape, parley: LoadRunResult, baseline: LoadRunResult | undefined): Figure[] {
  const figures: Figure[] = [];
  const closed = shape.mode === 'closed';
  const throughputRatio = ratio(parley.deliveredPerS, baseline?.deliveredPerS);
  figures.push(
    closed
      ? atLeast('delivered msg/s', Math.round(parley.deliveredPerS), 'msg/s', 22_000, ' (1,000 pairs, closed loop)')
      : figure('delivered msg/s', Math.round(parley.deliveredPerS), 'msg/s'),
  );
  if (baseline !== undefined) figures.push(figure('delivered msg/s, bare ws relay', Math.round(baseline.deliveredPerS), 'msg/s'));
  if (throughputRatio !== undefined) {
    figures.push(closed ? atLeast('throughput ÷ relay', throughputRatio, '×', 0.4) : figure('throughput ÷ relay', throughputRatio, '×'));
  }
  const latency = parley.endToEnd;
  const condition = ' (5,000 msg/s over 1,000 pairs)';
  if (closed) {
    figures.push(figure('end-to-end p50', latency.p50Ms, 'ms'), figure('end-to-end p99', latency.p99Ms, 'ms'), figure('end-to-end p99.9', latency.p999Ms, 'ms'));
  } else {
    figures.push(
      atMost('end-to-end p50', latency.p50Ms, 'ms', 1, condition),
      atMost('end-to-end p99', latency.p99Ms, 'ms', 5, condition),
      atMost('end-to-end p99.9', latency.p999Ms, 'ms', 10, condition),
    );
  }
  figures.push(figure('end-to-end p90', latency.p90Ms, 'ms'), figure('end-to-end max', latency.maxMs, 'ms'));
  if (baseline !== undefined) {
    figures.push(
      figure('relay end-to-end p50', baseline.endToEnd.p50Ms, 'ms'),
      figure('relay end-to-end p99', baseline.endToEnd.p99Ms, 'ms'),
      figure('relay end-to-end p99.9', baseline.endToEnd.p999Ms, 'ms'),
    );
    const p99Ratio = ratio(latency.p99Ms, baseline.endToEnd.p99Ms);
    if (p99Ratio !== undefined) figures.push(figure('end-to-end p99 ÷ relay', p99Ratio, '×'));
  }
  figures.push(
    figure('send → sent p50', parley.sendToSent.p50Ms, 'ms'),
    figure('send → sent p99', parley.sendToSent.p99Ms, 'ms'),
    figure('send → sent p99.9', parley.sendToSent.p999Ms, 'ms'),
  );
  figures.push(...cpuFigures(shape, parley, baseline));
  figures.push(
    figure('sends acknowledged (whole run)', parley.totals.acknowledged, 'messages'),
    figure('sends refused', parley.totals.refused, 'messages'),
    figure('duplicate deliveries', parley.totals.duplicates, 'messages'),
    figure('out-of-order deliveries', parley.totals.gaps, 'messages'),
  );
  return figures;
}

function cpuFigures(shape: LoadShape, parley: LoadRunResult, baseline: LoadRunResult | undefined): Figure[] {
  const figures: Figure[] = [];
  const perMessage = serverCpuPerMessageUs(parley);
  if (perMessage !== undefined) {
    figures.push(
      shape.mode === 'open'
        ? atMost('server CPU per message', Math.round(perMessage * 10) / 10, 'µs', 60, ' (at 5,000 msg/s)')
        : figure('server CPU per message', Math.round(perMessage * 10) / 10, 'µs'),
    );
  }
  const relayPerMessage = baseline === undefined ? undefined : serverCpuPerMessageUs(baseline);
  if (relayPerMessage !== undefined) figures.push(figure('relay CPU per message', Math.round(relayPerMessage * 10) / 10, 'µs'));
  if (parley.cpu.serverCores !== undefined) figures.push(figure('server CPU', parley.cpu.serverCores, 'cores'));
  figures.push(figure('generator CPU', parley.cpu.generatorCores, 'cores'), figure('other processes CPU', parley.cpu.otherCores, 'cores'));
  if (parley.cpu.ioPressure !== undefined) figures.push(figure('time some task waited on the disk (PSI)', parley.cpu.ioPressure, 'share'));
  if (baseline?.cpu.serverCores !== undefined) figures.push(figure('relay CPU', baseline.cpu.serverCores, 'cores'));
  if (baseline !== undefined) figures.push(figure('generator CPU (relay run)', baseline.cpu.generatorCores, 'cores'));
  return figures;
}
