import type Database from 'better-sqlite3';
import type { ConversationKind, ReceiptStatus } from '@parley/protocol';
import type { AnnouncedSeqs, CoverCandidate, MemberProgress } from '../../chat/group-receipt-rule.js';
import type { Appended, Member, ReceiptData } from '../../chat/model.js';
import type { AckState, CoveredSender, ReceiptTransaction } from '../../chat/receipt-rules.js';
import type { ConversationQueries } from './conversation-queries.js';
import { lastSeqOf } from './heads.js';
import type { DeviceAcks } from './device-acks.js';
import type { DirectDeliveredSeqs } from './direct-delivered-seqs.js';
import type { MessageLog } from './message-log.js';
import type { RecentMessageEvents } from './recent-message-events.js';
import { toConversationKind } from '../rows.js';
import type { StreamHeads } from './stream-heads.js';
import type { StreamQueries } from './stream-queries.js';

interface NewestRow {
  conversation_id: string;
  kind: string;
  sender_id: string;
  seq: number;
  delivered_seq: number;
  sender_was_member: number;
  sender_left_at_seq: number | null;
}

type ConversationMember = { conversationId: string; userId: string };

/** Conversation kinds kept in memory at most. */
const kindsInMemoryMax = 100_000;

/** The rows of delivered and read receipts (see chat/receipt-rules.ts); valid inside a write transaction only. */
export class ReceiptQueries implements ReceiptTransaction {
  private readonly selectNewestBySender;
  private readonly updateDelivered;
  private readonly selectLastSeq;
  private readonly selectSendersBetween;
  private readonly updateRead;
  private readonly selectKind;
  private readonly selectLowestDelivered;
  private readonly selectLowestRead;
  private readonly selectAnnounced;
  private readonly updateDeliveredToAll;
  private readonly updateReadByAll;
  private readonly selectNewestOf;
  private readonly kinds = new Map<string, ConversationKind>();

  constructor(
    db: Database.Database,
    private readonly streams: StreamQueries,
    private readonly conversations: ConversationQueries,
    private readonly parts: {
      acks: DeviceAcks;
      heads: StreamHeads;
      recent: RecentMessageEvents;
      messageLog: MessageLog;
      deliveredSeqs: DirectDeliveredSeqs;
      moveLogs: () => void;
    },
  ) {
    // Read from the stream, not from a seq range of `messages`: only what the
    // user could see counts (never the gap of a member who left and came back).
    this.selectNewestBySender = db.prepare<[{ userId: string; fromPos: number; toPos: number }], NewestRow>(
      `SELECT m.conversation_id, c.kind, m.sender_id, max(m.seq) AS seq, me.delivered_seq,
              sm.user_id IS NOT NULL AS sender_was_member, sm.left_at_seq AS sender_left_at_seq
       FROM events e
       JOIN messages m ON m.conversation_id = e.conversation_id AND m.seq = e.seq
       JOIN conversations c ON c.id = e.conversation_id
       JOIN members me ON me.conversation_id = e.conversation_id AND me.user_id = e.user_id
       LEFT JOIN members sm ON sm.conversation_id = m.conversation_id AND sm.user_id = m.sender_id
       WHERE e.user_id = @userId AND e.pos > @fromPos AND e.pos <= @toPos AND e.kind = 'message'
       GROUP BY m.conversation_id, m.sender_id
       ORDER BY m.conversation_id, m.sender_id`,
    );
    this.updateDelivered = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET delivered_seq = max(delivered_seq, @seq)
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
    this.selectLastSeq = db.prepare<[{ conversationId: string }], { last_seq: number }>(`SELECT ${lastSeqOf('@conversationId')} AS last_seq`);
    this.selectSendersBetween = db.prepare<[{ conversationId: string; low: number; high: number }], { sender_id: string; seq: number }>(
      `SELECT sender_id, max(seq) AS seq FROM messages
       WHERE conversation_id = @conversationId AND seq > @low AND seq <= @high
       GROUP BY sender_id ORDER BY sender_id`,
    );
    this.updateRead = db.prepare<[{ conversationId: string; userId: string; seq: number }]>(
      `UPDATE members SET read_seq = @seq, delivered_seq = max(delivered_seq, @seq)
       WHERE conversation_id = @conversationId AND user_id = @userId`,
    );
    this.selectKind = db.prepare<[string], { kind: string }>('SELECT kind FROM conversations WHERE id = ?');
    // Each expression and condition is written as its index (schema.ts) has
    // it, so the lowest members are an index seek, not a scan of a 1,024-member
    // group. Groups alone ask.
    this.selectLowestDelivered = db.prepare<[{ conversationId: string; limit: number }], { user_id: string; seq: number }>(
      `SELECT user_id, max(delivered_seq, joined_after_seq) AS seq FROM members
       WHERE conversation_id = @conversationId AND left_at_seq IS NULL AND in_group = 1
       ORDER BY max(delivered_seq, joined_after_seq) LIMIT @limit`,
    );
    this.selectLowestRead = db.prepare<[{ conversationId: string; limit: number }], { user_id: string; seq: number }>(
      `SELECT user_id, max(read_seq, joined_after_seq) AS seq FROM members
       WHERE conversation_id = @conversationId AND left_at_seq IS NULL AND in_group = 1
       ORDER BY max(read_seq, joined_after_seq) LIMIT @limit`,
    );
    this.selectAnnounced = db.prepare<[ConversationMember], { delivered_to_all_seq: number; read_by_all_seq: number }>(
      `SELECT delivered_to_all_seq, read_by_all_seq FROM members
       WHERE conversation_id = @conversationId AND user_id = @userId AND left_at_seq IS NULL`,
    );
    this.updateDeliveredToAll = db.prepare<[ConversationMember & { seq: number }]>(
      'UPDATE members SET delivered_to_all_seq = @seq WHERE conversation_id = @conversationId AND user_id = @userId',
    );
    this.updateReadByAll = db.prepare<[ConversationMember & { seq: number }]>(
      'UPDATE members SET read_by_all_seq = @seq WHERE conversation_id = @conversationId AND user_id = @userId',
    );
    // Walks back from `high` and stops at the sender's first message.
    this.selectNewestOf = db.prepare<[{ conversationId: string; senderId: string; low: number; high: number }], { seq: number }>(
      `SELECT seq FROM messages
       WHERE conversation_id = @conversationId AND seq > @low AND seq <= @high AND sender_id = @senderId
       ORDER BY seq DESC LIMIT 1`,
    );
  }

  ackState(deviceId: string): AckState | undefined {
    const state = this.parts.acks.state(deviceId);
    return state === undefined ? undefined : { userId: state.userId, ackedPos: state.ackedPos, lastPos: this.parts.heads.current(state.userId) };
  }

  setAckedPos(deviceId: string, pos: number, at: number): void {
    this.parts.acks.setAckedPos(deviceId, pos, at);
  }

  newestBySender(userId: string, fromPos: number, toPos: number): CoveredSender[] {
    const recent = this.parts.recent.newestBySender(userId, fromPos, toPos);
    if (recent === undefined) return this.readNewestBySender(userId, fromPos, toPos);
    if (recent.length > 1) recent.sort((a, b) => compareText(a.conversationId, b.conversationId) || compareText(a.senderId, b.senderId));
    const covered: CoveredSender[] = [];
    for (const { conversationId, senderId, seq } of recent) {
      const sender = this.conversations.peekMember(conversationId, senderId);
      covered.push({
        conversationId,
        senderId,
        seq,
        conversationKind: this.conversationKind(conversationId),
        deliveredSeq: this.conversations.peekMember(conversationId, userId)?.deliveredSeq ?? 0,
        senderMembership: sender === undefined ? undefined : { leftAtSeq: sender.leftAtSeq },
      });
    }
    return covered;
  }

  private readNewestBySender(userId: string, fromPos: number, toPos: number): CoveredSender[] {
    // The query joins `events` and `messages`: both must hold the logs' rows.
    this.parts.moveLogs();
    return this.selectNewestBySender.all({ userId, fromPos, toPos }).map((row) => ({
      conversationId: row.conversation_id,
      conversationKind: toConversationKind(row.kind),
      senderId: row.sender_id,
      seq: row.seq,
      deliveredSeq: row.delivered_seq,
      senderMembership: row.sender_was_member === 1 ? { leftAtSeq: row.sender_left_at_seq } : undefined,
    }));
  }

  member(conversationId: string, userId: string): Member | undefined {
    return this.conversations.getMember(conversationId, userId);
  }

  lastSeq(conversationId: string): number {
    return this.selectLastSeq.get({ conversationId })?.last_seq ?? 0;
  }

  conversationKind(conversationId: string): ConversationKind {
    const known = this.kinds.get(conversationId);
    if (known !== undefined) return known;
    const row = this.selectKind.get(conversationId);
    if (row === undefined) throw new Error(`Invariant broken: conversation ${conversationId} has a member but no row`);
    const kind = toConversationKind(row.kind);
    // A conversation's kind never changes.
    if (this.kinds.size >= kindsInMemoryMax) this.kinds.clear();
    this.kinds.set(conversationId, kind);
    return kind;
  }

  sendersBetween(conversationId: string, low: number, high: number): CoverCandidate[] {
    return this.selectSendersBetween.all({ conversationId, low, high }).map((row) => ({ senderId: row.sender_id, newestSeq: row.seq }));
  }

  lowestProgress(conversationId: string, status: ReceiptStatus, limit: number): MemberProgress[] {
    const statement = status === 'delivered' ? this.selectLowestDelivered : this.selectLowestRead;
    return statement.all({ conversationId, limit }).map((row) => ({ userId: row.user_id, seq: row.seq }));
  }

  announced(conversationId: string, userId: string): AnnouncedSeqs | undefined {
    const row = this.selectAnnounced.get({ conversationId, userId });
    return row === undefined ? undefined : { delivered: row.delivered_to_all_seq, read: row.read_by_all_seq };
  }

  setAnnounced(conversationId: string, userId: string, status: ReceiptStatus, seq: number): void {
    (status === 'delivered' ? this.updateDeliveredToAll : this.updateReadByAll).run({ conversationId, userId, seq });
  }

  /** Asked by acks, which do not move the logs: the log holds the conversation's newest messages, `messages` the rest. */
  newestSeqOf(conversationId: string, senderId: string, low: number, high: number): number | undefined {
    return this.parts.messageLog.newestOf(conversationId, senderId, low, high) ?? this.selectNewestOf.get({ conversationId, senderId, low, high })?.seq;
  }

  setDeliveredSeq(conversationId: string, userId: string, seq: number): void {
    if (this.conversationKind(conversationId) === 'direct') this.parts.deliveredSeqs.raise(conversationId, userId, seq);
    else this.updateDelivered.run({ conversationId, userId, seq });
    this.conversations.noteDeliveredSeq(conversationId, userId, seq);
  }

  setReadSeq(conversationId: string, userId: string, seq: number): void {
    this.updateRead.run({ conversationId, userId, seq });
    this.conversations.noteReadSeq(conversationId, userId, seq);
  }

  appendReceipt(userId: string, conversationId: string, receipt: ReceiptData): Appended {
    return this.streams.appendReceipt(userId, conversationId, receipt);
  }
}

/** SQLite's default (binary) collation, so the receipts come in the order the table gives. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
