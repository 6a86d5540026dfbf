import type { RowCipher } from './row-cipher.js';
import type Database from 'better-sqlite3';
import type { Appended, Delivery, StreamEntry } from '../../chat/model.js';
import { assert } from '../../lib/assert.js';
import { conversationEntry, encodeEventData, receiptEntry, toStreamEntry } from './stream-entry.js';
import type { ConversationData, EventRow, ReceiptData } from './stream-entry.js';

/** The part of a user's stream an ack newly covered: pos in `(fromPos, toPos]`. */
export interface AckedRange {
  userId: string;
  fromPos: number;
  toPos: number;
}

/**
 * The per-user event streams. A pos is taken from `users.last_pos` by the
 * statement that bumps it, in the same savepoint as the event insert: a pos
 * is never handed out without its row, nor twice.
 */
export class StreamQueries {
  private readonly bumpPos;
  private readonly insertEvent;
  private readonly bumpMemberPositions;
  private readonly insertMessageEvents;
  private readonly insertMessageEvent;
  private readonly insertMemberEvents;
  private readonly selectPos;
  private readonly selectEntries;
  private readonly selectAckState;
  private readonly updateAckedPos;

  constructor(
    db: Database.Database,
    private readonly bodies: RowCipher,
  ) {
    this.bumpPos = db.prepare<[string], { last_pos: number }>(
      'UPDATE users SET last_pos = last_pos + 1 WHERE id = ? RETURNING last_pos',
    );
    this.insertEvent = db.prepare<[{ userId: string; pos: number; kind: string; conversationId: string; dataJson: string }]>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, data_json)
       VALUES (@userId, @pos, @kind, @conversationId, @dataJson)`,
    );
    this.bumpMemberPositions = db.prepare<[string], { id: string; last_pos: number }>(
      `UPDATE users SET last_pos = last_pos + 1
       WHERE id IN (SELECT user_id FROM members WHERE conversation_id = ? AND left_at_seq IS NULL)
       RETURNING id, last_pos`,
    );
    // Reads back the positions just bumped, so one statement writes the events of a group of any size.
    this.insertMessageEvents = db.prepare<[{ conversationId: string; seq: number }]>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, seq)
       SELECT u.id, u.last_pos, 'message', m.conversation_id, @seq
       FROM members m JOIN users u ON u.id = m.user_id
       WHERE m.conversation_id = @conversationId AND m.left_at_seq IS NULL`,
    );
    this.insertMessageEvent = db.prepare<[{ userId: string; pos: number; conversationId: string; seq: number }]>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, seq) VALUES (@userId, @pos, 'message', @conversationId, @seq)`,
    );
    this.insertMemberEvents = db.prepare<[{ conversationId: string; dataJson: string }]>(
      `INSERT INTO events (user_id, pos, kind, conversation_id, data_json)
       SELECT u.id, u.last_pos, 'conversation', m.conversation_id, @dataJson
       FROM members m JOIN users u ON u.id = m.user_id
       WHERE m.conversation_id = @conversationId AND m.left_at_seq IS NULL`,
    );
    this.selectPos = db.prepare<[string], { last_pos: number }>('SELECT last_pos FROM users WHERE id = ?');
    this.selectEntries = db.prepare<[{ userId: string; afterPos: number; limit: number }], EventRow>(
      `SELECT e.pos, e.kind, e.conversation_id, e.seq, e.data_json,
              m.id AS message_id, m.sender_id, m.device_id, m.at, m.body, m.key_id
       FROM events e
       LEFT JOIN messages m ON e.kind = 'message' AND m.conversation_id = e.conversation_id AND m.seq = e.seq
       WHERE e.user_id = @userId AND e.pos > @afterPos
       ORDER BY e.pos LIMIT @limit`,
    );
    this.selectAckState = db.prepare<[string], { user_id: string; acked_pos: number; last_pos: number }>(
      'SELECT d.user_id, d.acked_pos, u.last_pos FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?',
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
    const bumped = this.bumpMemberPositions.all(conversationId);
    const inserted = this.insertMemberEvents.run({ conversationId, dataJson: encodeEventData(data) }).changes;
    assert(inserted === bumped.length, `one conversation event per member (${inserted} for ${bumped.length})`);
    return bumped.map((row) => ({ userId: row.id, entry: conversationEntry(row.last_pos, conversationId, data) }));
  }

  /** Appends the event of message `seq` to the stream of every current member. */
  appendMessageEvents(conversationId: string, seq: number): Delivery[] {
    const deliveries = this.bumpMemberPositions.all(conversationId).map((row) => ({ userId: row.id, pos: row.last_pos }));
    const inserted = this.insertMessageEvents.run({ conversationId, seq }).changes;
    assert(inserted === deliveries.length, `one message event per member (${inserted} for ${deliveries.length})`);
    return deliveries;
  }

  /** Appends the event of message `seq` to one user's stream only (a message withheld from the others). */
  appendMessageEventFor(userId: string, conversationId: string, seq: number): Delivery {
    const bumped = this.bumpPos.get(userId);
    assert(bumped !== undefined, `user ${userId} of an event exists`);
    this.insertMessageEvent.run({ userId, pos: bumped.last_pos, conversationId, seq });
    return { userId, pos: bumped.last_pos };
  }

  currentPos(userId: string): number {
    return this.selectPos.get(userId)?.last_pos ?? 0;
  }

  read(userId: string, afterPos: number, limit: number): StreamEntry[] {
    return this.selectEntries.all({ userId, afterPos, limit }).map((row) => toStreamEntry(row, this.bodies));
  }

  /**
   * Moves the device's acked pos up to `pos`, never back and never past the
   * stream's end (a device that acked past it would silently skip the events
   * still to come). Returns the newly covered range, or undefined when the
   * device is unknown (revoked meanwhile) or the ack covers nothing new.
   */
  advanceAckedPos(deviceId: string, pos: number, at: number): AckedRange | undefined {
    const state = this.selectAckState.get(deviceId);
    if (state === undefined) return undefined;
    const toPos = Math.max(state.acked_pos, Math.min(pos, state.last_pos));
    this.updateAckedPos.run({ deviceId, pos: toPos, at });
    if (toPos === state.acked_pos) return undefined;
    return { userId: state.user_id, fromPos: state.acked_pos, toPos };
  }

  private appendEvent(
    userId: string,
    conversationId: string,
    kind: 'receipt' | 'conversation',
    data: ReceiptData | ConversationData,
  ): number {
    const bumped = this.bumpPos.get(userId);
    assert(bumped !== undefined, `user ${userId} of an event exists`);
    this.insertEvent.run({ userId, pos: bumped.last_pos, kind, conversationId, dataJson: encodeEventData(data) });
    return bumped.last_pos;
  }
}
