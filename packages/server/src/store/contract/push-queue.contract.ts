/** The Store contract for the durable push queue that `append` fills. */
import { describe, expect, it } from 'vitest';
import type { Device, User } from '../../chat/model.js';
import type { Store } from '../../chat/store-port.js';
import { fcm } from './push-registrations.contract.js';
import { later } from './fixtures.js';
import type { ContractContext, Fixtures } from './fixtures.js';

/** The coalescing window of a store opened with its defaults. */
const windowMs = 2_000;
const leaseMs = 60_000;

async function registered(store: Store, make: Fixtures, user: User, name: string): Promise<Device> {
  const device = await make.device(user, name);
  await store.setPushRegistration({ deviceId: device.id, userId: user.id, target: fcm(`token-${device.id}`), createdAt: later });
  return device;
}

export function describePushQueueContract(context: ContractContext): void {
  describe('push queue', () => {
    async function scene() {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const conversation = await make.direct(alice, bob);
      const bobPhone = await registered(store, make, bob, 'phone');
      return { store, make, alice, bob, conversation, bobPhone };
    }

    it("queues one job per registered device of the other members, none for the sender's devices or unregistered ones", async () => {
      const { store, make, alice, bob, conversation, bobPhone } = await scene();
      await registered(store, make, alice, 'laptop');
      await make.device(bob, 'tablet');
      const message = await make.send(conversation, alice, 'hi');
      const jobs = await store.claimPushJobs(later, 10, later + leaseMs);
      expect(jobs).toEqual([
        expect.objectContaining({
          deviceId: bobPhone.id,
          userId: bob.id,
          conversationId: conversation,
          firstSeq: message.seq,
          lastSeq: message.seq,
          count: 1,
          attempts: 1,
          target: fcm(`token-${bobPhone.id}`),
          mutedUntil: null,
        }),
      ]);
      expect(jobs[0]?.lastPos).toBe(await store.currentPos(bob.id));
    });

    it('gathers a burst to one device and conversation into one job, due the window after its first message', async () => {
      const { store, make, alice, conversation } = await scene();
      const first = await make.send(conversation, alice, 'one');
      for (let n = 2; n <= 20; n++) await make.send(conversation, alice, `message ${n}`);
      expect(await store.claimPushJobs(first.at + windowMs - 1, 10, later)).toEqual([]);
      const [job, ...others] = await store.claimPushJobs(first.at + windowMs, 10, later);
      expect(others).toEqual([]);
      expect(job).toMatchObject({ firstSeq: 1, lastSeq: 20, count: 20 });
    });

    it('leases a claimed job: not claimed again until the lease ends, then with the attempt counted', async () => {
      const { store, make, alice, conversation } = await scene();
      await make.send(conversation, alice, 'hi');
      expect(await store.claimPushJobs(later, 10, later + leaseMs)).toHaveLength(1);
      expect(await store.claimPushJobs(later + leaseMs - 1, 10, later + 2 * leaseMs)).toEqual([]);
      expect(await store.claimPushJobs(later + leaseMs, 10, later + 2 * leaseMs)).toEqual([expect.objectContaining({ attempts: 2 })]);
    });

    it('never queues a message twice for a device: a completed job stays done, later messages start afresh', async () => {
      const { store, make, alice, conversation } = await scene();
      await make.send(conversation, alice, 'one');
      const [job] = await store.claimPushJobs(later, 10, later + leaseMs);
      await store.completePushJob(job!, later);
      expect(await store.claimPushJobs(later + 10 * leaseMs, 10, later + 11 * leaseMs)).toEqual([]);
      const next = await make.send(conversation, alice, 'two');
      const [again] = await store.claimPushJobs(later + 10 * leaseMs, 10, later + 11 * leaseMs);
      expect(again).toMatchObject({ firstSeq: next.seq, lastSeq: next.seq, count: 1, attempts: 1 });
    });

    it('keeps what was queued while a job was out, due at the next due time given on completion', async () => {
      const { store, make, alice, conversation } = await scene();
      await make.send(conversation, alice, 'one');
      const [job] = await store.claimPushJobs(later, 10, later + leaseMs);
      await make.send(conversation, alice, 'two');
      await make.send(conversation, alice, 'three');
      await store.completePushJob(job!, later + 5);
      expect(await store.claimPushJobs(later + 4, 10, later + leaseMs)).toEqual([]);
      expect(await store.claimPushJobs(later + 5, 10, later + leaseMs)).toEqual([
        expect.objectContaining({ firstSeq: 2, lastSeq: 3, count: 2, attempts: 1 }),
      ]);
    });

    it('puts a job back for a retry with what was queued meanwhile', async () => {
      const { store, make, alice, conversation } = await scene();
      await make.send(conversation, alice, 'one');
      const [job] = await store.claimPushJobs(later, 10, later + leaseMs);
      await make.send(conversation, alice, 'two');
      await store.retryPushJob(job!, later + 1_000);
      expect(await store.claimPushJobs(later + 999, 10, later + leaseMs)).toEqual([]);
      expect(await store.claimPushJobs(later + 1_000, 10, later + leaseMs)).toEqual([
        expect.objectContaining({ firstSeq: 1, lastSeq: 2, count: 2, attempts: 2 }),
      ]);
    });

    it('cancels what a device waits for; a job cancelled while out is not revived by its completion', async () => {
      const { store, make, alice, conversation, bobPhone } = await scene();
      await make.send(conversation, alice, 'one');
      const [job] = await store.claimPushJobs(later, 10, later + leaseMs);
      expect(await store.cancelPushJobs(bobPhone.id)).toBe(1);
      await store.retryPushJob(job!, later);
      await store.completePushJob(job!, later);
      expect(await store.claimPushJobs(later + 10 * leaseMs, 10, later + 11 * leaseMs)).toEqual([]);
      await make.send(conversation, alice, 'two');
      const [fresh] = await store.claimPushJobs(later + 10 * leaseMs, 10, later + 11 * leaseMs);
      expect(fresh).toMatchObject({ firstSeq: 2, lastSeq: 2, count: 1 });
    });

    it('queues nothing for a muted conversation until the mute ends or is lifted', async () => {
      const { store, make, alice, bob, conversation } = await scene();
      const first = await make.send(conversation, alice, 'before');
      await store.claimPushJobs(later, 10, later).then((jobs) => Promise.all(jobs.map((job) => store.completePushJob(job, later))));
      await store.setMute(conversation, bob.id, first.at + 10_000);
      await make.send(conversation, alice, 'muted');
      expect(await store.claimPushJobs(later + leaseMs, 10, later + 2 * leaseMs)).toEqual([]);
      await store.setMute(conversation, bob.id, null);
      const unmuted = await make.send(conversation, alice, 'unmuted');
      expect(await store.claimPushJobs(later + leaseMs, 10, later + 2 * leaseMs)).toEqual([
        expect.objectContaining({ firstSeq: unmuted.seq, count: 1, mutedUntil: null }),
      ]);
    });

    it("reports the device's acked pos, so a device that acked past the job can be skipped", async () => {
      const { store, make, alice, bob, conversation, bobPhone } = await scene();
      await make.send(conversation, alice, 'hi');
      await store.ackStream(bobPhone.id, await store.currentPos(bob.id), later);
      const [job] = await store.claimPushJobs(later, 10, later + leaseMs);
      expect(job!.deviceAckedPos).toBeGreaterThanOrEqual(job!.lastPos);
    });

    it('queues nothing for a message withheld by a block', async () => {
      const { store, make, alice, bob, conversation } = await scene();
      await store.blockUser(bob.id, alice.id, later);
      await make.send(conversation, alice, 'withheld');
      expect(await store.claimPushJobs(later, 10, later + leaseMs)).toEqual([]);
    });

    it('counts the unread messages of a user over all current conversations', async () => {
      const { store, make, alice, bob, conversation } = await scene();
      const carol = await make.user('carol');
      const group = await make.group(carol, [bob]);
      await make.send(conversation, alice, 'one');
      await make.send(conversation, alice, 'two');
      await make.send(group.id, carol, 'three');
      await make.send(group.id, bob, 'own message');
      expect(await store.countUnread(bob.id)).toBe(3);
      await store.markRead(conversation, bob.id, 1);
      expect(await store.countUnread(bob.id)).toBe(2);
    });
  });
}
