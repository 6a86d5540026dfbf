/** The Store contract for groups and their membership (`MembershipStore`). */
import { describe, expect, it } from 'vitest';
import type { StreamEntry } from '../../chat/model.js';
import type { Store } from '../../chat/store-port.js';
import { ids, range } from './fixtures.js';
import type { ContractContext } from './fixtures.js';

export function describeGroupContract(context: ContractContext): void {
  const lastEntry = async (store: Store, userId: string): Promise<StreamEntry | undefined> =>
    (await store.readStream(userId, (await store.currentPos(userId)) - 1, 1))[0];

  describe('groups', () => {
    it("creates a group with the creator as its only admin and a created event in every member's stream", async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const { conversation, appended } = await store.createGroup(
        { id: 'g_team', name: 'Team', createdBy: alice.id, memberIds: [bob.id, carol.id, bob.id, alice.id], createdAt: make.tick() },
        1024,
      );
      expect(conversation).toMatchObject({ id: 'g_team', kind: 'group', name: 'Team', createdBy: alice.id, lastSeq: 0 });
      expect(await store.getConversation('g_team')).toEqual(conversation);
      const members = await store.listMembers('g_team');
      expect(members.map((member) => [member.userId, member.role])).toEqual([
        [alice.id, 'admin'],
        [bob.id, 'member'],
        [carol.id, 'member'],
      ]);
      const created: StreamEntry = {
        kind: 'conversation',
        pos: 1,
        conversationId: 'g_team',
        change: 'created',
        conversationKind: 'group',
        members: ids([alice, bob, carol]),
        name: 'Team',
        by: alice.id,
      };
      for (const user of [alice, bob, carol]) expect(await store.readStream(user.id, 0, 10)).toEqual([created]);
      expect([...appended].sort((a, b) => a.userId.localeCompare(b.userId))).toEqual(
        ids([alice, bob, carol]).map((userId) => ({ userId, entry: created })),
      );
    });

    it('refuses fewer than 2 or more than maxGroupSize members, counting the creator, with bad_request', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = (memberIds: string[], id: string) => ({ id, name: 'x', createdBy: alice.id, memberIds, createdAt: make.tick() });
      await expect(store.createGroup(group([], 'g_1'), 10)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store.createGroup(group([alice.id], 'g_2'), 10)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store.createGroup(group([bob.id, carol.id], 'g_3'), 2)).rejects.toMatchObject({ code: 'bad_request' });
      expect(await store.getConversation('g_3')).toBeUndefined();
      await expect(store.createGroup(group([bob.id], 'g_4'), 2)).resolves.toMatchObject({ conversation: { id: 'g_4' } });
    });

    it('refuses unknown users with not_found and creates nothing', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = { id: 'g_1', name: 'x', createdBy: alice.id, memberIds: [bob.id, 'u_ghost'], createdAt: make.tick() };
      await expect(store.createGroup(group, 10)).rejects.toMatchObject({ code: 'not_found' });
      expect(await store.getConversation('g_1')).toBeUndefined();
      expect(await store.currentPos(bob.id)).toBe(0);
    });

    it('creates a group of 1,024 members in one call', async () => {
      const store = context.store();
      const make = context.fixtures();
      const users = await make.users(...range(1, 1024).map((n) => `user${String(n).padStart(4, '0')}`));
      const [creator, ...others] = users;
      if (creator === undefined) throw new Error('no users');
      const { appended } = await store.createGroup(
        { id: 'g_big', name: 'Everyone', createdBy: creator.id, memberIds: ids(others), createdAt: make.tick() },
        1024,
      );
      expect(appended).toHaveLength(1024);
      expect(await store.listMembers('g_big')).toHaveLength(1024);
      const result = await store.append(make.draft('g_big', creator, 'hello all'));
      expect(result.deliveries).toHaveLength(1024);
    });

    it('lets only admins add members: a member gets forbidden, an outsider not_found', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol, mallory] = await make.users('alice', 'bob', 'carol', 'mallory');
      const group = await make.group(alice, [bob]);
      await expect(store.addMembers(group.id, bob.id, [carol.id], make.tick(), 1024)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(store.addMembers(group.id, mallory.id, [carol.id], make.tick(), 1024)).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.addMembers('g_ghost', alice.id, [carol.id], make.tick(), 1024)).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.addMembers(group.id, alice.id, ['u_ghost'], make.tick(), 1024)).rejects.toMatchObject({ code: 'not_found' });
      expect(await store.getMember(group.id, carol.id)).toBeUndefined();
    });

    it('shows an added member only the messages sent after they joined', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob]);
      await make.send(group.id, bob, 'before carol');
      const appended = await store.addMembers(group.id, alice.id, [carol.id], make.tick(), 1024);
      expect(appended.map((entry) => entry.userId).sort()).toEqual(ids([alice, bob, carol]));
      expect(appended[0]?.entry).toMatchObject({ kind: 'conversation', change: 'member_added', members: [carol.id], by: alice.id });
      expect(await store.getMember(group.id, carol.id)).toMatchObject({ role: 'member', joinedAfterSeq: 1, leftAtSeq: null });

      const after = await store.append(make.draft(group.id, bob, 'after carol'));
      expect(after.deliveries.map((delivery) => delivery.userId).sort()).toEqual(ids([alice, bob, carol]));
      const stream = await store.readStream(carol.id, 0, 10);
      expect(stream.map((entry) => entry.kind)).toEqual(['conversation', 'message']);
      expect(stream[1]).toMatchObject({ kind: 'message', message: { seq: 2 } });
      expect((await store.listConversations(carol.id))[0]).toMatchObject({ peer: null, unread: 1 });
    });

    it('skips users who are already members, and adds nobody as a no-op', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = await make.group(alice, [bob]);
      expect(await store.addMembers(group.id, alice.id, [bob.id, alice.id], make.tick(), 1024)).toEqual([]);
      expect(await store.addMembers(group.id, alice.id, [], make.tick(), 1024)).toEqual([]);
      expect(await store.currentPos(bob.id)).toBe(1);
    });

    it('refuses adding members past maxGroupSize with bad_request', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob]);
      await expect(store.addMembers(group.id, alice.id, [carol.id], make.tick(), 2)).rejects.toMatchObject({ code: 'bad_request' });
      expect(await store.getMember(group.id, carol.id)).toBeUndefined();
    });

    it('tells a removed member with member_removed, then sends them nothing and refuses their messages with not_member', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob, carol]);
      await make.send(group.id, alice, 'one');
      const appended = await store.removeMember(group.id, alice.id, bob.id);
      expect(appended.map((entry) => entry.userId).sort()).toEqual(ids([alice, bob, carol]));
      expect(await lastEntry(store, bob.id)).toMatchObject({ change: 'member_removed', members: [bob.id], by: alice.id });
      expect(await store.getMember(group.id, bob.id)).toMatchObject({ leftAtSeq: 1 });

      const bobPos = await store.currentPos(bob.id);
      const result = await store.append(make.draft(group.id, alice, 'two'));
      expect(result.deliveries.map((delivery) => delivery.userId).sort()).toEqual(ids([alice, carol]));
      await store.renameGroup(group.id, alice.id, 'Renamed');
      expect(await store.currentPos(bob.id)).toBe(bobPos);
      await expect(store.append(make.draft(group.id, bob, 'let me in'))).rejects.toMatchObject({ code: 'not_member' });
      await expect(store.removeMember(group.id, bob.id, bob.id)).rejects.toMatchObject({ code: 'not_member' });
      expect(await store.listConversations(bob.id)).toEqual([]);
    });

    it('refuses removing a user who is not a member with not_found', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob]);
      await expect(store.removeMember(group.id, alice.id, carol.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(store.removeMember(group.id, bob.id, alice.id)).rejects.toMatchObject({ code: 'forbidden' });
    });

    it('promotes the member who joined first when the last admin leaves', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [carol]);
      await store.addMembers(group.id, alice.id, [bob.id], make.tick(), 1024);
      const appended = await store.removeMember(group.id, alice.id, alice.id);

      const withChange = (change: string) =>
        appended.filter((item) => item.entry.kind === 'conversation' && item.entry.change === change);
      expect(withChange('member_left').map((item) => item.userId).sort()).toEqual(ids([alice, bob, carol]));
      const granted = withChange('admin_granted');
      expect(granted.map((entry) => entry.userId).sort()).toEqual(ids([bob, carol]));
      expect(granted[0]?.entry).toMatchObject({ members: [carol.id], by: alice.id });
      expect(await store.getMember(group.id, carol.id)).toMatchObject({ role: 'admin' });
      expect(await store.getMember(group.id, bob.id)).toMatchObject({ role: 'member' });
      expect(await lastEntry(store, alice.id)).toMatchObject({ change: 'member_left', members: [alice.id], by: alice.id });
    });

    it('gives a re-added member only the messages after their return', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = await make.group(alice, [bob]);
      await make.send(group.id, alice, 'one');
      await store.removeMember(group.id, alice.id, bob.id);
      await make.send(group.id, alice, 'two');
      await store.addMembers(group.id, alice.id, [bob.id], make.tick(), 1024);
      expect(await store.getMember(group.id, bob.id)).toMatchObject({ joinedAfterSeq: 2, leftAtSeq: null, role: 'member' });
      const pos = await store.currentPos(bob.id);
      await make.send(group.id, alice, 'three');
      const stream = await store.readStream(bob.id, pos - 1, 10);
      expect(stream.map((entry) => (entry.kind === 'message' ? entry.message.seq : entry.kind))).toEqual(['conversation', 3]);
      expect((await store.listConversations(bob.id))[0]).toMatchObject({ unread: 1 });
    });

    it('renames a group with a renamed event to every member, for admins only', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = await make.group(alice, [bob]);
      await expect(store.renameGroup(group.id, bob.id, 'Mine')).rejects.toMatchObject({ code: 'forbidden' });
      const appended = await store.renameGroup(group.id, alice.id, 'Friends');
      expect(appended.map((entry) => entry.userId).sort()).toEqual(ids([alice, bob]));
      expect(await lastEntry(store, bob.id)).toMatchObject({ change: 'renamed', name: 'Friends', members: [], by: alice.id });
      expect((await store.getConversation(group.id))?.name).toBe('Friends');
    });

    it('grants and revokes admin with events, and appends nothing when nothing changes', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const group = await make.group(alice, [bob, carol]);
      await expect(store.setAdmin(group.id, bob.id, carol.id, true)).rejects.toMatchObject({ code: 'forbidden' });
      const granted = await store.setAdmin(group.id, alice.id, bob.id, true);
      expect(granted).toHaveLength(3);
      expect(await lastEntry(store, carol.id)).toMatchObject({ change: 'admin_granted', members: [bob.id], by: alice.id });
      expect(await store.setAdmin(group.id, alice.id, bob.id, true)).toEqual([]);
      await store.setAdmin(group.id, bob.id, alice.id, false);
      expect(await lastEntry(store, carol.id)).toMatchObject({ change: 'admin_revoked', members: [alice.id], by: bob.id });
      const admins = (await store.listMembers(group.id)).filter((member) => member.role === 'admin');
      expect(admins.map((member) => member.userId)).toEqual([bob.id]);
      await expect(store.setAdmin(group.id, bob.id, 'u_ghost', true)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refuses revoking the last admin with conflict', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob] = await make.users('alice', 'bob');
      const group = await make.group(alice, [bob]);
      await expect(store.setAdmin(group.id, alice.id, alice.id, false)).rejects.toMatchObject({ code: 'conflict' });
      expect(await store.getMember(group.id, alice.id)).toMatchObject({ role: 'admin' });
    });

    it('refuses membership changes to a direct conversation with bad_request', async () => {
      const store = context.store();
      const make = context.fixtures();
      const [alice, bob, carol] = await make.users('alice', 'bob', 'carol');
      const direct = await make.direct(alice, bob);
      await expect(store.addMembers(direct, alice.id, [carol.id], make.tick(), 1024)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store.removeMember(direct, alice.id, alice.id)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store.renameGroup(direct, alice.id, 'x')).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store.setAdmin(direct, alice.id, bob.id, true)).rejects.toMatchObject({ code: 'bad_request' });
      await expect(store.addMembers(direct, carol.id, [carol.id], make.tick(), 1024)).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
