import { directPairKey } from '../../chat/direct-pair.js';
import { historyPage } from '../../chat/history-page.js';
import type { Conversation, ConversationSummary, Member, Message } from '../../chat/model.js';
import type { HistoryRange, NewDirectConversation } from '../../chat/store-port.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { toConversation, toMember, toMessage, toUser, type ConversationRow, type MemberRow, type MessageRow } from '../rows.js';
import { encodeEventData } from '../stream-entry.js';
import { conversationColumns, memberColumns, messageColumns } from './columns.js';
import { query, rowOf, rowsOf, type Queryable } from './sql.js';
import { StreamRows } from './stream-rows.js';
import { unreadOf } from './unread.js';

interface SummaryRow extends ConversationRow {
  read_seq: number;
  unread: number;
  last_message_at: number | null;
  muted_until: number | null;
  peer_id: string | null;
  peer_username: string;
  peer_display_name: string;
  peer_created_at: number;
  peer_last_seen_setting: string;
  peer_last_seen_at: number | null;
}

/**
 * The user's current conversations, newest activity first: the newest
 * visible message, or the creation or join. A group has no peer.
 */
const summariesSql = `
  SELECT * FROM (
    SELECT c.id, c.kind, c.name, c.created_at, c.created_by, c.last_seq, m.read_seq, m.joined_at,
           ${unreadOf('m')} AS unread,
           (SELECT x.at FROM messages x WHERE x.conversation_id = c.id AND x.seq > m.joined_after_seq
            ORDER BY x.seq DESC LIMIT 1) AS last_message_at, m.muted_until,
           p.id AS peer_id, p.username AS peer_username, p.display_name AS peer_display_name,
           p.created_at AS peer_created_at, p.last_seen_setting AS peer_last_seen_setting, p.last_seen_at AS peer_last_seen_at
    FROM members m
    JOIN conversations c ON c.id = m.conversation_id
    LEFT JOIN members pm ON c.kind = 'direct' AND pm.conversation_id = c.id AND pm.user_id <> m.user_id
    LEFT JOIN users p ON p.id = pm.user_id
    WHERE m.user_id = $1 AND m.left_at_seq IS NULL
  ) s
  ORDER BY greatest(coalesce(s.last_message_at, s.created_at), s.joined_at) DESC, s.id`;

/** Conversations, their members and their history. */
export class ConversationRows {
  constructor(
    private readonly sql: Queryable,
    private readonly cipher: RowCipher,
  ) {}

  /** At most one per pair: a racing creation on another node makes the insert fail on `direct_key`, and the write, run again, finds it. */
  async openDirect(draft: NewDirectConversation): Promise<{ conversation: Conversation; created: boolean }> {
    const directKey = directPairKey(draft.userIds);
    const existing = await rowOf<ConversationRow>(this.sql, `SELECT ${conversationColumns} FROM conversations WHERE direct_key = $1`, [directKey]);
    if (existing !== undefined) return { conversation: toConversation(existing), created: false };
    await query(
      this.sql,
      `INSERT INTO conversations (id, kind, name, created_at, created_by, direct_key) VALUES ($1, 'direct', '', $2, $3, $4)`,
      [draft.id, draft.createdAt, draft.createdBy, directKey],
    );
    await query(
      this.sql,
      `INSERT INTO members (conversation_id, user_id, role, joined_at, joined_after_seq)
       SELECT $1, u.id, 'member', $3, 0 FROM unnest($2::text[]) AS u(id)`,
      [draft.id, draft.userIds, draft.createdAt],
    );
    const data = encodeEventData({ change: 'created', conversationKind: 'direct', members: [...draft.userIds], name: '', by: draft.createdBy });
    await new StreamRows(this.sql).appendToMembers(draft.id, 'conversation', null, data);
    const conversation: Conversation = { id: draft.id, kind: 'direct', name: '', createdAt: draft.createdAt, createdBy: draft.createdBy, lastSeq: 0 };
    return { conversation, created: true };
  }

  async get(id: string): Promise<Conversation | undefined> {
    const row = await rowOf<ConversationRow>(this.sql, `SELECT ${conversationColumns} FROM conversations WHERE id = $1`, [id]);
    return row === undefined ? undefined : toConversation(row);
  }

  async getMember(conversationId: string, userId: string): Promise<Member | undefined> {
    const row = await rowOf<MemberRow>(this.sql, `SELECT ${memberColumns} FROM members WHERE conversation_id = $1 AND user_id = $2`, [
      conversationId,
      userId,
    ]);
    return row === undefined ? undefined : toMember(row);
  }

  async listMembers(conversationId: string): Promise<Member[]> {
    const rows = await rowsOf<MemberRow>(this.sql, `SELECT ${memberColumns} FROM members WHERE conversation_id = $1 ORDER BY joined_at, user_id`, [
      conversationId,
    ]);
    return rows.map(toMember);
  }

  async list(userId: string): Promise<ConversationSummary[]> {
    const rows = await rowsOf<SummaryRow>(this.sql, summariesSql, [userId]);
    return rows.map((row) => ({
      conversation: toConversation(row),
      peer:
        row.peer_id === null
          ? null
          : toUser({
              id: row.peer_id,
              username: row.peer_username,
              display_name: row.peer_display_name,
              created_at: row.peer_created_at,
              last_seen_setting: row.peer_last_seen_setting,
              last_seen_at: row.peer_last_seen_at,
            }),
      readSeq: row.read_seq,
      unread: row.unread,
      lastMessageAt: row.last_message_at,
      mutedUntil: row.muted_until,
    }));
  }

  async listDirectPeers(userId: string): Promise<string[]> {
    const rows = await rowsOf<{ user_id: string }>(
      this.sql,
      `SELECT DISTINCT peer.user_id
       FROM members me
       JOIN conversations c ON c.id = me.conversation_id AND c.kind = 'direct'
       JOIN members peer ON peer.conversation_id = me.conversation_id AND peer.user_id <> me.user_id
       WHERE me.user_id = $1 AND me.left_at_seq IS NULL AND peer.left_at_seq IS NULL
       ORDER BY peer.user_id`,
      [userId],
    );
    return rows.map((row) => row.user_id);
  }

  /** See `MessageStore.readHistory`: the page `historyPage` chose, withheld messages for their sender only. */
  async readHistory(conversationId: string, range: HistoryRange, visible: { from: number; to: number }, viewerId: string): Promise<Message[]> {
    const page = historyPage(range, visible);
    if (page === undefined) return [];
    const order = page.from === 'low' ? 'ASC' : 'DESC';
    const rows = await rowsOf<MessageRow>(
      this.sql,
      `SELECT ${messageColumns} FROM messages
       WHERE conversation_id = $1 AND seq BETWEEN $2 AND $3 AND (NOT withheld OR sender_id = $4)
       ORDER BY seq ${order} LIMIT $5`,
      [conversationId, page.low, page.high, viewerId, page.limit],
    );
    const messages = rows.map((row) => toMessage(row, this.cipher));
    return page.from === 'low' ? messages : messages.reverse();
  }
}
