import type Database from 'better-sqlite3';
import { assert } from '../../lib/assert.js';

interface QueuedWrite {
  /** Runs the operation in its own savepoint of the batch transaction. */
  execute(): void;
  /** The batch committed: resolve, or reject with the operation's own error. */
  settle(): void;
  /** The batch did not commit: nothing of it was written. */
  abort(batchError: unknown): void;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Group commit: writes that arrive in the same tick share one transaction, so
 * throughput does not pay one fsync per write.
 *
 * Guarantees:
 * - A write's promise settles only after its batch's COMMIT returned (resolve)
 *   or failed (reject): a resolved write is durable.
 * - Each write runs in its own savepoint, so a write that throws rolls back
 *   only itself and rejects only its own promise.
 * - Writes run in the order they were enqueued, each seeing the ones before it.
 * - A batch holds at most `maxWrites` writes; reaching it flushes at once,
 *   synchronously inside `enqueue`.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly inSavepoint: (body: () => void) => void;
  private readonly inBatch: (writes: QueuedWrite[]) => void;

  constructor(
    private readonly db: Database.Database,
    private readonly maxWrites: number,
  ) {
    assert(Number.isSafeInteger(maxWrites) && maxWrites >= 1, `groupCommitMaxWrites must be a positive integer, got ${maxWrites}`);
    // better-sqlite3 turns a transaction function called inside a transaction into a savepoint.
    const savepoint = db.transaction((body: () => void) => body());
    this.inSavepoint = (body) => savepoint(body);
    // IMMEDIATE takes the write lock up front, so a busy database fails at BEGIN, not halfway.
    const batch = db.transaction((writes: QueuedWrite[]) => writes.forEach((write) => write.execute()));
    this.inBatch = (writes) => batch.immediate(writes);
  }

  /** Queues `operation` (synchronous database work) for the next batch. Rejects once closed. */
  enqueue<T>(operation: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push(this.queuedWrite(operation, resolve, reject));
      if (this.queue.length >= this.maxWrites) this.flush();
      else this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued so far in one transaction. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const writes = this.queue;
    this.queue = [];
    if (writes.length === 0) return;
    try {
      this.inBatch(writes);
    } catch (batchError) {
      writes.forEach((write) => write.abort(batchError));
      return;
    }
    writes.forEach((write) => write.settle());
  }

  /** Flushes what is queued and refuses further writes. */
  close(): void {
    this.closed = true;
    this.flush();
  }

  private queuedWrite<T>(operation: () => T, resolve: (value: T) => void, reject: (reason: unknown) => void): QueuedWrite {
    let outcome: Outcome<T> | undefined;
    return {
      execute: () => {
        try {
          this.inSavepoint(() => {
            outcome = { ok: true, value: operation() };
          });
        } catch (error) {
          outcome = { ok: false, error };
          // Some errors (SQLITE_FULL, SQLITE_IOERR, …) make SQLite roll back the
          // whole transaction; the writes after this one must not run in autocommit.
          if (!this.db.inTransaction) throw error;
        }
      },
      settle: () => {
        assert(outcome !== undefined, 'a committed batch ran every write');
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      },
      abort: (batchError) => reject(outcome !== undefined && !outcome.ok ? outcome.error : batchError),
    };
  }
}
