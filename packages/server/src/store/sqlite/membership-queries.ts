import type Database from 'better-sqlite3';
import type { Joining, MembershipTransaction } from '../../chat/group-changes.js';
import type { Appended, Conversation, ConversationData, Member, MemberRole } from '../../chat/model.js';
import type { NewGroup } from '../../chat/store-port.js';
import type { ConversationQueries } from './conversation-queries.js';
import { toMember } from '../rows.js';
import { memberColumns } from './columns.js';
import type { MemberRow } from '../rows.js';
import type { StreamQueries } from './stream-queries.js';

/**
 * The rows of groups and their membership (see chat/group-changes.ts); valid
 * inside a write transaction only. Member sets travel as one JSON array
 * through `json_each`, so creating a 1,024-member group is a handful of
 * statements, not thousands.
 */
export class MembershipQueries implements MembershipTransaction {
  private readonly countKnown;
  private readonly insertGroupRow;
  private readonly upsertMembers;
  private readonly selectCurrent;
  private readonly updateLeft;
  private readonly updateRole;
  private readonly updateName;

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
    private readonly conversations: ConversationQueries,
  ) {
    this.countKnown = db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM users WHERE id IN (SELECT value FROM json_each(?))');
    this.insertGroupRow = db.prepare<[NewGroup]>(
      `INSERT INTO conversations (id, kind, name, created_at, created_by)
       VALUES (@id, 'group', @name, @createdAt, @createdBy)`,
    );
    // A former member comes back as a new one: a fresh join, no old history
    // (joined_after_seq moves up), receipts kept (they never go back).
    // `WHERE true` lets SQLite parse an upsert after INSERT … SELECT.
    this.upsertMembers = db.prepare<[Joining & { conversationId: string; userIds: string }]>(
      `INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq, in_group)
       SELECT @conversationId, value, CASE WHEN value = @adminId THEN 'admin' ELSE 'member' END, @joinedAt, @joinedAfterSeq, 1
       FROM json_each(@userIds) WHERE true
       ON CONFLICT (conversation_id, user_id) DO UPDATE
       SET role = excluded.role, joined_at = excluded.joined_at, joined_after_seq = excluded.joined_after_seq, left_at_seq = NULL
       WHERE members.left_at_seq IS NOT NULL`,
    );
    this.selectCurrent = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM members WHERE conversation_id = ? AND left_at_seq IS NULL`);
    this.updateLeft = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET left_at_seq = @seq, role = 'member'
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
    this.updateRole = db.prepare<[{ conversationId: string; userId: string; role: string }]>(
      'UPDATE members SET role = @role WHERE conversation_id = @conversationId AND user_id = @userId',
    );
    this.updateName = db.prepare<[string, string]>('UPDATE conversations SET name = ? WHERE id = ?');
  }

  conversation(conversationId: string): Conversation | undefined {
    return this.conversations.get(conversationId);
  }

  member(conversationId: string, userId: string): Member | undefined {
    return this.conversations.getMember(conversationId, userId);
  }

  currentMembers(conversationId: string): Member[] {
    return this.selectCurrent.all(conversationId).map(toMember);
  }

  countKnownUsers(userIds: readonly string[]): number {
    return this.countKnown.get(JSON.stringify(userIds))?.count ?? 0;
  }

  insertGroup(group: NewGroup): Conversation {
    this.insertGroupRow.run(group);
    return { id: group.id, kind: 'group', name: group.name, createdAt: group.createdAt, createdBy: group.createdBy, lastSeq: 0 };
  }

  addMemberRows(conversationId: string, userIds: readonly string[], joining: Joining): void {
    this.upsertMembers.run({ conversationId, userIds: JSON.stringify(userIds), ...joining });
  }

  markLeft(conversationId: string, userId: string, seq: number): void {
    this.updateLeft.run({ conversationId, userId, seq });
  }

  setRole(conversationId: string, userId: string, role: MemberRole): void {
    this.updateRole.run({ conversationId, userId, role });
  }

  setName(conversationId: string, name: string): void {
    this.updateName.run(name, conversationId);
  }

  appendConversationEventToMembers(conversationId: string, data: ConversationData): Appended[] {
    // Read again, not from memory: this write has just changed who they are.
    const memberIds = this.currentMembers(conversationId).map((member) => member.userId);
    return this.streams.appendConversationEventToMembers(memberIds, conversationId, data);
  }
}
