/**
 * The Store contract for delivered and read receipts (PROTOCOL §4, E2): per
 * reader in a direct conversation, aggregates in a group, and the unread
 * counts they drive.
 */
import { describe, expect, it } from 'vitest';
import type { Appended, ReceiptsMade } from '../../chat/model.js';
import { later } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

/** Receipts as (recipient, status, the user it names or 'all', seq), in recipient order, to compare without positions. */
function receipts(made: ReceiptsMade | Appended[]): [string, string, string, number][] {
  const appended = Array.isArray(made) ? made : made.appended;
  return appended
    .map((item): [string, string, string, number] => {
      if (item.entry.kind !== 'receipt') throw new Error(`expected a receipt, got ${item.entry.kind}`);
      return [item.userId, item.entry.status, item.entry.userId ?? 'all', item.entry.seq];
    })
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
}

const nothing: ReceiptsMade = { appended: [], moves: [] };

/** The receipts among the entries a membership change appended. */
function receiptsIn(appended: Appended[]): Appended[] {
  return appended.filter((item) => item.entry.kind === 'receipt');
}

export function describeReceiptContract(context: ContractContext): void {
  /** A direct conversation of alice and bob; alice has a phone and a laptop; bob sends three messages. */
  async function threeDirectMessages() {
    const make = context.fixtures();
    const [alice, bob] = await make.users('alice', 'bob');
    const conversation = await make.direct(alice, bob);
    const phone = await make.device(alice, 'phone');
    const laptop = await make.device(alice, 'laptop');
    for (const text of ['one', 'two', 'three']) await make.send(conversation, bob, text);
    return { make, alice, bob, conversation, phone, laptop };
  }

  /** A group of alice, bob and carol, each with a phone; bob, carol and bob then send. */
  async function threeGroupMessages() {
    const make = context.fixtures();
    const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
    const group = await make.group(alice, [bob, carol]);
    // A device's token is its name: each needs its own.
    const phones = { alice: await make.device(alice, 'alice-phone'), bob: await make.device(bob, 'bob-phone'), carol: await make.device(carol, 'carol-phone') };
    await make.send(group.id, bob, 'one');
    await make.send(group.id, carol, 'two');
    await make.send(group.id, bob, 'three');
    return { make, alice, bob, carol, group, phones };
  }

  describe('delivered receipts in a direct conversation', () => {
    it('sends the sender one receipt naming the reader, with the highest seq, when a device acks past their messages', async () => {
      const store = context.store();
      const { alice, bob, conversation, phone } = await threeDirectMessages();
      const made = await store.ackStream(phone.id, await store.currentPos(alice.id), later);
      expect(receipts(made)).toEqual([[bob.id, 'delivered', alice.id, 3]]);
      expect(made.moves).toEqual([]);
      for (const item of made.appended) {
        const [stored] = await store.readStream(item.userId, item.entry.pos - 1, 1);
        expect(stored).toEqual(item.entry);
        expect(item.entry).toMatchObject({ conversationId: conversation });
      }
      expect(await store.getMember(conversation, alice.id)).toMatchObject({ deliveredSeq: 3, readSeq: 0 });
    });

    it('sends a receipt only for newly covered messages on a later ack', async () => {
      const store = context.store();
      const { alice, bob, phone } = await threeDirectMessages();
      // pos 1 is `created`; 2, 3, 4 are seqs 1, 2, 3.
      expect(receipts(await store.ackStream(phone.id, 2, later))).toEqual([[bob.id, 'delivered', alice.id, 1]]);
      expect(receipts(await store.ackStream(phone.id, 4, later))).toEqual([[bob.id, 'delivered', alice.id, 3]]);
      expect(await store.ackStream(phone.id, 4, later)).toEqual(nothing);
    });

    it("sends no receipts when the user's second device acks the same messages", async () => {
      const store = context.store();
      const { phone, laptop } = await threeDirectMessages();
      expect(receipts(await store.ackStream(phone.id, 4, later))).toHaveLength(1);
      expect(await store.ackStream(laptop.id, 4, later)).toEqual(nothing);
    });

    it('returns every receipt once between the acks of one device sent together', async () => {
      const store = context.store();
      const { alice, phone } = await threeDirectMessages();
      const results = await Promise.all([2, 4, 3].map((pos) => store.ackStream(phone.id, pos, later)));
      const all = results.flatMap((made) => made.appended);
      expect(new Set(all.map((item) => `${item.userId}:${item.entry.pos}`)).size).toBe(all.length);
      expect(all.filter((item) => item.entry.kind === 'receipt' && item.entry.seq === 3)).toHaveLength(1);
      expect((await store.getDevice(phone.id))?.ackedPos).toBe(await store.currentPos(alice.id));
    });
  });

  describe('read receipts in a direct conversation', () => {
    it("sends a read receipt to the sender and one to the reader's own stream", async () => {
      const store = context.store();
      const { alice, bob, conversation } = await threeDirectMessages();
      const made = await store.markRead(conversation, alice.id, 3);
      expect(receipts(made)).toEqual([
        [alice.id, 'read', alice.id, 3],
        [bob.id, 'read', alice.id, 3],
      ]);
      const [own] = await store.readStream(alice.id, (await store.currentPos(alice.id)) - 1, 1);
      expect(own).toMatchObject({ kind: 'receipt', status: 'read', userId: alice.id, seq: 3, conversationId: conversation });
    });

    it('changes nothing for a read seq at or below the current one', async () => {
      const store = context.store();
      const { alice, bob, conversation } = await threeDirectMessages();
      await store.markRead(conversation, alice.id, 2);
      const pos = await store.currentPos(bob.id);
      expect(await store.markRead(conversation, alice.id, 1)).toEqual(nothing);
      expect(await store.markRead(conversation, alice.id, 2)).toEqual(nothing);
      expect(await store.getMember(conversation, alice.id)).toMatchObject({ readSeq: 2 });
      expect(await store.currentPos(bob.id)).toBe(pos);
    });

    it('caps a read seq at the newest message', async () => {
      const store = context.store();
      const { alice, conversation } = await threeDirectMessages();
      const made = await store.markRead(conversation, alice.id, 1_000);
      expect(made.appended.every((item) => item.entry.kind === 'receipt' && item.entry.seq === 3)).toBe(true);
      expect(await store.getMember(conversation, alice.id)).toMatchObject({ readSeq: 3 });
    });

    it('moves delivered up with read, so a later ack of those messages sends no delivered receipt', async () => {
      const store = context.store();
      const { alice, conversation, phone } = await threeDirectMessages();
      await store.markRead(conversation, alice.id, 3);
      expect(await store.getMember(conversation, alice.id)).toMatchObject({ readSeq: 3, deliveredSeq: 3 });
      expect(await store.ackStream(phone.id, 4, later)).toEqual(nothing);
    });
  });

  describe('aggregate receipts in a group', () => {
    it('tells a sender nothing while another member lacks their messages, then once, with the newest of them', async () => {
      const store = context.store();
      const { alice, bob, carol, group, phones } = await threeGroupMessages();
      // alice has seqs 1 to 3; bob and carol have only each other's.
      expect(receipts(await store.ackStream(phones.alice.id, await store.currentPos(alice.id), later))).toEqual([]);
      expect(receipts(await store.ackStream(phones.carol.id, await store.currentPos(carol.id), later))).toEqual([[bob.id, 'delivered', 'all', 3]]);
      expect(receipts(await store.ackStream(phones.bob.id, await store.currentPos(bob.id), later))).toEqual([[carol.id, 'delivered', 'all', 2]]);
      const [stored] = await store.readStream(bob.id, (await store.currentPos(bob.id)) - 1, 1);
      expect(stored).toMatchObject({ kind: 'receipt', userId: null, status: 'delivered', seq: 3, conversationId: group.id });
    });

    it("returns each member's move for the senders of the messages it covers", async () => {
      const store = context.store();
      const { alice, bob, carol, group, phones } = await threeGroupMessages();
      const made = await store.ackStream(phones.alice.id, await store.currentPos(alice.id), later);
      expect(made.moves).toEqual([{ conversationId: group.id, userId: alice.id, status: 'delivered', seq: 3, senders: [bob.id, carol.id] }]);
      expect((await store.markRead(group.id, alice.id, 2)).moves).toEqual([
        { conversationId: group.id, userId: alice.id, status: 'read', seq: 2, senders: [bob.id, carol.id] },
      ]);
    });

    it("does not let a member's own messages hold the minimum back", async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob, carol]);
      const bobPhone = await make.device(bob, 'bob-phone');
      const carolPhone = await make.device(carol, 'carol-phone');
      await make.send(group.id, alice, 'question');
      for (const text of ['bob talks', 'and talks']) await make.send(group.id, bob, text);
      // bob's delivered seq stops at 1: seqs 2 and 3 are his own.
      await store.ackStream(bobPhone.id, await store.currentPos(bob.id), later);
      expect(await store.getMember(group.id, bob.id)).toMatchObject({ deliveredSeq: 1 });
      expect(receipts(await store.ackStream(carolPhone.id, await store.currentPos(carol.id), later))).toEqual([[alice.id, 'delivered', 'all', 1]]);
    });

    it('counts a member who joined later only for the messages sent after', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, dave] = await make.users('alice', 'bob', 'dave');
      const group = await make.group(alice, [bob]);
      await make.send(group.id, alice, 'before dave');
      await store.addMembers(group.id, alice.id, [dave.id], make.tick(), 1024);
      const bobPhone = await make.device(bob, 'phone');
      expect(receipts(await store.markRead(group.id, bob.id, 1))).toEqual([
        [alice.id, 'read', 'all', 1],
        [bob.id, 'read', bob.id, 1],
      ]);
      await make.send(group.id, alice, 'with dave');
      expect(receipts(await store.ackStream(bobPhone.id, await store.currentPos(bob.id), later))).toEqual([]);
    });

    it('sends one read aggregate where it covers the delivered one, and a delivered one only past it', async () => {
      const store = context.store();
      const { alice, bob, carol, group, phones } = await threeGroupMessages();
      await store.ackStream(phones.alice.id, await store.currentPos(alice.id), later);
      expect(receipts(await store.markRead(group.id, alice.id, 1))).toEqual([[alice.id, 'read', alice.id, 1]]);
      // carol reads without having acked: her delivered seq moves to 3 with it.
      expect(receipts(await store.markRead(group.id, carol.id, 3))).toEqual([
        [bob.id, 'delivered', 'all', 3],
        [bob.id, 'read', 'all', 1],
        [carol.id, 'read', carol.id, 3],
      ]);
      expect(receipts(await store.markRead(group.id, alice.id, 3))).toEqual([
        [alice.id, 'read', alice.id, 3],
        [bob.id, 'read', 'all', 3],
      ]);
      expect(receipts(await store.markRead(group.id, bob.id, 3))).toEqual([
        [bob.id, 'read', bob.id, 3],
        [carol.id, 'read', 'all', 2],
      ]);
    });

    it('lets the minimum rise when the member holding it back leaves', async () => {
      const store = context.store();
      const { alice, bob, carol, group, phones } = await threeGroupMessages();
      await store.ackStream(phones.alice.id, await store.currentPos(alice.id), later);
      // carol never got bob's messages: her leaving lets them count as delivered to all.
      expect(receipts(receiptsIn(await store.removeMember(group.id, carol.id, carol.id)))).toEqual([[bob.id, 'delivered', 'all', 3]]);
      expect(receipts(await store.markRead(group.id, alice.id, 3))).toEqual([
        [alice.id, 'read', alice.id, 3],
        [bob.id, 'read', 'all', 3],
      ]);
    });

    it('tells a former member nothing, and does not count them in the minimum', async () => {
      const store = context.store();
      const { alice, bob, carol, group, phones } = await threeGroupMessages();
      await store.removeMember(group.id, alice.id, bob.id);
      expect(receipts(await store.ackStream(phones.alice.id, await store.currentPos(alice.id), later))).toEqual([[carol.id, 'delivered', 'all', 2]]);
      expect(receipts(await store.markRead(group.id, alice.id, 3))).toEqual([
        [alice.id, 'read', alice.id, 3],
        [carol.id, 'read', 'all', 2],
      ]);
    });

    it("sends no receipts for an ack that covers only the user's own messages", async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = await make.group(alice, [bob]);
      const phone = await make.device(alice, 'phone');
      await make.send(group.id, alice, 'mine');
      expect(await store.ackStream(phone.id, 2, later)).toEqual(nothing);
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
      expect(acked.moves).toEqual([{ conversationId: group.id, userId: bob.id, status: 'delivered', seq: 2, senders: [alice.id] }]);
      expect(receipts(acked)).toEqual([]);
      expect((await store.markRead(group.id, bob.id, 2)).moves).toEqual([
        { conversationId: group.id, userId: bob.id, status: 'read', seq: 2, senders: [alice.id] },
      ]);
    });

    it('refuses a read from an outsider with not_found and from a former member with not_member', async () => {
      const store = context.store();
      const { make, alice, bob, group } = await threeGroupMessages();
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
      const { alice, group } = await threeGroupMessages();
      expect(await store.listConversations(alice.id)).toEqual([
        { conversation: { ...group, lastSeq: 3 }, peer: null, readSeq: 0, unread: 3, lastMessageAt: expect.any(Number), mutedUntil: null },
      ]);
    });
  });
}
