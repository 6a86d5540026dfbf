import type { ConversationKind, ReceiptStatus } from '@parley/protocol';
import type { AnnouncedSeqs, CoverCandidate, MemberProgress } from '../../chat/group-receipt-rule.js';
import type { Appended, Member, ReceiptData } from '../../chat/model.js';
import type { AckState, CoveredSender, ReceiptTransaction } from '../../chat/receipt-rules.js';
import { toConversationKind, toMember, type MemberRow } from '../rows.js';
import { encodeEventData, receiptEntry } from '../stream-entry.js';
import { memberColumns } from './columns.js';
import type { AsyncRows } from './replay-rule.js';
import { query, rowOf, rowsOf, type Queryable } from './sql.js';
import { StreamRows } from './stream-rows.js';

interface NewestRow {
  conversation_id: string;
  kind: string;
  sender_id: string;
  seq: number;
  delivered_seq: number;
  sender_was_member: boolean;
  sender_left_at_seq: number | null;
}

/**
 * The rows of delivered and read receipts (chat/receipt-rules.ts). An ack
 * locks its device (acks of one device take turns), then the conversations
 * it covers, and reads the delivered seqs after that: a group's aggregate is
 * decided by one write at a time, whichever node makes it, so two members
 * acking at once cannot both miss the moment everyone has a message.
 */
export class ReceiptRows implements AsyncRows<ReceiptTransaction> {
  private readonly streams: StreamRows;

  constructor(private readonly sql: Queryable) {
    this.streams = new StreamRows(sql);
  }

  async ackState(deviceId: string): Promise<AckState | undefined> {
    const row = await rowOf<{ user_id: string; acked_pos: number; last_pos: number }>(
      this.sql,
      `SELECT d.user_id, d.acked_pos, u.last_pos FROM devices d JOIN users u ON u.id = d.user_id
       WHERE d.id = $1 FOR NO KEY UPDATE OF d`,
      [deviceId],
    );
    return row === undefined ? undefined : { userId: row.user_id, ackedPos: row.acked_pos, lastPos: row.last_pos };
  }

  async setAckedPos(deviceId: string, pos: number, at: number): Promise<void> {
    await query(this.sql, 'UPDATE devices SET acked_pos = greatest(acked_pos, $2), last_active_at = greatest(last_active_at, $3) WHERE id = $1', [
      deviceId,
      pos,
      at,
    ]);
  }

  /**
   * Read from the stream, not a seq range: only what the user could see
   * counts. Locks first, in id order, the conversations where the range holds
   * messages from others (the only ones a receipt can come from), then reads
   * as of those locks.
   */
  async newestBySender(userId: string, fromPos: number, toPos: number): Promise<CoveredSender[]> {
    const locked = await rowsOf(
      this.sql,
      `SELECT c.id FROM conversations c
       WHERE c.id IN (SELECT e.conversation_id FROM events e JOIN messages m ON m.conversation_id = e.conversation_id AND m.seq = e.seq
                      WHERE e.user_id = $1 AND e.pos > $2 AND e.pos <= $3 AND e.kind = 'message' AND m.sender_id <> $1)
       ORDER BY c.id FOR NO KEY UPDATE`,
      [userId, fromPos, toPos],
    );
    // Only the user's own messages (or none): the rule makes no receipt of them, so it reads none, and nothing is locked.
    if (locked.length === 0) return [];
    const rows = await rowsOf<NewestRow>(
      this.sql,
      `SELECT m.conversation_id, c.kind, m.sender_id, max(m.seq) AS seq, me.delivered_seq,
              sm.user_id IS NOT NULL AS sender_was_member, sm.left_at_seq AS sender_left_at_seq
       FROM events e
       JOIN messages m ON m.conversation_id = e.conversation_id AND m.seq = e.seq
       JOIN conversations c ON c.id = e.conversation_id
       JOIN members me ON me.conversation_id = e.conversation_id AND me.user_id = e.user_id
       LEFT JOIN members sm ON sm.conversation_id = m.conversation_id AND sm.user_id = m.sender_id
       WHERE e.user_id = $1 AND e.pos > $2 AND e.pos <= $3 AND e.kind = 'message'
       GROUP BY m.conversation_id, m.sender_id, c.kind, me.delivered_seq, sm.user_id, sm.left_at_seq
       ORDER BY m.conversation_id, m.sender_id`,
      [userId, fromPos, toPos],
    );
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      conversationKind: toConversationKind(row.kind),
      senderId: row.sender_id,
      seq: row.seq,
      deliveredSeq: row.delivered_seq,
      senderMembership: row.sender_was_member ? { leftAtSeq: row.sender_left_at_seq } : undefined,
    }));
  }

  async member(conversationId: string, userId: string): Promise<Member | undefined> {
    const row = await rowOf<MemberRow>(this.sql, `SELECT ${memberColumns} FROM members WHERE conversation_id = $1 AND user_id = $2`, [
      conversationId,
      userId,
    ]);
    return row === undefined ? undefined : toMember(row);
  }

  async conversationKind(conversationId: string): Promise<ConversationKind> {
    const row = await rowOf<{ kind: string }>(this.sql, 'SELECT kind FROM conversations WHERE id = $1', [conversationId]);
    if (row === undefined) throw new Error(`Invariant broken: conversation ${conversationId} has a member but no row`);
    return toConversationKind(row.kind);
  }

  async lastSeq(conversationId: string): Promise<number> {
    return (await rowOf<{ last_seq: number }>(this.sql, 'SELECT last_seq FROM conversations WHERE id = $1', [conversationId]))?.last_seq ?? 0;
  }

  async setDeliveredSeq(conversationId: string, userId: string, seq: number): Promise<void> {
    await query(this.sql, 'UPDATE members SET delivered_seq = greatest(delivered_seq, $3) WHERE conversation_id = $1 AND user_id = $2', [
      conversationId,
      userId,
      seq,
    ]);
  }

  async setReadSeq(conversationId: string, userId: string, seq: number): Promise<void> {
    await query(
      this.sql,
      'UPDATE members SET read_seq = $3, delivered_seq = greatest(delivered_seq, $3) WHERE conversation_id = $1 AND user_id = $2',
      [conversationId, userId, seq],
    );
  }

  async lowestProgress(conversationId: string, status: ReceiptStatus, limit: number): Promise<MemberProgress[]> {
    const column = status === 'delivered' ? 'delivered_seq' : 'read_seq';
    const rows = await rowsOf<{ user_id: string; seq: number }>(
      this.sql,
      `SELECT user_id, greatest(${column}, joined_after_seq) AS seq FROM members
       WHERE conversation_id = $1 AND left_at_seq IS NULL ORDER BY 2, user_id LIMIT $2`,
      [conversationId, limit],
    );
    return rows.map((row) => ({ userId: row.user_id, seq: row.seq }));
  }

  async announced(conversationId: string, userId: string): Promise<AnnouncedSeqs | undefined> {
    const row = await rowOf<{ delivered_to_all_seq: number; read_by_all_seq: number }>(
      this.sql,
      `SELECT delivered_to_all_seq, read_by_all_seq FROM members
       WHERE conversation_id = $1 AND user_id = $2 AND left_at_seq IS NULL`,
      [conversationId, userId],
    );
    return row === undefined ? undefined : { delivered: row.delivered_to_all_seq, read: row.read_by_all_seq };
  }

  async setAnnounced(conversationId: string, userId: string, status: ReceiptStatus, seq: number): Promise<void> {
    const column = status === 'delivered' ? 'delivered_to_all_seq' : 'read_by_all_seq';
    await query(this.sql, `UPDATE members SET ${column} = $3 WHERE conversation_id = $1 AND user_id = $2`, [conversationId, userId, seq]);
  }

  async newestSeqOf(conversationId: string, senderId: string, low: number, high: number): Promise<number | undefined> {
    const row = await rowOf<{ seq: number }>(
      this.sql,
      `SELECT seq FROM messages WHERE conversation_id = $1 AND seq > $3 AND seq <= $4 AND sender_id = $2 ORDER BY seq DESC LIMIT 1`,
      [conversationId, senderId, low, high],
    );
    return row?.seq;
  }

  async sendersBetween(conversationId: string, low: number, high: number): Promise<CoverCandidate[]> {
    const rows = await rowsOf<{ sender_id: string; seq: number }>(
      this.sql,
      `SELECT sender_id, max(seq) AS seq FROM messages WHERE conversation_id = $1 AND seq > $2 AND seq <= $3
       GROUP BY sender_id ORDER BY sender_id`,
      [conversationId, low, high],
    );
    return rows.map((row) => ({ senderId: row.sender_id, newestSeq: row.seq }));
  }

  async appendReceipt(userId: string, conversationId: string, receipt: ReceiptData): Promise<Appended> {
    const pos = await this.streams.appendTo(userId, conversationId, 'receipt', null, encodeEventData(receipt));
    return { userId, entry: receiptEntry(pos, conversationId, receipt) };
  }
}
