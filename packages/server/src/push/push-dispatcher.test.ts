import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../bus/memory-bus.js';
import { FakeClock } from '../clock/fake-clock.js';
import { Fixtures } from '../store/contract/fixtures.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { tempDir } from '../testing/temp-dir.js';
import { PushDispatcher } from './push-dispatcher.js';
import { createPushMetrics } from './push-metrics.js';
import type { PushTarget } from '../chat/push-model.js';
import type { PushNotification, PushOutcome, PushProvider } from './push-provider.js';

type FcmTarget = Extract<PushTarget, { provider: 'fcm' }>;

/** A provider whose sends wait until the test lets them go, counting how many are in flight. */
class HeldProvider implements PushProvider<FcmTarget> {
  readonly name = 'fcm';
  inFlight = 0;
  inFlightMax = 0;
  readonly sent: PushNotification[] = [];
  private readonly waiting: (() => void)[] = [];
  private arrived: (() => void) | undefined;

  async send(_target: FcmTarget, notification: PushNotification): Promise<PushOutcome> {
    this.inFlight++;
    this.inFlightMax = Math.max(this.inFlightMax, this.inFlight);
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.arrived?.();
    });
    this.inFlight--;
    this.sent.push(notification);
    return { kind: 'delivered' };
  }

  /** Resolves once `count` sends are waiting. */
  async held(count: number): Promise<void> {
    while (this.waiting.length < count) await new Promise<void>((resolve) => (this.arrived = resolve));
  }

  /** Lets every waiting send finish; returns how many. */
  release(): number {
    const released = this.waiting.splice(0);
    for (const resolve of released) resolve();
    return released.length;
  }

  async close(): Promise<void> {}
}

describe('the push dispatcher', () => {
  const dir = tempDir();
  let store: SqliteStore;
  let clock: FakeClock;
  let provider: HeldProvider;
  let dispatcher: PushDispatcher;

  beforeEach(async () => {
    store = SqliteStore.open(join(dir.path, `${Math.random()}.db`));
    clock = new FakeClock();
    provider = new HeldProvider();
    const options = { preview: 'none' as const, pollIntervalMs: 500, concurrency: 3, attemptsMax: 3, retryBaseMs: 1_000, retryMaxMs: 60_000, requestTimeoutMs: 1_000, coalesceMs: 2_000 };
    const deps = { store, bus: new MemoryBus(), clock, providers: { fcm: provider }, metrics: createPushMetrics(new Registry()), logger: pino({ level: 'silent' }) };
    dispatcher = new PushDispatcher(deps, options);
    // Ten users, each with a registered device, each sent one message by Alice.
    const make = new Fixtures(store);
    const alice = await make.user('alice');
    for (let n = 0; n < 10; n++) {
      const user = await make.user(`user${n}`);
      const device = await make.device(user, `phone${n}`);
      await store.setPushRegistration({ deviceId: device.id, userId: user.id, target: { provider: 'fcm', token: `t${n}` }, createdAt: 0 });
      await make.send(await make.direct(alice, user), alice, 'hi');
    }
  });
  afterEach(async () => {
    await dispatcher.close();
    await store.close();
  });
  afterAll(() => dir.remove());

  it('keeps at most `concurrency` notifications in flight and sends them all', async () => {
    clock.advance(86_400_000);
    const done = dispatcher.deliverDue();
    let released = 0;
    while (released < 10) {
      // The dispatcher fills every free slot: three at a time, then what is left.
      const expected = Math.min(3, 10 - released);
      await provider.held(expected);
      expect(provider.inFlight).toBe(expected);
      released += provider.release();
    }
    await done;
    expect(provider.inFlightMax).toBe(3);
    expect(new Set(provider.sent.map((notification) => notification.deviceId)).size).toBe(10);
  });

  it('polls on the clock, and after close neither polls nor sends', async () => {
    dispatcher.start();
    await dispatcher.close();
    clock.advance(86_400_000);
    await dispatcher.deliverDue();
    expect(provider.sent).toEqual([]);
  });
});
