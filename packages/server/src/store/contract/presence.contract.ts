/** The Store contract for what presence needs: last seen times and direct peers. */
import { describe, expect, it } from 'vitest';
import { later } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

export function describePresenceContract(context: ContractContext): void {
  describe('presence', () => {
    it('records when a user was last seen, null until then', async () => {
      const store = context.store();
      const alice = await context.fixtures().user('alice');
      expect(alice.lastSeenAt).toBeNull();
      expect((await store.getUser(alice.id))?.lastSeenAt).toBeNull();
      await store.setLastSeenAt(alice.id, later);
      expect(await store.getUser(alice.id)).toEqual({ ...alice, lastSeenAt: later });
    });

    it('lists the users who share a direct conversation, not group members', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol, dave] = await make.users('alice', 'bob', 'carol', 'dave');
      await make.direct(alice, carol);
      await make.direct(bob, alice);
      await make.group(alice, [dave]);
      expect((await store.listDirectPeers(alice.id)).sort()).toEqual([bob.id, carol.id]);
      expect(await store.listDirectPeers(bob.id)).toEqual([alice.id]);
      expect(await store.listDirectPeers(dave.id)).toEqual([]);
    });
  });
}
