/** The Store contract for delivered and read receipts (PROTOCOL §4) and the unread counts they drive. */
import { describe, expect, it } from 'vitest';
import type { Appended } from '../../chat/model.js';
import { later } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

/** Receipts as (recipient, status, seq), in recipient order, to compare without positions. */
function receipts(appended: Appended[]): [string, string, string, number][] {
  return appended
    .map((item): [string, string, string, number] => {
      if (item.entry.kind !== 'receipt') throw new Error(`expected a receipt, got ${item.entry.kind}`);
      return [item.userId, item.entry.status, item.entry.userId, item.entry.seq];
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
}

export function describeReceiptContract(context: ContractContext): void {
  /** A group of alice, bob and carol; alice has a phone and a laptop; bob, carol and bob then send. */
  async function threeMessages() {
    const make = context.fixtures();
    const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
    const group = await make.group(alice, [bob, carol]);
    const phone = await make.device(alice, 'phone');
    const laptop = await make.device(alice, 'laptop');
    await make.send(group.id, bob, 'one');
    await make.send(group.id, carol, 'two');
    await make.send(group.id, bob, 'three');
    return { make, alice, bob, carol, group, phone, laptop };
  }

  describe('delivered receipts', () => {
    it('sends each sender one receipt with the highest seq when a device acks past their messages', async () => {
      const store = context.store();
      const { alice, bob, carol, group, phone } = await threeMessages();
      const appended = await store.ackStream(phone.id, await store.currentPos(alice.id), later);
      expect(receipts(appended)).toEqual([
        [bob.id, 'delivered', alice.id, 3],
        [carol.id, 'delivered', alice.id, 3],
      ]);
      for (const item of appended) {
        const [stored] = await store.readStream(item.userId, item.entry.pos - 1, 1);
        expect(stored).toEqual(item.entry);
        expect(item.entry).toMatchObject({ conversationId: group.id });
      }
      expect(await store.getMember(group.id, alice.id)).toMatchObject({ deliveredSeq: 3, readSeq: 0 });
    });

    it('sends receipts only to the senders of newly covered messages on a later ack', async () => {
      const store = context.store();
      const { alice, bob, phone } = await threeMessages();
      // pos 1 is `created`; 2, 3, 4 are seqs 1 (bob), 2 (carol), 3 (bob).
      expect(receipts(await store.ackStream(phone.id, 2, later))).toEqual([[bob.id, 'delivered', alice.id, 1]]);
      expect(receipts(await store.ackStream(phone.id, 3, later))).toHaveLength(1);
      expect(receipts(await store.ackStream(phone.id, 4, later))).toEqual([[bob.id, 'delivered', alice.id, 3]]);
      expect(await store.ackStream(phone.id, 4, later)).toEqual([]);
    });

    it("sends no receipts when the user's second device acks the same messages", async () => {
      const store = context.store();
      const { phone, laptop } = await threeMessages();
      expect(await store.ackStream(phone.id, 4, later)).toHaveLength(2);
      expect(await store.ackStream(laptop.id, 4, later)).toEqual([]);
    });

    it("sends no receipts for an ack that covers only the user's own messages", async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = await make.group(alice, [bob]);
      const phone = await make.device(alice, 'phone');
      await make.send(group.id, alice, 'mine');
      expect(await store.ackStream(phone.id, 2, later)).toEqual([]);
      expect(await store.getMember(group.id, alice.id)).toMatchObject({ deliveredSeq: 0 });
    });

    it('sends no receipts for messages sent while the user was not a member', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob, carol]);
      const tablet = await make.device(bob, 'tablet');
      await store.removeMember(group.id, alice.id, bob.id);
      await make.send(group.id, carol, 'while bob was away');
      await store.addMembers(group.id, alice.id, [bob.id], make.tick(), 1024);
      await make.send(group.id, alice, 'welcome back');
      const acked = await store.ackStream(tablet.id, await store.currentPos(bob.id), later);
      expect(receipts(acked)).toEqual([[alice.id, 'delivered', bob.id, 2]]);
      expect(receipts(await store.markRead(group.id, bob.id, 2))).toEqual([
        [alice.id, 'read', bob.id, 2],
        [bob.id, 'read', bob.id, 2],
      ]);
    });

    it('returns every receipt once between the acks of one device sent together', async () => {
      const store = context.store();
      const { alice, phone } = await threeMessages();
      const results = await Promise.all([2, 4, 3].map((pos) => store.ackStream(phone.id, pos, later)));
      const all = results.flat();
      expect(new Set(all.map((item) => `${item.userId}:${item.entry.pos}`)).size).toBe(all.length);
      expect(all.filter((item) => item.entry.kind === 'receipt' && item.entry.seq === 3)).toHaveLength(2);
      expect((await store.getDevice(phone.id))?.ackedPos).toBe(await store.currentPos(alice.id));
    });
  });

  describe('read receipts', () => {
    it("sends a read receipt to each sender and one to the reader's own stream", async () => {
      const store = context.store();
      const { alice, bob, carol, group } = await threeMessages();
      const appended = await store.markRead(group.id, alice.id, 3);
      expect(receipts(appended)).toEqual([
        [alice.id, 'read', alice.id, 3],
        [bob.id, 'read', alice.id, 3],
        [carol.id, 'read', alice.id, 3],
      ]);
      const [own] = await store.readStream(alice.id, (await store.currentPos(alice.id)) - 1, 1);
      expect(own).toMatchObject({ kind: 'receipt', status: 'read', userId: alice.id, seq: 3, conversationId: group.id });
    });

    it('tells only the senders of messages above the previous read seq', async () => {
      const store = context.store();
      const { alice, bob, group } = await threeMessages();
      await store.markRead(group.id, alice.id, 2);
      expect(receipts(await store.markRead(group.id, alice.id, 3))).toEqual([
        [alice.id, 'read', alice.id, 3],
        [bob.id, 'read', alice.id, 3],
      ]);
    });

    it('changes nothing for a read seq at or below the current one', async () => {
      const store = context.store();
      const { alice, bob, group } = await threeMessages();
      await store.markRead(group.id, alice.id, 2);
      const pos = await store.currentPos(bob.id);
      expect(await store.markRead(group.id, alice.id, 1)).toEqual([]);
      expect(await store.markRead(group.id, alice.id, 2)).toEqual([]);
      expect(await store.getMember(group.id, alice.id)).toMatchObject({ readSeq: 2 });
      expect(await store.currentPos(bob.id)).toBe(pos);
    });

    it('caps a read seq at the newest message', async () => {
      const store = context.store();
      const { alice, group } = await threeMessages();
      const appended = await store.markRead(group.id, alice.id, 1_000);
      expect(appended.every((item) => item.entry.kind === 'receipt' && item.entry.seq === 3)).toBe(true);
      expect(await store.getMember(group.id, alice.id)).toMatchObject({ readSeq: 3 });
    });

    it('moves delivered up with read, so a later ack of those messages sends no delivered receipt', async () => {
      const store = context.store();
      const { alice, group, phone } = await threeMessages();
      await store.markRead(group.id, alice.id, 3);
      const members = await store.listMembers(group.id);
      expect(members.find((member) => member.userId === alice.id)).toMatchObject({ readSeq: 3, deliveredSeq: 3 });
      expect(await store.ackStream(phone.id, 4, later)).toEqual([]);
    });

    it('refuses an outsider with not_found and a former member with not_member', async () => {
      const store = context.store();
      const { make, alice, bob, group } = await threeMessages();
      const mallory = await make.user('mallory');
      await expect(store.markRead(group.id, mallory.id, 1)).rejects.toMatchObject({ code: 'not_found' });
      await store.removeMember(group.id, alice.id, bob.id);
      await expect(store.markRead(group.id, bob.id, 3)).rejects.toMatchObject({ code: 'not_member' });
    });
  });

  describe('unread counts', () => {
    it('counts the messages from others above the read seq', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const conversation = await make.direct(alice, bob);
      for (const text of ['one', 'two', 'three']) await make.send(conversation, bob, text);
      await make.send(conversation, alice, 'mine');
      expect((await store.listConversations(alice.id))[0]).toMatchObject({ readSeq: 0, unread: 3 });
      await store.markRead(conversation, alice.id, 2);
      expect((await store.listConversations(alice.id))[0]).toMatchObject({ readSeq: 2, unread: 1 });
      await store.markRead(conversation, alice.id, 4);
      expect((await store.listConversations(alice.id))[0]).toMatchObject({ readSeq: 4, unread: 0 });
    });

    it('lists a group without a peer', async () => {
      const store = context.store();
      const { alice, group } = await threeMessages();
      expect(await store.listConversations(alice.id)).toEqual([
        { conversation: { ...group, lastSeq: 3 }, peer: null, readSeq: 0, unread: 3, lastMessageAt: expect.any(Number), mutedUntil: null },
      ]);
    });
  });
}
