import type Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import { assert } from '../../lib/assert.js';
import type { EventLog } from './event-log.js';
import { lastPosOf } from './heads.js';

/**
 * The newest pos of each user's stream, kept in memory by the one process
 * that writes the database, so that appending an event costs no read of the
 * stream's tail. A head is read from the table the first time a user's
 * stream is written (or again after it was evicted) and only moves forward
 * inside write transactions, the only place it is used.
 *
 * A head is taken before its row is inserted: when a batch fails, the store
 * calls `clear`, because the rows behind the heads it moved were rolled back.
 */
export class StreamHeads {
  private readonly heads: LRUCache<string, { pos: number }>;
  private readonly selectHead;

  constructor(
    db: Database.Database,
    maxUsers: number,
    private readonly log: EventLog,
  ) {
    this.heads = new LRUCache({ max: maxUsers });
    this.selectHead = db.prepare<[{ userId: string }], { last_pos: number | null }>(`SELECT ${lastPosOf('@userId')} AS last_pos`);
  }

  /** The newest pos of the user's stream (0 when empty), as of the current transaction. */
  current(userId: string): number {
    return this.head(userId).pos;
  }

  /** Takes the next pos of the user's stream, for an event this transaction inserts. */
  next(userId: string): number {
    const head = this.head(userId);
    head.pos += 1;
    return head.pos;
  }

  clear(): void {
    this.heads.clear();
  }

  private head(userId: string): { pos: number } {
    let head = this.heads.get(userId);
    if (head === undefined) {
      const lastPos = this.selectHead.get({ userId })?.last_pos;
      assert(lastPos !== null && lastPos !== undefined, `user ${userId} has a stream`);
      // The log holds the stream's newest events, if any; the table the rest.
      head = { pos: this.log.newestPos(userId) ?? lastPos };
      this.heads.set(userId, head);
    }
    return head;
  }
}
