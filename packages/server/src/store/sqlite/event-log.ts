import type Database from 'better-sqlite3';

/** Events the log holds at most before the write that reaches it moves them. */
const eventsBeforeMove = 20_000;

/**
 * Where new stream events are written: `event_log`, a table appended in
 * rowid order, so the events of a batch share a few pages. `events`, keyed by
 * (user, pos), puts every user's newest events on a page of their own, and a
 * batch that wrote one event to each of a thousand streams dirtied a thousand
 * pages, each written whole to the WAL at commit. The log's events are moved
 * into `events` in bulk (every second, and before anything reads `events`),
 * sorted by (user, pos), so that one page write there carries many events.
 *
 * Every move runs inside a write transaction; an event is in exactly one of
 * the two tables at any commit.
 */
export class EventLog {
  private pending: number;
  private readonly insertOne;
  private readonly insertMany;
  private readonly moveRows;
  private readonly deleteRows;
  private readonly countRows;

  constructor(db: Database.Database) {
    this.insertOne = db.prepare<[{ userId: string; pos: number; kind: string; conversationId: string; seq: number | null; dataJson: string | null }]>(
      `INSERT INTO event_log (user_id, pos, kind, conversation_id, seq, data_json)
       VALUES (@userId, @pos, @kind, @conversationId, @seq, @dataJson)`,
    );
    // One statement for the events of a group of any size, as [user, pos] pairs.
    this.insertMany = db.prepare<[{ kind: string; conversationId: string; seq: number | null; dataJson: string | null; positions: string }]>(
      `INSERT INTO event_log (user_id, pos, kind, conversation_id, seq, data_json)
       SELECT value ->> 0, value ->> 1, @kind, @conversationId, @seq, @dataJson FROM json_each(@positions)`,
    );
    this.moveRows = db.prepare(
      `INSERT INTO events (user_id, pos, kind, conversation_id, seq, data_json)
       SELECT user_id, pos, kind, conversation_id, seq, data_json FROM event_log ORDER BY user_id, pos`,
    );
    this.deleteRows = db.prepare('DELETE FROM event_log');
    this.countRows = db.prepare<[], { count: number }>('SELECT count(*) AS count FROM event_log');
    this.pending = this.count();
  }

  append(userId: string, pos: number, kind: string, conversationId: string, seq: number | null, dataJson: string | null): void {
    this.insertOne.run({ userId, pos, kind, conversationId, seq, dataJson });
    this.pending += 1;
  }

  /** Appends one event of the same content to several streams. */
  appendToMany(positions: ReadonlyArray<readonly [string, number]>, kind: string, conversationId: string, seq: number | null, dataJson: string | null): void {
    if (positions.length === 0) return;
    this.insertMany.run({ kind, conversationId, seq, dataJson, positions: JSON.stringify(positions) });
    this.pending += positions.length;
  }

  /** Whether some events are only in the log: `events` alone is not the whole stream. */
  hasPending(): boolean {
    return this.pending > 0;
  }

  /** Whether the log has grown to the size at which a write moves it at once. */
  isFull(): boolean {
    return this.pending >= eventsBeforeMove;
  }

  /** Moves every logged event into `events`; inside a write transaction. */
  moveAll(): void {
    if (this.pending === 0) return;
    this.moveRows.run();
    this.deleteRows.run();
    this.pending = 0;
  }

  /** After a rolled-back batch the log holds what was committed before it. */
  recount(): void {
    this.pending = this.count();
  }

  private count(): number {
    return this.countRows.get()?.count ?? 0;
  }
}
