import { generatorSaturatedCores } from '../metrics/cpu-meter.js';
import type { IntervalPoint, RunMeasurement, RunRecorder } from '../metrics/run-recorder.js';
import { gcBetween, type GcSpan, type GcTotals } from '../process/server-gc.js';
import type { Fleet } from './fleet.js';
import type { LoadShape, LoadTimings } from './load-shape.js';
import type { MessageTraffic, TrafficTotals } from './message-traffic.js';
import { OpenLoopScheduler } from './open-loop-scheduler.js';

export interface LoadRunResult extends RunMeasurement {
  shape: LoadShape;
  /** Counts of this run, warm-up and drain included (a fleet may serve several runs). */
  totals: TrafficTotals;
  /** Sends still unanswered after the drain: lost answers, or a server far behind. */
  unansweredAfterDrain: number;
  /** The open loop's largest delay between a due time and the actual write. */
  generatorMaxLagMs: number | undefined;
  /** True when the generator used more than `generatorSaturatedCores` of a core: it may be the limit. */
  generatorSaturated: boolean;
  /** The server's GC pauses in the measured window; undefined where they cannot be read. */
  serverGc?: GcSpan | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Drives one load over an open fleet: warm-up, measured window (with a
 * point per second for the charts and the progress line), then a drain.
 */
export async function runLoad(
  fleet: Fleet,
  traffic: MessageTraffic,
  recorder: RunRecorder,
  shape: LoadShape,
  timings: LoadTimings,
  onInterval: (point: IntervalPoint, totals: TrafficTotals) => void,
  readServerGc: () => Promise<GcTotals | undefined> = () => Promise.resolve(undefined),
): Promise<LoadRunResult> {
  if (fleet.senders.length === 0) throw new Error('the load has no senders');
  const totalsBefore = { ...traffic.totals };
  const driver = startDriver(fleet, traffic, shape);
  await sleep(timings.warmupS * 1000);
  recorder.startMeasuring();
  // Read while the load runs, not awaited here: the window's timing stays the recorder's.
  const gcAtStart = readServerGc();
  const ticker = setInterval(() => {
    const point = recorder.closeInterval();
    if (point !== undefined) onInterval(point, traffic.totals);
  }, 1000);
  await sleep(timings.durationS * 1000);
  clearInterval(ticker);
  recorder.closeInterval();
  driver.stop();
  recorder.endWindow();
  const gcAtEnd = readServerGc();
  const drainUntil = performance.now() + timings.drainS * 1000;
  while (traffic.unanswered > 0 && performance.now() < drainUntil) await sleep(20);
  // Deliveries may trail the last `sent`; a short pause lets them land.
  await sleep(Math.min(200, timings.drainS * 1000));
  const measurement = recorder.finish();
  return {
    ...measurement,
    shape,
    totals: since(totalsBefore, traffic.totals),
    unansweredAfterDrain: traffic.unanswered,
    generatorMaxLagMs: driver.maxLagMs(),
    generatorSaturated: measurement.cpu.generatorCores > generatorSaturatedCores,
    serverGc: gcBetween(await gcAtStart, await gcAtEnd, timings.durationS),
  };
}

function since(before: TrafficTotals, now: TrafficTotals): TrafficTotals {
  const counts = { ...now };
  for (const key of Object.keys(counts) as (keyof TrafficTotals)[]) counts[key] -= before[key];
  return counts;
}

interface Driver {
  stop(): void;
  maxLagMs(): number | undefined;
}

function startDriver(fleet: Fleet, traffic: MessageTraffic, shape: LoadShape): Driver {
  const { senders } = fleet;
  if (shape.mode === 'open') {
    const scheduler = new OpenLoopScheduler({
      ratePerSecond: shape.ratePerSecond,
      onDue: (dueMs, index) => traffic.send(senders[index % senders.length] as (typeof senders)[number], dueMs),
    });
    scheduler.start();
    return { stop: () => scheduler.stop(), maxLagMs: () => scheduler.maxLagMs };
  }
  let running = true;
  traffic.onAnswered = (slot) => {
    while (running && slot.inFlight < shape.window) traffic.send(slot, performance.now());
  };
  for (const slot of senders) {
    for (let index = 0; index < shape.window; index++) traffic.send(slot, performance.now());
  }
  return {
    stop: () => {
      running = false;
      traffic.onAnswered = undefined;
    },
    maxLagMs: () => undefined,
  };
}
