/**
 * The behaviour every Store adapter must show, written only against the port
 * so the PostgreSQL adapter runs the very same suite:
 * `describeStoreContract('SqliteStore', async () => SqliteStore.open(file))`.
 * `openStore` must return a fresh, empty store each time. Groups, receipts,
 * link codes, retention and presence have their parts in `contract/`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../chat/parley-error.js';
import { body, directDraft, Fixtures, later, newUser, range, tokenHash } from './contract/fixtures.js';
import type { ContractContext } from './contract/fixtures.js';
import { describeBlockContract } from './contract/blocks.contract.js';
import { describeCredentialContract } from './contract/credentials.contract.js';
import { describeGroupContract } from './contract/groups.contract.js';
import { describeInviteContract } from './contract/invites.contract.js';
import { describeLinkCodeContract } from './contract/link-codes.contract.js';
import { describeLoginFailureContract } from './contract/login-failures.contract.js';
import { describePresenceContract } from './contract/presence.contract.js';
import { describePushQueueContract } from './contract/push-queue.contract.js';
import { describePushRegistrationContract } from './contract/push-registrations.contract.js';
import { describeReceiptContract } from './contract/receipts.contract.js';
import { describeRetentionContract } from './contract/retention.contract.js';
import type { Store } from '../chat/store-port.js';

const ascending = (numbers: number[]) => [...numbers].sort((a, b) => a - b);

export function describeStoreContract(name: string, openStore: () => Promise<Store>): void {
  describe(`${name} (Store contract)`, () => {
    let store: Store;
    let open: boolean;

    beforeEach(async () => {
      store = await openStore();
      open = true;
    });

    afterEach(async () => {
      if (open) await store.close();
    });

    const fixtures = () => new Fixtures(store);
    const context: ContractContext = { store: () => store, fixtures };

    describeGroupContract(context);
    describeReceiptContract(context);
    describeLinkCodeContract(context);
    describeLoginFailureContract(context);
    describeInviteContract(context);
    describeRetentionContract(context);
    describePresenceContract(context);
    describeCredentialContract(context);
    describeBlockContract(context);
    describePushRegistrationContract(context);
    describePushQueueContract(context);

    describe('accounts', () => {
      it('refuses a username that is taken with conflict', async () => {
        await fixtures().user('alice');
        const again = store.createUser({ ...newUser('alice'), id: 'u_other' });
        await expect(again).rejects.toBeInstanceOf(ParleyError);
        await expect(again).rejects.toMatchObject({ code: 'conflict' });
      });

      it('finds the user and password hash by username', async () => {
        const alice = await fixtures().user('alice');
        expect(await store.findCredentials('alice')).toEqual({ user: alice, passwordHash: 'hash-of-alice' });
        expect(await store.findCredentials('nobody')).toBeUndefined();
      });

      it('gets a user by id and applies a patch', async () => {
        const alice = await fixtures().user('alice');
        expect(await store.getUser(alice.id)).toEqual(alice);
        const patched = await store.updateUser(alice.id, { displayName: 'Alice A.', lastSeen: 'nobody' });
        expect(patched).toEqual({ ...alice, displayName: 'Alice A.', lastSeen: 'nobody' });
        expect(await store.getUser(alice.id)).toEqual(patched);
      });

      it('refuses to update an unknown user with not_found', async () => {
        await expect(store.updateUser('u_ghost', { displayName: 'x' })).rejects.toMatchObject({ code: 'not_found' });
      });

      it('searches users by a case-insensitive prefix of username or display name, by username', async () => {
        const make = fixtures();
        await make.user('bob', 'Alfred');
        await make.user('alina');
        await make.user('alice');
        await make.user('carol');
        const found = await store.searchUsers('AL', 10);
        expect(found.map((user) => user.username)).toEqual(['alice', 'alina', 'bob']);
        expect((await store.searchUsers('al', 2)).map((user) => user.username)).toEqual(['alice', 'alina']);
      });

      it('treats % and _ in a search as plain characters and SQL as text', async () => {
        const make = fixtures();
        await make.user('alice');
        await make.user('a_b');
        expect((await store.searchUsers('%', 10)).map((user) => user.username)).toEqual([]);
        expect((await store.searchUsers('a_', 10)).map((user) => user.username)).toEqual(['a_b']);
        expect(await store.searchUsers("'; DROP TABLE users; --", 10)).toEqual([]);
        expect(await store.getUser('u_alice')).toBeDefined();
      });
    });

    describe('devices', () => {
      it('authenticates a device by its token hash, with its user', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const device = await make.device(alice, 'phone');
        expect(await store.authenticate(tokenHash('phone'))).toEqual({ device, user: alice });
        expect(await store.authenticate(tokenHash('unknown'))).toBeUndefined();
      });

      it('no longer authenticates a revoked device', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const device = await make.device(alice, 'phone');
        expect(await store.revokeDevice(alice.id, device.id)).toBe(true);
        expect(await store.authenticate(tokenHash('phone'))).toBeUndefined();
        expect(await store.getDevice(device.id)).toBeUndefined();
        expect(await store.revokeDevice(alice.id, device.id)).toBe(false);
      });

      it("does not revoke another user's device", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const device = await make.device(alice, 'phone');
        expect(await store.revokeDevice(bob.id, device.id)).toBe(false);
        expect(await store.getDevice(device.id)).toEqual(device);
      });

      it('refuses a device past maxDevices with conflict', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        await make.device(alice, 'one', 2);
        await make.device(alice, 'two', 2);
        await expect(make.device(alice, 'three', 2)).rejects.toMatchObject({ code: 'conflict' });
        expect(await store.listDevices(alice.id)).toHaveLength(2);
      });

      it('admits exactly maxDevices devices created concurrently', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map((name) => make.device(alice, name, 2)));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
        expect(await store.listDevices(alice.id)).toHaveLength(2);
      });

      it("starts a new device at the user's current pos", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        await make.send(conversation, bob, 'hello');
        const device = await make.device(alice, 'phone');
        expect(await store.currentPos(alice.id)).toBe(2);
        expect(device.ackedPos).toBe(2);
        expect(device.lastActiveAt).toBe(device.createdAt);
        expect(await store.listDevices(alice.id)).toEqual([device]);
      });
    });

    describe('direct conversations', () => {
      it('opens one conversation per pair whoever opens it', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const first = await store.openDirectConversation(directDraft('c_1', alice, bob));
        const second = await store.openDirectConversation(directDraft('c_2', bob, alice));
        expect(first.created).toBe(true);
        expect(second).toEqual({ conversation: first.conversation, created: false });
        expect(first.conversation).toMatchObject({ id: 'c_1', kind: 'direct', name: '', lastSeq: 0, createdBy: alice.id });
      });

      it('opens one conversation under concurrent opens of the same pair', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const opened = await Promise.all(
          [1, 2, 3, 4, 5].map((n) => store.openDirectConversation(directDraft(`c_${n}`, n % 2 ? alice : bob, n % 2 ? bob : alice))),
        );
        expect(new Set(opened.map((result) => result.conversation.id)).size).toBe(1);
        expect(opened.filter((result) => result.created)).toHaveLength(1);
      });

      it("puts a created event in both members' streams and makes both members", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        for (const user of [alice, bob]) {
          expect(await store.readStream(user.id, 0, 10)).toEqual([
            {
              kind: 'conversation',
              pos: 1,
              conversationId: conversation,
              change: 'created',
              conversationKind: 'direct',
              members: [alice.id, bob.id],
              name: '',
              by: alice.id,
            },
          ]);
        }
        const members = await store.listMembers(conversation);
        expect(members.map((member) => member.userId).sort()).toEqual([alice.id, bob.id].sort());
        expect(await store.getMember(conversation, bob.id)).toMatchObject({
          role: 'member',
          joinedAfterSeq: 0,
          leftAtSeq: null,
          deliveredSeq: 0,
          readSeq: 0,
        });
        expect(await store.getMember(conversation, 'u_ghost')).toBeUndefined();
      });
    });

    describe('append', () => {
      it('assigns dense, unique seqs 1..N and dense positions under 100 concurrent appends', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, n) => store.append(make.draft(conversation, n % 2 ? alice : bob, `m${n}`))),
        );
        expect(ascending(results.map((result) => result.message.seq))).toEqual(range(1, 100));
        expect((await store.getConversation(conversation))?.lastSeq).toBe(100);
        for (const user of [alice, bob]) {
          const stream = await store.readStream(user.id, 0, 1000);
          expect(stream.map((entry) => entry.pos)).toEqual(range(1, 101));
          expect(await store.currentPos(user.id)).toBe(101);
          const positions = results.map((result) => result.deliveries.find((delivery) => delivery.userId === user.id)?.pos ?? 0);
          expect(ascending(positions)).toEqual(range(2, 101));
          // Every member's stream holds the conversation in seq order.
          const seqs = stream.flatMap((entry) => (entry.kind === 'message' ? [entry.message.seq] : []));
          expect(seqs).toEqual(range(1, 100));
        }
      });

      it('numbers the appends of one device in the order they were called', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, n) => store.append(make.draft(conversation, n % 2 ? alice : bob, `m${n}`))),
        );
        for (const sender of [alice, bob]) {
          const seqs = results.filter((result) => result.message.senderId === sender.id).map((result) => result.message.seq);
          expect(seqs).toEqual(ascending(seqs));
        }
      });

      it("puts the message in every member's stream, the sender's included", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const result = await store.append(make.draft(conversation, alice, 'hi'));
        expect(result.duplicate).toBe(false);
        expect(result.message).toMatchObject({ conversationId: conversation, seq: 1, senderId: alice.id, bodyJson: body('hi') });
        expect([...result.deliveries].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
          { userId: alice.id, pos: 2 },
          { userId: bob.id, pos: 2 },
        ]);
        expect(await store.readStream(bob.id, 1, 10)).toEqual([{ kind: 'message', pos: 2, message: result.message }]);
      });

      it("never gives a message an at before the previous message's in its conversation (a clock stepped back)", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const first = await make.send(conversation, alice, 'first');
        const second = await store.append({ ...make.draft(conversation, bob, 'second'), at: first.at - 60_000 });
        expect(second.message).toMatchObject({ seq: first.seq + 1, at: first.at });
        const third = await store.append({ ...make.draft(conversation, alice, 'third'), at: first.at + 5 });
        expect(third.message.at).toBe(first.at + 5);
      });

      it('returns the first seq with duplicate: true when (sender, id) is appended again, adding no event', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const draft = make.draft(conversation, alice, 'hi');
        const first = await store.append(draft);
        await make.send(conversation, bob, 'hey');
        const again = await store.append({ ...draft, at: draft.at + 5_000 });
        expect(again).toEqual({ message: first.message, deliveries: [], duplicate: true });
        expect(await store.currentPos(bob.id)).toBe(3);
      });

      it('dedupes two concurrent appends of the same (sender, id) from one device', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const draft = make.draft(conversation, alice, 'hi');
        const [first, second] = await Promise.all([store.append(draft), store.append(draft)]);
        expect(first?.duplicate).toBe(false);
        expect(second).toEqual({ message: first?.message, deliveries: [], duplicate: true });
        expect(await store.currentPos(bob.id)).toBe(2);
      });

      it('refuses the same (sender, id) with another body or conversation with conflict', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const carol = await make.user('carol');
        const withBob = await make.direct(alice, bob);
        const withCarol = await make.direct(alice, carol);
        const draft = make.draft(withBob, alice, 'hi');
        await store.append(draft);
        await expect(store.append({ ...draft, bodyJson: body('changed') })).rejects.toMatchObject({ code: 'conflict' });
        await expect(store.append({ ...draft, conversationId: withCarol })).rejects.toMatchObject({ code: 'conflict' });
        expect((await store.getConversation(withCarol))?.lastSeq).toBe(0);
      });

      it('lets another sender use the same message id', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const draft = make.draft(conversation, alice, 'hi');
        await store.append(draft);
        const fromBob = await store.append({ ...draft, senderId: bob.id });
        expect(fromBob).toMatchObject({ duplicate: false, message: { seq: 2 } });
      });

      it('refuses a sender who is not a member with not_found', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const mallory = await make.user('mallory');
        const conversation = await make.direct(alice, bob);
        await expect(store.append(make.draft(conversation, mallory, 'hi'))).rejects.toMatchObject({ code: 'not_found' });
        await expect(store.append(make.draft('c_ghost', alice, 'hi'))).rejects.toMatchObject({ code: 'not_found' });
        expect(await store.currentPos(alice.id)).toBe(1);
      });

      it('commits the other concurrent appends when one of them is refused', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const mallory = await make.user('mallory');
        const conversation = await make.direct(alice, bob);
        const [good, refused, alsoGood] = await Promise.allSettled([
          store.append(make.draft(conversation, alice, 'one')),
          store.append(make.draft(conversation, mallory, 'intruder')),
          store.append(make.draft(conversation, bob, 'two')),
        ]);
        expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
        const seqs = [good, alsoGood].map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.message.seq : 0));
        expect(ascending(seqs)).toEqual([1, 2]);
        expect(await store.readHistory(conversation, { limit: 10 }, { from: 1, to: 2 })).toHaveLength(2);
      });
    });

    describe('readHistory', () => {
      async function tenMessages(): Promise<string> {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        for (const n of range(1, 10)) await make.send(conversation, alice, `m${n}`);
        return conversation;
      }
      const seqs = async (conversation: string, history: Parameters<Store['readHistory']>[1], from = 1, to = 10) =>
        (await store.readHistory(conversation, history, { from, to })).map((message) => message.seq);

      it('returns the first limit messages after a seq, ascending', async () => {
        const conversation = await tenMessages();
        expect(await seqs(conversation, { after: 3, limit: 2 })).toEqual([4, 5]);
        expect(await seqs(conversation, { after: 10, limit: 5 })).toEqual([]);
      });

      it('returns the last limit messages before a seq, ascending', async () => {
        const conversation = await tenMessages();
        expect(await seqs(conversation, { before: 8, limit: 3 })).toEqual([5, 6, 7]);
        expect(await seqs(conversation, { before: 1, limit: 3 })).toEqual([]);
      });

      it('returns the newest limit messages with neither bound', async () => {
        const conversation = await tenMessages();
        expect(await seqs(conversation, { limit: 3 })).toEqual([8, 9, 10]);
        const messages = await store.readHistory(conversation, { limit: 1 }, { from: 1, to: 10 });
        expect(messages[0]).toMatchObject({ conversationId: conversation, seq: 10, bodyJson: body('m10') });
      });

      it('returns only seqs within the visible range', async () => {
        const conversation = await tenMessages();
        expect(await seqs(conversation, { limit: 100 }, 3, 6)).toEqual([3, 4, 5, 6]);
        expect(await seqs(conversation, { before: 5, limit: 100 }, 3, 6)).toEqual([3, 4]);
        expect(await seqs(conversation, { after: 1, limit: 2 }, 3, 6)).toEqual([3, 4]);
        expect(await seqs(conversation, { after: 5, limit: 100 }, 3, 6)).toEqual([6]);
        expect(await seqs(conversation, { limit: 100 }, 11, 10)).toEqual([]);
      });
    });

    describe('streams', () => {
      it('pages a stream after a pos, ascending', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        for (const n of range(1, 5)) await make.send(conversation, bob, `m${n}`);
        const page = await store.readStream(alice.id, 3, 2);
        expect(page.map((entry) => entry.pos)).toEqual([4, 5]);
        expect(page[0]).toMatchObject({ kind: 'message', message: { seq: 3, bodyJson: body('m3') } });
        expect(await store.readStream(alice.id, 6, 10)).toEqual([]);
        expect(await store.currentPos('u_nobody')).toBe(0);
      });

      it('never moves an acked pos backwards', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        for (const n of range(1, 5)) await make.send(conversation, bob, `m${n}`);
        const device = await make.device(alice, 'phone');
        await make.send(conversation, bob, 'later');
        await store.ackStream(device.id, 7, later + 10);
        await store.ackStream(device.id, 6, later + 20);
        expect(await store.getDevice(device.id)).toMatchObject({ ackedPos: 7, lastActiveAt: later + 20 });
      });

      it('keeps the highest of acks sent together', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const device = await make.device(alice, 'phone');
        for (const n of range(1, 5)) await make.send(conversation, bob, `m${n}`);
        await Promise.all([3, 5, 4, 2].map((pos) => store.ackStream(device.id, pos, later + pos)));
        expect(await store.getDevice(device.id)).toMatchObject({ ackedPos: 5, lastActiveAt: later + 5 });
      });

      it("never acks past the end of the user's stream", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        await make.direct(alice, bob);
        const device = await make.device(alice, 'phone');
        await store.ackStream(device.id, 1_000, later);
        expect((await store.getDevice(device.id))?.ackedPos).toBe(1);
      });
    });

    describe('listConversations', () => {
      it('counts unread messages from the peer only, with the peer and the last message time', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        for (const n of range(1, 3)) await make.send(conversation, bob, `from bob ${n}`);
        const last = await make.send(conversation, alice, 'from alice');
        const [summary] = await store.listConversations(alice.id);
        expect(summary).toEqual({
          conversation: { ...(await store.getConversation(conversation)), lastSeq: 4 },
          peer: bob,
          readSeq: 0,
          unread: 3,
          lastMessageAt: last.at,
          mutedUntil: null,
        });
        expect((await store.listConversations(bob.id))[0]).toMatchObject({ peer: alice, unread: 1 });
      });

      it("lists the user's own mute of each conversation", async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        await store.setMute(conversation, alice.id, 5_000);
        expect((await store.listConversations(alice.id))[0]?.mutedUntil).toBe(5_000);
        expect((await store.listConversations(bob.id))[0]?.mutedUntil).toBeNull();
        await store.setMute(conversation, alice.id, null);
        expect((await store.listConversations(alice.id))[0]?.mutedUntil).toBeNull();
      });

      it('lists conversations newest activity first and none for a stranger', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const carol = await make.user('carol');
        const withBob = await make.direct(alice, bob);
        const withCarol = await make.direct(alice, carol);
        await make.send(withBob, bob, 'old news');
        expect((await store.listConversations(alice.id)).map((summary) => summary.conversation.id)).toEqual([withBob, withCarol]);
        await make.send(withCarol, carol, 'fresh');
        expect((await store.listConversations(alice.id)).map((summary) => summary.conversation.id)).toEqual([withCarol, withBob]);
        expect((await store.listConversations(carol.id))[0]).toMatchObject({ lastMessageAt: expect.any(Number), unread: 0 });
        expect(await store.listConversations('u_stranger')).toEqual([]);
      });
    });

    describe('close', () => {
      it('commits the writes queued before it and refuses calls after it', async () => {
        const make = fixtures();
        const alice = await make.user('alice');
        const bob = await make.user('bob');
        const conversation = await make.direct(alice, bob);
        const appends = range(1, 5).map((n) => store.append(make.draft(conversation, alice, `m${n}`)));
        await store.close();
        open = false;
        const results = await Promise.all(appends);
        expect(results.map((result) => result.message.seq)).toEqual(range(1, 5)); // one device: in call order
        await expect(store.getUser(alice.id)).rejects.toThrow();
        await expect(store.append(make.draft(conversation, alice, 'late'))).rejects.toThrow();
        await expect(store.close()).rejects.toThrow();
      });
    });
  });
}
