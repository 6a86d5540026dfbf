import type Database from 'better-sqlite3';
import type { Appended, Member, ReceiptData } from '../../chat/model.js';
import type { AckState, ReceiptTransaction, SenderSeq } from '../../chat/receipt-rules.js';
import type { ConversationQueries } from './conversation-queries.js';
import { lastSeqOf } from './heads.js';
import type { StreamQueries } from './stream-queries.js';

/** The rows of delivered and read receipts (see chat/receipt-rules.ts); valid inside a write transaction only. */
export class ReceiptQueries implements ReceiptTransaction {
  private readonly selectNewestBySender;
  private readonly updateDelivered;
  private readonly selectLastSeq;
  private readonly selectSendersBetween;
  private readonly updateRead;

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
    private readonly conversations: ConversationQueries,
  ) {
    // Read from the stream, not from a seq range of `messages`: only what the
    // user could see counts (never the gap of a member who left and came back).
    this.selectNewestBySender = db.prepare<[{ userId: string; fromPos: number; toPos: number }], { conversation_id: string; sender_id: string; seq: number }>(
      `SELECT m.conversation_id, m.sender_id, max(m.seq) AS seq
       FROM events e
       JOIN messages m ON m.conversation_id = e.conversation_id AND m.seq = e.seq
       WHERE e.user_id = @userId AND e.pos > @fromPos AND e.pos <= @toPos AND e.kind = 'message'
       GROUP BY m.conversation_id, m.sender_id
       ORDER BY m.conversation_id, m.sender_id`,
    );
    this.updateDelivered = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET delivered_seq = max(delivered_seq, @seq)
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
    this.selectLastSeq = db.prepare<[{ conversationId: string }], { last_seq: number }>(`SELECT ${lastSeqOf('@conversationId')} AS last_seq`);
    this.selectSendersBetween = db.prepare<[{ conversationId: string; low: number; high: number }], { sender_id: string }>(
      `SELECT DISTINCT sender_id FROM messages
       WHERE conversation_id = @conversationId AND seq > @low AND seq <= @high
       ORDER BY sender_id`,
    );
    this.updateRead = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET read_seq = @seq, delivered_seq = max(delivered_seq, @seq)
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
  }

  ackState(deviceId: string): AckState | undefined {
    return this.streams.ackState(deviceId);
  }

  setAckedPos(deviceId: string, pos: number, at: number): void {
    this.streams.setAckedPos(deviceId, pos, at);
  }

  newestBySender(userId: string, fromPos: number, toPos: number): SenderSeq[] {
    return this.selectNewestBySender
      .all({ userId, fromPos, toPos })
      .map((row) => ({ conversationId: row.conversation_id, senderId: row.sender_id, seq: row.seq }));
  }

  member(conversationId: string, userId: string): Member | undefined {
    return this.conversations.getMember(conversationId, userId);
  }

  lastSeq(conversationId: string): number {
    return this.selectLastSeq.get({ conversationId })?.last_seq ?? 0;
  }

  sendersBetween(conversationId: string, low: number, high: number): string[] {
    return this.selectSendersBetween.all({ conversationId, low, high }).map((row) => row.sender_id);
  }

  setDeliveredSeq(conversationId: string, userId: string, seq: number): void {
    this.updateDelivered.run({ conversationId, userId, seq });
  }

  setReadSeq(conversationId: string, userId: string, seq: number): void {
    this.updateRead.run({ conversationId, userId, seq });
  }

  appendReceipt(userId: string, conversationId: string, receipt: ReceiptData): Appended {
    return this.streams.appendReceipt(userId, conversationId, receipt);
  }
}
