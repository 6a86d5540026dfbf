import type Database from 'better-sqlite3';
import type { ConversationChange } from '@parley/protocol';
import type { Appended, Conversation } from '../../chat/model.js';
import { ParleyError } from '../../chat/parley-error.js';
import { assert } from '../../lib/assert.js';
import type { NewGroup } from '../../chat/store-port.js';
import { conversationColumns, toConversation } from './rows.js';
import type { ConversationRow } from './rows.js';
import type { ConversationData } from '../../chat/model.js';
import type { StreamQueries } from './stream-queries.js';

interface MembersDraft {
  conversationId: string;
  /** JSON array of user ids: one statement handles a group of any size. */
  userIds: string;
  /** The one of them who starts as admin, if any. */
  adminId: string | null;
  joinedAt: number;
  joinedAfterSeq: number;
}

/**
 * Groups and their membership (see `MembershipStore`). Methods must run inside
 * a transaction: each checks the caller's rights on the state it then changes.
 * Member sets travel as one JSON array through `json_each`, so creating a
 * 1,024-member group is a handful of statements, not thousands.
 */
export class MembershipQueries {
  private readonly selectConversation;
  private readonly selectMembership;
  private readonly countKnownUsers;
  private readonly insertGroup;
  private readonly upsertMembers;
  private readonly selectCurrentAmong;
  private readonly countCurrent;
  private readonly countAdmins;
  private readonly markLeft;
  private readonly updateRole;
  private readonly selectFirstJoined;
  private readonly updateName;

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
  ) {
    this.selectConversation = db.prepare<[string], ConversationRow>(`SELECT ${conversationColumns} FROM conversations WHERE id = ?`);
    this.selectMembership = db.prepare<[string, string], { role: string; left_at_seq: number | null }>(
      'SELECT role, left_at_seq FROM members WHERE conversation_id = ? AND user_id = ?',
    );
    this.countKnownUsers = db.prepare<[string], { count: number }>(
      'SELECT count(*) AS count FROM users WHERE id IN (SELECT value FROM json_each(?))',
    );
    this.insertGroup = db.prepare<[ConversationRow]>(
      `INSERT INTO conversations (id, kind, name, created_at, created_by)
       VALUES (@id, 'group', @name, @created_at, @created_by)`,
    );
    // A former member comes back as a new one: a fresh join, no old history
    // (joined_after_seq moves up), receipts kept (they never go back).
    // `WHERE true` lets SQLite parse an upsert after INSERT … SELECT.
    this.upsertMembers = db.prepare<[MembersDraft]>(
      `INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq)
       SELECT @conversationId, value, CASE WHEN value = @adminId THEN 'admin' ELSE 'member' END, @joinedAt, @joinedAfterSeq
       FROM json_each(@userIds) WHERE true
       ON CONFLICT (conversation_id, user_id) DO UPDATE
       SET role = excluded.role, joined_at = excluded.joined_at, joined_after_seq = excluded.joined_after_seq, left_at_seq = NULL
       WHERE members.left_at_seq IS NOT NULL`,
    );
    this.selectCurrentAmong = db.prepare<[string, string], { user_id: string }>(
      `SELECT user_id FROM members
       WHERE conversation_id = ? AND left_at_seq IS NULL AND user_id IN (SELECT value FROM json_each(?))`,
    );
    this.countCurrent = db.prepare<[string], { count: number }>(
      'SELECT count(*) AS count FROM members WHERE conversation_id = ? AND left_at_seq IS NULL',
    );
    this.countAdmins = db.prepare<[string], { count: number }>(
      "SELECT count(*) AS count FROM members WHERE conversation_id = ? AND left_at_seq IS NULL AND role = 'admin'",
    );
    // A former member keeps no role: admin counts look at current members only anyway.
    this.markLeft = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET left_at_seq = @seq, role = 'member'
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
    this.updateRole = db.prepare<[{ conversationId: string; userId: string; role: string }]>(
      'UPDATE members SET role = @role WHERE conversation_id = @conversationId AND user_id = @userId',
    );
    this.selectFirstJoined = db.prepare<[string], { user_id: string }>(
      `SELECT user_id FROM members WHERE conversation_id = ? AND left_at_seq IS NULL
       ORDER BY joined_at, user_id LIMIT 1`,
    );
    this.updateName = db.prepare<[string, string]>('UPDATE conversations SET name = ? WHERE id = ?');
  }

  createGroup(group: NewGroup, maxGroupSize: number): { conversation: Conversation; appended: Appended[] } {
    const members = [...new Set([group.createdBy, ...group.memberIds])];
    if (members.length < 2 || members.length > maxGroupSize) {
      throw new ParleyError('bad_request', `a group has 2 to ${maxGroupSize} members, counting its creator`);
    }
    const userIds = JSON.stringify(members);
    this.requireKnownUsers(userIds, members.length);
    const row: ConversationRow = {
      id: group.id,
      kind: 'group',
      name: group.name,
      created_at: group.createdAt,
      created_by: group.createdBy,
      last_seq: 0,
    };
    this.insertGroup.run(row);
    this.upsertMembers.run({ conversationId: group.id, userIds, adminId: group.createdBy, joinedAt: group.createdAt, joinedAfterSeq: 0 });
    const appended = this.streams.appendConversationEventToMembers(group.id, {
      change: 'created',
      conversationKind: 'group',
      members,
      name: group.name,
      by: group.createdBy,
    });
    return { conversation: toConversation(row), appended };
  }

  addMembers(conversationId: string, by: string, userIds: string[], at: number, maxGroupSize: number): Appended[] {
    const conversation = this.authorize(conversationId, by, 'admin');
    const requested = [...new Set(userIds)];
    this.requireKnownUsers(JSON.stringify(requested), requested.length);
    const current = new Set(this.selectCurrentAmong.all(conversationId, JSON.stringify(requested)).map((row) => row.user_id));
    const added = requested.filter((userId) => !current.has(userId));
    if (added.length === 0) return [];
    const size = (this.countCurrent.get(conversationId)?.count ?? 0) + added.length;
    if (size > maxGroupSize) throw new ParleyError('bad_request', `a group has at most ${maxGroupSize} members`);

    this.upsertMembers.run({
      conversationId,
      userIds: JSON.stringify(added),
      adminId: null,
      joinedAt: at,
      joinedAfterSeq: conversation.last_seq,
    });
    return this.tellMembers(conversation, 'member_added', added, by);
  }

  /**
   * The removed member is told with the others, before the row is marked:
   * the event is the last thing their stream gets from this conversation.
   */
  removeMember(conversationId: string, by: string, userId: string): Appended[] {
    const leaving = by === userId;
    const conversation = this.authorize(conversationId, by, leaving ? 'member' : 'admin');
    if (!leaving) this.requireCurrentMember(conversationId, userId);
    const appended = this.tellMembers(conversation, leaving ? 'member_left' : 'member_removed', [userId], by);
    this.markLeft.run({ conversationId, userId, seq: conversation.last_seq });
    return [...appended, ...this.keepAnAdmin(conversation, by)];
  }

  renameGroup(conversationId: string, by: string, name: string): Appended[] {
    const conversation = this.authorize(conversationId, by, 'admin');
    this.updateName.run(name, conversationId);
    return this.tellMembers(conversation, 'renamed', [], by, name);
  }

  setAdmin(conversationId: string, by: string, userId: string, admin: boolean): Appended[] {
    const conversation = this.authorize(conversationId, by, 'admin');
    const target = this.requireCurrentMember(conversationId, userId);
    if ((target.role === 'admin') === admin) return [];
    if (!admin && (this.countAdmins.get(conversationId)?.count ?? 0) <= 1) {
      throw new ParleyError('conflict', 'a group needs at least one admin; make another member admin first');
    }
    this.updateRole.run({ conversationId, userId, role: admin ? 'admin' : 'member' });
    return this.tellMembers(conversation, admin ? 'admin_granted' : 'admin_revoked', [userId], by);
  }

  /** When the last admin went and members remain, the member who joined first takes over. */
  private keepAnAdmin(conversation: ConversationRow, by: string): Appended[] {
    if ((this.countAdmins.get(conversation.id)?.count ?? 0) > 0) return [];
    const first = this.selectFirstJoined.get(conversation.id);
    if (first === undefined) return [];
    this.updateRole.run({ conversationId: conversation.id, userId: first.user_id, role: 'admin' });
    return this.tellMembers(conversation, 'admin_granted', [first.user_id], by);
  }

  /**
   * The conversation and the caller's rights in it, checked in the order that
   * reveals nothing to outsiders: a stranger learns neither that the
   * conversation exists nor that it is direct.
   */
  private authorize(conversationId: string, by: string, needs: 'member' | 'admin'): ConversationRow {
    const conversation = this.selectConversation.get(conversationId);
    const membership = this.selectMembership.get(conversationId, by);
    if (conversation === undefined || membership === undefined) throw new ParleyError('not_found', 'no such conversation');
    if (membership.left_at_seq !== null) throw new ParleyError('not_member', 'you are no longer a member of this conversation');
    if (conversation.kind !== 'group') throw new ParleyError('bad_request', 'the members of a direct conversation cannot change');
    if (needs === 'admin' && membership.role !== 'admin') throw new ParleyError('forbidden', 'only an admin of the group may do this');
    return conversation;
  }

  private requireCurrentMember(conversationId: string, userId: string): { role: string } {
    const membership = this.selectMembership.get(conversationId, userId);
    if (membership === undefined || membership.left_at_seq !== null) throw new ParleyError('not_found', 'no such member');
    return membership;
  }

  /** `userIds` is a JSON array of `count` distinct ids. */
  private requireKnownUsers(userIds: string, count: number): void {
    const known = this.countKnownUsers.get(userIds)?.count ?? 0;
    assert(known <= count, 'distinct ids match at most one user each');
    if (known < count) throw new ParleyError('not_found', 'no such user');
  }

  /** Appends a group event to every current member's stream; `name` only for a rename. */
  private tellMembers(conversation: ConversationRow, change: ConversationChange, members: string[], by: string, name = ''): Appended[] {
    const data: ConversationData = { change, conversationKind: 'group', members, name, by };
    return this.streams.appendConversationEventToMembers(conversation.id, data);
  }
}
