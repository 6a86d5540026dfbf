import { afterEach, describe, expect, it } from 'vitest';
import { RunRecorder } from '../metrics/run-recorder.js';
import { startRelayServer, type RelayServer } from '../relay/relay-server.js';
import { directMembers } from '../scenarios/direct-population.js';
import { directPairsOnRelay } from '../setup/populations.js';
import { AckBatcher } from './ack-batcher.js';
import { openFleet, type Fleet } from './fleet.js';
import type { LoadShape } from './load-shape.js';
import { MessageTraffic } from './message-traffic.js';
import { runLoad, type LoadRunResult } from './run-load.js';

// Node's timers count whole milliseconds of a cached loop clock, so the server's
// setTimeout(D) may fire up to 1 ms before D has passed on performance.now().
const timerSlackMs = 1;

describe('measuring a server of known latency', () => {
  let server: RelayServer | undefined;
  let fleet: Fleet | undefined;

  afterEach(async () => {
    await fleet?.close();
    await server?.close();
    fleet = server = undefined;
  });

  async function measure(delayMs: number, shape: LoadShape): Promise<LoadRunResult> {
    server = await startRelayServer({ delayMs });
    const recorder = new RunRecorder(undefined);
    const traffic = new MessageTraffic(recorder);
    fleet = await openFleet(directMembers(directPairsOnRelay(10)), {
      url: server.url,
      acks: new AckBatcher(),
      traffic,
      bodyTextBytes: 16,
      connectConcurrency: 10,
    });
    return runLoad(fleet, traffic, recorder, shape, { warmupS: 0.2, durationS: 1, drainS: 1 }, () => {});
  }

  it('reports end-to-end and send-to-sent latencies of at least the server delay, and not far above it', async () => {
    const delayMs = 25;
    const result = await measure(delayMs, { mode: 'open', ratePerSecond: 200 });
    expect(result.endToEnd.count).toBeGreaterThan(100);
    expect(result.endToEnd.minMs).toBeGreaterThanOrEqual(delayMs - timerSlackMs);
    expect(result.endToEnd.p50Ms).toBeGreaterThanOrEqual(delayMs - timerSlackMs);
    // Generous: a loaded 2-core machine may add tens of milliseconds, never hundreds for this little load.
    expect(result.endToEnd.p50Ms).toBeLessThan(delayMs + 75);
    expect(result.sendToSent.minMs).toBeGreaterThanOrEqual(delayMs - timerSlackMs);
    expect(result.sendToSent.p99Ms).toBeLessThan(delayMs + 250);
  });

  it('delivers about the offered rate in an open loop, once each and in order', async () => {
    const result = await measure(5, { mode: 'open', ratePerSecond: 300 });
    expect(result.deliveredPerS).toBeGreaterThan(200);
    expect(result.deliveredPerS).toBeLessThan(400);
    expect(result.totals.duplicates).toBe(0);
    expect(result.totals.gaps).toBe(0);
    expect(result.totals.delivered).toBe(result.totals.acknowledged);
    expect(result.unansweredAfterDrain).toBe(0);
  });

  it('keeps the window of unanswered sends per sender in a closed loop, so throughput follows the delay', async () => {
    const delayMs = 50;
    const result = await measure(delayMs, { mode: 'closed', window: 2 });
    // 10 senders × 2 in flight, each answered after ≥ 50 ms: at most 400 sends a second.
    expect(result.sentPerS).toBeLessThanOrEqual(400);
    expect(result.sentPerS).toBeGreaterThan(100);
    expect(result.sendToSent.minMs).toBeGreaterThanOrEqual(delayMs - timerSlackMs);
  });
});
