import type Database from 'better-sqlite3';
import { LogMoves, unmoved } from './log-moves.js';
import { LogRowIds } from './log-row-ids.js';
import { logSlices, sliceOf } from './log-slices.js';

/** One `event_log` row as positional values: id, user, pos, kind, conversation, seq, data, slice. */
type EventRowValues = [number, string, number, string, string, number | null, string | null, number];

/** Events the log holds at most before the write that reaches it moves them all. */
const eventsBeforeMove = 50_000;

/**
 * Where new stream events are written: `event_log`, a table appended in
 * rowid order, so the events of a batch share a few pages. `events`, keyed by
 * (user, pos), puts every user's newest events on a page of their own, and a
 * batch that wrote one event to each of a thousand streams dirtied a thousand
 * pages, each written whole to the WAL at commit. The log's events are moved
 * into `events` in bulk, a slice of the users at a time (log-slices.ts), sorted
 * by (user, pos), so that one page write there carries many events; and all
 * of them before anything reads `events`.
 *
 * Every move runs inside a write transaction; at any commit an event is in
 * `events` or unmoved in the log (log-moves.ts), never both.
 */
export class EventLog {
  private readonly ids = new LogRowIds();
  private readonly moves: LogMoves;
  /** Per slice, the newest logged pos of each user with events in the log: a slice's move drops its map whole. */
  private readonly newest: Map<string, number>[] = Array.from({ length: logSlices }, () => new Map<string, number>());
  private readonly insertOne;
  private readonly insertTwo;
  private readonly insertMany;
  private readonly moveAllRows;
  private readonly deleteAllRows;
  private readonly moveSliceRows;
  private readonly selectLogged;

  constructor(db: Database.Database) {
    this.moves = new LogMoves(db, 'event_log');
    this.insertOne = db.prepare<[{ id: number; userId: string; pos: number; kind: string; conversationId: string; seq: number | null; dataJson: string | null; slice: number }]>(
      `INSERT INTO event_log (id, user_id, pos, kind, conversation_id, seq, data_json, slice)
       VALUES (@id, @userId, @pos, @kind, @conversationId, @seq, @dataJson, @slice)`,
    );
    // A direct chat's two streams: plain values bind for less than a JSON array costs to build and parse.
    this.insertTwo = db.prepare<EventRowValues[]>(
      `INSERT INTO event_log (id, user_id, pos, kind, conversation_id, seq, data_json, slice)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // One statement for the events of a group of any size, as [user, pos, slice, id] rows.
    this.insertMany = db.prepare<[{ kind: string; conversationId: string; seq: number | null; dataJson: string | null; rows: string }]>(
      `INSERT INTO event_log (id, user_id, pos, kind, conversation_id, seq, data_json, slice)
       SELECT value ->> 3, value ->> 0, value ->> 1, @kind, @conversationId, @seq, @dataJson, value ->> 2 FROM json_each(@rows)`,
    );
    const columns = 'user_id, pos, kind, conversation_id, seq, data_json';
    this.moveAllRows = db.prepare(
      `INSERT INTO events (${columns}) SELECT ${columns} FROM event_log WHERE ${unmoved('event_log')} ORDER BY user_id, pos`,
    );
    this.deleteAllRows = db.prepare('DELETE FROM event_log');
    // The ids come as a JSON array: a lookup by rowid each.
    this.moveSliceRows = db.prepare<[string]>(
      `INSERT INTO events (${columns}) SELECT ${columns} FROM event_log WHERE id IN (SELECT value FROM json_each(?)) ORDER BY user_id, pos`,
    );
    this.selectLogged = db.prepare<[], { id: number; user_id: string; slice: number; pos: number }>(
      `SELECT id, user_id, slice, pos FROM event_log WHERE ${unmoved('event_log')} ORDER BY id`,
    );
    this.recount();
  }

  append(userId: string, pos: number, kind: string, conversationId: string, seq: number | null, dataJson: string | null): void {
    const slice = sliceOf(userId);
    const id = this.ids.nextId;
    this.insertOne.run({ id, userId, pos, kind, conversationId, seq, dataJson, slice });
    this.remember(id, slice, userId, pos);
  }

  /** Appends one event of the same content to several streams. */
  appendToMany(positions: ReadonlyArray<readonly [string, number]>, kind: string, conversationId: string, seq: number | null, dataJson: string | null): void {
    if (positions.length === 0) return;
    const first = this.ids.nextId;
    if (positions.length === 2) {
      const rows = positions.map(([userId, pos], n): EventRowValues => [first + n, userId, pos, kind, conversationId, seq, dataJson, sliceOf(userId)]);
      this.insertTwo.run(...rows);
      for (const [id, userId, pos, , , , , slice] of rows) this.remember(id, slice, userId, pos);
      return;
    }
    const rows = positions.map(([userId, pos], n) => [userId, pos, sliceOf(userId), first + n] as const);
    this.insertMany.run({ kind, conversationId, seq, dataJson, rows: JSON.stringify(rows) });
    for (const [userId, pos, slice, id] of rows) this.remember(id, slice, userId, pos);
  }

  /** The newest pos of the user's events in the log; undefined when the log has none of them. */
  newestPos(userId: string): number | undefined {
    return this.newest[sliceOf(userId)]?.get(userId);
  }

  /** Whether some events are only in the log: `events` alone is not the whole stream. */
  hasPending(): boolean {
    return this.ids.total > 0;
  }

  /** Whether the rounds of slice moves have work: rows to move, or moved rows to delete. */
  needsMoves(): boolean {
    return this.ids.total > 0 || this.moves.holdsMovedRows();
  }

  /** Whether the log has grown to the size at which a write moves it at once. */
  isFull(): boolean {
    return this.ids.total >= eventsBeforeMove;
  }

  /** Moves every logged event into `events`; inside a write transaction. */
  moveAll(): void {
    // With none to move, the log may still hold moved rows, which new ids must stay above.
    if (this.ids.total === 0) return;
    this.moveAllRows.run();
    this.deleteAllRows.run();
    this.moves.clear();
    this.forgetLogged();
  }

  /** Moves the logged events of one slice of the users into `events`; inside a write transaction. */
  moveSlice(slice: number): void {
    const ids = this.ids.takeSlice(slice);
    if (ids !== undefined) {
      this.moveSliceRows.run(ids);
      this.newest[slice]?.clear();
    }
    this.moves.moved(slice, this.ids.nextId, ids !== undefined);
  }

  /** After a rolled-back batch the log holds what was committed before it: read again, not moved (a full disk has no room for a move). */
  recount(): void {
    this.forgetLogged();
    this.moves.load();
    this.ids.passed(this.moves.highest());
    // In id order, so each user's newest pos comes last.
    for (const { id, user_id, slice, pos } of this.selectLogged.iterate()) this.remember(id, slice, user_id, pos);
  }

  private remember(id: number, slice: number, userId: string, pos: number): void {
    this.ids.add(slice, id);
    this.newest[slice]?.set(userId, pos);
  }

  private forgetLogged(): void {
    this.ids.clear();
    this.newest.forEach((users) => users.clear());
  }
}
