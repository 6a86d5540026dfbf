/** The Store contract for stream retention: compaction, the floor, and devices left behind it. */
import { describe, expect, it } from 'vitest';
import { later } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

export function describeRetentionContract(context: ContractContext): void {
  /** Alice with a phone and a laptop, both at pos 1; bob then sends four messages (alice's pos 2..5). */
  async function aliceWithTwoDevices() {
    const make = context.fixtures();
    const [alice, bob] = await make.users('alice', 'bob');
    const conversation = await make.direct(alice, bob);
    const phone = await make.device(alice, 'phone');
    const laptop = await make.device(alice, 'laptop');
    for (const text of ['one', 'two', 'three', 'four']) await make.send(conversation, bob, text);
    return { make, alice, bob, phone, laptop };
  }
  const positions = async (userId: string) => (await context.store().readStream(userId, 0, 100)).map((entry) => entry.pos);

  describe('stream retention', () => {
    it('deletes only the events every active device has acked', async () => {
      const store = context.store();
      const { alice, phone, laptop } = await aliceWithTwoDevices();
      await store.ackStream(phone.id, 5, later);
      await store.ackStream(laptop.id, 3, later);
      expect(await store.compactStream(alice.id, later)).toBe(3);
      expect(await store.streamFloor(alice.id)).toBe(3);
      expect(await positions(alice.id)).toEqual([4, 5]);
      expect((await store.readStream(alice.id, 0, 1))[0]?.pos).toBe(4);

      await store.ackStream(laptop.id, 5, later);
      expect(await store.compactStream(alice.id, later)).toBe(5);
      expect(await positions(alice.id)).toEqual([]);
      expect(await store.currentPos(alice.id)).toBe(5);
    });

    it('does not wait for devices idle since before activeSince, and never lowers the floor', async () => {
      const store = context.store();
      const { alice, phone } = await aliceWithTwoDevices();
      await store.ackStream(phone.id, 4, later);
      expect(await store.compactStream(alice.id, later)).toBe(4);
      // The idle laptop, still at pos 1, counts again with an earlier activeSince.
      expect(await store.compactStream(alice.id, 0)).toBe(4);
      expect(await positions(alice.id)).toEqual([5]);
    });

    it('keeps everything when no device was active since activeSince', async () => {
      const store = context.store();
      const { alice, bob } = await aliceWithTwoDevices();
      expect(await store.compactStream(alice.id, later)).toBe(0);
      expect(await store.compactStream(bob.id, 0)).toBe(0);
      expect(await positions(alice.id)).toEqual([1, 2, 3, 4, 5]);
      expect(await store.streamFloor(bob.id)).toBe(0);
    });

    it('moves a device left behind the floor to the current pos', async () => {
      const store = context.store();
      const { make, alice, bob, phone, laptop } = await aliceWithTwoDevices();
      await store.ackStream(phone.id, 5, later);
      await store.compactStream(alice.id, later);
      expect(await store.resetDevicePos(laptop.id)).toBe(5);
      expect(await store.getDevice(laptop.id)).toMatchObject({ ackedPos: 5 });
      await make.send(`c_${alice.username}_${bob.username}`, bob, 'five');
      expect((await store.readStream(alice.id, 5, 10)).map((entry) => entry.pos)).toEqual([6]);
    });
  });
}
