import type { Message, StreamEntry } from '../../chat/model.js';
import type { RowCipher } from '../../keys/row-cipher.js';
import { assert } from '../../lib/assert.js';
import { toMessage } from '../rows.js';
import { toStreamEntry, type EventKind, type EventRow } from '../stream-entry.js';
import { rowOf, rowsOf, type Queryable } from './sql.js';

/**
 * Appends to users' event streams. A stream's head is `users.last_pos`,
 * bumped by the statement that inserts the event, under the user's row lock:
 * two nodes appending to one user's stream wait on each other and get
 * consecutive positions. Several users' rows are locked in id order, the
 * order every write takes them in, so two such writes cannot deadlock on them.
 */
export class StreamRows {
  constructor(private readonly sql: Queryable) {}

  /** Appends the event to the stream of every current member; [user, pos] pairs in user order. */
  async appendToMembers(conversationId: string, kind: EventKind, seq: number | null, dataJson: string | null): Promise<Array<[string, number]>> {
    const rows = await rowsOf<{ user_id: string; pos: number }>(
      this.sql,
      `WITH locked AS (
         SELECT u.id FROM members m JOIN users u ON u.id = m.user_id
         WHERE m.conversation_id = $1 AND m.left_at_seq IS NULL
         ORDER BY u.id FOR NO KEY UPDATE OF u
       ), bumped AS (
         UPDATE users u SET last_pos = u.last_pos + 1 FROM locked WHERE u.id = locked.id RETURNING u.id, u.last_pos
       ), inserted AS (
         INSERT INTO events (user_id, pos, kind, conversation_id, seq, data_json)
         SELECT id, last_pos, $2::text, $1::text, $3::bigint, $4::text FROM bumped
       )
       SELECT id AS user_id, last_pos AS pos FROM bumped ORDER BY id`,
      [conversationId, kind, seq, dataJson],
    );
    return rows.map((row) => [row.user_id, row.pos]);
  }

  /** Appends the event to one user's stream; returns its pos. */
  async appendTo(userId: string, conversationId: string, kind: EventKind, seq: number | null, dataJson: string | null): Promise<number> {
    const row = await rowOf<{ pos: number }>(
      this.sql,
      `WITH bumped AS (
         UPDATE users SET last_pos = last_pos + 1 WHERE id = $1 RETURNING id, last_pos
       ), inserted AS (
         INSERT INTO events (user_id, pos, kind, conversation_id, seq, data_json)
         SELECT id, last_pos, $3::text, $2::text, $4::bigint, $5::text FROM bumped
       )
       SELECT last_pos AS pos FROM bumped`,
      [userId, conversationId, kind, seq, dataJson],
    );
    assert(row !== undefined, `user ${userId} of a stream event exists`);
    return row.pos;
  }
}

/** An `events` row with the columns of its message, when it is a message event. */
type EventWithMessageRow = EventRow & {
  message_id: string | null;
  sender_id: string | null;
  device_id: string | null;
  at: number | null;
  body: Buffer | null;
  key_id: number | null;
};

/** Reads of users' event streams. */
export class StreamReads {
  constructor(
    private readonly sql: Queryable,
    private readonly cipher: RowCipher,
  ) {}

  async currentPos(userId: string): Promise<number> {
    return (await rowOf<{ last_pos: number }>(this.sql, 'SELECT last_pos FROM users WHERE id = $1', [userId]))?.last_pos ?? 0;
  }

  /** One round trip: each message event comes with its message. */
  async read(userId: string, afterPos: number, limit: number): Promise<StreamEntry[]> {
    const rows = await rowsOf<EventWithMessageRow>(
      this.sql,
      `SELECT e.pos, e.kind, e.conversation_id, e.seq, e.data_json,
              m.id AS message_id, m.sender_id, m.device_id, m.at, m.body, m.key_id
       FROM events e LEFT JOIN messages m ON e.kind = 'message' AND m.conversation_id = e.conversation_id AND m.seq = e.seq
       WHERE e.user_id = $1 AND e.pos > $2 ORDER BY e.pos LIMIT $3`,
      [userId, afterPos, limit],
    );
    return rows.map((row) => toStreamEntry(row, () => this.messageOf(row)));
  }

  private messageOf(row: EventWithMessageRow): Message {
    const { message_id, sender_id, device_id, at, body, key_id, seq } = row;
    assert(
      message_id !== null && sender_id !== null && device_id !== null && at !== null && body !== null && key_id !== null && seq !== null,
      `message ${row.conversation_id}#${String(seq)} of event ${row.pos} exists`,
    );
    return toMessage({ conversation_id: row.conversation_id, seq, id: message_id, sender_id, device_id, at, body, key_id }, this.cipher);
  }
}
