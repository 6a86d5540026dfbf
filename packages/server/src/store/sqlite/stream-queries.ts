import type Database from 'better-sqlite3';
import type { Delivery, StreamEntry } from '../../chat/model.js';
import { assert } from '../../lib/assert.js';
import { encodeEventData, toStreamEntry } from './stream-entry.js';
import type { ConversationData, EventRow, ReceiptData } from './stream-entry.js';

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
  private readonly selectPos;
  private readonly selectEntries;
  private readonly updateAckedPos;

  constructor(db: Database.Database) {
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
    this.selectPos = db.prepare<[string], { last_pos: number }>('SELECT last_pos FROM users WHERE id = ?');
    this.selectEntries = db.prepare<[{ userId: string; afterPos: number; limit: number }], EventRow>(
      `SELECT e.pos, e.kind, e.conversation_id, e.seq, e.data_json,
              m.id AS message_id, m.sender_id, m.device_id, m.at, m.body_json
       FROM events e
       LEFT JOIN messages m ON e.kind = 'message' AND m.conversation_id = e.conversation_id AND m.seq = e.seq
       WHERE e.user_id = @userId AND e.pos > @afterPos
       ORDER BY e.pos LIMIT @limit`,
    );
    // Capped at the stream's end: a device that acked past it would silently skip the events still to come.
    this.updateAckedPos = db.prepare<[{ deviceId: string; pos: number; at: number }]>(
      `UPDATE devices
       SET acked_pos = max(acked_pos, min(@pos, (SELECT last_pos FROM users WHERE id = devices.user_id))),
           last_active_at = max(last_active_at, @at)
       WHERE id = @deviceId`,
    );
  }

  /** Appends a receipt or conversation event to one user's stream; returns its pos. */
  appendEvent(userId: string, conversationId: string, kind: 'receipt' | 'conversation', data: ReceiptData | ConversationData): number {
    const bumped = this.bumpPos.get(userId);
    assert(bumped !== undefined, `user ${userId} of an event exists`);
    this.insertEvent.run({ userId, pos: bumped.last_pos, kind, conversationId, dataJson: encodeEventData(data) });
    return bumped.last_pos;
  }

  /** Appends the event of message `seq` to the stream of every current member. */
  appendMessageEvents(conversationId: string, seq: number): Delivery[] {
    const deliveries = this.bumpMemberPositions.all(conversationId).map((row) => ({ userId: row.id, pos: row.last_pos }));
    const inserted = this.insertMessageEvents.run({ conversationId, seq }).changes;
    assert(inserted === deliveries.length, `one message event per member (${inserted} for ${deliveries.length})`);
    return deliveries;
  }

  currentPos(userId: string): number {
    return this.selectPos.get(userId)?.last_pos ?? 0;
  }

  read(userId: string, afterPos: number, limit: number): StreamEntry[] {
    return this.selectEntries.all({ userId, afterPos, limit }).map(toStreamEntry);
  }

  ack(deviceId: string, pos: number, at: number): void {
    this.updateAckedPos.run({ deviceId, pos, at });
  }
}
