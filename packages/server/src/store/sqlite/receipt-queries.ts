import type Database from 'better-sqlite3';
import type { Appended } from '../../chat/model.js';
import { ParleyError } from '../../chat/parley-error.js';
import { lastSeqOf } from './heads.js';
import type { StreamQueries } from './stream-queries.js';

/** A sender with messages an ack newly covered, and the highest such seq. */
interface CoveredRow {
  conversation_id: string;
  sender_id: string;
  seq: number;
  /** 1 when the sender is still a member: only they are told. */
  sender_is_member: number;
}

interface ReadState {
  joined_after_seq: number;
  left_at_seq: number | null;
  read_seq: number;
  last_seq: number;
}

/**
 * Delivered and read receipts (PROTOCOL §4). Both are cumulative per (user,
 * conversation) and kept in `members.delivered_seq` / `read_seq`, which only
 * rise, so each message causes at most one receipt of each status per reader
 * however many devices ack it. A receipt goes to each sender once per write,
 * carrying the highest seq: "everything up to here", not one per message.
 * Senders who have left are not told: a former member gets no more events.
 */
export class ReceiptQueries {
  private readonly selectCovered;
  private readonly raiseDelivered;
  private readonly selectReadState;
  private readonly selectSendersBetween;
  private readonly raiseRead;

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
  ) {
    // The messages from others in the newly acked part of the stream, past
    // what the user already had delivered. Reading them from the stream, not
    // from a seq range of `messages`, counts only what the user could see
    // (never the gap of a member who left and was added again).
    this.selectCovered = db.prepare<[{ userId: string; fromPos: number; toPos: number }], CoveredRow>(
      `SELECT m.conversation_id, m.sender_id, max(m.seq) AS seq, (sm.user_id IS NOT NULL) AS sender_is_member
       FROM events e
       JOIN messages m ON m.conversation_id = e.conversation_id AND m.seq = e.seq
       JOIN members me ON me.conversation_id = e.conversation_id AND me.user_id = e.user_id
       LEFT JOIN members sm ON sm.conversation_id = m.conversation_id AND sm.user_id = m.sender_id AND sm.left_at_seq IS NULL
       WHERE e.user_id = @userId AND e.pos > @fromPos AND e.pos <= @toPos AND e.kind = 'message'
         AND m.sender_id <> @userId AND m.seq > me.delivered_seq
       GROUP BY m.conversation_id, m.sender_id
       ORDER BY m.conversation_id, m.sender_id`,
    );
    this.raiseDelivered = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET delivered_seq = max(delivered_seq, @seq)
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
    this.selectReadState = db.prepare<[string, string], ReadState>(
      `SELECT me.joined_after_seq, me.left_at_seq, me.read_seq, ${lastSeqOf('me.conversation_id')} AS last_seq
       FROM members me
       WHERE me.conversation_id = ? AND me.user_id = ?`,
    );
    this.selectSendersBetween = db.prepare<[{ conversationId: string; userId: string; low: number; high: number }], { sender_id: string }>(
      `SELECT DISTINCT m.sender_id
       FROM messages m
       JOIN members sm ON sm.conversation_id = m.conversation_id AND sm.user_id = m.sender_id AND sm.left_at_seq IS NULL
       WHERE m.conversation_id = @conversationId AND m.seq > @low AND m.seq <= @high AND m.sender_id <> @userId
       ORDER BY m.sender_id`,
    );
    this.raiseRead = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET read_seq = @seq, delivered_seq = max(delivered_seq, @seq)
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
  }

  /**
   * See `StreamStore.ackStream`. Must run inside a transaction: the delivered
   * seq is checked and raised by the same write that appends the receipts, so
   * two devices acking at once cannot both send them.
   */
  ack(deviceId: string, pos: number, at: number): Appended[] {
    const range = this.streams.advanceAckedPos(deviceId, pos, at);
    if (range === undefined) return [];
    const covered = this.selectCovered.all(range);
    const appended: Appended[] = [];
    for (const [conversationId, senders] of groupByConversation(covered)) {
      const seq = Math.max(...senders.map((sender) => sender.seq));
      this.raiseDelivered.run({ conversationId, userId: range.userId, seq });
      for (const sender of senders) {
        if (sender.sender_is_member === 0) continue;
        appended.push(this.streams.appendReceipt(sender.sender_id, conversationId, { user: range.userId, status: 'delivered', seq }));
      }
    }
    return appended;
  }

  /**
   * See `StreamStore.markRead`. The delivered receipts that reading implies
   * are not sent on their own: the read receipt covers them.
   */
  markRead(conversationId: string, userId: string, seq: number): Appended[] {
    const state = this.selectReadState.get(conversationId, userId);
    if (state === undefined) throw new ParleyError('not_found', 'no such conversation');
    if (state.left_at_seq !== null) throw new ParleyError('not_member', 'you are no longer a member of this conversation');
    const readSeq = Math.min(seq, state.last_seq);
    // Seqs up to the join were never this member's to read.
    const low = Math.max(state.read_seq, state.joined_after_seq);
    if (readSeq <= low) return [];

    this.raiseRead.run({ conversationId, userId, seq: readSeq });
    const receipt = { user: userId, status: 'read', seq: readSeq } as const;
    const senders = this.selectSendersBetween.all({ conversationId, userId, low, high: readSeq });
    const appended = senders.map((sender) => this.streams.appendReceipt(sender.sender_id, conversationId, receipt));
    appended.push(this.streams.appendReceipt(userId, conversationId, receipt));
    return appended;
  }
}

function groupByConversation(rows: CoveredRow[]): Map<string, CoveredRow[]> {
  const groups = new Map<string, CoveredRow[]>();
  for (const row of rows) {
    const group = groups.get(row.conversation_id);
    if (group === undefined) groups.set(row.conversation_id, [row]);
    else group.push(row);
  }
  return groups;
}
