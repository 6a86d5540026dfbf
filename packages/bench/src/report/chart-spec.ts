import type { LoadRunResult } from '../load/run-load.js';
import type { TargetKind } from '../process/targets.js';

/** A chart of the HTML report, independent of the chart library that draws it. */
export interface ChartSpec {
  title: string;
  kind: 'line' | 'bar';
  xLabel: string;
  yLabel: string;
  yLogarithmic?: boolean;
  labels: (number | string)[];
  datasets: { label: string; data: (number | null)[] }[];
}

export interface NamedRun {
  /** e.g. "parley" or "bare ws relay", or "parley @ 5000 msg/s" in a ramp. */
  label: string;
  target: TargetKind;
  load: LoadRunResult;
  /** Deliveries one message makes: 1 in a direct conversation, members - 1 in a group. */
  fanout: number;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** The charts every load scenario has: latency over time, throughput over time, CPU over time, latency histogram. */
export function loadCharts(runs: NamedRun[]): ChartSpec[] {
  const charts: ChartSpec[] = [];
  for (const run of runs) {
    charts.push({
      title: `End-to-end latency percentiles over time: ${run.label}`,
      kind: 'line',
      xLabel: 'seconds into the measured window',
      yLabel: 'ms',
      labels: run.load.series.map((point) => round(point.atS, 1)),
      datasets: (['p50Ms', 'p90Ms', 'p99Ms', 'p999Ms'] as const).map((key) => ({
        label: key.replace('Ms', '').replace('p999', 'p99.9'),
        data: run.load.series.map((point) => round(point[key])),
      })),
    });
  }
  const longest = runs.reduce((best, run) => (run.load.series.length > best.length ? run.load.series : best), runs[0]?.load.series ?? []);
  charts.push({
    title: 'Delivered messages per second over time',
    kind: 'line',
    xLabel: 'seconds into the measured window',
    yLabel: 'deliveries/s',
    labels: longest.map((_, index) => index + 1),
    datasets: runs.map((run) => ({ label: run.label, data: run.load.series.map((point) => Math.round(point.deliveredPerS)) })),
  });
  charts.push({
    title: 'CPU over time (1 = one core busy)',
    kind: 'line',
    xLabel: 'seconds into the measured window',
    yLabel: 'cores',
    labels: longest.map((_, index) => index + 1),
    datasets: runs.flatMap((run) => [
      { label: `${run.label}: server`, data: run.load.series.map((point) => (point.serverCores === undefined ? null : round(point.serverCores, 2))) },
      { label: `${run.label}: generator`, data: run.load.series.map((point) => round(point.generatorCores, 2)) },
    ]),
  });
  charts.push(histogramChart(runs));
  return charts;
}

function histogramChart(runs: NamedRun[]): ChartSpec {
  const bounds = [...new Set(runs.flatMap((run) => run.load.endToEndBuckets.map((bucket) => bucket.upToMs)))].sort((a, b) => a - b);
  return {
    title: 'End-to-end latency histogram (share of deliveries per bucket, log scale)',
    kind: 'bar',
    xLabel: 'latency up to (ms)',
    yLabel: 'share of deliveries',
    yLogarithmic: true,
    labels: bounds.map((bound) => round(bound)),
    datasets: runs.map((run) => {
      const total = run.load.endToEndBuckets.reduce((sum, bucket) => sum + bucket.count, 0) || 1;
      const byBound = new Map(run.load.endToEndBuckets.map((bucket) => [bucket.upToMs, bucket.count / total]));
      return { label: run.label, data: bounds.map((bound) => byBound.get(bound) ?? null) };
    }),
  };
}
