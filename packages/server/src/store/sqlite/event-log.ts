import type Database from 'better-sqlite3';
import { logSlices, sliceOf } from './log-slices.js';

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
 * Every move runs inside a write transaction; an event is in exactly one of
 * the two tables at any commit.
 */
export class EventLog {
  /** Events in the log, per slice. */
  private pending: number[];
  private total: number;
  /** Per slice, the newest logged pos of each user with events in the log: a slice's move drops its map whole. */
  private readonly newest: Map<string, number>[] = Array.from({ length: logSlices }, () => new Map<string, number>());
  private readonly insertOne;
  private readonly insertMany;
  private readonly moveAllRows;
  private readonly deleteAllRows;
  private readonly moveSliceRows;
  private readonly deleteSliceRows;
  private readonly selectLogged;

  constructor(db: Database.Database) {
    this.insertOne = db.prepare<[{ userId: string; pos: number; kind: string; conversationId: string; seq: number | null; dataJson: string | null; slice: number }]>(
      `INSERT INTO event_log (user_id, pos, kind, conversation_id, seq, data_json, slice)
       VALUES (@userId, @pos, @kind, @conversationId, @seq, @dataJson, @slice)`,
    );
    // One statement for the events of a group of any size, as [user, pos, slice] triples.
    this.insertMany = db.prepare<[{ kind: string; conversationId: string; seq: number | null; dataJson: string | null; rows: string }]>(
      `INSERT INTO event_log (user_id, pos, kind, conversation_id, seq, data_json, slice)
       SELECT value ->> 0, value ->> 1, @kind, @conversationId, @seq, @dataJson, value ->> 2 FROM json_each(@rows)`,
    );
    const columns = 'user_id, pos, kind, conversation_id, seq, data_json';
    this.moveAllRows = db.prepare(`INSERT INTO events (${columns}) SELECT ${columns} FROM event_log ORDER BY user_id, pos`);
    this.deleteAllRows = db.prepare('DELETE FROM event_log');
    this.moveSliceRows = db.prepare<[number]>(
      `INSERT INTO events (${columns}) SELECT ${columns} FROM event_log WHERE slice = ? ORDER BY user_id, pos`,
    );
    this.deleteSliceRows = db.prepare<[number]>('DELETE FROM event_log WHERE slice = ?');
    this.selectLogged = db.prepare<[], { user_id: string; slice: number; count: number; pos: number }>(
      'SELECT user_id, slice, count(*) AS count, max(pos) AS pos FROM event_log GROUP BY user_id',
    );
    this.pending = new Array<number>(logSlices).fill(0);
    this.total = 0;
    this.recount();
  }

  append(userId: string, pos: number, kind: string, conversationId: string, seq: number | null, dataJson: string | null): void {
    const slice = sliceOf(userId);
    this.insertOne.run({ userId, pos, kind, conversationId, seq, dataJson, slice });
    this.count(slice, 1);
    this.newest[slice]?.set(userId, pos);
  }

  /** Appends one event of the same content to several streams. */
  appendToMany(positions: ReadonlyArray<readonly [string, number]>, kind: string, conversationId: string, seq: number | null, dataJson: string | null): void {
    if (positions.length === 0) return;
    const rows = positions.map(([userId, pos]) => [userId, pos, sliceOf(userId)] as const);
    this.insertMany.run({ kind, conversationId, seq, dataJson, rows: JSON.stringify(rows) });
    for (const [userId, pos, slice] of rows) {
      this.count(slice, 1);
      this.newest[slice]?.set(userId, pos);
    }
  }

  /** The newest pos of the user's events in the log; undefined when the log has none of them. */
  newestPos(userId: string): number | undefined {
    return this.newest[sliceOf(userId)]?.get(userId);
  }

  /** Whether some events are only in the log: `events` alone is not the whole stream. */
  hasPending(): boolean {
    return this.total > 0;
  }

  /** Whether the log has grown to the size at which a write moves it at once. */
  isFull(): boolean {
    return this.total >= eventsBeforeMove;
  }

  /** Moves every logged event into `events`; inside a write transaction. */
  moveAll(): void {
    if (this.total === 0) return;
    this.moveAllRows.run();
    this.deleteAllRows.run();
    this.pending.fill(0);
    this.total = 0;
    this.newest.forEach((users) => users.clear());
  }

  /** Moves the logged events of one slice of the users into `events`; inside a write transaction. */
  moveSlice(slice: number): void {
    const count = this.pending[slice] ?? 0;
    if (count === 0) return;
    this.moveSliceRows.run(slice);
    this.deleteSliceRows.run(slice);
    this.count(slice, -count);
    this.newest[slice]?.clear();
  }

  /** After a rolled-back batch the log holds what was committed before it: read again, not moved (a full disk has no room for a move). */
  recount(): void {
    this.pending.fill(0);
    this.total = 0;
    this.newest.forEach((users) => users.clear());
    for (const { user_id, slice, count, pos } of this.selectLogged.all()) {
      this.count(slice, count);
      this.newest[slice]?.set(user_id, pos);
    }
  }

  private count(slice: number, delta: number): void {
    this.pending[slice] = (this.pending[slice] ?? 0) + delta;
    this.total += delta;
  }
}
