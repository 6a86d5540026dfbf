import { describe, expect, it } from 'vitest';
import { DeliveryWatch, type CatchUpReason } from './delivery-watch.js';

const quietAfterMs = 2_000;

function watched() {
  const reasons: CatchUpReason[] = [];
  const watch = new DeliveryWatch(quietAfterMs, 0, (reason) => reasons.push(reason));
  return { watch, reasons };
}

describe('DeliveryWatch', () => {
  it('says nothing while the node hears its own heartbeat every second', () => {
    const { watch, reasons } = watched();
    for (let second = 1; second <= 10; second++) {
      watch.ownHeartbeatHeard(second * 1_000 - 990);
      watch.tick(second * 1_000);
    }
    expect(reasons).toEqual([]);
    expect(watch.isDegraded).toBe(false);
  });

  it('catches up at a disconnect, at every tick while disconnected, and once at the reconnect', () => {
    const { watch, reasons } = watched();
    watch.disconnected();
    watch.tick(1_000);
    watch.tick(2_000);
    expect(watch.isDegraded).toBe(true);
    watch.reconnected(2_500);
    expect(reasons).toEqual(['disconnected', 'disconnected', 'disconnected', 'reconnected']);
    expect(watch.isDegraded).toBe(false);
  });

  it('catches up once more when its first heartbeat after a reconnect comes back: its subscriptions hold again', () => {
    const { watch, reasons } = watched();
    watch.disconnected();
    watch.reconnected(500);
    watch.ownHeartbeatHeard(520);
    watch.ownHeartbeatHeard(1_520);
    expect(reasons).toEqual(['disconnected', 'reconnected', 'heard_again']);
  });

  it('counts no quiet period right after a reconnect, before the heartbeat could come back', () => {
    const { watch, reasons } = watched();
    watch.disconnected();
    watch.reconnected(10_000);
    watch.tick(10_500);
    expect(reasons).toEqual(['disconnected', 'reconnected']);
  });

  it('catches up at every tick once its own heartbeat has not come back for the quiet time, and once when it does', () => {
    const { watch, reasons } = watched();
    watch.ownHeartbeatHeard(10);
    watch.tick(1_000);
    watch.tick(2_000);
    expect(reasons).toEqual([]);
    watch.tick(3_000);
    watch.tick(4_000);
    expect(watch.isDegraded).toBe(true);
    watch.ownHeartbeatHeard(4_100);
    watch.tick(5_000);
    expect(reasons).toEqual(['quiet', 'quiet', 'heard_again']);
    expect(watch.isDegraded).toBe(false);
  });
});
