/** The Store contract for link codes: adding a device without a password. */
import { describe, expect, it } from 'vitest';
import type { User } from '../../chat/model.js';
import type { Fixtures } from './fixtures.js';
import { tokenHash } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

export function describeLinkCodeContract(context: ContractContext): void {
  /** Alice with a phone that made code 'link-code', valid for a minute. */
  async function aliceWithCode() {
    const store = context.store();
    const make = context.fixtures();
    const alice = await make.user('alice');
    const phone = await make.device(alice, 'phone');
    const createdAt = make.tick();
    const expiresAt = createdAt + 60_000;
    await store.createLinkCode({ codeHash: tokenHash('link-code'), userId: alice.id, createdBy: phone.id, createdAt, expiresAt });
    return { make, alice, phone, expiresAt };
  }

  const newDevice = (make: Fixtures, name: string, createdAt = make.tick()) => ({
    id: `d_linked_${name}`,
    name,
    tokenHash: tokenHash(name),
    createdAt,
  });

  describe('link codes', () => {
    it("adds a device to the code's user, at the user's current pos, once", async () => {
      const store = context.store();
      const { make, alice } = await aliceWithCode();
      const { device, user } = await store.redeemLinkCode(tokenHash('link-code'), newDevice(make, 'tablet'), 5);
      expect(user).toEqual<User>(alice);
      expect(device).toMatchObject({ id: 'd_linked_tablet', userId: alice.id, name: 'tablet', ackedPos: await store.currentPos(alice.id) });
      expect(await store.authenticate(tokenHash('tablet'))).toEqual({ device, user: alice });
      await expect(store.redeemLinkCode(tokenHash('link-code'), newDevice(make, 'laptop'), 5)).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect(await store.listDevices(alice.id)).toHaveLength(2);
    });

    it('refuses an unknown code with unauthorized', async () => {
      const store = context.store();
      const { make } = await aliceWithCode();
      await expect(store.redeemLinkCode(tokenHash('guess'), newDevice(make, 'tablet'), 5)).rejects.toMatchObject({ code: 'unauthorized' });
    });

    it('refuses a code at or after its expiry with unauthorized', async () => {
      const store = context.store();
      const { make, expiresAt } = await aliceWithCode();
      await expect(store.redeemLinkCode(tokenHash('link-code'), newDevice(make, 'tablet', expiresAt), 5)).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect(await store.getDevice('d_linked_tablet')).toBeUndefined();
    });

    it('leaves the code usable when the device limit refuses it with conflict', async () => {
      const store = context.store();
      const { make, alice, phone } = await aliceWithCode();
      await expect(store.redeemLinkCode(tokenHash('link-code'), newDevice(make, 'tablet'), 1)).rejects.toMatchObject({ code: 'conflict' });
      await store.revokeDevice(alice.id, phone.id);
      const { device } = await store.redeemLinkCode(tokenHash('link-code'), newDevice(make, 'laptop'), 1);
      expect(await store.listDevices(alice.id)).toEqual([device]);
    });
  });
}
