import { CpuMeter, type CpuSpan } from './cpu-meter.js';
import type { MeasuredProcesses } from '../process/measured-processes.js';
import { LatencyHistogram, type HistogramBucket, type LatencySummary } from './latency-histogram.js';

/** One second (or so) of a run, for the charts over time. */
export interface IntervalPoint {
  /** Seconds since the measured window began, at the end of this interval. */
  atS: number;
  deliveredPerS: number;
  sentPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  serverCores: number | undefined;
  generatorCores: number;
}

export interface RunMeasurement {
  durationS: number;
  delivered: number;
  deliveredPerS: number;
  sent: number;
  sentPerS: number;
  endToEnd: LatencySummary;
  sendToSent: LatencySummary;
  endToEndBuckets: HistogramBucket[];
  cpu: CpuSpan;
  errors: Record<string, number>;
  series: IntervalPoint[];
}

/**
 * Collects what one load run measures: two latency histograms (send →
 * delivery at the receiver, send → `sent` at the sender), counts, errors,
 * CPU, and a per-interval series. Samples count only while measuring, so the
 * warm-up is left out.
 */
export class RunRecorder {
  readonly endToEnd = new LatencyHistogram();
  readonly sendToSent = new LatencyHistogram();
  private readonly intervalLatency = new LatencyHistogram();
  private readonly errors: Record<string, number> = {};
  private readonly series: IntervalPoint[] = [];
  private delivered = 0;
  private sent = 0;
  private intervalDelivered = 0;
  private intervalSent = 0;
  private measuring = false;
  private window: { cpu: CpuSpan; delivered: number; sent: number } | undefined;
  private startedMs = 0;
  private readonly totalMeter: CpuMeter;
  private readonly intervalMeter: CpuMeter;

  constructor(serverProcesses: MeasuredProcesses | undefined) {
    this.totalMeter = new CpuMeter(serverProcesses);
    this.intervalMeter = new CpuMeter(serverProcesses);
  }

  get isMeasuring(): boolean {
    return this.measuring;
  }

  get deliveredCount(): number {
    return this.delivered;
  }

  /** Starts the measured window: everything recorded before is dropped. */
  startMeasuring(): void {
    this.endToEnd.reset();
    this.sendToSent.reset();
    this.intervalLatency.reset();
    this.delivered = this.sent = this.intervalDelivered = this.intervalSent = 0;
    for (const code of Object.keys(this.errors)) delete this.errors[code];
    this.series.length = 0;
    this.window = undefined;
    this.startedMs = performance.now();
    this.totalMeter.restart();
    this.intervalMeter.restart();
    this.measuring = true;
  }

  recordDelivery(latencyMs: number): void {
    if (!this.measuring) return;
    this.delivered++;
    this.intervalDelivered++;
    this.endToEnd.recordMs(latencyMs);
    this.intervalLatency.recordMs(latencyMs);
  }

  recordSent(latencyMs: number): void {
    if (!this.measuring) return;
    this.sent++;
    this.intervalSent++;
    this.sendToSent.recordMs(latencyMs);
  }

  /** Errors count in and out of the measured window: an error in the warm-up is still worth seeing. */
  recordError(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }

  /** Closes the current interval and returns its point (called about once a second). */
  closeInterval(): IntervalPoint | undefined {
    if (!this.measuring || this.window !== undefined) return undefined;
    const cpu = this.intervalMeter.read(true);
    const seconds = cpu.wallSeconds || 1;
    const point: IntervalPoint = {
      atS: (performance.now() - this.startedMs) / 1000,
      deliveredPerS: this.intervalDelivered / seconds,
      sentPerS: this.intervalSent / seconds,
      p50Ms: this.intervalLatency.percentileMs(50),
      p90Ms: this.intervalLatency.percentileMs(90),
      p99Ms: this.intervalLatency.percentileMs(99),
      p999Ms: this.intervalLatency.percentileMs(99.9),
      maxMs: this.intervalLatency.percentileMs(100),
      serverCores: cpu.serverCores,
      generatorCores: cpu.generatorCores,
    };
    this.series.push(point);
    this.intervalLatency.reset();
    this.intervalDelivered = this.intervalSent = 0;
    return point;
  }

  /**
   * Ends the window for rates and CPU when the load stops. Latencies are still
   * recorded until `finish`, so messages sent near the end, still in flight,
   * count with their true latency instead of being left out (which would
   * flatter the tail), as warm-up messages arriving early in the window do.
   */
  endWindow(): void {
    if (!this.measuring || this.window !== undefined) return;
    this.window = { cpu: this.totalMeter.read(), delivered: this.delivered, sent: this.sent };
  }

  /** Ends the measurement and sums it up. */
  finish(): RunMeasurement {
    this.endWindow();
    const window = this.window ?? { cpu: this.totalMeter.read(), delivered: this.delivered, sent: this.sent };
    this.measuring = false;
    const { cpu } = window;
    const durationS = cpu.wallSeconds;
    return {
      durationS,
      delivered: window.delivered,
      deliveredPerS: window.delivered / durationS,
      sent: window.sent,
      sentPerS: window.sent / durationS,
      endToEnd: this.endToEnd.summary(),
      sendToSent: this.sendToSent.summary(),
      endToEndBuckets: this.endToEnd.buckets(),
      cpu,
      errors: { ...this.errors },
      series: [...this.series],
    };
  }
}
