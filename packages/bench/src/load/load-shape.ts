/**
 * How load is offered. Open loop: a fixed rate, whatever the answers
 * (latency is measured from each send's due time). Closed loop: each sender
 * keeps `window` sends unanswered, and sends again on every answer: the
 * highest throughput the server sustains, with latency that hides stalls.
 */
export type LoadShape = { mode: 'open'; ratePerSecond: number } | { mode: 'closed'; window: number };

export interface LoadTimings {
  /** Load before the measured window, to warm the JIT, caches and SQLite. */
  warmupS: number;
  durationS: number;
  /** Time given to messages in flight after the load stops. */
  drainS: number;
}

export function describeShape(shape: LoadShape): string {
  return shape.mode === 'open' ? `open loop at ${shape.ratePerSecond} msg/s` : `closed loop, window ${shape.window} per sender`;
}
