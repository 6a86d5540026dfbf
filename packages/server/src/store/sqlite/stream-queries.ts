import type { RowCipher } from '../../keys/row-cipher.js';
import type Database from 'better-sqlite3';
import type { Appended, ConversationData, Delivery, Message, ReceiptData, StreamEntry } from '../../chat/model.js';
import type { AckState } from '../../chat/receipt-rules.js';
import { assert } from '../../lib/assert.js';
import { lastPosOf } from './heads.js';
import { RecentMessages } from './recent-messages.js';
import { messageColumns, toMessage } from './rows.js';
import type { MessageRow } from './rows.js';
import { conversationEntry, encodeEventData, receiptEntry, toStreamEntry } from './stream-entry.js';
import type { EventRow } from './stream-entry.js';

/** About 3 MB of messages of a typical size: enough for every device of a 1,024-member group to replay the last few hundred. */
const recentMessagesMax = 10_000;

/**
 * The per-user event streams. An event's pos is the stream's head plus one,
 * read by the statement that inserts the event (see heads.ts): a pos is never
 * handed out without its row, and the primary key refuses it twice.
 */
export class StreamQueries {
  private readonly insertEvent;
  private readonly insertMessageEvents;
  private readonly insertMessageEvent;
  private readonly insertMemberEvents;
  private readonly selectPos;
  private readonly selectEntries;
  private readonly selectMessage;
  private readonly selectAckState;
  private readonly updateAckedPos;
  private readonly recent = new RecentMessages(recentMessagesMax);

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
  ) {
    this.insertEvent = db.prepare<[{ userId: string; kind: string; conversationId: string; dataJson: string }], { pos: number }>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, data_json)
       VALUES (@userId, ${lastPosOf('@userId')} + 1, @kind, @conversationId, @dataJson)
       RETURNING pos`,
    );
    // SQLite runs the SELECT to its end before inserting (it reads the table it
    // inserts into), so each member's head is read before any event is added.
    // One statement writes the events of a group of any size.
    this.insertMessageEvents = db.prepare<[{ conversationId: string; seq: number }], { user_id: string; pos: number }>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, seq)
       SELECT m.user_id, ${lastPosOf('m.user_id')} + 1, 'message', m.conversation_id, @seq
       FROM members m
       WHERE m.conversation_id = @conversationId AND m.left_at_seq IS NULL
       RETURNING user_id, pos`,
    );
    this.insertMessageEvent = db.prepare<[{ userId: string; conversationId: string; seq: number }], { pos: number }>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, seq)
       VALUES (@userId, ${lastPosOf('@userId')} + 1, 'message', @conversationId, @seq)
       RETURNING pos`,
    );
    this.insertMemberEvents = db.prepare<[{ conversationId: string; dataJson: string }], { user_id: string; pos: number }>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, data_json)
       SELECT m.user_id, ${lastPosOf('m.user_id')} + 1, 'conversation', m.conversation_id, @dataJson
       FROM members m
       WHERE m.conversation_id = @conversationId AND m.left_at_seq IS NULL
       RETURNING user_id, pos`,
    );
    this.selectPos = db.prepare<[{ userId: string }], { last_pos: number | null }>(`SELECT ${lastPosOf('@userId')} AS last_pos`);
    // Messages are read one by one, after the events: nearly all are in `recent` already.
    this.selectEntries = db.prepare<[{ userId: string; afterPos: number; limit: number }], EventRow>(
      `SELECT pos, kind, conversation_id, seq, data_json FROM events
       WHERE user_id = @userId AND pos > @afterPos
       ORDER BY pos LIMIT @limit`,
    );
    this.selectMessage = db.prepare<[string, number], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE conversation_id = ? AND seq = ?`,
    );
    this.selectAckState = db.prepare<[string], { user_id: string; acked_pos: number; last_pos: number }>(
      `SELECT d.user_id, d.acked_pos, ${lastPosOf('d.user_id')} AS last_pos FROM devices d WHERE d.id = ?`,
    );
    this.updateAckedPos = db.prepare<[{ deviceId: string; pos: number; at: number }]>(
      'UPDATE devices SET acked_pos = @pos, last_active_at = max(last_active_at, @at) WHERE id = @deviceId',
    );
  }

  appendReceipt(userId: string, conversationId: string, receipt: ReceiptData): Appended {
    const pos = this.appendEvent(userId, conversationId, 'receipt', receipt);
    return { userId, entry: receiptEntry(pos, conversationId, receipt) };
  }

  /** Appends a conversation event to one user's stream (one who is not, or not yet, a member). */
  appendConversationEvent(userId: string, conversationId: string, data: ConversationData): Appended {
    const pos = this.appendEvent(userId, conversationId, 'conversation', data);
    return { userId, entry: conversationEntry(pos, conversationId, data) };
  }

  /**
   * Appends a conversation event to the stream of every current member in two
   * statements whatever the group's size: a 1,024-member group must not cost
   * 2,048 round trips through the statement machinery.
   */
  appendConversationEventToMembers(conversationId: string, data: ConversationData): Appended[] {
    const inserted = this.insertMemberEvents.all({ conversationId, dataJson: encodeEventData(data) });
    return inserted.map((row) => ({ userId: row.user_id, entry: conversationEntry(row.pos, conversationId, data) }));
  }

  /** Appends the event of message `seq` to the stream of every current member. */
  appendMessageEventToMembers(conversationId: string, seq: number): Delivery[] {
    return this.insertMessageEvents.all({ conversationId, seq }).map((row) => ({ userId: row.user_id, pos: row.pos }));
  }

  /** Appends the event of message `seq` to one user's stream only (a message withheld from the others). */
  appendMessageEventTo(userId: string, conversationId: string, seq: number): Delivery {
    const inserted = this.insertMessageEvent.get({ userId, conversationId, seq });
    assert(inserted !== undefined, `the event of user ${userId} was inserted`);
    return { userId, pos: inserted.pos };
  }

  currentPos(userId: string): number {
    return this.selectPos.get({ userId })?.last_pos ?? 0;
  }

  read(userId: string, afterPos: number, limit: number): StreamEntry[] {
    return this.selectEntries.all({ userId, afterPos, limit }).map((row) => toStreamEntry(row, this.messageAt));
  }

  private readonly messageAt = (conversationId: string, seq: number): Message => {
    const recent = this.recent.get(conversationId, seq);
    if (recent !== undefined) return recent;
    const row = this.selectMessage.get(conversationId, seq);
    assert(row !== undefined, `message ${conversationId}#${seq} of an event exists`);
    const message = toMessage(row, this.bodies);
    this.recent.remember(message);
    return message;
  };

  ackState(deviceId: string): AckState | undefined {
    const row = this.selectAckState.get(deviceId);
    return row === undefined ? undefined : { userId: row.user_id, ackedPos: row.acked_pos, lastPos: row.last_pos };
  }

  setAckedPos(deviceId: string, pos: number, at: number): void {
    this.updateAckedPos.run({ deviceId, pos, at });
  }

  private appendEvent(
    userId: string,
    conversationId: string,
    kind: 'receipt' | 'conversation',
    data: ReceiptData | ConversationData,
  ): number {
    const inserted = this.insertEvent.get({ userId, kind, conversationId, dataJson: encodeEventData(data) });
    assert(inserted !== undefined, `the event of user ${userId} was inserted`);
    return inserted.pos;
  }
}
