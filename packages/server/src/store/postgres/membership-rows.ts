import type { Joining, MembershipTransaction } from '../../chat/group-changes.js';
import type { Appended, Conversation, ConversationData, Member, MemberRole } from '../../chat/model.js';
import type { NewGroup } from '../../chat/store-port.js';
import { toConversation, toMember, type ConversationRow, type MemberRow } from '../rows.js';
import { conversationEntry, encodeEventData } from '../stream-entry.js';
import { conversationColumns, memberColumns } from './columns.js';
import type { AsyncRows } from './replay-rule.js';
import { query, rowOf, rowsOf, type Queryable } from './sql.js';
import { StreamRows } from './stream-rows.js';

/**
 * The rows of groups and their membership (chat/group-changes.ts), inside a
 * write that has locked the conversation (`lockConversation`) before the
 * rule reads its rights. Member sets travel as one array parameter.
 */
export class MembershipRows implements AsyncRows<MembershipTransaction> {
  private readonly streams: StreamRows;

  constructor(private readonly sql: Queryable) {
    this.streams = new StreamRows(sql);
  }

  async conversation(conversationId: string): Promise<Conversation | undefined> {
    const row = await rowOf<ConversationRow>(this.sql, `SELECT ${conversationColumns} FROM conversations WHERE id = $1`, [conversationId]);
    return row === undefined ? undefined : toConversation(row);
  }

  async member(conversationId: string, userId: string): Promise<Member | undefined> {
    const row = await rowOf<MemberRow>(this.sql, `SELECT ${memberColumns} FROM members WHERE conversation_id = $1 AND user_id = $2`, [
      conversationId,
      userId,
    ]);
    return row === undefined ? undefined : toMember(row);
  }

  async currentMembers(conversationId: string): Promise<Member[]> {
    const rows = await rowsOf<MemberRow>(
      this.sql,
      `SELECT ${memberColumns} FROM members WHERE conversation_id = $1 AND left_at_seq IS NULL ORDER BY joined_at, user_id`,
      [conversationId],
    );
    return rows.map(toMember);
  }

  async countKnownUsers(userIds: readonly string[]): Promise<number> {
    return (await rowOf<{ count: number }>(this.sql, 'SELECT count(*) AS count FROM users WHERE id = ANY($1::text[])', [userIds]))?.count ?? 0;
  }

  async insertGroup(group: NewGroup): Promise<Conversation> {
    await query(this.sql, `INSERT INTO conversations (id, kind, name, created_at, created_by) VALUES ($1, 'group', $2, $3, $4)`, [
      group.id,
      group.name,
      group.createdAt,
      group.createdBy,
    ]);
    return { id: group.id, kind: 'group', name: group.name, createdAt: group.createdAt, createdBy: group.createdBy, lastSeq: 0 };
  }

  /** A former member comes back as a new one: a fresh join, no old history, receipts kept. */
  async addMemberRows(conversationId: string, userIds: readonly string[], joining: Joining): Promise<void> {
    await query(
      this.sql,
      `INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq)
       SELECT $1, u.id, CASE WHEN u.id = $3 THEN 'admin' ELSE 'member' END, $4, $5
       FROM unnest($2::text[]) AS u(id)
       ON CONFLICT (conversation_id, user_id) DO UPDATE
       SET role = excluded.role, joined_at = excluded.joined_at, joined_after_seq = excluded.joined_after_seq, left_at_seq = NULL
       WHERE members.left_at_seq IS NOT NULL`,
      [conversationId, userIds, joining.adminId, joining.joinedAt, joining.joinedAfterSeq],
    );
  }

  async markLeft(conversationId: string, userId: string, seq: number): Promise<void> {
    await query(this.sql, `UPDATE members SET left_at_seq = $3, role = 'member' WHERE conversation_id = $1 AND user_id = $2`, [
      conversationId,
      userId,
      seq,
    ]);
  }

  async setRole(conversationId: string, userId: string, role: MemberRole): Promise<void> {
    await query(this.sql, 'UPDATE members SET role = $3 WHERE conversation_id = $1 AND user_id = $2', [conversationId, userId, role]);
  }

  async setName(conversationId: string, name: string): Promise<void> {
    await query(this.sql, 'UPDATE conversations SET name = $2 WHERE id = $1', [conversationId, name]);
  }

  async appendConversationEventToMembers(conversationId: string, data: ConversationData): Promise<Appended[]> {
    const positions = await this.streams.appendToMembers(conversationId, 'conversation', null, encodeEventData(data));
    return positions.map(([userId, pos]) => ({ userId, entry: conversationEntry(pos, conversationId, data) }));
  }
}

/**
 * Takes the conversation's row lock, first thing in a write to it: appends,
 * reads and membership changes of one conversation take turns, on any node.
 * False when there is no such conversation.
 */
export async function lockConversation(sql: Queryable, conversationId: string): Promise<boolean> {
  return (await rowOf(sql, 'SELECT 1 FROM conversations WHERE id = $1 FOR NO KEY UPDATE', [conversationId])) !== undefined;
}
