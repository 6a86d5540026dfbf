/** The Store contract for password changes. */
import { describe, expect, it } from 'vitest';
import { tokenHash } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

export function describeCredentialContract(context: ContractContext): void {
  describe('credentials', () => {
    it('replaces the password hash', async () => {
      const store = context.store();
      const alice = await context.fixtures().user('alice');
      await store.setPasswordHash(alice.id, 'new-hash');
      expect((await store.findCredentials('alice'))?.passwordHash).toBe('new-hash');
    });

    it('revokes every other device of the user and says which', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const kept = await make.device(alice, 'phone');
      const laptop = await make.device(alice, 'laptop');
      const tablet = await make.device(alice, 'tablet');
      const bobsPhone = await make.device(bob, 'bobphone');
      expect((await store.revokeOtherDevices(alice.id, kept.id)).sort()).toEqual([laptop.id, tablet.id].sort());
      expect((await store.listDevices(alice.id)).map((device) => device.id)).toEqual([kept.id]);
      expect(await store.authenticate(tokenHash('laptop'))).toBeUndefined();
      expect((await store.authenticate(tokenHash('bobphone')))?.device.id).toBe(bobsPhone.id);
    });
  });
}
