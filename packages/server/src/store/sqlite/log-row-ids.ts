import { logSlices } from './log-slices.js';

/**
 * The row ids of a log (event-log.ts, message-log.ts), per slice. The store
 * gives each logged row its id, so a slice's move finds its rows by id and
 * the log needs no index by slice, which cost every commit a page per slice
 * it appended to. The log rebuilds them by reading itself at start and after
 * a rolled-back batch.
 */
export class LogRowIds {
  private readonly bySlice: number[][] = Array.from({ length: logSlices }, () => []);
  private count = 0;
  private next = 1;

  /** The id the next logged row takes. */
  get nextId(): number {
    return this.next;
  }

  /** How many rows the log holds. */
  get total(): number {
    return this.count;
  }

  add(slice: number, id: number): void {
    this.bySlice[slice]?.push(id);
    this.count += 1;
    this.passed(id);
  }

  /** A row the log holds that has moved (log-moves.ts), or a mark: ids go on above it. */
  passed(id: number): void {
    this.next = Math.max(this.next, id + 1);
  }

  /**
   * The slice's ids as a JSON array, for `id IN (SELECT value FROM
   * json_each(?))` (a rowid lookup each), forgotten here; undefined when the
   * slice has none.
   */
  takeSlice(slice: number): string | undefined {
    const ids = this.bySlice[slice];
    if (ids === undefined || ids.length === 0) return undefined;
    const json = JSON.stringify(ids);
    this.count -= ids.length;
    ids.length = 0;
    return json;
  }

  /** Forgets every row: ids start again from 1. */
  clear(): void {
    this.bySlice.forEach((ids) => (ids.length = 0));
    this.count = 0;
    this.next = 1;
  }
}
