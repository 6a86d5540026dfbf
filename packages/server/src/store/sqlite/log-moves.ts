import type Database from 'better-sqlite3';
import { logSlices } from './log-slices.js';

export type LogTable = 'event_log' | 'message_log';

/** The SQL condition that a row of `log` has not moved, by the marks written. */
export function unmoved(log: LogTable): string {
  return `${log}.id > coalesce((SELECT moved_up_to FROM log_moves WHERE log = '${log}' AND slice = ${log}.slice), 0)`;
}

/**
 * Which rows of a log have moved, per slice: every row of slice `s` whose id
 * is at most `movedUpTo[s]`. A slice's move leaves its rows in the log, and
 * each full round of the slices deletes the rows every slice has moved in one
 * range of ids. Deleting a slice's rows at each move dirtied a page in every
 * part of the log, since a slice's rows are spread through it in append order.
 *
 * A slice's mark is written with its move, in the same transaction, so that a
 * restarted store reads moved rows as moved. A slice with nothing to move
 * advances in memory only (an idle server writes nothing): no row of it lies
 * between its written mark and the one in memory.
 */
export class LogMoves {
  private readonly movedUpTo: number[] = new Array<number>(logSlices).fill(0);
  private deletedUpTo = 0;
  private readonly selectMarks;
  private readonly upsertMark;
  private readonly deleteMarks;
  private readonly deleteRowsUpTo;

  constructor(
    db: Database.Database,
    private readonly log: LogTable,
  ) {
    this.selectMarks = db.prepare<[string], { slice: number; moved_up_to: number }>('SELECT slice, moved_up_to FROM log_moves WHERE log = ?');
    this.upsertMark = db.prepare<[string, number, number]>(
      `INSERT INTO log_moves (log, slice, moved_up_to) VALUES (?, ?, ?)
       ON CONFLICT (log, slice) DO UPDATE SET moved_up_to = excluded.moved_up_to`,
    );
    this.deleteMarks = db.prepare<[string]>('DELETE FROM log_moves WHERE log = ?');
    // `log` is one of two table names this code chose, never input.
    this.deleteRowsUpTo = db.prepare<[number]>(`DELETE FROM ${log} WHERE id <= ?`);
  }

  /** Reads the marks written so far: before first use (the log's own read of itself at start), and after a rolled-back batch. */
  load(): void {
    this.movedUpTo.fill(0);
    for (const { slice, moved_up_to } of this.selectMarks.iterate(this.log)) this.movedUpTo[slice] = moved_up_to;
    this.deletedUpTo = 0;
  }

  /** The highest mark, above every moved row's id: a new row's id must be above it too, or it would read as moved. */
  highest(): number {
    return Math.max(...this.movedUpTo);
  }

  /** Whether moved rows may still be in the log: the next round of moves deletes them. */
  holdsMovedRows(): boolean {
    return this.highest() > this.deletedUpTo;
  }

  /**
   * Every row of `slice` below `nextId` has moved (`wrote`: this move moved
   * some, in the running transaction); after the last slice of a round, the
   * rows every slice has moved are deleted.
   */
  moved(slice: number, nextId: number, wrote: boolean): void {
    this.movedUpTo[slice] = nextId - 1;
    if (wrote) this.upsertMark.run(this.log, slice, nextId - 1);
    if (slice !== logSlices - 1) return;
    const lowest = Math.min(...this.movedUpTo);
    if (lowest <= this.deletedUpTo) return;
    this.deleteRowsUpTo.run(lowest);
    this.deletedUpTo = lowest;
  }

  /** The log was emptied whole, in the running transaction: its ids start again. */
  clear(): void {
    this.deleteMarks.run(this.log);
    this.movedUpTo.fill(0);
    this.deletedUpTo = 0;
  }
}
