import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bus, HeardNotice, UserNotice } from './bus.js';

/** Adapters may deliver asynchronously. */
const eventually = (condition: () => boolean) =>
  vi.waitFor(() => expect(condition(), 'the bus to deliver').toBe(true), { timeout: 2_000, interval: 5 });

/** Collects the published notices a listener hears; an adapter's `catch_up` may come at any time and is not one. */
const into = (heard: UserNotice[]) => (notice: HeardNotice) => {
  if (notice.kind !== 'catch_up') heard.push(notice);
};

const wake = (pos: number): UserNotice => ({ kind: 'stream', entries: [{ pos, frame: `{"pos":${pos}}` }] });

/** The behaviour every Bus adapter must show. Run it from the adapter's own test file. */
export function describeBusContract(name: string, openBus: () => Promise<Bus>): void {
  describe(`${name} (Bus contract)`, () => {
    let bus: Bus;
    beforeEach(async () => {
      bus = await openBus();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers a notice to every subscriber of that user and to no one else', async () => {
      const first: UserNotice[] = [];
      const second: UserNotice[] = [];
      const other: UserNotice[] = [];
      bus.subscribe('u_a', into(first));
      bus.subscribe('u_a', into(second));
      bus.subscribe('u_b', into(other));
      bus.publish('u_a', wake(1));
      await eventually(() => first.length === 1 && second.length === 1);
      expect(first[0]).toEqual(wake(1));
      expect(second[0]).toEqual(wake(1));
      bus.publish('u_b', wake(7));
      await eventually(() => other.length === 1);
      expect(first).toHaveLength(1);
    });

    it('stops delivering after unsubscribe', async () => {
      const seen: UserNotice[] = [];
      const unsubscribe = bus.subscribe('u_a', into(seen));
      bus.publish('u_a', wake(1));
      await eventually(() => seen.length === 1);
      unsubscribe();
      bus.publish('u_a', wake(2));
      const marker: UserNotice[] = [];
      bus.subscribe('u_a', into(marker));
      bus.publish('u_a', wake(3));
      await eventually(() => marker.length >= 1);
      expect(seen.map((notice) => notice.kind === 'stream' && notice.entries[0]?.pos)).toEqual([1]);
    });

    it('keeps the order of notices published for one user', async () => {
      const heard: UserNotice[] = [];
      bus.subscribe('u_a', into(heard));
      for (let pos = 1; pos <= 50; pos++) bus.publish('u_a', wake(pos));
      await eventually(() => heard.length === 50);
      const positions = heard.map((notice) => (notice.kind === 'stream' ? notice.entries[0]?.pos : undefined));
      expect(positions).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    });

    it('tells a device online while a session holds it, and offline once the last one is released', async () => {
      expect([...(await bus.onlineDevices('u_a'))]).toEqual([]);
      const releaseFirst = bus.markDeviceOnline('u_a', 'd_1');
      const releaseSecond = bus.markDeviceOnline('u_a', 'd_1');
      expect([...(await bus.onlineDevices('u_a'))]).toEqual(['d_1']);
      releaseFirst();
      releaseFirst(); // a second call of one release changes nothing
      expect([...(await bus.onlineDevices('u_a'))]).toEqual(['d_1']);
      releaseSecond();
      expect([...(await bus.onlineDevices('u_a'))]).toEqual([]);
    });

    it('lists the online devices of one user and of no other', async () => {
      const releasePhone = bus.markDeviceOnline('u_a', 'd_1');
      bus.markDeviceOnline('u_a', 'd_2');
      bus.markDeviceOnline('u_b', 'd_3');
      expect([...(await bus.onlineDevices('u_a'))].sort()).toEqual(['d_1', 'd_2']);
      releasePhone();
      expect([...(await bus.onlineDevices('u_a'))]).toEqual(['d_2']);
      expect([...(await bus.onlineDevices('u_c'))]).toEqual([]);
    });
  });
}
