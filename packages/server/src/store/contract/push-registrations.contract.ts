/** The Store contract for push registrations and mutes. */
import { describe, expect, it } from 'vitest';
import type { PushTarget } from '../../chat/push-model.js';
import { later } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

export const fcm = (token: string): PushTarget => ({ provider: 'fcm', token });

export function describePushRegistrationContract(context: ContractContext): void {
  describe('push registrations', () => {
    it('sets, replaces and gets the registration of a device', async () => {
      const store = context.store();
      const make = context.fixtures();
      const alice = await make.user('alice');
      const phone = await make.device(alice, 'phone');
      expect(await store.getPushRegistration(phone.id)).toBeUndefined();
      await store.setPushRegistration({ deviceId: phone.id, userId: alice.id, target: fcm('token-1'), createdAt: later });
      const apns: PushTarget = { provider: 'apns', token: 'ab'.repeat(32), topic: 'app.parley', environment: 'sandbox' };
      await store.setPushRegistration({ deviceId: phone.id, userId: alice.id, target: apns, createdAt: later + 1 });
      expect(await store.getPushRegistration(phone.id)).toEqual({ deviceId: phone.id, userId: alice.id, target: apns, createdAt: later + 1 });
    });

    it("refuses a device that is not the user's with not_found", async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const phone = await make.device(alice, 'phone');
      const registration = { deviceId: phone.id, userId: bob.id, target: fcm('t'), createdAt: later };
      await expect(store.setPushRegistration(registration)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('moves a token to the device that registers it last', async () => {
      const store = context.store();
      const make = context.fixtures();
      const alice = await make.user('alice');
      const [old, fresh] = [await make.device(alice, 'old'), await make.device(alice, 'fresh')];
      await store.setPushRegistration({ deviceId: old.id, userId: alice.id, target: fcm('same'), createdAt: later });
      await store.setPushRegistration({ deviceId: fresh.id, userId: alice.id, target: fcm('same'), createdAt: later });
      expect(await store.getPushRegistration(old.id)).toBeUndefined();
      expect((await store.getPushRegistration(fresh.id))?.target).toEqual(fcm('same'));
    });

    it('removes a registration, with a target only while it is still that one', async () => {
      const store = context.store();
      const make = context.fixtures();
      const alice = await make.user('alice');
      const phone = await make.device(alice, 'phone');
      await store.setPushRegistration({ deviceId: phone.id, userId: alice.id, target: fcm('new'), createdAt: later });
      expect(await store.removePushRegistration(phone.id, fcm('old'))).toBe(false);
      expect(await store.getPushRegistration(phone.id)).toBeDefined();
      expect(await store.removePushRegistration(phone.id, fcm('new'))).toBe(true);
      expect(await store.getPushRegistration(phone.id)).toBeUndefined();
      expect(await store.removePushRegistration(phone.id)).toBe(false);
    });

    it('removes the registration and the queued jobs with a revoked device', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const phone = await make.device(bob, 'phone');
      await store.setPushRegistration({ deviceId: phone.id, userId: bob.id, target: fcm('t'), createdAt: later });
      const conversation = await make.direct(alice, bob);
      await make.send(conversation, alice, 'hi');
      expect(await store.revokeDevice(bob.id, phone.id)).toBe(true);
      expect(await store.getPushRegistration(phone.id)).toBeUndefined();
      expect(await store.claimPushJobs(later, 10, later + 1)).toEqual([]);
    });

    it('mutes for members only: not_found for others, not_member for former members', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob]);
      await store.setMute(group.id, bob.id, later);
      await store.setMute(group.id, bob.id, null);
      await expect(store.setMute(group.id, carol.id, later)).rejects.toMatchObject({ code: 'not_found' });
      await store.removeMember(group.id, bob.id, bob.id);
      await expect(store.setMute(group.id, bob.id, later)).rejects.toMatchObject({ code: 'not_member' });
    });
  });
}
