/** The Store contract for blocking. */
import { describe, expect, it } from 'vitest';
import { later } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

const everything = { from: 1, to: Number.MAX_SAFE_INTEGER };

export function describeBlockContract(context: ContractContext): void {
  describe('blocks', () => {
    it('keeps a blocked sender\'s direct message for the sender only, and does not release it on unblock', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const conversation = await make.direct(alice, bob);
      await store.blockUser(alice.id, bob.id, later);
      const withheld = await store.append(make.draft(conversation, bob, 'hello?'));
      expect(withheld.deliveries.map((delivery) => delivery.userId)).toEqual([bob.id]);
      expect((await store.readStream(alice.id, 0, 10)).filter((entry) => entry.kind === 'message')).toEqual([]);
      expect(await store.readHistory(conversation, { limit: 10 }, everything, alice.id)).toEqual([]);
      expect(await store.readHistory(conversation, { limit: 10 }, everything, bob.id)).toHaveLength(1);
      expect((await store.listConversations(alice.id))[0]?.unread).toBe(0);

      await store.unblockUser(alice.id, bob.id);
      const delivered = await store.append(make.draft(conversation, bob, 'and now?'));
      expect(delivered.deliveries.map((delivery) => delivery.userId).sort()).toEqual([alice.id, bob.id].sort());
      expect((await store.readHistory(conversation, { limit: 10 }, everything, alice.id)).map((message) => message.seq)).toEqual([2]);
    });

    it('does not withhold messages in groups, nor the blocker\'s own messages', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const direct = await make.direct(alice, bob);
      const group = await make.group(alice, [bob, carol]);
      await store.blockUser(alice.id, bob.id, later);
      expect((await store.append(make.draft(group.id, bob, 'to all'))).deliveries).toHaveLength(3);
      expect((await store.append(make.draft(direct, alice, 'from the blocker'))).deliveries).toHaveLength(2);
    });

    it('does not withhold a direct message from a sender blocked only by someone outside the conversation', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const direct = await make.direct(alice, bob);
      await store.blockUser(carol.id, alice.id, later);
      expect((await store.append(make.draft(direct, alice, 'hi Bob'))).deliveries).toHaveLength(2);
    });

    it('lists whom a user blocked, and every block relation either way', async () => {
      const store = context.store();
      const [alice, bob, carol] = await context.fixtures().users('alice', 'bob', 'carol');
      await store.blockUser(alice.id, bob.id, later);
      await store.blockUser(carol.id, alice.id, later);
      await store.blockUser(alice.id, bob.id, later);
      expect(await store.listBlocked(alice.id)).toEqual([bob.id]);
      expect((await store.listBlockRelations(alice.id)).sort()).toEqual([bob.id, carol.id].sort());
      expect(await store.listBlockRelations(bob.id)).toEqual([alice.id]);
    });
  });
}
